"""Options shared by the commands that synthesize (speak, export) and the app."""

from __future__ import annotations

import argparse
import sys

from narrator.engines.registry import EngineChoice, resolve_engine

COMMON_VOICE_OPTIONS = ("engine", "voice", "device", "speed")
"""The options the README calls common: `narrator` itself takes them before any
sub-command (for the terminal app, or passed on to the sub-command)."""


def add_voice_options(
    parser: argparse.ArgumentParser, *, dest_prefix: str = "", defaults: bool = True
) -> None:
    """--engine, --voice, --device, --speed (and --model for a sub-command).

    `defaults=False` leaves every value None when not given, so the caller can
    tell "not given" from "given as the default" (the top-level parser does).
    """

    def default(value: object) -> object:
        return value if defaults else None

    parser.add_argument(
        "--engine",
        dest=dest_prefix + "engine",
        default=default("auto"),
        help="auto|kokoro|espeak|coqui|xtts (auto: the best voice installed)",
    )
    parser.add_argument(
        "--voice",
        dest=dest_prefix + "voice",
        default=None,
        help="voice name (see `narrator voices`)",
    )
    parser.add_argument(
        "--device",
        dest=dest_prefix + "device",
        default=default("auto"),
        choices=["auto", "cpu", "cuda"],
    )
    parser.add_argument(
        "--speed",
        dest=dest_prefix + "speed",
        type=float,
        default=default(1.0),
        help="speaking rate, 0.5-2.0",
    )
    if dest_prefix:
        return
    parser.add_argument(
        "--model", default=None, help="coqui: model name or folder (config.json + model)"
    )


def engine_from_args(args: argparse.Namespace, purpose: str = "export") -> EngineChoice:
    """Load the engine the options ask for and tell the user what was chosen."""
    choice = resolve_engine(
        args.engine,
        voice=args.voice,
        device=args.device,
        speed=args.speed,
        model=getattr(args, "model", None),
        purpose=purpose,
    )
    for notice in choice.notices:
        print(f"narrator: {notice}", file=sys.stderr)
    return choice
