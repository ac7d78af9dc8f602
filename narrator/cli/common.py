"""Options shared by the commands that synthesize (speak, export, bench)."""

from __future__ import annotations

import argparse
import sys

from narrator.engines.registry import EngineChoice, resolve_engine


def add_voice_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        default="auto",
        help="auto|kokoro|espeak|coqui|xtts (auto: the best voice installed)",
    )
    parser.add_argument("--voice", default=None, help="voice name (see `narrator voices`)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--speed", type=float, default=1.0, help="speaking rate, 0.5-2.0")
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
