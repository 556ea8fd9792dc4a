"""Turning a library's loading failure into a message that names the checkpoint and says how to get it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import CheckpointError


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


@contextmanager
def explain_load_failure(checkpoint: str, hub_id: str | None) -> Iterator[None]:
    try:
        yield
    except CheckpointError:
        raise
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if hub_id:
            where = (
                "It is not in the local Hugging Face cache, and HF_HUB_OFFLINE=1 forbids downloading it."
                if offline()
                else "It could not be downloaded or read from the Hugging Face cache."
            )
            hint = (
                f"Fetch it once on a machine with network access (`hf download {hub_id}`), then run again "
                "with the same HF_HOME; or pass a local folder that holds it."
            )
        else:
            where, hint = "The folder could not be read as a checkpoint.", None
        raise CheckpointError(
            f"cannot load checkpoint {checkpoint!r}: {where}\n  cause: {cause}",
            hint=hint,
        ) from exc
