"""`narrator voices`: every voice of every engine, and whether it is ready to use.

A thin shell over `narrator.engines.registry.all_voices()`: a rich table for
people, `--json` for scripts. Each row says the licence and whether it allows
selling the audio, and for a voice that needs weights, the exact pull command.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from narrator.engines.base import VoiceInfo


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "voices",
        help="list every voice, its licence, and whether it is ready",
        description="List the voices of every engine: ready, or the command that makes them ready.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--engine", default=None, help="only this engine's voices")
    parser.set_defaults(func=run)


def voices(engine: str | None = None) -> list[VoiceInfo]:
    """The voices `narrator voices` shows (optionally one engine's)."""
    from narrator.engines.registry import all_voices, engine_class

    if engine:
        return list(engine_class(engine).list_voices())
    return all_voices()


def status(voice: VoiceInfo) -> str:
    if voice.ready:
        return "ready"
    return f"needs `{voice.pull_hint}`" if voice.pull_hint else "not installed"


def run(args: argparse.Namespace) -> int:
    from narrator.engines.voices_toml import load_user_voices

    load_user_voices()  # a broken voices.toml is reported here, not silently skipped
    found = voices(args.engine)
    if args.json:
        rows = [dataclasses.asdict(v) | {"status": status(v)} for v in found]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="narrator voices", show_lines=False)
    for column in (
        "engine",
        "voice",
        "lang",
        "gender",
        "licence",
        "commercial",
        "status",
        "description",
    ):
        table.add_column(column, overflow="fold")
    for v in found:
        table.add_row(
            v.engine,
            v.name,
            v.language,
            v.gender or "-",
            v.licence or "-",
            "yes" if v.commercial else "no",
            "[green]ready[/]" if v.ready else f"[yellow]{status(v)}[/]",
            v.description,
        )
    console = Console()
    console.print(table)
    if not found:
        console.print("no engines found: is narrator installed correctly?")
    return 0
