"""`clip-zero-shot eval`: zero-shot accuracy on a labelled folder (one sub-folder per class)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ExitCode
from .options import add_model_options, add_prompt_options, progress

DESCRIPTION = """Measure zero-shot accuracy of a checkpoint on an ImageFolder: one sub-folder per class, the folder
name being the class name (underscores read as spaces) unless --class-map gives display names.
Reports top-1 / top-5 accuracy, per-class recall, the confusion matrix and the worst confusions."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help="zero-shot accuracy on a labelled folder",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("folder", help="ImageFolder root: one sub-folder of images per class")
    p.add_argument("--class-map", help="display names: JSON {folder: name} or lines 'folder: name'")
    add_model_options(p, repeatable=False)
    add_prompt_options(p, classes=False)
    g = p.add_argument_group("output")
    g.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    g.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from ..checkpoints import load_backend, parse_checkpoint
    from ..evaluation import read_mapping, scan
    from ..request import ClassificationRequest

    spec = parse_checkpoint(args.checkpoint, args.revision)
    data = scan(args.folder, read_mapping(args.class_map) if args.class_map else None)
    request = ClassificationRequest.build(
        list(data.display_names),
        templates=args.template,
        templates_file=args.templates_file,
        template_set=args.template_set,
        top_k=5,
        contains_people=args.contains_people,
        consent_policy=args.consent_policy,
    )
    from ..classifier import ZeroShotClassifier
    from ..evaluation import evaluate
    from ..render.evaluation import render_eval_html, render_eval_text

    clf = ZeroShotClassifier(
        load_backend(spec, args.device, args.dtype),
        batch_size=args.batch_size,
        workers=args.workers,
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir,
        fast_jpeg=args.fast_jpeg,
    )
    report = evaluate(
        lambda sources: clf.iter_results(sources, request),
        data,
        clf.info,
        request.templates.items,
        request.templates.source,
        request.top_k,
        progress=lambda it, n: progress(it, n, "eval", not args.no_progress),
    )
    if args.html:
        Path(args.html).write_text(render_eval_html(report), "utf-8")
        print(f"HTML report written to {args.html}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_eval_text(report))
    return ExitCode.SOME_INPUTS_FAILED if report.failed else ExitCode.OK
