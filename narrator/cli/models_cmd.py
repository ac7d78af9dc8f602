"""`narrator models pull NAME` and `narrator models list`.

A thin shell over `narrator.models`: `pull` shows the model's licence and asks
before downloading anything under terms that restrict use (XTTS-v2 is CPML,
non-commercial; Meta's MMS is CC BY-NC 4.0). `--yes` or COQUI_TOS_AGREED=1
accepts without asking; with neither and no terminal to ask on, it stops with
a one-line error instead of hanging on a prompt.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from narrator.errors import NarratorError
from narrator.models import ModelLicence


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        help="download voices' weights (pull) and see what is on disk (list)",
        description="Download model weights with their owners' tools, and list what is cached.",
    )
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")
    pull = actions.add_parser(
        "pull",
        help="download xtts, kokoro or a Coqui model by name",
        description=(
            "Download a model: xtts (XTTS-v2, CPML non-commercial), kokoro (Apache-2.0), "
            "or a Coqui model name such as tts_models/hin/fairseq/vits (CC BY-NC 4.0)."
        ),
    )
    pull.add_argument("name", help="xtts | kokoro | a Coqui model name")
    pull.add_argument("--yes", "-y", action="store_true", help="accept the model's licence")
    pull.add_argument("--force", action="store_true", help="fetch again even if present")
    listing = actions.add_parser("list", help="show cached models, where they are and their size")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run, models_action=None, json=False)


def run(args: argparse.Namespace) -> int:
    if args.models_action == "pull":
        return run_pull(args)
    return run_list(args)


def _say(message: str) -> None:
    print(f"narrator: {message}", file=sys.stderr)


def consent(yes: bool) -> Callable[[ModelLicence, str], bool]:
    """Show the licence; accept on --yes/COQUI_TOS_AGREED=1, ask on a TTY, else refuse clearly."""
    from narrator.models import tos_pre_agreed

    def agree(licence: ModelLicence, name: str) -> bool:
        print(
            f"{name}\n  licence: {licence.name}  {licence.url}\n  {licence.terms}", file=sys.stderr
        )
        if yes or tos_pre_agreed():
            return True
        stdin = sys.stdin
        if stdin is None or stdin.closed or not stdin.isatty():
            raise NarratorError(
                f"{name} is licensed {licence.name}: pass --yes to accept it "
                "(or set COQUI_TOS_AGREED=1); no terminal to ask on"
            )
        try:
            answer = input("Accept this licence and download? [y/N] ")
        except EOFError:
            answer = ""
        return answer.strip().lower() in ("y", "yes")

    return agree


def run_pull(args: argparse.Namespace) -> int:
    from narrator.models import pull

    result = pull(args.name, agree=consent(args.yes), progress=_say, force=args.force)
    print(f"{result.name}: {result.path}")
    if result.name != "kokoro":
        from narrator.models import XTTS_NAME

        if result.name == XTTS_NAME:
            _say("use it with --engine xtts")
        else:
            _say(f"use it with --engine coqui --model {result.name} (or NARRATOR_COQUI_MODEL)")
    return 0


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def run_list(args: argparse.Namespace) -> int:
    from narrator.models import cached_models, coqui_data_dir, kokoro_dir

    rows = cached_models()
    if args.json:
        data = {
            "coqui_dir": str(coqui_data_dir()),
            "kokoro_dir": str(kokoro_dir()),
            "models": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "path": str(r.path),
                    "size_bytes": r.size_bytes,
                    "licence": r.licence,
                }
                for r in rows
            ],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Coqui models: {coqui_data_dir()}")
    console.print(f"Kokoro:       {kokoro_dir()}")
    if not rows:
        console.print("nothing downloaded yet: try `narrator models pull kokoro` or `… pull xtts`")
        return 0
    table = Table(title="cached models")
    for column in ("model", "engine", "size", "licence", "path"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r.name, r.kind, _size(r.size_bytes), r.licence, str(r.path))
    console.print(table)
    return 0
