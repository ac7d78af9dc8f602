"""`narrator` command line: a thin shell over library functions.

Each sub-command lives in its own module with `register(subparsers)`, which adds
its parser and sets `func`; `func(args) -> int` does the work by calling the
library. User errors (`NarratorError`) become one line on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from narrator import __version__
from narrator.errors import NarratorError

# Sub-command modules, in the order `narrator --help` lists them.
COMMAND_MODULES = [
    "narrator.cli.text_cmd",
    "narrator.cli.speak_cmd",
    "narrator.cli.export_cmd",
    "narrator.cli.feed_cmd",
    "narrator.cli.voices_cmd",
    "narrator.cli.models_cmd",
    "narrator.cli.bench_cmd",
    "narrator.cli.serve_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narrator",
        description="हिंदी समाचार सुनिए — narrate Hindi news with open TTS models.",
    )
    parser.add_argument("--version", action="version", version=f"narrator {__version__}")
    parser.add_argument("--library", metavar="DIR", help="article folder for the TUI")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from narrator.tui.app import run_app

            return run_app(library=args.library)
        return int(args.func(args) or 0)
    except NarratorError as exc:
        print(f"narrator: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("narrator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
