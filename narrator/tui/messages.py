"""Every message between the app, its widgets and the worker threads, in one place.

Worker threads (article loading, engine loading, the streaming narrator, export)
never touch widgets: they post one of these small dataclasses to the app, which
is thread-safe, and the handler on the UI thread updates the screen. Messages that
arrive many times a second (playback position, level, synthesis and export
progress) define `can_replace`, so when the UI is busy Textual keeps only the
newest one instead of replaying a backlog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from narrator.stream_events import (
    Buffering,
    ChunkStarted,
    Level,
    NarrationEvent,
    NarrationFailed,
    NarrationFinished,
    PlaybackProgress,
    StateChanged,
    SynthesisProgress,
    Underrun,
)

if TYPE_CHECKING:
    from narrator.library import LibraryEntry
    from narrator.text.script import Chunk, Script


# -- the library and the open article -------------------------------------------------


@dataclass
class LibraryLoaded(Message):
    """The library folder was scanned; `problems` are files that could not be read."""

    entries: list[LibraryEntry]
    problems: list[str] = field(default_factory=list)


@dataclass
class ArticleChosen(Message):
    """The user picked an article in the list (Enter or click)."""

    entry: LibraryEntry


@dataclass
class ArticlePrepared(Message):
    """An article is loaded and turned into a script: the preview shows it.

    `entry` describes the article; `script` is what will be spoken (chunked for
    the engine that will speak it once playback has loaded one).
    """

    entry: LibraryEntry
    script: Script


@dataclass
class ArticleUnreadable(Message):
    """An article could not be loaded or holds nothing to speak."""

    source: str
    message: str


@dataclass
class Problem(Message):
    """A user-actionable error (NarratorError) from a worker: shown as a notification."""

    message: str
    title: str = "narrator"


@dataclass
class Notice(Message):
    """Information the user should read (e.g. which engine `auto` chose)."""

    message: str


# -- playback (wrapping narrator.stream_events) ----------------------------------------


@dataclass
class EngineLoading(Message):
    """The worker started loading a voice; may take seconds for neural engines."""

    label: str


@dataclass
class PlaybackStarted(Message):
    """The narrator started on `script` (the engine's own chunking) with this engine."""

    script: Script
    label: str


@dataclass
class ChunkPlaying(Message):
    """The listener now hears `chunk` (read-along moves here)."""

    chunk: Chunk
    start_s: float
    end_s: float


@dataclass
class PositionChanged(Message):
    """Playback position; frequent, so only the newest is kept."""

    position_s: float
    total_s: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PositionChanged)


@dataclass
class LevelChanged(Message):
    """RMS of the audio being heard now, for the level meter; frequent."""

    rms: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LevelChanged)


@dataclass
class SynthesisAdvanced(Message):
    """Chunks synthesized so far and the measured real-time factor; frequent."""

    done: int
    total: int
    rtf: float | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SynthesisAdvanced)


@dataclass
class PlayerStateChanged(Message):
    """idle, buffering, playing, paused, stopped, finished or failed."""

    state: str


@dataclass
class BufferingStarted(Message):
    """Playback waits for synthesis (slow voice); roughly how long."""

    expected_wait_s: float


@dataclass
class UnderrunHappened(Message):
    """Playback had to wait `wait_s` seconds mid-article."""

    wait_s: float


@dataclass
class PlaybackFinished(Message):
    """The narration ended by itself (not by stop)."""

    underruns: int
    total_wait_s: float


@dataclass
class PlaybackFailed(Message):
    """Synthesis or playback failed; the message says why."""

    message: str


@dataclass
class NoSoundDevice(Message):
    """There is no audio output here; the app offers export instead."""

    message: str


# -- export ----------------------------------------------------------------------------


@dataclass
class ExportProgress(Message):
    """`done` of `total` chunks of the export synthesized; frequent."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ExportProgress)


@dataclass
class ExportFinished(Message):
    """The export was written (atomically) to `path` (skipped: it was up to date)."""

    path: Path
    skipped: bool = False


@dataclass
class ExportFailed(Message):
    """The export failed; nothing half-written was left behind."""

    message: str


def from_stream_event(event: NarrationEvent) -> Message | None:
    """The UI message for one narrator event (None for events the UI does not show)."""
    match event:
        case ChunkStarted():
            return ChunkPlaying(event.chunk, event.start_s, event.end_s)
        case PlaybackProgress():
            return PositionChanged(event.position_s, event.total_s_estimate)
        case Level():
            return LevelChanged(event.rms)
        case SynthesisProgress():
            return SynthesisAdvanced(event.done, event.total, event.rtf)
        case Buffering():
            return BufferingStarted(event.expected_wait_s)
        case Underrun():
            return UnderrunHappened(event.wait_s)
        case NarrationFinished():
            return PlaybackFinished(event.underruns, event.total_wait_s)
        case NarrationFailed():
            return PlaybackFailed(event.message)
        case StateChanged():
            return PlayerStateChanged(event.state)
    return None
