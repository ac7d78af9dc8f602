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

from narrator import stream_events

if TYPE_CHECKING:
    from narrator.library import LibraryEntry
    from narrator.listener_state import Listening
    from narrator.text.script import Script


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
class ArticlePreparing(Message):
    """A worker started turning an article into its script (long ones take seconds).

    `chars` is the size of the text, so the screen can say what it is working on.
    """

    title: str
    chars: int


@dataclass
class ArticlePrepared(Message):
    """An article is loaded and turned into a script: the preview shows it.

    `entry` describes the article; `script` is what will be spoken (chunked for
    the engine that will speak it once playback has loaded one); `resume` is
    how the listener left it last time (None: never heard).
    """

    entry: LibraryEntry
    script: Script
    resume: Listening | None = None


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


# -- playback ---------------------------------------------------------------------------


@dataclass
class EngineLoading(Message):
    """The worker started loading a voice; may take seconds for neural engines."""

    label: str


@dataclass
class VoiceDescribed(Message):
    """What the voice settings mean here, e.g. `auto → kokoro · hf_alpha · 1.0×`."""

    label: str


@dataclass
class PlaybackStarted(Message):
    """The narrator started on `script` (the engine's own chunking) with this engine."""

    script: Script
    label: str


@dataclass
class NarrationEvent(Message):
    """One event of the streaming narrator (narrator.stream_events), as it happened.

    One message carries every kind, as toolong's messages do: the narrator's own
    event types are the vocabulary, not copies of them under new names. When
    the UI falls behind, Textual drops a message whose event the next one
    replaces (`can_replace` asks the event: position, level and synthesis
    progress are replaced by a newer one of their kind; the rest never are).
    """

    event: stream_events.NarrationEvent

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, NarrationEvent) and self.event.can_replace(message.event)


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
