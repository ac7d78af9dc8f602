"""Batch export: articles in, finished episodes out.

For each article, in `out_dir`:

    <slug>.<fmt>            loudness-normalized, tagged audio (chapters inside)
    <slug>.srt, <slug>.vtt  one cue per sentence, timed from the real audio
    <slug>.chapters.json    Podcasting 2.0 JSON chapters
    <slug>.json             the sidecar: what was made, how, and every chunk's
                            text and time; written LAST, so a sidecar means a
                            complete episode (the feed only trusts sidecars)

Why it is safe to interrupt: every file goes through a temp name and a rename;
audio is encoded and tagged in memory, all five files are staged and synced,
and only then renamed back to back, sidecar last, so temp files exist only for
the disk writes and a killed export leaves whole episodes or nothing new. An
existing sidecar is removed before its episode is redone, so an old sidecar
never vouches for new files. Temp files left by a killed process (hidden,
marked with its pid) are swept at the start of the next export.

Why it is resumable: the sidecar holds a content hash of everything that shapes
the audio (the cleaned text and every chunk's spoken text, the engine's
`cache_key`, format, loudness target, pauses, exporter version); an article whose
hash matches is skipped unless `force`. Chunks come from the `ChunkCache`, so
even a forced redo only pays for synthesis once.

`jobs > 1` runs articles in worker processes (spawn context, so engines with
threads or CUDA start clean); each worker loads its engine once in its
initializer. Progress comes back over a queue. `jobs == 1` runs in-process.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import queue as queue_module
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from narrator.audio.files import (
    MIME_TYPES,
    atomic_write_many,
    audio_file_bytes,
    audio_format,
    sweep_stale_temps,
)
from narrator.errors import InputError, NarratorError
from narrator.podcast import SIDECAR_MARK
from narrator.slug import slugify, unique_slug
from narrator.urls import is_url as _is_url

EXPORT_VERSION = 1
DESCRIPTION_CHARS = 400


class EngineLoadError(NarratorError):
    """The engine could not be loaded in a worker: nothing can be exported."""


# -- what goes in -------------------------------------------------------------------


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

    def load(self, threads: int | None = None) -> Any:
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
class ExportSettings:
    """Everything besides the article and the engine that shapes the output."""

    out_dir: Path
    fmt: str = "mp3"
    lufs: float = -16.0
    peak_dbtp: float = -1.0
    force: bool = False


@dataclass(frozen=True)
class ArticleJob:
    """One article to export, picklable for worker processes."""

    index: int
    title: str
    body: str
    source: str
    date: str
    slug: str


@dataclass(frozen=True)
class Progress:
    """A progress report from an article being exported.

    stage  "start" (total known), "chunk" (one more chunk made), "write",
           "done", "skipped" or "failed"
    """

    index: int
    slug: str
    title: str
    stage: str
    done: int = 0
    total: int = 0


# -- what comes out -------------------------------------------------------------------


@dataclass
class ArticleResult:
    """The outcome for one article."""

    index: int
    source: str
    title: str
    slug: str
    status: str  # "done" | "skipped" | "failed"
    audio: Path | None = None
    duration_s: float = 0.0
    chunks: int = 0
    cached_chunks: int = 0
    synth_s: float = 0.0
    wall_s: float = 0.0
    error: str = ""
    fatal: bool = False


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


def article_identity(article: Any) -> str:
    """What makes an article the same article on the next run: its absolute path or URL."""
    path = getattr(article, "path", None)
    if path is not None:
        return str(Path(path).expanduser().resolve())
    return str(getattr(article, "url", None) or getattr(article, "source", "") or "")


def gather_articles(sources: Iterable[str]) -> tuple[list[Any], list[ArticleResult]]:
    """Load every article named by `sources` (files, folders, URLs, feeds).

    Returns the articles (each once, in the order given) and a failed result for
    each source that could not be read, so one bad path never stops the batch.
    """
    from narrator import articles as art

    loaded: list[Any] = []
    failed: list[ArticleResult] = []
    for source in sources:
        try:
            if _is_url(source):
                found = (
                    art.load_feed(source)
                    if _looks_like_feed(source)
                    else [art.load_article(source)]
                )
            elif Path(source).expanduser().is_dir():
                skipped: list[str] = []
                found = art.load_library(source, skipped=skipped)
                for line in skipped:
                    name, _, reason = line.partition(": ")
                    failed.append(
                        ArticleResult(
                            -1, str(Path(source) / name), "", "", "failed", error=reason or line
                        )
                    )
                if not found and not skipped:
                    raise InputError(f"{source} holds no articles (.txt, .md, .html, feeds)")
            elif Path(source).suffix.lower() in art.FEED_SUFFIXES:
                found = art.load_feed(source)
            else:
                found = [art.load_article(source)]
        except NarratorError as exc:
            failed.append(ArticleResult(-1, source, "", "", "failed", error=str(exc)))
            continue
        loaded.extend(found)
    unique: list[Any] = []
    seen: set[str] = set()
    for article in loaded:
        key = article_identity(article) or f"{article.title}\n{article.body[:200]}"
        if key in seen:
            continue
        seen.add(key)
        unique.append(article)
    return unique, failed


def _date_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "")


# -- slugs ----------------------------------------------------------------------------


def _existing_episodes(out_dir: Path) -> dict[str, str]:
    """source -> slug of the episodes already in `out_dir` (from their sidecars)."""
    found: dict[str, str] = {}
    for sidecar in sorted(out_dir.glob("*.json")):
        if sidecar.name.endswith(".chapters.json"):
            continue
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and SIDECAR_MARK in meta and meta.get("source"):
            found.setdefault(str(meta["source"]), str(meta.get("slug") or sidecar.stem))
    return found


def assign_slugs(articles: Sequence[Any], out_dir: Path) -> list[str]:
    """A file stem per article, unique in `out_dir`, stable across runs.

    An article already exported here (same source) keeps its slug, so a rerun
    finds and skips it instead of writing `<slug>-2`.
    """
    existing = _existing_episodes(out_dir) if out_dir.is_dir() else {}
    # Every stem in the folder is taken (a slug has no dots, so the part before
    # the first dot is the stem of every file of an episode).
    taken: set[str] = set()
    if out_dir.is_dir():
        taken = {p.name.split(".")[0].casefold() for p in out_dir.iterdir() if p.name[:1] != "."}
    used: set[str] = set()
    slugs: list[str] = []
    for article in articles:
        slug = existing.get(article_identity(article))
        if slug is None or slug.casefold() in used:
            slug = unique_slug(slugify(article.title), taken | used)
        used.add(slug.casefold())
        slugs.append(slug)
    return slugs


# -- one article ----------------------------------------------------------------------


def _licence(engine: Any) -> str:
    try:
        for info in type(engine).list_voices():
            if info.name == getattr(engine, "voice", None):
                return info.licence
    except Exception:  # noqa: BLE001 (a voice list is informative only)
        return ""
    return ""


def content_hash(script: Any, job: ArticleJob, engine: Any, settings: ExportSettings) -> str:
    """sha256 of everything that shapes the episode's audio and timed text."""
    from narrator.audio import assemble

    payload = {
        "version": EXPORT_VERSION,
        "title": script.title,
        "date": job.date,
        "source": job.source,
        "cleaned": script.cleaned,
        "chunks": [[c.text, c.ends_sentence, c.ends_paragraph] for c in script.chunks],
        "engine": engine.cache_key,
        "format": settings.fmt,
        "lufs": round(settings.lufs, 2),
        "peak": round(settings.peak_dbtp, 2),
        "pauses": [assemble.CLAUSE_PAUSE_S, assemble.SENTENCE_PAUSE_S, assemble.PARAGRAPH_PAUSE_S],
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def episode_paths(out_dir: Path, slug: str, fmt: str) -> dict[str, Path]:
    """Every file of one episode."""
    return {
        "audio": out_dir / f"{slug}.{fmt}",
        "srt": out_dir / f"{slug}.srt",
        "vtt": out_dir / f"{slug}.vtt",
        "chapters": out_dir / f"{slug}.chapters.json",
        "sidecar": out_dir / f"{slug}.json",
    }


def _up_to_date(paths: dict[str, Path], digest: str) -> dict[str, Any] | None:
    """The sidecar when the episode is complete and made from the same inputs."""
    try:
        meta = json.loads(paths["sidecar"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("content_hash") != digest:
        return None
    if not all(p.is_file() for p in paths.values()):
        return None
    if paths["audio"].stat().st_size != meta.get("audio_bytes"):
        return None
    return meta


def _description(script: Any) -> str:
    """The first lines of the article after its title, for the feed."""
    lines: list[str] = []
    size = 0
    for sentence in script.sentences:
        text = " ".join(sentence.text.split())
        if not text or text == " ".join(script.title.split()):
            continue
        lines.append(text)
        size += len(text)
        if size >= DESCRIPTION_CHARS:
            break
    return " ".join(lines)


def export_article(
    engine: Any,
    job: ArticleJob,
    settings: ExportSettings,
    *,
    cache: Any = None,
    progress: ProgressFn | None = None,
) -> ArticleResult:
    """Export one article with a loaded engine; errors become a failed result."""
    started = time.perf_counter()
    result = ArticleResult(job.index, job.source, job.title, job.slug, "failed")
    report = progress or (lambda _p: None)
    try:
        _export(engine, job, settings, cache, report, result)
    except NarratorError as exc:
        result.status, result.error = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 (a bug in one article must not end the batch)
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
    result.wall_s = time.perf_counter() - started
    report(Progress(job.index, job.slug, job.title, result.status, result.chunks, result.chunks))
    return result


def _export(
    engine: Any,
    job: ArticleJob,
    settings: ExportSettings,
    cache: Any,
    report: ProgressFn,
    result: ArticleResult,
) -> None:
    from narrator.audio.loudness import normalize_loudness
    from narrator.audio.tags import EpisodeTags, write_tags
    from narrator.stream import render_script
    from narrator.subtitles import chapters, chapters_json, sentence_cues, to_srt, to_vtt
    from narrator.text import prepare

    script = prepare(job.body, title=job.title, fits=engine.fits)
    if not script.chunks:
        raise InputError(f"{job.source}: nothing to speak")
    result.title = script.title or job.title
    result.chunks = len(script.chunks)
    digest = content_hash(script, job, engine, settings)
    paths = episode_paths(settings.out_dir, job.slug, settings.fmt)
    if not settings.force:
        meta = _up_to_date(paths, digest)
        if meta is not None:
            result.status = "skipped"
            result.audio = paths["audio"]
            result.duration_s = float(meta.get("duration_s") or 0.0)
            return
    # From here on the old episode (if any) is no longer vouched for.
    paths["sidecar"].unlink(missing_ok=True)
    total = len(script.chunks)
    report(Progress(job.index, job.slug, result.title, "start", 0, total))
    made = 0

    def on_piece(piece: Any) -> None:
        nonlocal made
        made += 1
        result.cached_chunks += int(piece.cached)
        report(Progress(job.index, job.slug, result.title, "chunk", made, total))

    rendering = render_script(engine, script, cache=cache, on_piece=on_piece)
    report(Progress(job.index, job.slug, result.title, "write", made, total))
    sr = rendering.sample_rate
    loud = normalize_loudness(rendering.audio, sr, settings.lufs, settings.peak_dbtp)
    duration = len(loud.audio) / sr
    cues = sentence_cues(script, rendering.pieces, duration)
    sections = chapters(script, rendering.pieces, duration)
    voice = str(getattr(engine, "voice", "") or "")
    artist = f"{engine.name} {voice}".strip()
    licence = _licence(engine)
    # The album is where the article came from: the site, or the folder it sits in.
    album = urlsplit(job.source).netloc if _is_url(job.source) else Path(job.source).parent.name
    tags = EpisodeTags(
        title=result.title,
        artist=artist,
        album=album,
        date=job.date[:10],
        language="hin",
        comment=f"narrator: {artist}" + (f" ({licence})" if licence else ""),
        chapters=sections,
    )
    audio_bytes, file_rate = audio_file_bytes(
        loud.audio, sr, settings.fmt, tag=lambda buf, fmt: write_tags(buf, fmt, tags)
    )
    sidecar = {
        SIDECAR_MARK: EXPORT_VERSION,
        "title": result.title,
        "source": job.source,
        "date": job.date or None,
        "language": "hi",
        "description": _description(script),
        "slug": job.slug,
        "audio": paths["audio"].name,
        "format": settings.fmt,
        "mime_type": MIME_TYPES[settings.fmt],
        "audio_bytes": len(audio_bytes),
        "duration_s": round(duration, 3),
        "sample_rate": file_rate,
        "engine": engine.name,
        "voice": voice,
        "model": getattr(engine, "model_id", engine.name),
        "licence": licence,
        "cache_key": engine.cache_key,
        "loudness": {
            "target_lufs": settings.lufs,
            "measured_lufs": None if loud.loudness_out is None else round(loud.loudness_out, 2),
            "true_peak_dbtp": round(loud.peak_dbtp, 2) if loud.peak_dbtp > -1e9 else None,
        },
        "content_hash": digest,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "subtitles": {"srt": paths["srt"].name, "vtt": paths["vtt"].name},
        "chapters": paths["chapters"].name,
        "chapter_list": [asdict(c) for c in sections],
        "chunks": [
            {
                "index": p.chunk.index,
                "text": script.cleaned[p.chunk.source_start : p.chunk.source_end],
                "spoken": p.chunk.text,
                "start_s": round(p.start_s, 3),
                "end_s": round(p.end_s, 3),
                "sentence": p.chunk.sentence,
                "paragraph": p.chunk.paragraph,
                "cached": p.cached,
            }
            for p in rendering.pieces
        ],
    }
    # Everything is staged and synced before the first rename; the sidecar is
    # renamed last, so a sidecar on disk always means a complete episode.
    atomic_write_many(
        [
            (paths["srt"], to_srt(cues).encode("utf-8")),
            (paths["vtt"], to_vtt(cues).encode("utf-8")),
            (paths["chapters"], chapters_json(sections, result.title).encode("utf-8")),
            (paths["audio"], audio_bytes),
            (paths["sidecar"], (json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n").encode()),
        ]
    )
    result.status = "done"
    result.audio = paths["audio"]
    result.duration_s = duration
    result.synth_s = rendering.synth_s


# -- worker processes -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    spec: EngineSpec,
    settings: ExportSettings,
    events: Any,
    cache_folder: Path | None,
    threads: int,
) -> None:
    """Load the engine once per worker process (errors are reported per job).

    Each worker gets its share of the CPU cores as engine threads: N workers
    each running a thread per core would fight over the cores and be slower
    together than one worker alone.
    """
    from narrator.cache import ChunkCache

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
    events = _WORKER["events"]
    return export_article(
        _WORKER["engine"],
        job,
        _WORKER["settings"],
        cache=_WORKER["cache"],
        progress=events.put,
    )


# -- the batch --------------------------------------------------------------------------


def export_articles(
    sources: Sequence[str],
    *,
    out_dir: Path | str,
    fmt: str = "mp3",
    engine_spec: EngineSpec | Sequence[Any] | None = None,
    jobs: int = 1,
    lufs: float = -16.0,
    force: bool = False,
    progress: ProgressFn | None = None,
    engine: Any = None,
    cache: Any = None,
) -> ExportSummary:
    """Export every article named by `sources` into `out_dir`.

    sources      article files, folders of them, URLs, feeds (any mix)
    engine_spec  EngineSpec or a tuple (engine, voice, device, speed, model)
    jobs         worker processes; 1 runs in this process
    engine       an already loaded engine (runs in this process; overrides
                 engine_spec and jobs)
    cache        a ChunkCache (default: the user's cache); workers open its folder
    progress     called with `Progress` events, in this process
    """
    started = time.perf_counter()
    fmt = audio_format("", fmt)
    if not -40.0 <= lufs <= -5.0:
        raise InputError(f"--lufs {lufs} is out of range: use -40 to -5 (podcasts use -16)")
    if jobs < 1:
        raise InputError(f"--jobs {jobs} must be 1 or more")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    sweep_stale_temps(out)
    settings = ExportSettings(out_dir=out, fmt=fmt, lufs=lufs, force=force)
    spec = EngineSpec.of(engine_spec)

    articles, failed = gather_articles(sources)
    summary = ExportSummary(results=list(failed), out_dir=out)
    if not articles:
        if not failed:
            raise InputError("no articles to export")
        summary.wall_s = time.perf_counter() - started
        return summary
    slugs = assign_slugs(articles, out)
    work = [
        ArticleJob(
            index=i,
            title=str(a.title or ""),
            body=str(a.body or ""),
            source=article_identity(a),
            date=_date_text(getattr(a, "date", None)),
            slug=slug,
        )
        for i, (a, slug) in enumerate(zip(articles, slugs, strict=True))
    ]
    report = progress or (lambda _p: None)
    for job in work:
        report(Progress(job.index, job.slug, job.title, "queued"))
    workers = min(jobs, len(work))
    if workers == 1 or engine is not None:
        results = _run_here(work, settings, spec, engine, cache, report)
    else:
        folder = getattr(cache, "folder", None)
        results = _run_pool(work, settings, spec, workers, report, folder)
    summary.results.extend(sorted(results, key=lambda r: r.index))
    summary.wall_s = time.perf_counter() - started
    return summary


def _run_here(
    work: list[ArticleJob],
    settings: ExportSettings,
    spec: EngineSpec,
    engine: Any,
    cache: Any,
    report: ProgressFn,
) -> list[ArticleResult]:
    from narrator.cache import ChunkCache

    loaded = engine if engine is not None else spec.load()
    chunk_cache = cache if cache is not None else ChunkCache()
    return [
        export_article(loaded, job, settings, cache=chunk_cache, progress=report) for job in work
    ]


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
