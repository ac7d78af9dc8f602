"""`narrator bench`: how fast narration starts and whether it ever stalls, per engine.

For every available engine and every sample article, in one run:

    load_s        loading the engine in a fresh process (imports included)
    cold_ttfa_s   `narrator speak ARTICLE --engine E` started as a new process
                  (empty chunk cache, this machine's speed record) to its first
                  audio, the first read-along line (NARRATOR_SINK=null)
    naive_s       the naive path: synthesize the whole article (render_script),
                  after which playback could start
    ttfa_s        streamed time-to-first-audio, model loaded:
                  StreamingNarrator.start() to the first samples handed to the
                  sink (a real-time NullSink listener)
    ttfa_ratio    ttfa_s / naive_s
    rtf           engine seconds per second of audio (synthesis calls only)
    underruns     times the listener had to wait between chunks, and
    total_wait_s  how long in all (listener at `listen_speedup` x real time: see below)
    overhead      streaming's cost around synthesis: producer working time
                  (start to last chunk made, less time spent waiting `ahead`
                  chunks ahead, less chunk-cache reads and writes) / sum of
                  the engine's synthesis calls - 1
    cache_io      chunk-cache reads and writes during that run / synthesis time
    peak_rss_mb   peak resident memory of the process that ran this engine
    cached_ratio  re-rendering the article from the chunk cache / naive_s
    cached_ttfa_s time-to-first-audio of a replay from the cache
    estimate_jump the largest change of the total-time estimate from one
                  progress event to the next, relative (0.05 = 5%)
    estimate_error the furthest any estimate was from the true length, relative

Each engine runs in its own subprocess so one engine's memory and threads do
not colour another's figures. The simulated listener plays at real time,
except for engines so fast that even a 20x listener leaves them under RTF 0.5
(eSpeak): those are heard at 20x so a run does not take minutes. A faster
listener is strictly harder to keep up with, so zero underruns at 20x means
zero at real time (`--speedup` forces a value).

Scripts are planned for live narration (narrator.stream.live_chunk_plan), as
`narrator speak` plans them; the naive path renders the same script.
`--quick` measures one long article (the longest given) per engine.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrator.errors import InputError

ENGINE_ORDER = ["espeak", "kokoro", "coqui", "xtts"]
DEFAULT_CHARS = 0
FAST_LISTENER = 20.0  # listener speed for engines that stay under RTF 0.5 even then
KEYS = [
    "engine", "article", "chars", "chunks", "audio_s", "load_s", "cold_ttfa_s", "ttfa_s",
    "naive_s", "ttfa_ratio", "rtf", "underruns", "total_wait_s", "overhead", "peak_rss_mb",
    "cached_ratio", "cached_ttfa_s", "listen_speedup", "cache_io", "estimate_jump",
    "estimate_error",
]
COLD_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Target:
    """One engine to measure: its label in the results and how to load it."""

    label: str
    engine: str
    model: str | None = None
    voice: str | None = None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="measure time-to-first-audio, real-time factor, stalls and memory per engine",
        description=(
            "Benchmark every available engine on the sample articles: time-to-first-audio "
            "streamed vs the naive full synthesis, real-time factor, underruns, streaming "
            "overhead, peak memory and cached replay."
        ),
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per engine and article")
    parser.add_argument(
        "--engines",
        default=None,
        help="comma-separated: espeak,kokoro,coqui,xtts (default: every installed one)",
    )
    parser.add_argument(
        "--articles", nargs="+", default=None, metavar="PATH",
        help="article files or folders (default: the bundled samples and ../shared/articles)",
    )
    parser.add_argument(
        "--chars", type=int, default=DEFAULT_CHARS, metavar="N",
        help="use only the first ~N characters (whole paragraphs) of each article; 0 = whole (default)",
    )
    parser.add_argument("--speedup", type=float, default=None, help="force the listener's speed")
    parser.add_argument(
        "--quick", action="store_true",
        help="one long article (the longest) per engine: minutes, not half an hour",
    )
    parser.add_argument("--coqui-model", default=None, metavar="DIR", help="a Coqui model to bench")
    parser.add_argument(
        "--coqui-label", default="coqui", help="its name in the results (e.g. coqui-tiny)"
    )
    parser.set_defaults(func=run)


# --------------------------------------------------------------------------
# What to run
# --------------------------------------------------------------------------
def default_articles() -> list[Path]:
    """The bundled samples, plus ../shared/articles beside a checkout when present."""
    from narrator.paths import project_root, samples_dir

    paths = sorted(samples_dir().glob("*.txt"))
    shared = project_root().parent / "shared" / "articles"
    paths += sorted(shared.glob("*.txt"))
    return paths


def expand_articles(items: Iterable[str]) -> list[Path]:
    paths: list[Path] = []
    for item in items:
        path = Path(item).expanduser()
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix in (".txt", ".md", ".html"))
        elif path.is_file():
            paths.append(path)
        else:
            raise InputError(f"no article at {item}")
    return paths


def longest_article(paths: list[Path]) -> Path:
    """The article with the longest body (the hardest to keep up with, the best TTFA ratio)."""
    from narrator.articles import load_article

    return max(paths, key=lambda p: len(load_article(p).body))


def available_targets(
    names: list[str] | None, coqui_model: str | None = None, coqui_label: str = "coqui"
) -> tuple[list[Target], list[str]]:
    """Targets to measure and notes about engines that are left out (and why)."""
    from narrator.engines.registry import engine_classes

    classes = engine_classes()
    wanted = names or ENGINE_ORDER
    targets: list[Target] = []
    notes: list[str] = []
    for name in wanted:
        if name in ("coqui", coqui_label) and coqui_model:
            targets.append(Target(coqui_label, "coqui", model=coqui_model))
            continue
        cls = classes.get(name)
        if cls is None:
            notes.append(f"{name}: not an engine here")
            continue
        installed = cls.is_installed()
        if not installed:
            if names:
                notes.append(f"{name}: not installed (see `narrator models`)")
            continue
        targets.append(Target(name, name))
    return targets, notes


def _excerpt(body: str, chars: int) -> str:
    """The article's first paragraphs, about `chars` characters (whole paragraphs)."""
    if chars <= 0 or len(body) <= chars:
        return body
    lines, size = [], 0
    for line in body.splitlines():
        lines.append(line)
        size += len(line) + 1
        if size >= chars and line.strip():
            break
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Measuring one engine (in its own process)
# --------------------------------------------------------------------------
def bench_engine(
    target: Target, articles: list[str], chars: int = DEFAULT_CHARS, speedup: float | None = None
) -> list[dict[str, Any]]:
    """Every figure for one engine on every article; meant to run in a fresh process."""
    import tempfile

    from narrator.articles import load_article
    from narrator.audio.playback import NullSink
    from narrator.cache import ChunkCache
    from narrator.engines.registry import resolve_engine
    from narrator.stream import StreamingNarrator, live_chunk_plan, render_script
    from narrator.text import prepare

    started = time.perf_counter()
    engine = resolve_engine(
        target.engine, voice=target.voice, model=target.model, device="auto"
    ).engine
    load_s = time.perf_counter() - started
    sr = engine.sample_rate
    rows: list[dict[str, Any]] = []
    for path in articles:
        article = load_article(path)
        body = _excerpt(article.body, chars)
        script = prepare(body, title=article.title, fits=engine.fits, budget=live_chunk_plan(engine))
        if not script.chunks:
            continue
        cold = cold_ttfa_s(target, path)
        # the naive path: everything synthesized before the first sample plays;
        # on a worker thread, as the streaming producer runs, so both synthesize
        # under the same conditions
        t0 = time.perf_counter()
        naive = _on_thread(render_script, engine, script)
        naive_s = time.perf_counter() - t0
        naive_rtf = naive.synth_s / naive.duration_s if naive.duration_s else 1.0
        audio_s = naive.duration_s
        del naive  # keep the figures, free the audio before the next run
        listen = speedup or (FAST_LISTENER if naive_rtf * FAST_LISTENER < 0.5 else 1.0)

        estimates: list[float] = []
        on_event = functools.partial(_keep_estimate, estimates)
        with tempfile.TemporaryDirectory(prefix="narrator-bench-") as tmp:
            cache = ChunkCache(Path(tmp))
            sink = NullSink(realtime=True, speedup=listen, sample_rate=sr, keep=False)
            narrator = StreamingNarrator(engine, script, sink, cache=cache, on_event=on_event)
            narrator.start()
            narrator.wait()
            sink.close()
            first_io = cache.io_s
            if narrator.error is not None:
                raise narrator.error

            t0 = time.perf_counter()
            _on_thread(functools.partial(render_script, engine, script, cache=cache))
            cached_s = time.perf_counter() - t0
            ttfa, rtf, overhead_all = narrator.ttfa_s or 0.0, narrator.rtf, narrator.overhead
            underruns, waited, synth_s = narrator.underruns, narrator.total_wait_s, narrator.synth_s
            del narrator  # its audio

            replay_sink = NullSink(sample_rate=sr, keep=False)
            replay = StreamingNarrator(engine, script, replay_sink, cache=cache)
            replay.start()
            replay.wait()
            replay_ttfa = replay.ttfa_s or 0.0
            del replay

        overhead = cache_io = None
        if overhead_all is not None and synth_s > 0:
            cache_io = first_io / synth_s
            overhead = overhead_all - cache_io
        jump, error = estimate_stability(estimates)
        rows.append(
            {
                "engine": target.label,
                "article": Path(path).stem,
                "chars": len(body),
                "chunks": len(script.chunks),
                "audio_s": round(audio_s, 2),
                "load_s": round(load_s, 3),
                "cold_ttfa_s": round(cold, 3) if cold is not None else None,
                "ttfa_s": round(ttfa, 4),
                "naive_s": round(naive_s, 3),
                "ttfa_ratio": round(ttfa / naive_s, 4) if naive_s else None,
                "rtf": round(rtf, 4) if rtf is not None else None,
                "underruns": underruns,
                "total_wait_s": round(waited, 3),
                "overhead": round(overhead, 4) if overhead is not None else None,
                "peak_rss_mb": 0.0,
                "cached_ratio": round(cached_s / naive_s, 4) if naive_s else None,
                "cached_ttfa_s": round(replay_ttfa, 4),
                "listen_speedup": round(listen, 2),
                "cache_io": round(cache_io, 4) if cache_io is not None else None,
                "estimate_jump": round(jump, 4) if jump is not None else None,
                "estimate_error": round(error, 4) if error is not None else None,
            }
        )
    peak = peak_rss_mb()
    for row in rows:
        row["peak_rss_mb"] = round(peak, 1)
    return rows


def _keep_estimate(estimates: list[float], event: object) -> None:
    from narrator.stream_events import PlaybackProgress

    if isinstance(event, PlaybackProgress):
        estimates.append(event.total_s_estimate)


def estimate_stability(estimates: list[float]) -> tuple[float | None, float | None]:
    """(largest step between successive total-time estimates, largest distance from
    the last one), both relative. The last estimate is exact: every chunk was made."""
    values = [e for e in estimates if e > 0]
    if len(values) < 2:
        return None, None
    final = values[-1]
    jump = max(abs(b - a) / a for a, b in itertools.pairwise(values))
    error = max(abs(v - final) / final for v in values)
    return jump, error


def cold_ttfa_s(target: Target, article: str) -> float | None:
    """Seconds from starting `narrator speak ARTICLE` to its first audio, or None.

    The child is a fresh Python process with a simulated listener
    (NARRATOR_SINK=null) and an empty chunk cache, but this machine's speed
    record, as for a user who listens to a new article. Its first read-along
    line is printed when the first chunk starts playing; the child is ended
    right after it.
    """
    import shutil
    import subprocess
    import tempfile

    from narrator.paths import cache_dir

    command = [sys.executable, "-m", "narrator", "speak", str(article), "--engine", target.engine]
    if target.model:
        command += ["--model", target.model]
    if target.voice:
        command += ["--voice", target.voice]
    with tempfile.TemporaryDirectory(prefix="narrator-cold-") as tmp:
        record = cache_dir() / "speed.json"
        if record.is_file():
            shutil.copy(record, Path(tmp) / "speed.json")
        env = {**os.environ, "NARRATOR_SINK": "null", "NARRATOR_CACHE_DIR": tmp}
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
        )
        try:
            assert child.stdout is not None
            first = child.stdout.readline()
            elapsed = time.perf_counter() - started
        finally:
            child.kill()
            child.communicate(timeout=COLD_TIMEOUT_S)
    return elapsed if first.strip() else None


def _on_thread(func: Callable[..., Any], *args: Any) -> Any:
    """Run `func(*args)` on a fresh thread and return its result (or raise its error)."""
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = func(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, name="bench-naive")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux: VmHWM from /proc, which starts afresh at exec. getrusage's
    ru_maxrss does not: it keeps the high-water mark of the process that forked
    the worker, so a parent that had torch loaded would colour every engine.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def run_bench(
    targets: list[Target],
    articles: list[Path],
    *,
    chars: int = DEFAULT_CHARS,
    speedup: float | None = None,
    on_rows: Callable[[list[dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """Measure each target in a fresh subprocess, one after another."""
    import multiprocessing

    rows: list[dict[str, Any]] = []
    context = multiprocessing.get_context("spawn")
    where = machine()
    for target in targets:
        before = _load_avg()
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            result = pool.submit(bench_engine, target, [str(p) for p in articles], chars, speedup)
            engine_rows = result.result()
        after = _load_avg()
        for row in engine_rows:
            row["machine"] = where
            row["load_avg_before"] = before
            row["load_avg"] = after
        rows.extend(engine_rows)
        if on_rows is not None:
            on_rows(engine_rows)
    return rows


def _load_avg() -> float | None:
    """The one-minute load average (other jobs on the machine colour every figure)."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def machine() -> str:
    """A one-line description of where the figures came from."""
    import platform

    gpu = "no GPU"
    try:
        import onnxruntime as ort

        if "CUDAExecutionProvider" in ort.get_available_providers():
            gpu = "CUDA available"
    except ImportError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} CPUs, {gpu}, Python {platform.python_version()}"


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.engines.split(",") if n.strip()] if args.engines else None
    targets, notes = available_targets(names, args.coqui_model, args.coqui_label)
    articles = expand_articles(args.articles) if args.articles else default_articles()
    if not articles:
        raise InputError("no articles to benchmark: pass --articles PATH")
    if args.quick:
        articles = [longest_article(articles)]
    if not targets:
        raise InputError("no engine to benchmark: " + "; ".join(notes or ["none installed"]))
    for note in notes:
        print(f"narrator: bench: {note}", file=sys.stderr)

    if args.json:
        def emit(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                print(json.dumps(row, ensure_ascii=False), flush=True)

        run_bench(targets, articles, chars=args.chars, speedup=args.speedup, on_rows=emit)
        return 0

    from rich.console import Console

    console = Console(stderr=False)
    if not console.is_terminal:
        console = Console(stderr=False, width=160)
    err = Console(stderr=True)
    err.print(f"[dim]machine: {machine()}; {len(articles)} articles, first ~{args.chars or 'all'} characters[/]")

    def progress(rows: list[dict[str, Any]]) -> None:
        if rows:
            err.print(f"[dim]{rows[0]['engine']}: done[/]")

    rows = run_bench(targets, articles, chars=args.chars, speedup=args.speedup, on_rows=progress)
    console.print(results_table(rows))
    return 0


def results_table(rows: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(title="narrator bench", show_lines=False)
    columns = [
        ("engine", "engine", "{}"),
        ("article", "article", "{}"),
        ("audio s", "audio_s", "{:.1f}"),
        ("load s", "load_s", "{:.2f}"),
        ("cold s", "cold_ttfa_s", "{:.2f}"),
        ("TTFA s", "ttfa_s", "{:.3f}"),
        ("naive s", "naive_s", "{:.2f}"),
        ("TTFA/naive", "ttfa_ratio", "{:.1%}"),
        ("RTF", "rtf", "{:.3f}"),
        ("underruns", "underruns", "{}"),
        ("wait s", "total_wait_s", "{:.1f}"),
        ("overhead", "overhead", "{:+.1%}"),
        ("peak MB", "peak_rss_mb", "{:.0f}"),
        ("cached/naive", "cached_ratio", "{:.1%}"),
        ("est. jump", "estimate_jump", "{:.1%}"),
        ("load", "load_avg", "{:.2f}"),
    ]
    for title, _, _ in columns:
        table.add_column(title, justify="left" if title in ("engine", "article") else "right")
    for row in rows:
        cells = []
        for _, key, fmt in columns:
            value = row.get(key)
            cells.append("—" if value is None else fmt.format(value))
        table.add_row(*cells)
    return table
