"""The server's only contact points with the rest of narrator.

Every use the server makes of engine loading, the streaming core, the export
folder (sidecars, feed) and the article library goes through one small function
here, so the routes read as HTTP and a change below means re-pointing one
function, not hunting through routes:

    engine_for       narrator.engines.registry.resolve_engine
    default_engine   the same, for `--engine auto`
    voice_catalogue  narrator.engines.registry.all_voices / engine_class
    pieces_for       narrator.stream (the producer of placed AudioPieces)
    script_for       narrator.text.prepare
    episodes_in      narrator.podcast.load_episodes (the sidecars)
    feed_bytes       narrator.podcast.folder_feed (the feed `narrator feed` writes)
    library_in       narrator.library.open_library
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from narrator.audio.piece import AudioPiece
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine, VoiceInfo
from narrator.library import LibraryEntry
from narrator.text import Script


# -- engines ---------------------------------------------------------------------------
def engine_for(engine: str, voice: str | None, speed: float) -> BaseEngine:
    """A loaded engine for one request (InputError on an unknown voice or bad speed)."""
    from narrator.engines.registry import resolve_engine

    return resolve_engine(engine, voice=voice, speed=speed, purpose="live").engine


def default_engine(engine: str = "auto", voice: str | None = None) -> tuple[BaseEngine, list[str]]:
    """The server's default voice (what `auto` means for live listening) and the notices."""
    from narrator.engines.registry import resolve_engine

    choice = resolve_engine(engine, voice=voice, speed=1.0, purpose="live")
    return choice.engine, choice.notices


def voice_catalogue() -> list[VoiceInfo]:
    """Every voice of every engine, ready or not, with its licence."""
    from narrator.engines.registry import all_voices

    return all_voices()


# -- the streaming core ------------------------------------------------------------------
def pieces_for(
    engine: BaseEngine,
    script: Script,
    stop: threading.Event,
    cache: ChunkCache | None = None,
) -> Iterator[AudioPiece]:
    """Placed AudioPieces of `script` from the one producer that export and live
    playback drain too; a streaming engine's parts (XTTS) are passed on as they come.

    Setting `stop` (or closing the iterator) ends synthesis within one chunk
    (within one part for a streaming engine).
    """
    from narrator.stream import Producer, Timeline

    timeline = Timeline.of(script, engine.sample_rate)
    return Producer(engine, script, timeline, cache=cache, stream=True).pieces(
        should_stop=stop.is_set
    )


def script_for(text: str, engine: BaseEngine, title: str = "") -> Script:
    """The Hindi front end: cleaned, normalized chunks that fit the engine, planned
    as live listening plans them so the first audio comes after one short chunk."""
    from narrator.stream import live_chunk_plan
    from narrator.text import prepare

    return prepare(text, title=title, fits=engine.fits, budget=live_chunk_plan(engine))


# -- the export folder ---------------------------------------------------------------------
@dataclass(frozen=True)
class EpisodeView:
    """An exported episode as the player lists it (file names are inside the folder)."""

    slug: str
    title: str
    audio: str
    mime_type: str
    duration_s: float
    published: str
    vtt: str | None
    srt: str | None
    chapters: str | None


def episodes_in(folder: Path) -> tuple[list[EpisodeView], list[str]]:
    """The complete episodes in `folder` (newest first) and notes on what was skipped."""
    from narrator.podcast import load_episodes

    episodes, notes = load_episodes(folder)
    views = [
        EpisodeView(
            slug=e.slug,
            title=e.title,
            audio=e.audio.name,
            mime_type=e.mime_type,
            duration_s=e.duration_s,
            published=e.published.isoformat(),
            vtt=e.subtitles["vtt"].name if "vtt" in e.subtitles else None,
            srt=e.subtitles["srt"].name if "srt" in e.subtitles else None,
            chapters=e.chapters.name if e.chapters is not None else None,
        )
        for e in episodes
    ]
    return views, notes


def feed_bytes(folder: Path, base_url: str) -> bytes:
    """The folder's podcast feed as `narrator feed` makes it (feed.toml's channel settings
    included), with enclosures under `base_url`; the server never writes into the folder."""
    from narrator.podcast import channel_for, folder_feed

    return folder_feed(folder, channel_for(folder, base_url=base_url), publish=False).xml


# -- the article library ---------------------------------------------------------------------
def article_id(entry: LibraryEntry) -> str:
    """A short id for URLs, stable while the article stays where it is."""
    return hashlib.sha1(entry.key.encode("utf-8")).hexdigest()[:12]


def library_in(folder: Path | None) -> tuple[list[LibraryEntry], list[str]]:
    """The articles of `folder` (None: the user's library) and one line per unreadable file."""
    from narrator.library import open_library

    return open_library(folder)
