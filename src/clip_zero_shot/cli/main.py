"""Entry point: parse, dispatch, and turn the one user-facing error type into a message and an exit code."""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from .. import __version__
from ..errors import ClipZeroShotError, ExitCode, RefusalError
from . import classify, demo, evaluate


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clip-zero-shot",
        description="Zero-shot image classification with a declared CLIP, OpenCLIP, SigLIP or SigLIP 2 checkpoint. "
        "Ranks only the candidate classes you give; prediction only.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    classify.add_parser(sub)
    evaluate.add_parser(sub)
    demo.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Every image over Pillow's pixel limit is already an error that names the input; Pillow's own warning for
    # sizes just above the limit would only repeat it on stderr, without the name. Set here, before any thread
    # starts, because warning filters are process-wide.
    warnings.filterwarnings("ignore", message=r".*could be decompression bomb DOS attack")
    try:
        return int(args.func(args))
    except RefusalError as exc:
        print(f"clip-zero-shot: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        print(f"(refusal reason: {exc.reason})", file=sys.stderr)
        return exc.exit_code
    except ClipZeroShotError as exc:
        print(f"clip-zero-shot: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("clip-zero-shot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error of ours.
        sys.stderr.close()
        return ExitCode.OK


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
