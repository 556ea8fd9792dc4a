"""Expand what the user passed (files, folders, globs, URLs, '-') into an ordered list of image sources."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif", ".jfif", ".ppm", ".pgm", ".pbm"}
)
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ImageSource:
    """One input in the order given. `error` is set when the reference itself is unusable."""

    ref: str
    kind: Literal["file", "url", "invalid"]
    error: str | None = None


def _is_url(ref: str) -> bool:
    return "://" in ref


def _folder(ref: str, folder: Path) -> list[ImageSource]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
    if not files:
        return [
            ImageSource(
                ref, "invalid", f"folder {ref!r} contains no image files ({', '.join(sorted(IMAGE_EXTENSIONS))})"
            )
        ]
    return [ImageSource(str(p), "file") for p in files]


def expand_one(ref: str) -> list[ImageSource]:
    if _is_url(ref):
        scheme = ref.split("://", 1)[0].lower()
        if scheme not in ("http", "https"):
            return [
                ImageSource(
                    ref, "invalid", f"unsupported URL scheme {scheme!r} in {ref!r}: only http and https are fetched"
                )
            ]
        return [ImageSource(ref, "url")]
    path = Path(ref).expanduser()
    if path.is_dir():
        return _folder(ref, path)
    if path.is_file():
        return [ImageSource(str(path), "file")]
    if GLOB_CHARS & set(ref):
        matches = sorted(glob.glob(str(path), recursive=True))
        found: list[ImageSource] = []
        for m in matches:
            p = Path(m)
            if p.is_dir():
                found += [s for s in _folder(m, p) if s.kind == "file"]
            elif p.suffix.lower() in IMAGE_EXTENSIONS:
                found.append(ImageSource(m, "file"))
        if not found:
            return [ImageSource(ref, "invalid", f"pattern {ref!r} matches no image files")]
        return found
    return [ImageSource(ref, "invalid", f"{ref!r} is not an existing file, folder, glob pattern or http(s) URL")]


def expand(refs: Iterable[str], stdin: TextIO | None = None) -> Iterator[ImageSource]:
    """Lazily, so that a stdin stream of 100,000 lines never sits in memory at once."""
    for ref in refs:
        if ref == "-":
            for line in stdin or sys.stdin:
                line = line.strip()
                if line:
                    yield from expand_one(line)
        else:
            yield from expand_one(ref)
