#!/usr/bin/env python3
"""Export throughput on one machine and on a local Ray: `--jobs 1`, `--jobs 2`, `--ray`.

The same 20 real articles (the first 20 of ../shared/corpus/bbc-hindi-dev.csv
with 800-3000 characters of text, written as files: their first sentence, cut
to 60 characters, as the title) are exported to MP3 by every configuration,
each in a fresh child process with an empty chunk cache and an empty folder:

    jobs1        export_articles(jobs=1): one process, the engine loaded once
    jobs2        export_articles(jobs=2): two worker processes
    ray          export_articles(cluster=RayOptions()): a local Ray started by
                 the export, one engine actor per CPU (2 here)
    ray-1actor   the same with --ray-cpus-per-actor 2: one actor, two threads
                 (the Ray machinery against jobs1, nothing in parallel)

and then once more into the same folder (every episode skipped by its content
hash), which measures what each way costs per article beyond the work itself.

Wall time is export_articles' own (gathering, Ray start, engine loading,
synthesis, loudness, encoding, sidecars), not the Python start. Ray's fixed
cost is the time from the plan to the first actor ready (`on_notice`); its
per-article cost is, over the run after that, the actors' time not spent in
`export_article`, divided by the articles:

    (actors x (end - ready) - sum of export_article wall times) / articles

(it includes the wait of an actor that has nothing left at the end). The
figures and the machine's load are appended to bench/SCALING.md.

    .venv/bin/python bench/scaling_bench.py [--engine espeak] [--articles 20] [--max-chars N]
    .venv/bin/python bench/scaling_bench.py --driver 300   # the driver's cost per article
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "bbc-hindi-dev.csv"
REPORT = ROOT / "bench" / "SCALING.md"
CONFIGS = ("jobs1", "jobs2", "ray", "ray-1actor")


def write_articles(folder: Path, count: int, max_chars: int | None) -> list[Path]:
    """`count` corpus articles as `title\\n\\nbody` files (deterministic choice)."""
    csv.field_size_limit(10**8)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with open(CORPUS, encoding="utf-8", newline="") as fh:
        for row in list(csv.reader(fh))[1:]:
            text = re.sub(r"\n\s*\n+", "\n\n", row[1]).strip()
            if not 800 <= len(text) <= 3000:
                continue
            if max_chars:
                text = text[:max_chars].rsplit("।", 1)[0] + "।"
            first = re.split(r"[।.?!]", text, maxsplit=1)[0].strip()
            title = first[:60].rsplit(" ", 1)[0] if len(first) > 60 else first
            path = folder / f"bbc-{len(written) + 1:02d}.txt"
            path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            written.append(path)
            if len(written) == count:
                break
    return written


def run_one(config: str, articles: Path, out: Path, engine: str) -> dict[str, object]:
    """One export (and its rerun) in this process; the figures as a dict."""
    from narrator.cache import ChunkCache
    from narrator.export import export_articles
    from narrator.export.cluster import RayOptions

    cluster = None
    if config.startswith("ray"):
        cluster = RayOptions(cpus_per_actor=2 if config == "ray-1actor" else 1)
    marks: dict[str, float] = {}
    notes: list[str] = []

    def on_notice(line: str) -> None:
        marks.setdefault("ready", time.perf_counter())
        notes.append(line)

    def on_plan(_plan: object) -> None:
        marks["plan"] = time.perf_counter()

    kwargs: dict[str, object] = {
        "out_dir": out,
        "fmt": "mp3",
        "engine_spec": (engine, None, "auto", 1.0, None),
        "jobs": 2 if config == "jobs2" else 1,
        "cache": ChunkCache(out.parent / f"cache-{config}"),
        "cluster": cluster,
        "on_notice": on_notice,
        "on_plan": on_plan,
    }
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = export_articles([str(articles)], **kwargs)  # type: ignore[arg-type]
    ended, cpu_used = time.perf_counter(), time.process_time() - cpu_started
    assert summary.ok, [r.error for r in summary.failures]
    marks_rerun: dict[str, float] = {}
    kwargs["on_notice"] = lambda _line: marks_rerun.setdefault("ready", time.perf_counter())
    kwargs["on_plan"] = lambda _plan: None
    rerun_start = time.perf_counter()
    rerun = export_articles([str(articles)], **kwargs)  # type: ignore[arg-type]
    rerun_end = time.perf_counter()
    assert len(rerun.skipped) == len(summary.results)
    actors = 1 if config in ("jobs1", "ray-1actor") else 2
    figures: dict[str, object] = {
        "config": config,
        "articles": len(summary.results),
        "characters": sum(len(p.read_text(encoding="utf-8")) for p in articles.glob("*.txt")),
        "audio_s": sum(r.duration_s for r in summary.done),
        "synth_s": sum(r.synth_s for r in summary.done),
        "article_wall_s": sum(r.wall_s for r in summary.done),
        "wall_s": ended - started,
        "rerun_wall_s": rerun_end - rerun_start,
        "rerun_article_wall_s": sum(r.wall_s for r in rerun.skipped),
        "notes": notes,
    }
    if "ready" in marks:
        # This process is only the driver here: its CPU time is what the driver costs.
        figures["driver_cpu_per_article_s"] = cpu_used / len(summary.results)
        figures["startup_s"] = marks["ready"] - marks["plan"]
        busy = actors * (ended - marks["ready"])
        figures["overhead_per_article_s"] = (busy - figures["article_wall_s"]) / len(
            summary.results
        )
        rerun_busy = actors * (rerun_end - marks_rerun["ready"])
        figures["rerun_startup_s"] = marks_rerun["ready"] - rerun_start
        figures["rerun_overhead_per_article_s"] = (
            rerun_busy - figures["rerun_article_wall_s"]
        ) / len(rerun.results)
    return figures


def driver_cost(count: int) -> str:
    """The driver's own cost per article: `count` one-sentence eSpeak articles on a local Ray.

    CPU time of this process (the driver: its Python loop, Ray's core worker
    threads, progress, results) and wall time, from the first actor ready to
    the end, per article; once made, once all skipped.
    """
    from narrator.cache import ChunkCache
    from narrator.export import export_articles
    from narrator.export.cluster import RayOptions

    work = Path(tempfile.mkdtemp(prefix="scaling-driver-"))
    try:
        folder = work / "articles"
        folder.mkdir()
        for i in range(count):
            (folder / f"n{i:04d}.txt").write_text(
                f"समाचार संख्या {i}\n\nआज शहर में मौसम साफ़ रहा और बाज़ार खुले रहे।\n",
                encoding="utf-8",
            )
        rows = []
        for run in ("made", "all skipped"):
            mark: dict[str, float] = {}

            def ready(_line: str, mark: dict[str, float] = mark) -> None:
                mark["wall"], mark["cpu"] = time.perf_counter(), time.process_time()

            export_articles(
                [str(folder)], out_dir=work / "out", fmt="mp3",
                engine_spec=("espeak", None, "cpu", 1.0, None), cluster=RayOptions(),
                on_notice=ready, cache=ChunkCache(work / "cache"),
            )
            wall = (time.perf_counter() - mark["wall"]) / count
            cpu = (time.process_time() - mark["cpu"]) / count
            rows.append(f"| {run} | {count} | {cpu * 1000:.1f} | {wall * 1000:.1f} |")
        return "\n".join(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child(config: str, articles: Path, engine: str) -> dict[str, object]:
    """Run one configuration in a fresh process with its own user folders."""
    work = Path(tempfile.mkdtemp(prefix=f"scaling-{config}-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NARRATOR_CACHE_DIR": str(work / "user-cache"),
    }
    code = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, 'bench');"
        "from scaling_bench import run_one;"
        f"print(json.dumps(run_one({config!r}, Path({str(articles)!r}), "
        f"Path({str(work / 'out')!r}), {engine!r})))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{config} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--max-chars", type=int, default=None, help="cut each article")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument(
        "--driver", type=int, default=0, metavar="N",
        help="instead: the driver's cost per article over N one-sentence articles",
    )
    args = parser.parse_args()
    if args.driver:
        before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        table = driver_cost(args.driver)
        after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        text = (
            f"\n## {datetime.now():%Y-%m-%d %H:%M} — the driver's cost per article "
            f"({os.cpu_count()} CPU cores)\n\n"
            f"Method: `bench/scaling_bench.py --driver {args.driver}`; one-sentence eSpeak "
            "articles on a local Ray (2 actors), from the first actor ready to the end. "
            f"Load average before {before}, after {after}.\n\n"
            "| run | articles | driver CPU ms per article | wall ms per article |\n"
            "|---|---:|---:|---:|\n" + table + "\n"
        )
        print(text)
        with open(REPORT, "a", encoding="utf-8") as fh:
            fh.write(text)
        return

    folder = Path(tempfile.mkdtemp(prefix="scaling-articles-"))
    try:
        paths = write_articles(folder, args.articles, args.max_chars)
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        rows = [child(c, folder, args.engine) for c in args.configs.split(",")]
        load_after = Path("/proc/loadavg").read_text().split()[:3]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(rows, args, len(paths), load_before, load_after)


def report(
    rows: list[dict[str, object]],
    args: argparse.Namespace,
    count: int,
    load_before: list[str],
    load_after: list[str],
) -> None:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    cpu = platform.processor() or platform.machine()
    lines = [
        "",
        (
            f"## {when} — {args.engine}, {count} corpus articles "
            f"({cpu}, {os.cpu_count()} CPU cores, Python {platform.python_version()})"
        ),
        "",
        f"Method: `bench/scaling_bench.py --engine {args.engine} --articles {args.articles}"
        + (f" --max-chars {args.max_chars}" if args.max_chars else "")
        + "`; MP3, empty cache and folder per configuration, each in a fresh process; "
        "then a rerun into the same folder (all skipped). "
        f"Load average before {' '.join(load_before)}, after {' '.join(load_after)}.",
        "",
        (
            "| configuration | audio min | wall s | audio min per wall min | synthesis s "
            "| Ray start + engine s | overhead per article s | driver CPU per article s "
            "| rerun (all skipped) s | rerun overhead per article s |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        audio_min = float(row["audio_s"]) / 60  # type: ignore[arg-type]
        wall = float(row["wall_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {row['config']} | {audio_min:.1f} | {wall:.1f} | {audio_min / (wall / 60):.1f} "
            f"| {float(row['synth_s']):.1f} "  # type: ignore[arg-type]
            f"| {_fmt(row.get('startup_s'))} | {_fmt(row.get('overhead_per_article_s'), 3)} "
            f"| {_fmt(row.get('driver_cpu_per_article_s'), 3)} "
            f"| {float(row['rerun_wall_s']):.1f} "  # type: ignore[arg-type]
            f"| {_fmt(row.get('rerun_overhead_per_article_s'), 3)} |"
        )
    first = rows[0]
    chars = int(first["characters"])  # type: ignore[call-overload]
    audio_s = float(first["audio_s"])  # type: ignore[arg-type]
    synth_s = float(first["synth_s"])  # type: ignore[arg-type]
    article_s = float(first["article_wall_s"])  # type: ignore[arg-type]
    lines += [
        "",
        (
            f"Articles: {chars:,} characters, {audio_s / 60:.1f} min of audio "
            f"({chars / audio_s:.1f} characters per second of audio); synthesis RTF "
            f"({first['config']}) {synth_s / audio_s:.4f}; export_article time per audio "
            f"minute {article_s / (audio_s / 60):.2f} s, of which synthesis "
            f"{synth_s / (audio_s / 60):.2f} s."
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with open(REPORT, "a", encoding="utf-8") as fh:
        fh.write(text)


def _fmt(value: object, digits: int = 1) -> str:
    return "" if value is None else f"{float(value):.{digits}f}"  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
