"""`clip-zero-shot classify`: rank candidate classes for images."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ..errors import ExitCode

if TYPE_CHECKING:
    from ..render.tabular import CsvWriter
    from ..results import ClassificationResult, ImageResult
from .options import (
    add_download_options,
    add_model_options,
    add_prompt_options,
    classes_from,
    fetch_limits,
    progress,
)

DESCRIPTION = """Rank your candidate classes for each image with a declared checkpoint.

Inputs: image files, folders (recursive), glob patterns, http(s) URLs, or '-' to read one input per line from
stdin. Output keeps input order. Exit codes: 0 all ranked; 1 some inputs failed (the rest are reported);
2 usage error; 3 refused; 4 checkpoint unavailable."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "classify",
        help="rank candidate classes for images",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("images", nargs="+", help="files, folders, globs, http(s) URLs, or - for stdin")
    add_model_options(p, repeatable=True)
    add_prompt_options(p, classes=True)
    g = p.add_argument_group("output")
    fmt = g.add_mutually_exclusive_group()
    fmt.add_argument("--json", dest="format", action="store_const", const="json", help="one JSON document")
    fmt.add_argument(
        "--jsonl", dest="format", action="store_const", const="jsonl", help="one JSON line per image, streamed"
    )
    fmt.add_argument("--csv", dest="format", action="store_const", const="csv", help="CSV, one row per image and rank")
    g.add_argument(
        "--top-k",
        "-k",
        type=int,
        default=5,
        help="classes listed per image (default 5, capped at the number of classes)",
    )
    g.add_argument("--low-confidence", type=float, default=0.2, help="flag top-1 cosine below this (default 0.2)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_download_options(p)
    p.set_defaults(func=run, format="text")


def run(args: argparse.Namespace) -> int:
    from ..checkpoints import parse_checkpoint
    from ..request import ClassificationRequest

    # Everything that can be refused is decided here, before any model is loaded.
    specs = [parse_checkpoint(c, args.revision) for c in (args.checkpoint or [None])]
    request = ClassificationRequest.build(
        classes_from(args),
        templates=args.template,
        templates_file=args.templates_file,
        template_set=args.template_set,
        top_k=args.top_k,
        low_confidence=args.low_confidence,
        contains_people=args.contains_people,
        consent_policy=args.consent_policy,
    )
    from ..checkpoints import load_backend
    from ..classifier import ZeroShotClassifier
    from ..images.sources import expand

    limits = fetch_limits(args)
    # Several checkpoints see the same inputs, so a stdin stream is read once, up front.
    images = list(expand(args.images)) if len(specs) > 1 else args.images
    out = sys.stdout
    runs = []
    csv_writer = None
    if args.format == "csv":
        from ..render.tabular import CsvWriter

        csv_writer = CsvWriter(out)  # one header for all checkpoints
    for spec in specs:
        clf = ZeroShotClassifier(
            load_backend(spec, args.device, args.dtype),
            batch_size=args.batch_size,
            workers=args.workers,
            use_cache=not args.no_cache,
            cache_dir=args.cache_dir,
            fetch_limits=limits,
            fast_jpeg=args.fast_jpeg,
        )
        result = clf.start(request)
        # Streamed formats write each row as it is ready and keep only counts, so memory stays flat however
        # many inputs come; a JSON document and a multi-checkpoint comparison need every row at the end.
        keep = args.format == "json" or len(specs) > 1
        emit = _row_writer(args.format, result, out, csv_writer, streaming_text=len(specs) == 1)
        for r in progress(clf.iter_results(images, request), None, "classify", not args.no_progress):
            result.record(r, keep=keep)
            if emit:
                emit(r)
                out.flush()
        runs.append(clf.finish(result))
    _write_documents(args.format, runs, out)
    failed = any(r.tally.failed for r in runs)
    return ExitCode.SOME_INPUTS_FAILED if failed else ExitCode.OK


def _row_writer(
    fmt: str, result: ClassificationResult, out: TextIO, csv_writer: CsvWriter | None, *, streaming_text: bool
) -> Callable[[ImageResult], object] | None:
    if fmt == "jsonl":
        from ..render.tabular import jsonl_line

        return lambda r: out.write(jsonl_line(result.checkpoint, r))
    if csv_writer is not None:
        return lambda r: csv_writer.write(result.checkpoint, r)
    if fmt == "text" and streaming_text:
        from ..render.text import header, image_block

        out.write(header(result) + "\n")
        return lambda r: out.write(image_block(r, len(result.classes)) + "\n")
    return None


def _write_documents(fmt: str, runs: list[ClassificationResult], out: TextIO) -> None:
    from ..notices import MULTI_CHECKPOINT
    from ..results import ComparisonResult

    if fmt in ("jsonl", "csv"):
        return
    if fmt == "json":
        from ..render.tabular import render_json

        out.write(render_json(runs[0] if len(runs) == 1 else ComparisonResult(runs, (MULTI_CHECKPOINT,))))
        return
    from ..render.text import footer, render_comparison_text, summary

    if len(runs) == 1:
        out.write(summary(runs[0]) + "\n" + footer(runs[0].notices))
    else:
        out.write(render_comparison_text(ComparisonResult(runs, (MULTI_CHECKPOINT,))))
