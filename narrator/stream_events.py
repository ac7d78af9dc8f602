"""What the streaming narrator tells its listener (the TUI, the CLI, the bench).

Small frozen dataclasses in one module, in the manner of toolong's
`messages.py`: the narrator calls `on_event(event)` from its worker threads; the
TUI wraps each in a Textual message and posts it to the app. Frequent updates
(position, level, synthesis progress) say so with `can_replace`, so a UI may keep
only the newest of a kind when it falls behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from narrator.text.script import Chunk


class PlaybackState(StrEnum):
    """Where a narration stands. Values are plain strings, so `state == "playing"` holds."""

    IDLE = "idle"  # made, not started
    BUFFERING = "buffering"  # started (or sought), waiting for audio
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"  # stopped by the listener; final
    FINISHED = "finished"  # played to the end; a seek plays again
    FAILED = "failed"  # synthesis or the device failed; final

    @property
    def silent(self) -> bool:
        """True when nothing plays or will play without the listener asking again."""
        return self in (PlaybackState.IDLE, PlaybackState.STOPPED, PlaybackState.FINISHED,
                        PlaybackState.FAILED)


@dataclass(frozen=True)
class NarrationEvent:
    """Base class of every event; `can_replace` is False for the ones that matter."""

    def can_replace(self, other: object) -> bool:
        return False


@dataclass(frozen=True)
class _Frequent(NarrationEvent):
    def can_replace(self, other: object) -> bool:
        return type(other) is type(self)


@dataclass(frozen=True)
class ChunkStarted(NarrationEvent):
    """The listener now hears `chunk`; times are in the whole narration (pauses included)."""

    chunk: Chunk
    start_s: float
    end_s: float


@dataclass(frozen=True)
class PlaybackProgress(_Frequent):
    """Where playback is, and the narration's length as far as it is known yet."""

    position_s: float
    total_s_estimate: float


@dataclass(frozen=True)
class Level(_Frequent):
    """RMS of the audio being played (0..1), for a level meter."""

    rms: float


@dataclass(frozen=True)
class SynthesisProgress(_Frequent):
    """`done` of `total` chunks synthesized; the measured real-time factor so far."""

    done: int
    total: int
    rtf: float | None


@dataclass(frozen=True)
class Buffering(NarrationEvent):
    """Playback waits about `expected_wait_s` before it starts (the voice is slower than real time)."""

    expected_wait_s: float


@dataclass(frozen=True)
class Underrun(NarrationEvent):
    """Playback had to wait `wait_s` between two chunks for synthesis to catch up."""

    wait_s: float


@dataclass(frozen=True)
class NarrationFinished(NarrationEvent):
    """The narration played to its end; how often and how long it had to wait."""

    underruns: int
    total_wait_s: float


@dataclass(frozen=True)
class NarrationFailed(NarrationEvent):
    """Synthesis (or the audio device) failed; `chunk` is where, when known."""

    message: str
    chunk: Chunk | None


@dataclass(frozen=True)
class StateChanged(NarrationEvent):
    """The narrator's state changed (see PlaybackState)."""

    state: PlaybackState
