"""What a live narration's threads share, under one condition variable.

The producer thread fills `entries` (a chunk's audio as it is made); the player
thread plays them from `cursor`; the listener's controls move the cursor (a new
`generation` per move), pause, or stop. Every change that another thread may be
waiting for is made under `cond` and followed by `notify_all()`, so every wait
is `cond.wait()` on a condition, never a polling loop: a start, a seek or a
resume is acted on as soon as it happens.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np

from narrator.stream.stats import NarrationStats
from narrator.stream.timeline import Timeline
from narrator.stream_events import NarrationEvent, PlaybackState, StateChanged
from narrator.text.script import Chunk, Script

__all__ = ["ChunkAudio", "PlayState"]


@dataclass
class ChunkAudio:
    """One chunk's audio as the producer makes it (parts grow until `done`)."""

    parts: list[np.ndarray] = field(default_factory=list)
    started_at: float | None = None  # when the producer began it
    done: bool = False
    synth_s: float = 0.0
    cached: bool = False
    error: BaseException | None = None

    @property
    def samples(self) -> int:
        return sum(len(p) for p in self.parts)

    def audio(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.float32)


class PlayState:
    """The shared state; every attribute is read and written holding `cond`.

    ahead   chunks the producer may make past the one playing, at least
    smooth  make everything ahead (the start waits until it can run through)
    """

    LEAD_FACTOR = 2.0
    """Beyond `ahead` chunks, the producer still works while the audio made after
    the playing chunk is shorter than this many times the next chunk: a long
    chunk after short ones is started early enough to be ready."""

    def __init__(self, script: Script, timeline: Timeline, *, ahead: int, smooth: bool) -> None:
        self.cond = threading.Condition()
        self.chunks: list[Chunk] = script.chunks
        self.timeline = timeline
        self.ahead = max(1, int(ahead))
        self.smooth = smooth
        self.entries: dict[int, ChunkAudio] = {}
        self.cursor = 0  # the chunk playing, or to play next
        self.generation = 0  # moves on every seek
        self.skip_s = 0.0  # seconds into the cursor chunk to start at (a seek by time)
        self.paused = False
        self.holding = True  # the start is held until playback can run on
        self.stop = threading.Event()  # this run's; a new one when playback restarts
        self.making = -1  # the chunk the producer works on
        self.broken: BaseException | None = None  # a producer failure outside any chunk
        self.state = PlaybackState.IDLE
        self.stats = NarrationStats()
        self.pending: list[NarrationEvent] = []  # to deliver outside the lock

    # -- state ------------------------------------------------------------------
    def set_state(self, state: PlaybackState) -> None:
        """Change state (holding `cond`); the event is delivered later, outside the lock.

        Listeners are never called under the lock, so one that calls back into
        the narrator from another thread (a UI's call_from_thread) cannot deadlock.
        """
        if state != self.state:
            self.state = state
            self.pending.append(StateChanged(state))

    def take_pending(self) -> list[NarrationEvent]:
        with self.cond:
            pending, self.pending = self.pending, []
        return pending

    def move(self, index: int, skip_s: float = 0.0) -> None:
        """The listener moved to chunk `index` (holding `cond`)."""
        self.cursor = index
        self.skip_s = max(0.0, skip_s)
        self.generation += 1
        self.cond.notify_all()

    # -- what the producer makes next ----------------------------------------------
    def next_to_make(self) -> int | None:
        """The first chunk from the cursor on not made yet, if the producer may make it."""
        n = len(self.chunks)
        unbounded = self.smooth or self.holding
        for i in range(self.cursor, n):
            if i in self.entries:
                continue
            if unbounded or i <= self.cursor + self.ahead:
                return i
            if self.paused:  # no listener deadline while paused
                return None
            lead = self.timeline.lead_s(self.cursor + 1, i)
            needed = self.LEAD_FACTOR * self.timeline.duration_samples(i) / self.timeline.sample_rate
            return i if lead < needed else None
        return None

    def schedule(self, stop: threading.Event) -> Generator[int, None, None]:
        """Chunk indices for the producer, as the listener needs them; waits in between.

        Each index is claimed (an empty ChunkAudio) before it is handed out. Ends
        when `stop` is set.
        """
        stats = self.stats
        while True:
            with self.cond:
                while True:
                    if stop.is_set():
                        return
                    index = self.next_to_make()
                    if index is not None:
                        break
                    if stats.producer_done_at is None and self._all_made():
                        stats.producer_done_at = time.perf_counter()
                    resting = stats.producer_done_at is None  # ahead of the listener
                    idle_from = time.perf_counter()
                    self.cond.wait()
                    if resting:
                        stats.producer_idle_s += time.perf_counter() - idle_from
                self.entries[index] = ChunkAudio(started_at=time.perf_counter())
                self.making = index
            yield index

    def _all_made(self) -> bool:
        return len(self.entries) == len(self.chunks) and all(e.done for e in self.entries.values())

    # -- what the player may play ---------------------------------------------------
    def playable(self, index: int, parts_early: bool) -> bool:
        """Whether chunk `index` can start playing (made; or streaming and keeping up)."""
        entry = self.entries.get(index)
        return entry is not None and (entry.done or (bool(entry.parts) and parts_early))

    def error_for(self, index: int) -> BaseException | None:
        """The error that keeps chunk `index` from being made, if any."""
        entry = self.entries.get(index)
        return entry.error if entry is not None and entry.error is not None else self.broken

    def fail(self, error: BaseException) -> None:
        """The producer failed: on the chunk it was making, else on the whole narration."""
        entry = self.entries.get(self.making)
        if entry is not None and not entry.done:
            entry.error = error
        else:
            self.broken = error
        self.cond.notify_all()

    def drop_unfinished(self) -> None:
        """The producer ended: a chunk it left half made (a stop) is not made."""
        for index, entry in list(self.entries.items()):
            if not entry.done and entry.error is None:
                del self.entries[index]
        self.cond.notify_all()
