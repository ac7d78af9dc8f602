"""`narrator models pull NAME`, `narrator models list` and `narrator models verify`.

A thin shell over the engines: `pull` asks the engine that owns NAME to
download it (`BaseEngine.pull`), after showing the model's licence and asking
before anything is downloaded under terms that restrict use (XTTS-v2 is CPML,
non-commercial; Meta's MMS is CC BY-NC 4.0). `--yes` or COQUI_TOS_AGREED=1
accepts without asking; with neither and no terminal to ask on, it stops with
a one-line error instead of hanging on a prompt. `verify` re-reads installed
weights against the checksums narrator ships (Kokoro's), on demand.
"""

from __future__ import annotations

import argparse
import json
import sys

from narrator.catalogue.licences import Consent, ModelLicence, tos_pre_agreed
from narrator.errors import NarratorError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "models",
        help="download voices' weights (pull), see what is on disk (list), check it (verify)",
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
    verify = actions.add_parser(
        "verify",
        help="re-hash installed weights against their known checksums",
        description=(
            "Read every installed weight file again and compare it with the checksum "
            "narrator knows for it (Kokoro); a damaged file is reported with the command "
            "that repairs it."
        ),
    )
    verify.add_argument("engine", nargs="?", help="one engine (default: every installed one)")
    parser.set_defaults(func=run, models_action=None, json=False)


def run(args: argparse.Namespace) -> int:
    if args.models_action == "pull":
        return run_pull(args)
    if args.models_action == "verify":
        return run_verify(args)
    return run_list(args)


def _say(message: str) -> None:
    print(f"narrator: {message}", file=sys.stderr)


def consent(yes: bool) -> Consent:
    """Show the licence; accept on --yes/COQUI_TOS_AGREED=1, ask on a TTY, else refuse clearly."""

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
    from narrator.engines.registry import pull_model

    result = pull_model(args.name, agree=consent(args.yes), progress=_say, force=args.force)
    print(f"{result.name}: {result.path}")
    if result.usage:
        _say(result.usage)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Every installed engine's weights (or one engine's), re-hashed; stops at the first damage."""
    from narrator.engines.registry import engine_class, engine_classes

    classes = [engine_class(args.engine)] if args.engine else list(engine_classes().values())
    total = 0
    for cls in classes:
        if not args.engine and not cls.is_installed():
            continue
        checked = cls.verify(progress=_say)
        total += checked
        if checked:
            print(f"{cls.name}: {checked} files intact")
    if not total:
        print("nothing to verify: no installed weights with checksums narrator knows")
    return 0


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def run_list(args: argparse.Namespace) -> int:
    from narrator.catalogue.coqui import data_dir as coqui_data_dir
    from narrator.engines.kokoro_assets import kokoro_dir
    from narrator.engines.registry import installed_models

    rows = installed_models()
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
