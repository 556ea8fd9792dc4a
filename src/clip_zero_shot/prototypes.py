"""Class prototypes: one normalised text embedding per class, averaged over prompt templates, cached on disk."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .backends.base import Backend
from .ranking import l2_normalise

CACHE_FORMAT = 2


@dataclass(frozen=True)
class Prototypes:
    vectors: np.ndarray  # [classes, dim], float32, unit norm
    truncated: tuple[str, ...]  # prompts the text tower had to cut


def default_cache_dir() -> Path:
    override = os.environ.get("CLIP_ZERO_SHOT_CACHE")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clip-zero-shot" / "prototypes"


def build_prototypes(backend: Backend, classes: tuple[str, ...], templates: tuple[str, ...]) -> Prototypes:
    """Embed every filled template; L2-normalise each, average per class, re-normalise.

    Normalising before the mean gives every template an equal vote, as in the CLIP prompt-ensembling notebook and
    open_clip's zero_shot_classifier.
    """
    prompts = [t.replace("{}", c) for c in classes for t in templates]
    step = backend.text_batch_size
    parts = [backend.encode_text(prompts[i : i + step]) for i in range(0, len(prompts), step)]
    emb = l2_normalise(np.concatenate(parts).astype(np.float32))
    per_class = emb.reshape(len(classes), len(templates), -1).mean(axis=1)
    return Prototypes(l2_normalise(per_class).astype(np.float32), tuple(backend.truncated(prompts)))


def cache_key(backend: Backend, classes: tuple[str, ...], templates: tuple[str, ...], dtype: str) -> str:
    """Everything that changes a prototype: checkpoint and revision, the family's text rules, dtype, prompts."""
    info = backend.info
    rules = backend.text_rules
    payload = {
        "format": CACHE_FORMAT,
        "checkpoint": info.id,
        "revision": info.revision,
        "family": info.family,
        "backend": info.backend,
        "architecture": info.architecture,
        "text_rules": [rules.padding, rules.max_length, rules.lowercase, rules.attention_mask, rules.padding_side],
        "dtype": dtype,
        "templates": list(templates),
        "classes": list(classes),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class PrototypeCache:
    """safetensors files named by cache key. A file that fails any check is deleted and rebuilt, never used."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.safetensors"

    def load(self, key: str, n_classes: int) -> Prototypes | None:
        from safetensors import safe_open

        path = self.path(key)
        if not path.is_file():
            return None
        try:
            with safe_open(str(path), framework="numpy") as fh:
                meta = fh.metadata() or {}
                proto = fh.get_tensor("prototypes")
            truncated = json.loads(meta.get("truncated", "null"))
            ok = (
                isinstance(truncated, list)
                and all(isinstance(t, str) for t in truncated)
                and meta.get("key") == key
                and proto.ndim == 2
                and proto.shape[0] == n_classes
                and proto.dtype == np.float32
                and bool(np.isfinite(proto).all())
                and np.allclose(np.linalg.norm(proto, axis=1), 1.0, atol=1e-3)
            )
        except Exception:  # any unreadable or malformed file is a cache miss, by design
            ok = False
        if not ok:
            path.unlink(missing_ok=True)
            return None
        return Prototypes(proto, tuple(truncated))

    def save(self, key: str, prototypes: Prototypes) -> None:
        from safetensors.numpy import save_file

        self.folder.mkdir(parents=True, exist_ok=True)
        # Write-then-rename, so an interrupted run never leaves a partial file under the real name.
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        os.close(fd)
        try:
            save_file(
                {"prototypes": np.ascontiguousarray(prototypes.vectors, dtype=np.float32)},
                tmp,
                metadata={"key": key, "truncated": json.dumps(list(prototypes.truncated))},
            )
            os.replace(tmp, self.path(key))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
