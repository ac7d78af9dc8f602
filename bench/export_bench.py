#!/usr/bin/env python3
"""Export throughput (audio minutes per wall minute) and export memory (peak RSS).

Throughput (the default) measures, per engine (eSpeak NG always; Kokoro when installed):
  1. a cold export (empty chunk cache) with --jobs 1
  2. the same cold export with --jobs 2 (worker processes)
  3. a second, fully cached export (--force into the same folder, so every
     chunk comes from the chunk cache): its wall time as a ratio of the first
  4. a rerun without --force (every episode skipped by its content hash)

Wall time includes everything `narrator export` does: loading articles,
loading the engine (once per worker), synthesis, loudness normalization,
encoding, tags, subtitles and sidecars. Each measurement runs once; the
machine and the method are appended to bench/EXPORT.md with the figures.

    .venv/bin/python bench/export_bench.py [--engines espeak,kokoro] [--copies N]

Memory (`--memory`): one eSpeak article of 10, 60 and 180 minutes of speech,
exported to MP3 in a child process each, its peak RSS taken from the kernel
(`os.wait4`'s ru_maxrss). The same article also goes through the naive path
export used before issue 13 (render the whole episode into one array, loudness
and true peak in float64 over the whole signal, 4x oversampled, encode in
memory) where it fits in memory; the table gives both and their ratio.

    .venv/bin/python bench/export_bench.py --memory [--minutes 10,60,180] [--naive-max 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT / "bench" / "EXPORT.md"


def _articles(
    folder: Path, copies: int, limit: int | None = None, max_chars: int | None = None
) -> Path:
    """The bundled sample articles (or the test articles), `copies` times each.

    `max_chars` keeps whole paragraphs of each body up to about that many
    characters (Kokoro is slower than real time on a small CPU).
    """
    from narrator.paths import samples_dir

    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(samples_dir().glob("*.txt"))
    texts: list[tuple[str, str]] = []
    if sources:
        texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    else:
        from tests.fixtures.export import ARTICLES

        texts = [(Path(n).stem, f"{t}\n\n{b}\n") for n, (t, b) in ARTICLES.items()]
    texts = texts[:limit] if limit else texts
    for i in range(copies):
        for stem, text in texts:
            title, _, body = text.partition("\n")
            if max_chars:
                kept: list[str] = []
                for para in body.strip().split("\n\n"):
                    if kept and sum(len(k) for k in kept) + len(para) > max_chars:
                        break
                    kept.append(para)
                body = "\n\n" + "\n\n".join(kept) + "\n"
            # A distinct title per copy: distinct slugs, distinct first chunks.
            (folder / f"{stem}-{i}.txt").write_text(f"{title} ({i + 1})\n{body}", encoding="utf-8")
    return folder


def _run(sources: list[str], out: Path, spec: tuple, jobs: int, force: bool = False):
    from narrator.export import export_articles

    t0 = time.perf_counter()
    summary = export_articles(
        sources, out_dir=out, fmt="mp3", engine_spec=spec, jobs=jobs, force=force
    )
    wall = time.perf_counter() - t0
    if summary.failures:
        raise SystemExit(f"export failed: {summary.failures[0].error}")
    return summary, wall


def bench_engine(
    name: str,
    voice: str | None,
    copies: int,
    work: Path,
    limit: int | None = None,
    max_chars: int | None = None,
) -> list[str]:
    spec = (name, voice, "cpu", 1.0, None)
    articles = _articles(work / f"articles-{name}", copies, limit, max_chars)
    sources = [str(articles)]
    rows: list[str] = []
    audio_min = 0.0
    first_wall = 0.0
    for jobs in (1, 2):
        os.environ["NARRATOR_CACHE_DIR"] = str(work / f"cache-{name}-{jobs}")  # cold cache
        out = work / f"out-{name}-{jobs}"
        summary, wall = _run(sources, out, spec, jobs)
        audio_min = summary.audio_minutes
        if jobs == 1:
            first_wall = wall
        rows.append(
            f"| {name} | cold, --jobs {jobs} | {len(summary.done)} | {audio_min:.2f} | "
            f"{wall:.1f} | {audio_min / (wall / 60):.1f} |"
        )
        print(rows[-1], flush=True)
    # The --jobs 1 cache is warm now: redo everything from it, then skip everything.
    os.environ["NARRATOR_CACHE_DIR"] = str(work / f"cache-{name}-1")
    out = work / f"out-{name}-1"
    summary, wall = _run(sources, out, spec, 1, force=True)
    rows.append(
        f"| {name} | cached (--force), --jobs 1 | {len(summary.done)} | {summary.audio_minutes:.2f} | "
        f"{wall:.1f} | {summary.audio_minutes / (wall / 60):.1f} (x{wall / first_wall:.2f} of cold time) |"
    )
    print(rows[-1], flush=True)
    summary, wall = _run(sources, out, spec, 1)
    rows.append(
        f"| {name} | rerun, all skipped | {len(summary.skipped)} | 0 | {wall:.1f} | "
        f"(x{wall / first_wall:.3f} of cold time) |"
    )
    print(rows[-1], flush=True)
    return rows


# -- memory -------------------------------------------------------------------------------

ESPEAK_CHARS_PER_S = 14.0  # spoken characters per second of eSpeak Hindi (measured)


def _long_article(path: Path, minutes: float) -> None:
    """An article of about `minutes` of eSpeak speech, from real Hindi news paragraphs."""
    from narrator.paths import samples_dir

    sources = sorted(samples_dir().glob("*.txt"))
    shared = ROOT.parent / "shared" / "articles"
    sources += sorted(shared.glob("*.txt")) if shared.is_dir() else []
    paragraphs: list[str] = []
    for source in sources:
        body = source.read_text(encoding="utf-8").partition("\n")[2]
        paragraphs += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 80]
    want = minutes * 60 * ESPEAK_CHARS_PER_S
    out: list[str] = []
    size = 0
    n = 0
    while size < want:
        para = f"भाग {n + 1}। " + paragraphs[n % len(paragraphs)]
        out.append(para)
        size += len(para)
        n += 1
    path.write_text(f"लंबा समाचार: {minutes:g} मिनट\n\n" + "\n\n".join(out) + "\n", encoding="utf-8")


def _child(mode: str, article: Path, out: Path) -> None:
    """Run in a child process: one export, the new way or the naive way."""
    if mode == "new":
        from narrator.export import export_articles

        summary = export_articles(
            [str(article)], out_dir=out, fmt="mp3", engine_spec=("espeak", None, "cpu", 1.0, None)
        )
        if not summary.ok:
            raise SystemExit(summary.failures[0].error)
        print(f"{summary.done[0].duration_s:.1f}")
        return
    print(f"{_naive_export(article, out):.1f}")


def _naive_export(article: Path, out: Path) -> float:
    """Export as before issue 13: the whole episode in memory at every step."""
    import io

    import soundfile as sf

    from narrator.articles import load_article
    from narrator.engines.espeak import EspeakEngine
    from narrator.stream import render_script
    from narrator.text import prepare

    engine = EspeakEngine()
    loaded = load_article(str(article))
    script = prepare(loaded.body, title=loaded.title, fits=engine.fits)
    rendering = render_script(engine, script)
    sr = rendering.sample_rate
    audio = _naive_normalize(rendering.audio, sr)
    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", sr, 1, format="MP3", subtype="MPEG_LAYER_III") as f:
        for start in range(0, len(audio), 65536):
            f.write(audio[start : start + 65536])
    out.mkdir(parents=True, exist_ok=True)
    (out / "naive.mp3").write_bytes(buffer.getvalue())
    return len(audio) / sr


def _naive_normalize(audio, sr: int):  # type: ignore[no-untyped-def]
    """The pre-issue-13 method, whole signal in float64 (kept here as the baseline)."""
    import numpy as np
    import pyloudnorm
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import resample_poly

    def lufs(x):  # type: ignore[no-untyped-def]
        return pyloudnorm.Meter(sr).integrated_loudness(x)

    def limit(x, ceiling=-1.0):  # type: ignore[no-untyped-def]
        n = len(x)
        over = np.abs(resample_poly(x, 4, 1))
        target = 10.0 ** ((ceiling - 0.05) / 20.0)
        env = np.pad(over, (0, max(0, n * 4 - len(over))))[: n * 4].reshape(n, 4).max(axis=1)
        need = np.minimum(1.0, target / np.maximum(env, 1e-12))
        window = max(3, int(0.005 * sr) | 1)
        held = minimum_filter1d(need, size=2 * window + 1, mode="nearest")
        x = x * uniform_filter1d(held, size=window, mode="nearest")
        peak = float(np.max(np.abs(resample_poly(x, 4, 1))))
        return x * min(1.0, 10.0 ** (ceiling / 20.0) / peak)

    data = np.asarray(audio, dtype=np.float64)
    out = limit(data * 10.0 ** ((-16.0 - lufs(data)) / 20.0))
    measured = lufs(out)
    if abs(measured + 16.0) > 0.3:
        out = limit(out * 10.0 ** ((-16.0 - measured) / 20.0))
    return out.astype(np.float32)


def _measure(mode: str, article: Path, work: Path) -> tuple[float, float, float]:
    """(peak RSS MB, audio minutes, wall s) of one child export."""
    import subprocess

    env = {**os.environ, "NARRATOR_CACHE_DIR": str(work / f"cache-{mode}"), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(article), str(work / f"out-{mode}")],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{mode} export of {article.name} failed (status {status})")
    return usage.ru_maxrss / 1024.0, float(output.strip().splitlines()[-1]) / 60.0, wall


def bench_memory(minutes: list[float], naive_max: float) -> str:
    work = Path(tempfile.mkdtemp(prefix="narrator-memory-bench-"))
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    rows: list[str] = []
    try:
        for length in minutes:
            article = work / f"long-{length:g}.txt"
            _long_article(article, length)
            new_rss, audio_min, new_wall = _measure("new", article, work)
            naive = f"not run (over --naive-max {naive_max:g})" if length > naive_max else ""
            ratio = ""
            if not naive:
                naive_rss, _, naive_wall = _measure("naive", article, work)
                naive = f"{naive_rss:,.0f} MB ({naive_wall:.0f} s)"
                ratio = f"x{naive_rss / new_rss:.1f}"
            samples_mb = audio_min * 60 * 22050 * 4 / 2**20
            rows.append(
                f"| {length:g} | {audio_min:.1f} | {samples_mb:,.0f} MB | "
                f"{new_rss:,.0f} MB ({new_wall:.0f} s) | {naive} | {ratio} |"
            )
            print(rows[-1], flush=True)
            for folder in work.glob("out-*"):
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"\n## {datetime.now().strftime('%Y-%m-%d %H:%M')} — export memory ({_machine()})\n\n"
        "Method: `bench/export_bench.py --memory`; one eSpeak article per length, MP3 export in "
        'a child process, peak RSS from `os.wait4` (ru_maxrss). "naive" is the pre-issue-13 '
        "path (whole episode in one array, float64 loudness and 4x oversampled true peak over "
        'the whole signal, MP3 encoded in memory). "float32 samples" is the episode\'s audio '
        "as one float32 array, for scale. Load average before "
        f"{' '.join(load_before)}, after {' '.join(load_after)}.\n\n"
        "| speech (min, asked) | audio (min) | float32 samples | new: peak RSS (wall) | "
        "naive: peak RSS (wall) | naive / new |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu or platform.processor()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="peak RSS against episode length")
    parser.add_argument("--minutes", default="10,60,180", help="speech lengths for --memory")
    parser.add_argument(
        "--naive-max", type=float, default=10.0, help="longest length the naive path runs at"
    )
    parser.add_argument("--engines", default="espeak,kokoro")
    parser.add_argument("--copies", type=int, default=2, help="copies of each sample article")
    parser.add_argument("--kokoro-copies", type=int, default=2)
    parser.add_argument(
        "--kokoro-articles", type=int, default=1, help="sample articles for Kokoro (slow on CPU)"
    )
    parser.add_argument("--kokoro-chars", type=int, default=700, help="body length for Kokoro")
    args = parser.parse_args()
    if args.memory:
        section = bench_memory([float(m) for m in args.minutes.split(",")], args.naive_max)
        if not REPORT.exists():
            REPORT.write_text("# Export throughput\n", encoding="utf-8")
        with REPORT.open("a", encoding="utf-8") as fh:
            fh.write(section)
        print(f"appended to {REPORT}")
        return 0

    from narrator.engines.registry import engine_classes

    work = Path(tempfile.mkdtemp(prefix="narrator-export-bench-"))
    rows: list[str] = []
    try:
        for name in args.engines.split(","):
            cls = engine_classes().get(name)
            if cls is None or not cls.is_installed():
                print(f"{name}: not installed, skipped", flush=True)
                continue
            copies = args.kokoro_copies if name == "kokoro" else args.copies
            kokoro = name == "kokoro"
            limit = args.kokoro_articles if kokoro else None
            max_chars = args.kokoro_chars if kokoro else None
            rows += bench_engine(name, None, copies, work, limit, max_chars)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    )
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    header = (
        f"\n## {datetime.now().strftime('%Y-%m-%d %H:%M')} — {cpu or platform.processor()} ({machine})\n\n"
        "Method: `bench/export_bench.py`; MP3 export of the sample articles "
        f"(x{args.copies} copies; Kokoro: {args.kokoro_articles} article cut to about "
        f"{args.kokoro_chars} characters, x{args.kokoro_copies}) "
        "into an empty folder with an "
        "empty chunk cache, once with --jobs 1 and once with --jobs 2; then --force into the "
        "--jobs 1 folder (every chunk from the cache); then a plain rerun (every episode skipped). "
        "Throughput = audio minutes made / wall minutes, one run each, wall time includes "
        "engine loading, loudness, encoding, tags and sidecars.\n\n"
        "| engine | run | articles | audio min | wall s | audio min per wall min |\n"
        "|---|---|---|---|---|---|\n"
    )
    if not REPORT.exists():
        REPORT.write_text("# Export throughput\n", encoding="utf-8")
    with REPORT.open("a", encoding="utf-8") as fh:
        fh.write(header + "\n".join(rows) + "\n")
    print(f"appended to {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
