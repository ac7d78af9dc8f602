"""One article job exported into a folder, atomically: `export_article`.

For the article, in `settings.out_dir`:

    <slug>.<fmt>            loudness-normalized, tagged audio (chapters inside)
    <slug>.srt, <slug>.vtt  one cue per sentence, timed from the real audio
    <slug>.chapters.json    Podcasting 2.0 JSON chapters
    <slug>.json             the EpisodeSidecar, written LAST, so a sidecar means
                            a complete episode (the feed only trusts sidecars)

Why it is safe to interrupt: the narration goes to a spool (a temp file), is
mastered into a temp audio file, and the four small files are staged as temp
files too; all are synced, and only then renamed back to back, sidecar last. An
existing sidecar is removed before its episode is redone, so an old sidecar
never vouches for new files. Temp files of a killed process (hidden, marked
with its pid) are swept at the start of the next export.

Why it is resumable: the sidecar holds a content hash of everything that shapes
the audio (the cleaned text and every chunk's spoken text, the engine's
`cache_key`, format, loudness target, pauses, exporter version); an article
whose hash matches is skipped unless `force`. Chunks come from the `ChunkCache`,
so even a forced redo only pays for synthesis once.

Memory: the engine, plus one group of chunks' audio (a few minutes), plus
buffers; never the episode (see `narrator.export.render` and
`narrator.audio.loudness`).

`export_article` is the unit a cluster runs (`narrator export --ray`): it takes
plain typed arguments, claims its slug under the folder's lock when the job has
none, and returns an ArticleResult instead of raising.
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from narrator.audio import assemble
from narrator.audio.files import MIME_TYPES, atomic_write_many, audio_format, disk_error
from narrator.audio.loudness import DEFAULT_LUFS, DEFAULT_PEAK_DBTP
from narrator.audio.master import MasteredFile, master_audio
from narrator.audio.spool import AudioSpool
from narrator.audio.tags import Chapter, EpisodeTags
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.errors import InputError, NarratorError
from narrator.export.job import ArticleJob
from narrator.export.names import claim_slugs
from narrator.export.render import RenderedNarration, render_to_spool
from narrator.export.sidecar import (
    ChunkRecord,
    EpisodeSidecar,
    LoudnessRecord,
    SidecarError,
)
from narrator.subtitles import (
    TimedChunk,
    chapters,
    chapters_json,
    sentence_cues,
    to_srt,
    to_vtt,
)
from narrator.text.script import Script
from narrator.urls import is_url

EXPORT_VERSION = 2  # 2: blockwise mastering, identities, sidecar version 2
DESCRIPTION_CHARS = 400


@dataclass(frozen=True)
class ExportSettings:
    """Everything besides the article and the engine that shapes the output.

    out_dir    the episode folder
    fmt        "mp3", "wav", "flac" or "ogg"
    lufs       integrated loudness target
    peak_dbtp  true-peak ceiling
    force      redo episodes that are up to date
    """

    out_dir: Path
    fmt: str = "mp3"
    lufs: float = DEFAULT_LUFS
    peak_dbtp: float = DEFAULT_PEAK_DBTP
    force: bool = False


@dataclass(frozen=True)
class Progress:
    """A progress report from an article being exported.

    stage  "queued", "start" (total known), "chunk" (one more chunk made),
           "write", "done", "skipped" or "failed"
    """

    index: int
    slug: str
    title: str
    stage: str
    done: int = 0
    total: int = 0


ProgressFn = Callable[[Progress], None]


@dataclass
class ArticleResult:
    """The outcome for one article.

    status   "done" | "skipped" | "failed"; `error` is one line when failed
    fatal    the engine itself could not be loaded (the batch stops)
    """

    index: int
    source: str
    title: str
    slug: str
    status: str
    audio: Path | None = None
    duration_s: float = 0.0
    chunks: int = 0
    cached_chunks: int = 0
    synth_s: float = 0.0
    wall_s: float = 0.0
    error: str = ""
    fatal: bool = False


def content_hash(
    script: Script, job: ArticleJob, engine: BaseEngine, settings: ExportSettings
) -> str:
    """sha256 of everything that shapes the episode's audio and timed text."""
    payload = {
        "version": EXPORT_VERSION,
        "title": script.title,
        "date": job.date,
        "identity": job.identity,
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


# The files of an episode in the order they are renamed into place: the
# sidecar last, so that a sidecar on disk always means a complete episode.
PUBLISH_ORDER = ("srt", "vtt", "chapters", "audio", "sidecar")


def episode_paths(out_dir: Path, slug: str, fmt: str) -> dict[str, Path]:
    """Every file of one episode (keys: PUBLISH_ORDER)."""
    return {
        "audio": out_dir / f"{slug}.{fmt}",
        "srt": out_dir / f"{slug}.srt",
        "vtt": out_dir / f"{slug}.vtt",
        "chapters": out_dir / f"{slug}.chapters.json",
        "sidecar": out_dir / f"{slug}.json",
    }


def complete_episode(paths: dict[str, Path]) -> EpisodeSidecar | None:
    """The sidecar when every file of the episode is there and the audio is whole."""
    try:
        sidecar = EpisodeSidecar.read(paths["sidecar"])
    except SidecarError:
        return None
    if not all(p.is_file() for p in paths.values()):
        return None
    if paths["audio"].stat().st_size != sidecar.audio_bytes:
        return None
    return sidecar


FindEpisode = Callable[[dict[str, Path]], EpisodeSidecar | None]


def up_to_date(
    paths: dict[str, Path], digest: str, find: FindEpisode = complete_episode
) -> EpisodeSidecar | None:
    """The sidecar when the episode is complete and made from the same inputs."""
    sidecar = find(paths)
    if sidecar is None or sidecar.content_hash != digest:
        return None
    return sidecar


def licence_of(engine: BaseEngine) -> str:
    """The licence of the engine's current voice ("" when it does not say)."""
    try:
        for info in type(engine).list_voices():
            if info.name == engine.voice:
                return info.licence
    except Exception:  # noqa: BLE001 (a voice list is informative only)
        return ""
    return ""


def description_of(script: Script) -> str:
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


def episode_tags(
    script: Script,
    engine: BaseEngine,
    sections: list[Chapter],
    *,
    source: str = "",
    date: str = "",
    title: str = "",
) -> EpisodeTags:
    """The tags inside an episode's audio file (export and `speak -o` alike)."""
    voice = engine.voice
    artist = f"{engine.name} {voice}".strip()
    licence = licence_of(engine)
    # The album is where the article came from: the site, or the folder it sits in.
    if is_url(source):
        album = urlsplit(source).netloc
    elif source and source != "-":
        album = Path(source).parent.name
    else:
        album = ""
    return EpisodeTags(
        title=title or script.title,
        artist=artist,
        album=album,
        date=date[:10],
        language="hin",
        comment=f"narrator: {artist}" + (f" ({licence})" if licence else ""),
        chapters=sections,
    )


def export_article(
    engine: BaseEngine,
    job: ArticleJob,
    settings: ExportSettings,
    *,
    cache: ChunkCache | None = None,
    progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
    find_episode: FindEpisode = complete_episode,
) -> ArticleResult:
    """Export one article into `settings.out_dir` with a loaded engine.

    The folder must exist. A job without a slug claims one (under the folder's
    lock). Never raises for a problem with the article, the audio or the disk:
    the result says "failed" with a one-line error.

    find_episode  the complete episode already made for these paths, if any
                  (default: read from the folder); a cluster actor that makes
                  the files in a staging folder for the driver to write passes
                  what the driver found in the real one, so the resume rule
                  (same content hash: skip) stays this one
    """
    started = time.perf_counter()
    result = ArticleResult(job.index, job.source, job.title, job.slug, "failed")
    report = progress or (lambda _p: None)
    try:
        _export(engine, job, settings, cache, report, result, should_stop, find_episode)
    except NarratorError as exc:
        result.status, result.error = "failed", str(exc)
    except OSError as exc:
        result.status, result.error = "failed", str(disk_error(exc, settings.out_dir))
    except Exception as exc:  # noqa: BLE001 (a bug in one article must not end the batch)
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
    result.wall_s = time.perf_counter() - started
    report(
        Progress(job.index, result.slug, result.title, result.status, result.chunks, result.chunks)
    )
    return result


def _export(
    engine: BaseEngine,
    job: ArticleJob,
    settings: ExportSettings,
    cache: ChunkCache | None,
    report: ProgressFn,
    result: ArticleResult,
    should_stop: Callable[[], bool] | None,
    find_episode: FindEpisode,
) -> None:
    from narrator.text import prepare

    fmt = audio_format("", settings.fmt)
    script = prepare(job.body, title=job.title, fits=engine.fits)
    if not script.chunks:
        raise InputError(f"{job.source}: nothing to speak")
    result.title = script.title or job.title
    result.chunks = len(script.chunks)
    if not job.slug:
        job = claim_slugs(settings.out_dir, [job])[0]
    result.slug = job.slug
    digest = content_hash(script, job, engine, settings)
    paths = episode_paths(settings.out_dir, job.slug, fmt)
    if not settings.force:
        done = up_to_date(paths, digest, find_episode)
        if done is not None:
            result.status = "skipped"
            result.audio = paths["audio"]
            result.duration_s = done.duration_s
            return
    # From here on the old episode (if any) is no longer vouched for.
    paths["sidecar"].unlink(missing_ok=True)
    total = len(script.chunks)
    report(Progress(job.index, job.slug, result.title, "start", 0, total))

    made_count = 0

    def on_chunk(_timing: TimedChunk) -> None:
        nonlocal made_count
        made_count += 1
        report(Progress(job.index, job.slug, result.title, "chunk", made_count, total))

    with AudioSpool(settings.out_dir, paths["audio"].name, engine.sample_rate) as spool:
        made = render_to_spool(
            engine, script, spool, cache=cache, on_chunk=on_chunk, should_stop=should_stop
        )
        if not made.complete:
            raise NarratorError("export stopped before the article was finished")
        report(Progress(job.index, job.slug, result.title, "write", total, total))
        duration = spool.duration_s
        sections = chapters(script, made.timings, duration)
        tags = episode_tags(
            script, engine, sections, source=job.source, date=job.date, title=result.title
        )
        mastered = master_audio(
            spool,
            spool.sample_rate,
            paths["audio"],
            fmt,
            tags=tags,
            target_lufs=settings.lufs,
            peak_dbtp=settings.peak_dbtp,
            loudness_in=spool.meter.integrated(),
            measured=True,
        )
    try:
        cues = sentence_cues(script, made.timings, duration)
        sidecar = _sidecar(job, script, engine, settings, mastered, made, sections, digest, paths)
        # Everything is staged and synced before the first rename; the sidecar is
        # renamed last, so a sidecar on disk always means a complete episode.
        contents: dict[str, bytes | Path] = {
            "srt": to_srt(cues).encode("utf-8"),
            "vtt": to_vtt(cues).encode("utf-8"),
            "chapters": chapters_json(sections, result.title).encode("utf-8"),
            "audio": mastered.temp,
            "sidecar": sidecar.to_json().encode("utf-8"),
        }
        atomic_write_many([(paths[kind], contents[kind]) for kind in PUBLISH_ORDER])
    except BaseException:
        mastered.discard()
        raise
    result.status = "done"
    result.audio = paths["audio"]
    result.duration_s = duration
    result.synth_s = made.synth_s
    result.cached_chunks = made.cached_chunks


def _sidecar(
    job: ArticleJob,
    script: Script,
    engine: BaseEngine,
    settings: ExportSettings,
    mastered: MasteredFile,
    made: RenderedNarration,
    sections: list[Chapter],
    digest: str,
    paths: dict[str, Path],
) -> EpisodeSidecar:
    loud = mastered.loudness
    return EpisodeSidecar(
        title=script.title or job.title,
        source=job.source,
        identity=job.identity,
        link=job.link,
        date=job.date or None,
        language=job.language,
        description=description_of(script),
        slug=job.slug,
        audio=paths["audio"].name,
        format=mastered.fmt,
        mime_type=MIME_TYPES[mastered.fmt],
        audio_bytes=mastered.size,
        duration_s=round(mastered.duration_s, 3),
        sample_rate=mastered.sample_rate,
        engine=engine.name,
        voice=engine.voice,
        model=engine.model_id,
        licence=licence_of(engine),
        cache_key=engine.cache_key,
        loudness=LoudnessRecord(
            target_lufs=settings.lufs,
            measured_lufs=None if loud.loudness_out is None else round(loud.loudness_out, 2),
            true_peak_dbtp=round(loud.peak_dbtp, 2) if loud.peak_dbtp > -1e9 else None,
            input_lufs=None if loud.loudness_in is None else round(loud.loudness_in, 2),
        ),
        content_hash=digest,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        subtitles={"srt": paths["srt"].name, "vtt": paths["vtt"].name},
        chapters=paths["chapters"].name,
        chapter_list=tuple(sections),
        chunks=tuple(
            ChunkRecord(
                index=t.chunk.index,
                text=script.cleaned[t.chunk.source_start : t.chunk.source_end],
                spoken=t.chunk.text,
                start_s=round(t.start_s, 3),
                end_s=round(t.end_s, 3),
                sentence=t.chunk.sentence,
                paragraph=t.chunk.paragraph,
                cached=t.cached,
            )
            for t in made.timings
        ),
    )


@dataclass(frozen=True)
class NarratedFile:
    """A narration written to one audio file by `narrate_to_file`."""

    path: Path
    duration_s: float
    chunks: int
    cached_chunks: int
    synth_s: float
    loudness_lufs: float | None
    true_peak_dbtp: float


def narrate_to_file(
    engine: BaseEngine,
    script: Script,
    output: Path,
    fmt: str | None = None,
    *,
    cache: ChunkCache | None = None,
    on_chunk: Callable[[TimedChunk], None] | None = None,
    lufs: float = DEFAULT_LUFS,
    peak_dbtp: float = DEFAULT_PEAK_DBTP,
    source: str = "",
    date: str = "",
) -> NarratedFile:
    """Narrate `script` into one mastered, tagged audio file (`narrator speak -o`).

    The same spool, mastering and tags as an exported episode, without the
    subtitles and sidecar; the file appears atomically.
    """
    output = Path(output)
    name = audio_format(output, fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    with AudioSpool(output.parent, output.name, engine.sample_rate) as spool:
        made = render_to_spool(engine, script, spool, cache=cache, on_chunk=on_chunk)
        sections = chapters(script, made.timings, spool.duration_s)
        mastered = master_audio(
            spool,
            spool.sample_rate,
            output,
            name,
            tags=episode_tags(script, engine, sections, source=source, date=date),
            target_lufs=lufs,
            peak_dbtp=peak_dbtp,
            loudness_in=spool.meter.integrated(),
            measured=True,
        )
    try:
        mastered.publish()
    except OSError as exc:
        mastered.discard()
        raise disk_error(exc, output) from exc
    return NarratedFile(
        path=output,
        duration_s=mastered.duration_s,
        chunks=len(made.timings),
        cached_chunks=made.cached_chunks,
        synth_s=made.synth_s,
        loudness_lufs=mastered.loudness.loudness_out,
        true_peak_dbtp=mastered.loudness.peak_dbtp,
    )
