"""`narrator` command line: a thin shell over library functions.

Each sub-command lives in its own module with `register(subparsers)`, which adds
its parser and sets `func`; `func(args) -> int` does the work by calling the
library. User errors (`NarratorError`) become one line on stderr and a non-zero
exit, never a traceback.

With no sub-command, `narrator` opens the terminal app. The voice options the
README calls common (`--engine`, `--voice`, `--speed`, `--device`) are accepted
before any sub-command too: alone they choose the app's voice, and before a
sub-command that has the same option they act as its value unless it is given
again after the sub-command.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from narrator import __version__
from narrator.cell_widths import POLICIES
from narrator.cli.common import COMMON_VOICE_OPTIONS, add_voice_options
from narrator.errors import NarratorError

# Sub-commands, in the order `narrator --help` lists them.
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

TOP_LEVEL_PREFIX = "top_"
"""Top-level voice options are stored as top_engine, top_voice...: argparse lets a
sub-command's defaults overwrite same-named values parsed before it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narrator",
        description="हिंदी समाचार सुनिए — narrate Hindi news with open TTS models. "
        "With no COMMAND: the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"narrator {__version__}")
    parser.add_argument("--library", metavar="DIR", help="article folder for the terminal app")
    parser.add_argument(
        "--cell-widths",
        choices=POLICIES,
        default=None,
        help="how wide Hindi letters are drawn: wcwidth (tmux, xterm, GNOME Terminal...), "
        "grapheme (WezTerm, foot, kitty), auto (default: from $TERM; also "
        "NARRATOR_CELL_WIDTHS)",
    )
    add_voice_options(parser, dest_prefix=TOP_LEVEL_PREFIX, defaults=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _apply_top_level_voice(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """`narrator --engine espeak speak a.txt` = `narrator speak a.txt --engine espeak`.

    A value given after the sub-command wins; one given only before it is used
    when the sub-command has that option; otherwise it is an error (said in one
    line), never silently ignored.
    """
    if args.command is None:
        return
    for option in COMMON_VOICE_OPTIONS:
        given = getattr(args, TOP_LEVEL_PREFIX + option)
        if given is None:
            continue
        if not hasattr(args, option):
            parser.error(f"--{option} does not apply to `narrator {args.command}`")
        if getattr(args, option) == _sub_default(parser, args.command, option):
            setattr(args, option, given)


def _sub_default(parser: argparse.ArgumentParser, command: str, option: str) -> object:
    """The default of `option` in sub-command `command`'s own parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command].get_default(option)
    return None


def _check_app_voice(args: argparse.Namespace) -> None:
    """The app's voice options, checked before it takes the screen: a typo is one line."""
    from narrator.engines.base import check_speed
    from narrator.engines.registry import engine_class

    if args.top_engine not in (None, "auto"):
        engine_class(args.top_engine)
    if args.top_speed is not None:
        check_speed(args.top_speed)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _apply_top_level_voice(args, parser)
    try:
        from narrator import cell_widths

        cell_widths.install(args.cell_widths)
        if args.command is None:
            from narrator.tui.app import run_app

            _check_app_voice(args)
            return run_app(
                library=args.library,
                engine=args.top_engine,
                voice=args.top_voice,
                speed=args.top_speed,
                device=args.top_device,
                cell_width_policy=args.cell_widths,
                leave_at_once=True,
            )
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
