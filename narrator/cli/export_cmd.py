"""`narrator export PATH...`: articles to finished episodes, with progress bars.

A thin shell over `narrator.export.export_articles`: the options become its
arguments, its plan becomes one line up front (how much speech, and how long
this voice will take to make it here, from the speed measured on this machine
when there is one), its `Progress` events drive rich progress bars (one per
article being made and one overall, with the time left), and its summary
becomes a table. The exit code is 1 when any article failed, so scripts and CI
can tell. With `--ray` the same export runs on Ray's engine actors
(narrator.export.cluster); the bars and the table are the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from narrator.audio.loudness import DEFAULT_LUFS
from narrator.cli.common import add_voice_options

if TYPE_CHECKING:
    from narrator.export.cluster import RayOptions


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export articles to audio files with subtitles and chapters",
        description=(
            "Export each article to <out>/<slug>.<format> with .srt/.vtt subtitles, "
            "JSON chapters and a JSON sidecar. Finished episodes are skipped on a rerun."
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="article files, folders, URLs or feeds"
    )
    parser.add_argument("--format", default="mp3", choices=["mp3", "wav", "flac", "ogg"])
    parser.add_argument("--out", default="audio_out", type=Path, help="output folder (audio_out/)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default 1); with --ray, at most this many engine actors",
    )
    parser.add_argument(
        "--lufs", type=float, default=DEFAULT_LUFS, help=f"loudness target (default {DEFAULT_LUFS:g})"
    )
    parser.add_argument("--force", action="store_true", help="redo episodes that are up to date")
    cluster = parser.add_argument_group(
        "cluster", "run the export on Ray's engine actors (pip install 'narrator[cluster]')"
    )
    cluster.add_argument(
        "--ray",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="on Ray: alone, a local Ray; auto, the cluster of this machine; ray://host:10001",
    )
    cluster.add_argument(
        "--ray-cpus-per-actor",
        type=int,
        default=None,
        metavar="N",
        help="CPUs (and engine threads) per engine actor (default 1)",
    )
    cluster.add_argument(
        "--ray-results",
        choices=["auto", "shared", "driver"],
        default=None,
        help="who writes into --out: auto (actors that see it, else the driver), "
        "shared (the actors; --out is on storage every node mounts), driver",
    )
    add_voice_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table

    from narrator.export import EngineSpec, ExportPlan, export_articles
    from narrator.export import Progress as Event

    console = Console(stderr=True)
    cluster = _ray_options(args)
    spec = EngineSpec(args.engine, args.voice, args.device, args.speed, args.model)
    bars = Progress(
        TextColumn("{task.description}", justify="left"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    overall = bars.add_task("सभी लेख (all articles)", total=None)
    tasks: dict[int, int] = {}
    finished = 0

    def label(event: Event) -> str:
        title = event.title if len(event.title) <= 40 else event.title[:39] + "…"
        return f"  {title}"

    def on_plan(plan: ExportPlan) -> None:
        how = "measured here" if plan.rtf_measured else "a first guess until measured here"
        console.print(
            f"narrator: {plan.articles} article(s), {plan.characters:,} characters ≈ "
            f"{_clock(plan.audio_s)} of speech; {plan.engine} should take about "
            f"{_clock(plan.synthesis_s)} to make it ({how})",
            highlight=False,
            soft_wrap=True,
        )

    def on_event(event: Event) -> None:
        nonlocal finished
        if event.stage == "queued":
            bars.update(overall, total=(bars.tasks[overall].total or 0) + 1)
            return
        if event.stage in ("start", "chunk", "write"):
            if event.index not in tasks:
                tasks[event.index] = bars.add_task(label(event), total=event.total or None)
            bars.update(tasks[event.index], completed=event.done, total=event.total or None)
            return
        # done / skipped / failed
        finished += 1
        bars.update(overall, completed=finished)
        mark = {"done": "✓", "skipped": "↷", "failed": "✗"}.get(event.stage, "")
        if event.index in tasks:
            task = tasks[event.index]
            bars.update(task, description=f"{mark} {label(event).strip()}", completed=event.total)
            if event.stage != "failed":
                bars.remove_task(task)
        if event.stage == "skipped":
            console.print(f"↷ skipped (up to date): {event.slug}", highlight=False)

    def start_bars(plan: ExportPlan) -> None:
        # The bars appear once every check has passed: an error before that
        # stays the one line it is.
        on_plan(plan)
        bars.start()

    try:
        summary = export_articles(
            args.paths,
            out_dir=args.out,
            fmt=args.format,
            engine_spec=spec,
            jobs=1 if args.jobs is None or cluster is not None else args.jobs,
            lufs=args.lufs,
            force=args.force,
            progress=on_event,
            on_plan=start_bars,
            cluster=cluster,
            on_notice=lambda line: console.print(f"narrator: {line}", highlight=False),
        )
    finally:
        bars.stop()

    for failure in summary.failures:
        name = failure.source or failure.slug
        console.print(f"[red]✗ {name}: {failure.error}[/red]", highlight=False, soft_wrap=True)
    table = Table(title=f"narrator export → {summary.out_dir}")
    for column in ("articles", "made", "skipped", "failures", "audio minutes", "wall time"):
        table.add_column(column, justify="right")
    table.add_row(
        str(len(summary.results)),
        str(len(summary.done)),
        str(len(summary.skipped)),
        str(len(summary.failures)),
        f"{summary.audio_minutes:.2f}",
        f"{summary.wall_s:.1f} s",
    )
    Console(file=sys.stdout).print(table)
    return 0 if summary.ok else 1


def _ray_options(args: argparse.Namespace) -> RayOptions | None:
    """The --ray options as RayOptions (None without --ray); a --ray-* option alone is an error."""
    from narrator.errors import InputError

    if args.ray is None:
        given = [
            name
            for name, value in (
                ("--ray-cpus-per-actor", args.ray_cpus_per_actor),
                ("--ray-results", args.ray_results),
            )
            if value is not None
        ]
        if given:
            raise InputError(f"{given[0]} needs --ray")
        return None
    from narrator.export.cluster import RayOptions

    return RayOptions(
        address=args.ray or None,
        cpus_per_actor=1 if args.ray_cpus_per_actor is None else args.ray_cpus_per_actor,
        max_actors=args.jobs,
        results=args.ray_results or "auto",
    )


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
