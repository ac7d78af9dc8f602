"""Batch export: sources in, a folder of finished episodes out (`export_articles`).

Order of work, so that a mistake costs nothing: every option is checked, the
out folder is checked (a file, under a file, not writable: one-line errors that
create nothing), the articles are gathered; only then is the folder made, the
slugs claimed and the engine loaded, and synthesis starts.

`jobs > 1` runs articles in worker processes (spawn context, so engines with
threads or CUDA start clean); each worker loads its engine once in its
initializer. Progress comes back over a queue. `jobs == 1` runs in-process.
`cluster` runs them on Ray's engine actors instead (narrator.export.cluster):
the same checks, gathering, slug claims and `export_article` on each side.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrator.articles import Article
from narrator.audio.files import (
    audio_format,
    check_output_folder,
    disk_error,
    sweep_stale_temps,
)
from narrator.audio.loudness import DEFAULT_LUFS
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.errors import InputError, NarratorError
from narrator.export.episode import (
    ArticleResult,
    ExportSettings,
    Progress,
    export_article,
)
from narrator.export.job import ArticleJob
from narrator.export.names import claim_slugs
from narrator.urls import is_url

if TYPE_CHECKING:
    from narrator.export.cluster import RayOptions

# What a voice costs in synthesis seconds per second of speech when this
# machine has no measurement yet (engines/speedlog.py keeps the measured ones):
# eSpeak is nearly free, Kokoro about real time on a small CPU.
DEFAULT_RTF = {"espeak": 0.02, "kokoro": 1.2, "coqui": 0.6, "xtts": 3.0}


class EngineLoadError(NarratorError):
    """The engine could not be loaded in a worker: nothing can be exported."""


@dataclass(frozen=True)
class EngineSpec:
    """How to load the engine (the `--engine/--voice/--device/--speed/--model` options)."""

    engine: str = "auto"
    voice: str | None = None
    device: str = "auto"
    speed: float = 1.0
    model: str | None = None

    @classmethod
    def of(cls, value: EngineSpec | Sequence[Any] | None) -> EngineSpec:
        if value is None:
            return cls()
        if isinstance(value, EngineSpec):
            return value
        return cls(*value)

    def check(self) -> None:
        """An unknown engine name is an InputError now, before anything is made."""
        from narrator.engines.registry import engine_class

        if self.engine != "auto":
            engine_class(self.engine)

    def engine_name(self) -> str:
        """The engine this spec loads (what `auto` picks here for export)."""
        from narrator.engines.registry import auto_engine_name

        if self.engine != "auto":
            return self.engine
        if self.model:
            return "coqui"
        return auto_engine_name("export", self.device)[0]

    def load(self, threads: int | None = None) -> BaseEngine:
        """The loaded engine; `threads` caps its CPU threads (one share per worker)."""
        from narrator.engines.registry import resolve_engine

        extra: dict[str, object] = {"threads": threads} if threads else {}
        engine = resolve_engine(
            self.engine,
            voice=self.voice,
            device=self.device,
            speed=self.speed,
            model=self.model,
            purpose="export",
            **extra,
        ).engine
        if threads and "torch" in sys.modules:  # Coqui/XTTS: torch's own pool
            sys.modules["torch"].set_num_threads(threads)
        return engine


@dataclass(frozen=True)
class ExportPlan:
    """What a batch is about to do, before any synthesis: for an up-front estimate.

    engine            the engine that will speak (auto resolved)
    characters        characters of article text
    audio_s           expected seconds of speech
    synthesis_s       expected synthesis wall time on this machine
    rtf_measured      True when the speed comes from a measurement here
    """

    articles: int
    engine: str
    characters: int
    audio_s: float
    synthesis_s: float
    rtf_measured: bool


@dataclass
class ExportSummary:
    """The outcome of a batch: per-article results, in input order, and totals."""

    results: list[ArticleResult] = field(default_factory=list)
    wall_s: float = 0.0
    out_dir: Path | None = None

    @property
    def done(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "done"]

    @property
    def skipped(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "skipped"]

    @property
    def failures(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def successes(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status in ("done", "skipped")]

    @property
    def audio_minutes(self) -> float:
        """Minutes of audio made in this run (skipped episodes not counted)."""
        return sum(r.duration_s for r in self.done) / 60.0

    @property
    def ok(self) -> bool:
        return not self.failures


ProgressFn = Callable[[Progress], None]


# -- gathering articles ---------------------------------------------------------------


def _looks_like_feed(source: str) -> bool:
    """A URL we treat as a feed (all entries) rather than one article page.

    `load_article` on a feed URL still works, but gives only its first entry;
    fetching every URL twice to find out would double the network traffic.
    """
    lowered = source.lower().split("?")[0].rstrip("/")
    return lowered.endswith((".rss", ".atom", ".xml", "/feed", "/rss", "/atom"))


def _failed(source: str, error: str) -> ArticleResult:
    return ArticleResult(-1, source, "", "", "failed", error=error)


def _load(source: str, failed: list[ArticleResult]) -> list[Article]:
    from narrator import articles as art

    if is_url(source):
        return art.load_feed(source) if _looks_like_feed(source) else [art.load_article(source)]
    if source != "-" and Path(source).expanduser().is_dir():
        skipped: list[str] = []
        found = art.load_library(source, skipped=skipped)
        for line in skipped:
            name, _, reason = line.partition(": ")
            failed.append(_failed(str(Path(source) / name), reason or line))
        if not found and not skipped:
            raise InputError(f"{source} holds no articles (.txt, .md, .html, feeds)")
        return found
    if source != "-" and Path(source).suffix.lower() in art.FEED_SUFFIXES:
        return art.load_feed(source)
    return [art.load_article(source)]


def gather_articles(sources: Iterable[str]) -> tuple[list[ArticleJob], list[ArticleResult]]:
    """A job for every article named by `sources` (files, folders, URLs, feeds, "-").

    Returns the jobs (each article once, by identity, in the order given) and a
    failed result for each source that could not be read, so one bad path
    never stops the batch.
    """
    jobs: list[ArticleJob] = []
    failed: list[ArticleResult] = []
    seen: set[str] = set()
    for source in sources:
        try:
            found = _load(source, failed)
        except NarratorError as exc:
            failed.append(_failed(source, str(exc)))
            continue
        for article in found:
            job = ArticleJob.from_article(article, index=len(jobs))
            if job.identity in seen:
                continue
            seen.add(job.identity)
            jobs.append(job)
    return jobs, failed


def plan_export(jobs: Sequence[ArticleJob], engine: str) -> ExportPlan:
    """The up-front estimate: characters, speech length, synthesis time for `engine`."""
    from narrator.engines.speedlog import expected_rtf
    from narrator.library import CHARS_PER_SECOND

    characters = sum(len(j.title) + len(j.body) for j in jobs)
    audio_s = characters / CHARS_PER_SECOND
    measured = expected_rtf(engine)
    rtf = measured if measured is not None else DEFAULT_RTF.get(engine, 1.0)
    return ExportPlan(len(jobs), engine, characters, audio_s, audio_s * rtf, measured is not None)


# -- worker processes -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    spec: EngineSpec,
    settings: ExportSettings,
    events: Queue[Progress],
    cache_folder: Path | None,
    threads: int,
) -> None:
    """Load the engine once per worker process (errors are reported per job).

    Each worker gets its share of the CPU cores as engine threads: N workers
    each running a thread per core would fight over the cores and be slower
    together than one worker alone.
    """
    _WORKER["settings"] = settings
    _WORKER["events"] = events
    try:
        _WORKER["engine"] = spec.load(threads=threads)
        _WORKER["cache"] = ChunkCache(cache_folder)
    except NarratorError as exc:
        _WORKER["error"] = str(exc)
    except Exception as exc:  # noqa: BLE001 (reported as the reason nothing was exported)
        _WORKER["error"] = f"{type(exc).__name__}: {exc}"


def _run_job(job: ArticleJob) -> ArticleResult:
    if "error" in _WORKER:
        return ArticleResult(
            job.index, job.source, job.title, job.slug, "failed", error=_WORKER["error"], fatal=True
        )
    return export_article(
        _WORKER["engine"],
        job,
        _WORKER["settings"],
        cache=_WORKER["cache"],
        progress=_WORKER["events"].put,
    )


# -- the batch --------------------------------------------------------------------------


def export_articles(
    sources: Sequence[str],
    *,
    out_dir: Path | str,
    fmt: str = "mp3",
    engine_spec: EngineSpec | Sequence[Any] | None = None,
    jobs: int = 1,
    lufs: float = DEFAULT_LUFS,
    force: bool = False,
    progress: ProgressFn | None = None,
    engine: BaseEngine | None = None,
    cache: ChunkCache | None = None,
    on_plan: Callable[[ExportPlan], None] | None = None,
    cluster: RayOptions | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> ExportSummary:
    """Export every article named by `sources` into `out_dir`.

    sources      article files, folders of them, URLs, feeds, "-" (any mix)
    engine_spec  EngineSpec or a tuple (engine, voice, device, speed, model)
    jobs         worker processes; 1 runs in this process
    engine       an already loaded engine (runs in this process; overrides
                 engine_spec and jobs)
    cache        a ChunkCache (default: the user's cache); workers open its folder
    progress     called with `Progress` events, in this process
    on_plan      called once with the ExportPlan (the up-front estimate),
                 before the engine is loaded
    cluster      run on Ray instead (`--ray`, narrator.export.cluster): engine
                 actors instead of worker processes; `jobs` is then unused
    on_notice    called with one-line notes for the user (where the run goes)
    """
    started = time.perf_counter()
    fmt = audio_format("", fmt)
    if not -40.0 <= lufs <= -5.0:
        raise InputError(f"--lufs {lufs} is out of range: use -40 to -5 (podcasts use -16)")
    if jobs < 1:
        raise InputError(f"--jobs {jobs} must be 1 or more")
    spec = EngineSpec.of(engine_spec)
    if engine is None:
        spec.check()
    if cluster is not None:
        if engine is not None:
            raise InputError("an engine loaded in this process cannot run on Ray")
        cluster.check()
    out = check_output_folder(out_dir)
    settings = ExportSettings(out_dir=out, fmt=fmt, lufs=lufs, force=force)

    work, failed = gather_articles(sources)
    summary = ExportSummary(results=list(failed), out_dir=out)
    if not work:
        if not failed:
            raise InputError("no articles to export")
        summary.wall_s = time.perf_counter() - started
        return summary
    report = progress or (lambda _p: None)
    if on_plan is not None:
        on_plan(plan_export(work, engine.name if engine is not None else spec.engine_name()))
    if cluster is not None:
        results = _run_on_ray(work, settings, spec, cluster, report, cache, on_notice)
    else:
        results = _run_here(work, settings, spec, min(jobs, len(work)), report, cache, engine)
    summary.results.extend(sorted(results, key=lambda r: r.index))
    summary.wall_s = time.perf_counter() - started
    return summary


def _queue(out: Path, work: list[ArticleJob], report: ProgressFn) -> list[ArticleJob]:
    """Make the folder, clear what killed exports left, claim every job's slug, report them."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(out)
        work = claim_slugs(out, work)
    except OSError as exc:
        raise disk_error(exc, out) from exc
    for job in work:
        report(Progress(job.index, job.slug, job.title, "queued"))
    return work


def _run_here(
    work: list[ArticleJob],
    settings: ExportSettings,
    spec: EngineSpec,
    workers: int,
    report: ProgressFn,
    cache: ChunkCache | None,
    engine: BaseEngine | None,
) -> list[ArticleResult]:
    """In this process (one worker or a loaded engine), else in worker processes."""
    loaded = engine
    if loaded is None and workers == 1:
        loaded = spec.load()  # a bad voice or a missing model fails before the folder exists
    work = _queue(settings.out_dir, work, report)
    if loaded is None:
        folder = cache.folder if cache is not None else None
        return _run_pool(work, settings, spec, workers, report, folder)
    chunk_cache = cache if cache is not None else ChunkCache()
    results = [
        export_article(loaded, job, settings, cache=chunk_cache, progress=report) for job in work
    ]
    _record_speed(loaded.name, results)
    return results


def _run_on_ray(
    work: list[ArticleJob],
    settings: ExportSettings,
    spec: EngineSpec,
    cluster: RayOptions,
    report: ProgressFn,
    cache: ChunkCache | None,
    on_notice: Callable[[str], None] | None,
) -> list[ArticleResult]:
    """On Ray's engine actors (narrator.export.cluster; Ray is imported only now)."""
    from narrator.export.cluster import RayExport

    # The actors load their engine before the folder exists, as one engine does above.
    session = RayExport.start(
        spec, cluster, articles=len(work), cache_folder=cache.folder if cache else None
    )
    if on_notice is not None:
        on_notice(session.description)
    try:
        work = _queue(settings.out_dir, work, report)
        return session.run(work, settings, report)
    finally:
        session.close(settings.out_dir)


def _record_speed(engine: str, results: Sequence[ArticleResult]) -> None:
    """Remember how fast the engine ran here, so the next plan is measured, not guessed.

    Only episodes made entirely by the engine count (cached chunks cost
    nothing), and only in-process runs (workers share the cores).
    """
    from narrator.engines.speedlog import record_rtf

    made = [r for r in results if r.status == "done" and r.cached_chunks == 0 and r.synth_s > 0]
    audio_s = sum(r.duration_s for r in made)
    if audio_s > 0:
        try:
            record_rtf(engine, sum(r.synth_s for r in made) / audio_s)
        except (OSError, ValueError, TypeError):
            pass  # an unwritable or foreign speed record never costs an export


def _run_pool(
    work: list[ArticleJob],
    settings: ExportSettings,
    spec: EngineSpec,
    workers: int,
    report: ProgressFn,
    cache_folder: Path | None = None,
) -> list[ArticleResult]:
    ctx = multiprocessing.get_context("spawn")
    events = ctx.Queue()
    results: list[ArticleResult] = []

    def drain() -> None:
        while True:
            try:
                report(events.get_nowait())
            except queue_module.Empty:
                return

    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(spec, settings, events, cache_folder, max(1, (os.cpu_count() or 1) // workers)),
    ) as pool:
        pending: dict[Future[ArticleResult], ArticleJob] = {
            pool.submit(_run_job, job): job for job in work
        }
        try:
            while pending:
                finished, _ = wait(list(pending), timeout=0.1, return_when=FIRST_COMPLETED)
                drain()
                for future in finished:
                    job = pending.pop(future)
                    try:
                        result = future.result()
                    except Exception as exc:  # noqa: BLE001 (a worker died: killed, out of memory)
                        result = ArticleResult(
                            job.index,
                            job.source,
                            job.title,
                            job.slug,
                            "failed",
                            error=f"worker process failed: {type(exc).__name__}: {exc}",
                        )
                    if result.fatal:
                        raise EngineLoadError(result.error)
                    results.append(result)
        finally:
            for other in pending:
                other.cancel()
        drain()
    time.sleep(0)  # let the queue's feeder threads finish before it is collected
    drain()
    return results
