"""Options shared by the commands, and turning them into a request and classifiers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from ..errors import UsageError
from ..prompts import TEMPLATE_SETS, read_classes_file, split_classes

if TYPE_CHECKING:
    from ..images.fetch import FetchLimits

T = TypeVar("T")


def add_model_options(p: argparse.ArgumentParser, *, repeatable: bool) -> None:
    g = p.add_argument_group("checkpoint")
    g.add_argument(
        "--checkpoint",
        "-m",
        action="append" if repeatable else "store",
        metavar="ID",
        help="Hugging Face id (openai/clip-vit-base-patch32, google/siglip2-base-patch16-224), "
        "openclip:MODEL/TAG (openclip:ViT-B-32/laion2b_s34b_b79k), hf-hub:ORG/REPO (OpenCLIP), or a local folder"
        + ("; repeat to compare checkpoints (scores are never merged)" if repeatable else ""),
    )
    g.add_argument("--revision", help="hub branch, tag or commit (default: the repo's main)")
    g.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    g.add_argument(
        "--dtype",
        default="auto",
        choices=("auto", "float32", "float16", "bfloat16"),
        help="auto: float16 on a GPU, float32 on a CPU",
    )
    g.add_argument("--batch-size", type=int, default=32, help="images per forward pass (default 32)")
    g.add_argument(
        "--workers", type=int, default=None, help="threads decoding and downloading images ahead of the model"
    )
    g.add_argument(
        "--fast-jpeg",
        action="store_true",
        help="decode large JPEGs at a reduced scale (still >= the model input) before the checkpoint's resize: "
        "faster on CPUs, scores differ slightly from a full decode",
    )
    g.add_argument("--no-cache", action="store_true", help="do not read or write the class-prototype cache")
    g.add_argument(
        "--cache-dir",
        help="prototype cache folder (default ~/.cache/clip-zero-shot/prototypes, or $CLIP_ZERO_SHOT_CACHE)",
    )


def add_prompt_options(p: argparse.ArgumentParser, *, classes: bool) -> None:
    g = p.add_argument_group("classes and prompts")
    if classes:
        g.add_argument("--classes", "-c", help='comma-separated candidate classes, e.g. "cat,dog,fox"')
        g.add_argument("--classes-file", help="file with one candidate class per line")
    g.add_argument("--template", "-t", action="append", help="prompt template with one {} (repeatable)")
    g.add_argument("--templates-file", help="file with one template per line")
    g.add_argument(
        "--template-set",
        choices=tuple(TEMPLATE_SETS),
        help="named set: default (3), imagenet80 (CLIP paper's 80), imagenet7 (its 7-template subset)",
    )
    g = p.add_argument_group("responsible use")
    g.add_argument("--contains-people", action="store_true", help="the images are known to contain people")
    g.add_argument(
        "--consent-policy",
        metavar="REF",
        help="path or identifier of the consent policy covering images of people (recorded verbatim)",
    )


def add_download_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("downloads")
    g.add_argument("--timeout", type=float, default=10.0, help="seconds per connect/read on URLs (default 10)")
    g.add_argument("--max-download-mb", type=float, default=25.0, help="largest image body accepted (default 25)")


def classes_from(args: argparse.Namespace) -> list[str]:
    raw: list[str] = []
    if getattr(args, "classes", None):
        raw += split_classes(args.classes)
    if getattr(args, "classes_file", None):
        raw += read_classes_file(args.classes_file)
    if not raw:
        raise UsageError("no candidate classes given", hint='pass --classes "cat,dog" or --classes-file FILE')
    return raw


def fetch_limits(args: argparse.Namespace) -> FetchLimits:
    from ..images.fetch import FetchLimits

    if args.timeout <= 0 or args.max_download_mb <= 0:
        raise UsageError("--timeout and --max-download-mb must be positive")
    return FetchLimits(
        timeout=args.timeout, deadline=max(30.0, 3 * args.timeout), max_bytes=int(args.max_download_mb * 1024 * 1024)
    )


def progress(items: Iterable[T], total: int | None, label: str, enabled: bool) -> Iterator[T]:
    """A progress bar on an interactive stderr only; piped or redirected runs stay clean."""
    if not enabled or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=label, unit="img", file=sys.stderr, dynamic_ncols=True)
