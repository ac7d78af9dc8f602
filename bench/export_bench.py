#!/usr/bin/env python3
"""Export throughput: audio minutes made per wall-clock minute.

Measures, per engine (eSpeak NG always; Kokoro when installed):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="espeak,kokoro")
    parser.add_argument("--copies", type=int, default=2, help="copies of each sample article")
    parser.add_argument("--kokoro-copies", type=int, default=2)
    parser.add_argument(
        "--kokoro-articles", type=int, default=1, help="sample articles for Kokoro (slow on CPU)"
    )
    parser.add_argument("--kokoro-chars", type=int, default=700, help="body length for Kokoro")
    args = parser.parse_args()

    from narrator.engines.registry import engine_classes

    work = Path(tempfile.mkdtemp(prefix="narrator-export-bench-"))
    rows: list[str] = []
    try:
        for name in args.engines.split(","):
            cls = engine_classes().get(name)
            if cls is None or not getattr(cls, "is_installed", lambda: True)():
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
