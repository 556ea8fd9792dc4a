"""`clip-zero-shot demo`: the shipped checkpoint on the shipped example images, fully offline."""

from __future__ import annotations

import argparse
from importlib import resources

DESCRIPTION = """Run the bundled demo: a small CLIP-architecture checkpoint trained on synthetic coloured shapes,
ranking the colour classes it knows for a few held-out example images. The report is the normal `classify`
report. The demo model is a test model, not a general-purpose classifier: see its model card."""


def demo_paths() -> tuple[str, str, str]:
    root = resources.files("clip_zero_shot") / "demo"
    return str(root / "shapes-clip-tiny"), str(root / "examples"), str(root / "shapes-clip-tiny" / "classes.txt")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the bundled offline demo", description=DESCRIPTION)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", dest="format", action="store_const", const="json")
    fmt.add_argument("--jsonl", dest="format", action="store_const", const="jsonl")
    fmt.add_argument("--csv", dest="format", action="store_const", const="csv")
    p.set_defaults(func=run, format="text")


def run(args: argparse.Namespace) -> int:
    from .main import build_parser

    checkpoint, examples, classes = demo_paths()
    argv = [
        "classify",
        examples,
        "--checkpoint",
        checkpoint,
        "--classes-file",
        classes,
        "--no-progress",
        "--top-k",
        "3",
    ]
    if args.format != "text":
        argv.append(f"--{args.format}")
    inner = build_parser().parse_args(argv)
    return int(inner.func(inner))
