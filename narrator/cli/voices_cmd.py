"""`narrator voices`: every voice of every engine, and whether it is ready to use.

A thin shell over `narrator.engines.registry.all_voices()`: a list for people,
`--json` for scripts. Each voice says its licence and whether it allows selling
the audio, and for a voice that needs weights, the exact pull command; ★ marks
the voice `--engine auto` uses here (narrator.default_voice).

For people the voices are grouped by engine, and what an engine's voices share
(licence, readiness) is said once on the engine's line, so the list reads at
80 columns instead of squeezing eight columns into it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import TYPE_CHECKING

from narrator.engines.base import VoiceInfo

if TYPE_CHECKING:
    from rich.console import Group


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
    defaults = _defaults()
    if args.json:
        rows = [
            dataclasses.asdict(v)
            | {"status": status(v), "default": (v.engine, v.name) == defaults.get("export")}
            for v in found
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    console.print(voice_list(found, defaults))
    if not found:
        console.print("no engines found: is narrator installed correctly?")
    return 0


def _defaults() -> dict[str, tuple[str, str]]:
    """The default voice for files ("export") and for listening now ("live")."""
    from narrator.default_voice import default_voice

    return {purpose: default_voice(purpose) for purpose in ("export", "live")}


def terms(voice: VoiceInfo) -> str:
    """`Apache-2.0, commercial use OK` / `CPML (non-commercial), non-commercial only`."""
    use = "commercial use OK" if voice.commercial else "non-commercial only"
    return f"{voice.licence}, {use}" if voice.licence else use


def voice_list(found: list[VoiceInfo], defaults: dict[str, tuple[str, str]]) -> Group:
    """The voices grouped by engine, as Rich renderables (reads well at 80 columns)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    export, live = defaults.get("export"), defaults.get("live")
    head = Text.assemble(("narrator voices", "bold"), "   ★ = what --engine auto uses here")
    if export is not None:
        head.append(f": {export[0]} · {export[1]}")
        if live is not None and live != export:
            head.append(f" (listening live: {live[0]} · {live[1]})")
    parts: list[object] = [head]
    engines = list(dict.fromkeys(v.engine for v in found))
    for engine in engines:
        group = [v for v in found if v.engine == engine]
        shared_terms = len({terms(v) for v in group}) == 1
        shared_status = len({status(v) for v in group}) == 1
        first = group[0]
        line = Text("\n")
        line.append(engine, "bold")
        if shared_status and first.ready:
            line.append(" · ready", "green")
        if shared_terms:
            line.append(f" · {terms(first)}")
        if shared_status and not first.ready:
            line.append(f"\n   {status(first)}", "yellow")
        parts.append(line)
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=False)
        table.add_column(width=1, no_wrap=True)
        table.add_column(no_wrap=True, max_width=30, overflow="fold")
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for v in group:
            mark = "★" if export is not None and (v.engine, v.name) in (export, live) else ""
            description = Text(v.description or "")
            extra = [] if shared_terms else [terms(v)]
            if not shared_status:
                extra.append(status(v))
            if extra:
                description.append("\n" + " · ".join(extra), "dim")
            table.add_row(mark, v.name, v.gender or "-", description)
        parts.append(table)
    return Group(*parts)
