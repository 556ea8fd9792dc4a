"""Parse a checkpoint reference and pick the backend that loads it. Parsing imports nothing heavy."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import CheckpointError, RefusalError

if TYPE_CHECKING:
    from .backends.base import Backend

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")

# Concrete ids offered when no checkpoint is given: family -> (scale, id, resolution, ImageNet-1k zero-shot top-1).
SUGGESTED_CHECKPOINTS: dict[str, list[tuple[str, str, str, str]]] = {
    "CLIP (OpenAI, transformers)": [
        ("base", "openai/clip-vit-base-patch32", "224", "63.2"),
        ("base", "openai/clip-vit-base-patch16", "224", "68.6"),
        ("large", "openai/clip-vit-large-patch14", "224", "75.3"),
        ("large", "openai/clip-vit-large-patch14-336", "336", "76.2"),
    ],
    "OpenCLIP (LAION)": [
        ("base", "openclip:ViT-B-32/laion2b_s34b_b79k", "224", "66.6"),
        ("huge", "openclip:ViT-H-14/laion2b_s32b_b79k", "224", "78.0"),
        ("giant", "openclip:ViT-bigG-14/laion2b_s39b_b160k", "224", "80.1"),
    ],
    "SigLIP (transformers)": [
        ("base", "google/siglip-base-patch16-224", "224", "76.0"),
        ("so400m", "google/siglip-so400m-patch14-384", "384", "83.1"),
    ],
    "SigLIP 2 (transformers)": [
        ("base", "google/siglip2-base-patch16-224", "224", "78.2"),
        ("so400m", "google/siglip2-so400m-patch14-384", "384", "84.1"),
        ("giant", "google/siglip2-giant-opt-patch16-384", "384", "85.0"),
        ("base, NaFlex", "google/siglip2-base-patch16-naflex", "variable", "-"),
    ],
}


def suggestion_table() -> str:
    lines = []
    for family, rows in SUGGESTED_CHECKPOINTS.items():
        lines.append(f"  {family}:")
        for scale, cid, res, top1 in rows:
            lines.append(f"    {scale:<13} {cid:<44} input {res:<8} ImageNet zero-shot top-1 {top1}")
    return "\n".join(lines)


def refuse_missing_checkpoint() -> RefusalError:
    return RefusalError(
        "No checkpoint was given. Which family (CLIP, OpenCLIP, SigLIP or SigLIP 2) and which scale do you want?",
        reason="no_checkpoint",
        hint="There is no default, because the answer depends on the checkpoint and scores from different "
        "checkpoints are not comparable. Pass one with --checkpoint, for example:\n"
        + suggestion_table()
        + "\n  or a local folder in transformers or OpenCLIP format (try: clip-zero-shot demo).",
    )


@dataclass(frozen=True)
class CheckpointSpec:
    """A parsed reference: which library loads it and how."""

    given: str
    loader: Literal["transformers", "open_clip"]
    location: Literal["hub", "local", "builtin"]
    target: str  # hub id, folder path, or OpenCLIP model name
    pretrained: str | None = None  # OpenCLIP pretrained tag, for builtin names
    revision: str | None = None


def _openclip_model_names() -> set[str]:
    """Names of open_clip's bundled model configs, read from its package folder without importing it."""
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        return set()
    folder = Path(next(iter(spec.submodule_search_locations))) / "model_configs"
    return {p.stem for p in folder.glob("*.json")}


def _local_spec(given: str, folder: Path, revision: str | None, forced: str | None) -> CheckpointSpec:
    if not folder.is_dir():
        raise CheckpointError(f"checkpoint folder {str(folder)!r} does not exist")
    has_hf = (folder / "config.json").is_file()
    has_oc = (folder / "open_clip_config.json").is_file()
    if forced == "transformers" and not has_hf:
        raise CheckpointError(f"{str(folder)!r} has no config.json, so it is not a transformers checkpoint")
    if forced == "open_clip" and not has_oc:
        raise CheckpointError(f"{str(folder)!r} has no open_clip_config.json, so it is not an OpenCLIP checkpoint")
    loader = forced
    if loader is None:
        if has_hf and has_oc:
            raise CheckpointError(
                f"{str(folder)!r} holds both a transformers config.json and an open_clip_config.json, "
                "so it could be loaded either way",
                hint=f"say which: --checkpoint hf:{given} (transformers) or --checkpoint openclip:{given} (open_clip)",
            )
        if not (has_hf or has_oc):
            raise CheckpointError(
                f"{str(folder)!r} is neither a transformers checkpoint (config.json) "
                "nor an OpenCLIP one (open_clip_config.json)"
            )
        loader = "transformers" if has_hf else "open_clip"
    return CheckpointSpec(given, loader, "local", str(folder.resolve()), revision=revision)  # type: ignore[arg-type]


def parse_checkpoint(given: str | None, revision: str | None = None) -> CheckpointSpec:
    """Turn what the user typed into a CheckpointSpec, or explain exactly why it is ambiguous or wrong.

    Forms: `org/name` (Hugging Face id, transformers), `hf:org/name` or `hf:PATH` (transformers, explicit),
    `openclip:MODEL/TAG` (OpenCLIP model with pretrained tag), `openclip:hf-hub:org/name` or `hf-hub:org/name`
    (OpenCLIP hub repo), `openclip:PATH`, and a local folder in either format.
    """
    if given is None or not given.strip():
        raise refuse_missing_checkpoint()
    given = given.strip()
    if given.startswith("hf:"):
        rest = given[3:]
        if Path(rest).expanduser().exists():
            return _local_spec(given, Path(rest).expanduser(), revision, "transformers")
        if not HUB_ID.match(rest):
            raise CheckpointError(f"{rest!r} is neither a local folder nor a Hugging Face id of the form org/name")
        return CheckpointSpec(given, "transformers", "hub", rest, revision=revision)
    if given.startswith("openclip:") or given.startswith("hf-hub:"):
        rest = given[len("openclip:") :] if given.startswith("openclip:") else given
        if rest.startswith("hf-hub:"):
            repo = rest[len("hf-hub:") :]
            if not HUB_ID.match(repo):
                raise CheckpointError(f"{repo!r} is not a Hugging Face repo id of the form org/name")
            return CheckpointSpec(given, "open_clip", "hub", repo, revision=revision)
        if rest.startswith("local-dir:"):
            rest = rest[len("local-dir:") :]
        if Path(rest).expanduser().exists():
            return _local_spec(given, Path(rest).expanduser(), revision, "open_clip")
        name, _, tag = rest.partition("/")
        known = _openclip_model_names()
        if name not in known:
            raise CheckpointError(
                f"{name!r} is not an OpenCLIP model name",
                hint="list them with: python -c 'import open_clip; print(open_clip.list_pretrained())'",
            )
        if not tag:
            raise CheckpointError(
                f"OpenCLIP model {name!r} needs a pretrained tag",
                hint=f"for example openclip:{name}/<tag>; list tags with: "
                f"python -c 'import open_clip; print(open_clip.list_pretrained_tags_by_model(\"{name}\"))'",
            )
        if revision:
            raise CheckpointError("--revision applies to Hugging Face repos, not to OpenCLIP model/tag names")
        return CheckpointSpec(given, "open_clip", "builtin", name, pretrained=tag)
    path = Path(given).expanduser()
    if path.exists():
        return _local_spec(given, path, revision, None)
    if given.startswith((".", "/", "~")) or "\\" in given:
        raise CheckpointError(f"checkpoint folder {given!r} does not exist")
    if HUB_ID.match(given):
        name = given.split("/", 1)[0]
        if name in _openclip_model_names():
            raise CheckpointError(
                f"{given!r} looks like an OpenCLIP model name with a pretrained tag, not a Hugging Face id",
                hint=f"write it as --checkpoint openclip:{given}",
            )
        return CheckpointSpec(given, "transformers", "hub", given, revision=revision)
    if given in _openclip_model_names():
        raise CheckpointError(
            f"{given!r} is an OpenCLIP model name without a pretrained tag",
            hint=f"write it as --checkpoint openclip:{given}/<tag>",
        )
    raise CheckpointError(
        f"{given!r} is not a local folder, a Hugging Face id (org/name) or an OpenCLIP reference (openclip:MODEL/TAG)"
    )


def folder_revision(folder: Path) -> str:
    """A content hash of a local folder's weight files: the provenance of a checkpoint that has no commit."""
    digest = hashlib.sha256()
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in WEIGHT_SUFFIXES)
    if not files:
        raise CheckpointError(f"{str(folder)!r} has no weight files ({', '.join(WEIGHT_SUFFIXES)})")
    for p in files:
        digest.update(p.name.encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def snapshot_revision(cached_path: str | None) -> str | None:
    """The commit hash from a Hugging Face cache path (.../snapshots/<sha>/file)."""
    if not cached_path:
        return None
    parts = Path(cached_path).parts
    if "snapshots" in parts:
        i = parts.index("snapshots")
        if i + 1 < len(parts):
            return parts[i + 1]
    return None


def load_backend(spec: CheckpointSpec, device: str = "auto", dtype: str = "auto") -> Backend:
    if spec.loader == "transformers":
        from .backends.transformers_backend import TransformersBackend

        return TransformersBackend.load(spec, device, dtype)
    from .backends.openclip_backend import OpenClipBackend

    return OpenClipBackend.load(spec, device, dtype)
