"""The player: hands made chunks to the sink and keeps the sink's clock.

It owns what only the playback side knows: how many samples went to the sink
(`written`), marks saying which sample of the sink starts which chunk (so the
read-along follows what is *heard*, not what is queued), and the accounting of
underruns, the waits between chunks when synthesis fell behind.

Audio goes to the sink in short blocks (BLOCK_S), so a pause, a seek or a stop
is heard within one block plus the sink's own small buffer.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from narrator.audio.playback import Sink
from narrator.stream.state import ChunkAudio, PlayState
from narrator.stream_events import (
    Buffering,
    ChunkStarted,
    Level,
    NarrationEvent,
    PlaybackProgress,
    PlaybackState,
    Underrun,
)

__all__ = ["Player", "Restart"]


class Restart(Exception):
    """The listener moved (seek/skip) or stopped: leave the current chunk."""


@dataclass(frozen=True)
class _Mark:
    """Sink sample `at` is narration time `time_s`, in chunk `index` starting at `start_s`."""

    at: int
    index: int
    start_s: float
    time_s: float


class Player:
    """Plays a PlayState's chunks through a Sink; see the module docstring.

    emit         delivers an event to the listener (never called under the lock)
    listener_rtf the RTF relative to how fast the sink plays (None: unknown);
                 called holding the lock
    parts_early  whether a chunk may start before it is complete (a streaming
                 engine that keeps up); called holding the lock
    """

    BLOCK_S = 0.05
    PROGRESS_EVERY_S = 0.1
    UNDERRUN_MIN_S = 0.02

    def __init__(
        self,
        shared: PlayState,
        sink: Sink,
        *,
        emit: Callable[[NarrationEvent], None],
        listener_rtf: Callable[[], float | None],
        parts_early: Callable[[], bool],
    ) -> None:
        self.shared = shared
        self.sink = sink
        self.sample_rate = shared.timeline.sample_rate
        self._emit = emit
        self._listener_rtf = listener_rtf
        self._parts_early = parts_early
        # the sink's clock (read and written holding shared.cond)
        self._written = 0  # samples handed to the sink
        self._marks: deque[_Mark] = deque()
        self._heard: _Mark | None = None
        self._last_played: tuple[int, int] | None = None  # (chunk, generation) just played
        self._last_progress = 0.0
        self._last_rms = 0.0

    # -- what the listener hears (hold shared.cond) ---------------------------------
    @property
    def heard_index(self) -> int:
        """The chunk being heard, or the cursor before anything of it is."""
        return self._heard.index if self._heard is not None else self.shared.cursor

    def forget(self) -> None:
        """The listener moved: what the sink still holds is no longer the narration."""
        self._marks.clear()
        self._heard = None

    def position_s(self, played_samples: float) -> float:
        """Narration time heard when the sink has played `played_samples`."""
        shared, timeline = self.shared, self.shared.timeline
        heard = self._heard
        if heard is None:
            n = len(timeline)
            start = timeline.offset_s(min(shared.cursor, n))
            return start + (shared.skip_s if shared.cursor < n else 0.0)
        end = timeline.end_s(heard.index) + timeline.pauses[heard.index] / self.sample_rate
        moved = (played_samples - heard.at) / self.sample_rate
        return max(heard.start_s, min(end, heard.time_s + moved))

    # -- the play loop ----------------------------------------------------------------
    def run(self, stop: threading.Event) -> bool:
        """Play from the cursor to the end; True when the end was reached, False when stopped.

        Errors of the producer (EngineError with its chunk) and of the sink are raised.
        """
        shared = self.shared
        if not self._wait_to_start(stop):
            return False
        with shared.cond:
            shared.holding = False
            shared.cond.notify_all()
        n = len(shared.chunks)
        seen = -1
        while not stop.is_set():
            with shared.cond:
                index, generation, skip_s = shared.cursor, shared.generation, shared.skip_s
            if generation != seen:  # started, or the listener moved: restart the sink's clock
                self._resync()
                seen = generation
            if index >= n:
                # the end: let the sink play out, unless the listener skips back
                if not self.sink.drain(timeout=self.PROGRESS_EVERY_S):
                    self.tick()
                    continue
                with shared.cond:
                    if shared.generation != generation:
                        continue
                break
            try:
                entry = self._await_playable(index, generation, stop)
                self._play_chunk(index, entry, generation, stop, skip_s)
            except Restart:
                continue
            with shared.cond:
                if shared.generation == generation:
                    shared.cursor = index + 1
                    shared.skip_s = 0.0
                    self._last_played = (index, generation)
                    shared.cond.notify_all()
        if stop.is_set():
            return False
        self.tick(force=True)
        return True

    def _check(self, generation: int, stop: threading.Event) -> None:
        """Raise Restart when stopped or moved (hold shared.cond)."""
        if stop.is_set() or self.shared.generation != generation:
            raise Restart

    def _resync(self) -> None:
        """After a move: drop what the sink holds and restart the clock bookkeeping."""
        self.sink.stop()
        position = self.sink.position_s
        with self.shared.cond:
            self._written = round(position * self.sample_rate)
            self._marks.clear()

    def _wait_to_start(self, stop: threading.Event) -> bool:
        """Hold the first sample until playback can run on without stopping.

        A voice that keeps up (RTF < 1) may still fall behind where a long chunk
        follows short ones; the wait that would cause mid-narration is taken
        before the start instead (none when the chunk plan did its job). A voice
        that cannot keep up starts at once and waits between chunks, unless
        `smooth`, which buffers until the end is reachable without a wait.
        Announces a hold with `Buffering`. False when stopped.
        """
        shared, timeline = self.shared, self.shared.timeline
        announced = False
        while True:
            announce: float | None = None
            with shared.cond:
                while announce is None:
                    if stop.is_set():
                        return False
                    cursor = shared.cursor
                    if shared.error_for(cursor) is not None:
                        return True  # the play loop reports it
                    ready = shared.playable(cursor, self._parts_early())
                    rtf = self._listener_rtf()
                    delay = 0.0
                    if ready and rtf is not None:
                        delay = timeline.start_delay(cursor, rtf, self._credit_s(cursor))
                    cannot_keep_up = rtf is not None and rtf >= 1.0
                    if ready and (
                        delay <= self.UNDERRUN_MIN_S or (cannot_keep_up and not shared.smooth)
                    ):
                        return True
                    if ready and not announced:
                        announce, announced = delay, True
                        break
                    shared.cond.wait(timeout=delay if ready else None)
            self._emit(Buffering(announce))

    def _credit_s(self, cursor: int) -> float:
        """How long the first chunk not made yet (from `cursor`) has been in synthesis."""
        timeline = self.shared.timeline
        j = cursor
        while j < len(timeline) and timeline.is_made(j):
            j += 1
        entry = self.shared.entries.get(j)
        if entry is None or entry.started_at is None:
            return 0.0
        return time.perf_counter() - entry.started_at

    def _await_playable(self, index: int, generation: int, stop: threading.Event) -> ChunkAudio:
        shared = self.shared
        waited_from: float | None = None
        queued_then = 0.0
        while True:
            with shared.cond:
                self._check(generation, stop)
                error = shared.error_for(index)
                if error is not None:
                    raise error
                entry = shared.entries.get(index)
                if entry is not None and shared.playable(index, self._parts_early()):
                    break
                if waited_from is None:
                    waited_from = time.perf_counter()
                    queued_then = self.sink.queued_s
                    if shared.stats.first_audio_at is not None and not shared.paused:
                        shared.set_state(PlaybackState.BUFFERING)
                if not shared.pending:
                    # while the sink plays out what it holds, wake to show it
                    sounding = bool(self._marks) or self.sink.queued_s > 0
                    shared.cond.wait(timeout=self.PROGRESS_EVERY_S if sounding else None)
            self.tick()
        if waited_from is not None and shared.stats.first_audio_at is not None:
            sequential = self._last_played == (index - 1, generation)
            gap = time.perf_counter() - waited_from - queued_then
            if sequential and gap > self.UNDERRUN_MIN_S and not shared.paused:
                with shared.cond:
                    shared.stats.add_wait(gap)
                self._emit(Underrun(gap))
        return entry

    def _play_chunk(
        self, index: int, entry: ChunkAudio, generation: int, stop: threading.Event, skip_s: float
    ) -> None:
        shared, sr = self.shared, self.sample_rate
        skip = round(skip_s * sr)
        with shared.cond:
            start = shared.timeline.offset_s(index)
            self._marks.append(_Mark(self._written, index, start, start + skip / sr))
        k = 0
        while True:
            with shared.cond:
                while len(entry.parts) <= k and not entry.done:
                    self._check(generation, stop)
                    if entry.error is not None:
                        raise entry.error
                    shared.cond.wait()
                self._check(generation, stop)
                if k >= len(entry.parts):
                    break
                part = entry.parts[k]
            k += 1
            if skip:
                dropped = min(skip, len(part))
                part, skip = part[dropped:], skip - dropped
            self._write(part, generation, stop)
        pause = max(0, shared.timeline.pauses[index] - skip)
        if pause:
            self._write(np.zeros(pause, dtype=np.float32), generation, stop)

    def _write(self, audio: np.ndarray, generation: int, stop: threading.Event) -> None:
        shared = self.shared
        block = max(1, int(self.BLOCK_S * self.sample_rate))
        for i in range(0, len(audio), block):
            piece = audio[i : i + block]
            with shared.cond:
                while shared.paused:
                    self._check(generation, stop)
                    shared.cond.wait()
                self._check(generation, stop)
                if shared.stats.first_audio_at is None:
                    shared.stats.first_audio_at = time.perf_counter()
                shared.set_state(PlaybackState.PLAYING)
            self.sink.play(piece)
            self._last_rms = float(np.sqrt(np.mean(np.square(piece)))) if len(piece) else 0.0
            with shared.cond:
                self._written += len(piece)
                self._check(generation, stop)
            self.tick()

    def tick(self, force: bool = False) -> None:
        """Tell the listener what is now heard: chunk starts, position, level."""
        shared = self.shared
        self._deliver_pending()
        played = self.sink.position_s * self.sample_rate
        started: list[ChunkStarted] = []
        with shared.cond:
            while self._marks and self._marks[0].at <= played + 1:
                mark = self._marks.popleft()
                self._heard = mark
                chunk = shared.chunks[mark.index]
                started.append(ChunkStarted(chunk, mark.start_s, shared.timeline.end_s(mark.index)))
        for event in started:
            self._emit(event)
        now = time.perf_counter()
        if force or started or now - self._last_progress >= self.PROGRESS_EVERY_S:
            self._last_progress = now
            with shared.cond:
                position = self.position_s(self.sink.position_s * self.sample_rate)
                total = shared.timeline.total_s()
            self._emit(PlaybackProgress(position, total))
            self._emit(Level(self._last_rms))

    def _deliver_pending(self) -> None:
        for event in self.shared.take_pending():
            self._emit(event)
