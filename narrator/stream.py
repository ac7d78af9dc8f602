"""Turning a Script into audio: all at once (`render_script`), as a stream of
pieces (`iter_pieces`), or played live with controls (`StreamingNarrator`).

All three lay chunks out the same way (narrator.audio.assemble: faded edges,
designed pauses, times in whole samples), so what is heard live, what is
exported and what the read-along highlights agree sample for sample.

Why a producer thread and a bounded queue: the first chunk is short, so audio
starts after one short synthesis while the rest is made ahead; the bound keeps
memory flat however long the article is, and a stop is honoured between two
chunks (an engine call cannot be interrupted, so "within one chunk").
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from narrator.audio.assemble import assemble, fade_edges, pause_samples
from narrator.audio.piece import AudioPiece
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine, as_float32_mono
from narrator.engines.speedlog import expected_rtf, record_rtf
from narrator.errors import EngineError, NarratorError
from narrator.stream_events import (
    Buffering,
    ChunkStarted,
    Level,
    NarrationFailed,
    NarrationFinished,
    PlaybackProgress,
    StateChanged,
    SynthesisProgress,
    Underrun,
)
from narrator.text.script import Chunk, Script

__all__ = [
    "Rendering",
    "StreamingNarrator",
    "chunk_parts",
    "expected_wait_s",
    "iter_pieces",
    "render_script",
    "streams_within_chunks",
    "synthesize_chunk",
]


# --------------------------------------------------------------------------
# One chunk's audio
# --------------------------------------------------------------------------
def streams_within_chunks(engine: Any) -> bool:
    """True when the engine yields audio before a chunk is finished (XTTS).

    Engines that keep BaseEngine's default `stream` (one piece = synthesize) are
    driven through `synthesize`, which is the same audio with less machinery.
    """
    method = getattr(type(engine), "stream", None)
    return method is not None and method is not BaseEngine.stream


def _chunk_error(exc: BaseException, chunk: Chunk) -> EngineError:
    if isinstance(exc, EngineError) and exc.chunk is not None:
        return exc
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    preview = chunk.text if len(chunk.text) <= 40 else chunk.text[:40] + "…"
    err = EngineError(f"synthesis failed on chunk {chunk.index + 1} ({preview!r}): {detail}", chunk)
    return err


def synthesize_chunk(
    engine: Any, chunk: Chunk, cache: ChunkCache | None = None
) -> tuple[np.ndarray, float, bool]:
    """(raw audio, engine seconds, from cache) for one chunk, whole.

    Errors become EngineError carrying the chunk.
    """
    if cache is not None:
        hit = cache.get(engine, chunk.text)
        if hit is not None:
            return hit, 0.0, True
    t0 = time.perf_counter()
    try:
        audio = as_float32_mono(engine.synthesize(chunk.text))
    except Exception as exc:  # any engine failure reaches the caller with its chunk
        raise _chunk_error(exc, chunk) from exc
    spent = time.perf_counter() - t0
    if cache is not None:
        cache.put(engine, chunk.text, audio)
    return audio, spent, False


def chunk_parts(
    engine: Any,
    chunk: Chunk,
    cache: ChunkCache | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[tuple[np.ndarray, float, bool, bool]]:
    """Faded audio of one chunk as it becomes available: (audio, synth_s, cached, final).

    A non-streaming engine (or a cache hit) gives one final part. A streaming
    engine's parts are forwarded as they come, held back by one so the last
    can be faded out; only the chunk's outer edges are faded, so the parts
    join seamlessly. The whole chunk goes into the cache when it is complete.
    """
    sr = engine.sample_rate
    if cache is not None:
        hit = cache.get(engine, chunk.text)
        if hit is not None:
            yield fade_edges(hit, sr), 0.0, True, True
            return
    if not streams_within_chunks(engine):
        audio, spent, cached = synthesize_chunk(engine, chunk, cache)
        yield fade_edges(audio, sr), spent, cached, True
        return

    parts: list[np.ndarray] = []
    held: tuple[np.ndarray, float] | None = None
    first = True
    stream = engine.stream(chunk.text)
    try:
        while True:
            t0 = time.perf_counter()
            try:
                part = next(stream)
            except StopIteration:
                break
            except Exception as exc:
                raise _chunk_error(exc, chunk) from exc
            spent = time.perf_counter() - t0
            part = as_float32_mono(part)
            if len(part) == 0:
                continue
            parts.append(part)
            if held is not None:
                yield fade_edges(held[0], sr, fade_in=first, fade_out=False), held[1], False, False
                first = False
                if should_stop is not None and should_stop():
                    return
            held = (part, spent)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if held is None:
        yield np.zeros(0, dtype=np.float32), 0.0, False, True
    else:
        yield fade_edges(held[0], sr, fade_in=first, fade_out=True), held[1], False, True
    if cache is not None and parts:
        cache.put(engine, chunk.text, np.concatenate(parts))


# --------------------------------------------------------------------------
# The whole article at once
# --------------------------------------------------------------------------
@dataclass
class Rendering:
    """A whole narration in memory.

    audio        float32 mono, pauses included, ready to write to a file
    sample_rate  Hz
    pieces       one per chunk, with start_s/end_s in `audio` (for subtitles)
    synth_s      engine wall time (0 for chunks that came from the cache)
    complete     False when `should_stop` ended it early (audio is what was made)
    """

    audio: np.ndarray
    sample_rate: int
    pieces: list[AudioPiece] = field(default_factory=list)
    synth_s: float = 0.0
    complete: bool = True

    @property
    def duration_s(self) -> float:
        return len(self.audio) / self.sample_rate if self.sample_rate else 0.0

    @property
    def rtf(self) -> float | None:
        """Engine seconds per second of speech made (None when all came from the cache)."""
        made = sum(p.duration_s for p in self.pieces if not p.cached)
        return self.synth_s / made if made > 0 and self.synth_s > 0 else None


def render_script(
    engine: Any,
    script: Script,
    *,
    cache: ChunkCache | None = None,
    on_piece: Callable[[AudioPiece], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Rendering:
    """Synthesize every chunk and lay them out with the designed pauses.

    Used by export and by `narrator speak --no-stream`. `on_piece` is called
    after each chunk (progress bars); `should_stop` is polled before each chunk
    and ends the rendering early (`complete=False`). Engine errors raise
    EngineError with `.chunk` set.
    """
    sr = int(engine.sample_rate)
    pieces: list[AudioPiece] = []
    offset = 0
    synth_total = 0.0
    complete = True
    last = len(script.chunks) - 1
    for i, chunk in enumerate(script.chunks):
        if should_stop is not None and should_stop():
            complete = False
            break
        raw, spent, cached = synthesize_chunk(engine, chunk, cache)
        audio = fade_edges(raw, sr)
        piece = AudioPiece.placed(audio, sr, chunk, offset / sr, synth_s=spent, cached=cached)
        pieces.append(piece)
        synth_total += spent
        offset += len(audio)
        if i < last:
            offset += pause_samples(chunk, sr)
        if on_piece is not None:
            on_piece(piece)
    return Rendering(
        audio=assemble(pieces),
        sample_rate=sr,
        pieces=pieces,
        synth_s=synth_total,
        complete=complete,
    )


# --------------------------------------------------------------------------
# A stream of pieces, synthesized ahead by a producer thread
# --------------------------------------------------------------------------
_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def iter_pieces(
    engine: Any,
    script: Script,
    *,
    cache: ChunkCache | None = None,
    start_chunk: int = 0,
    ahead: int = 3,
    stop_event: threading.Event | None = None,
) -> Iterator[AudioPiece]:
    """AudioPieces of `script` from `start_chunk` on, made ahead by a worker thread.

    At most `ahead` chunks are synthesized and not yet taken by the consumer
    (a semaphore bounds chunks; a `queue.Queue(maxsize=ahead)` bounds parts of
    streaming engines), so memory stays flat while the consumer is slow or
    paused. Times (`start_s`) count from `start_chunk`, pauses included.

    An engine error is raised here, in the consumer, as EngineError with
    `.chunk`. Closing the generator (or setting `stop_event`) stops the worker
    within one chunk and joins it before returning.
    """
    ahead = max(1, int(ahead))
    chunks = script.chunks[max(0, start_chunk):]
    sr = int(engine.sample_rate)
    pieces: queue.Queue[object] = queue.Queue(maxsize=ahead)
    slots = threading.Semaphore(ahead)
    stop = threading.Event()

    def stopped() -> bool:
        return stop.is_set() or (stop_event is not None and stop_event.is_set())

    def put(item: object) -> bool:
        while not stopped():
            try:
                pieces.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        offset = 0
        try:
            for n, chunk in enumerate(chunks):
                while not slots.acquire(timeout=0.05):
                    if stopped():
                        return
                if stopped():
                    return
                for audio, spent, cached, final in chunk_parts(engine, chunk, cache, stopped):
                    piece = AudioPiece.placed(
                        audio, sr, chunk, offset / sr, synth_s=spent, final=final, cached=cached
                    )
                    offset += len(audio)
                    if not put(piece):
                        return
                if n < len(chunks) - 1:
                    offset += pause_samples(chunk, sr)
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, never swallowed
            put(_Failure(exc))

    worker = threading.Thread(target=produce, name="narrator-producer", daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = pieces.get(timeout=0.05)
            except queue.Empty:
                if stop_event is not None and stop_event.is_set():
                    return
                if not worker.is_alive() and pieces.empty():
                    return  # the worker ended without a word (stop_event)
                continue
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            assert isinstance(item, AudioPiece)
            if item.final:
                slots.release()
            yield item
    finally:
        stop.set()
        while True:  # unblock a worker waiting on a full queue
            try:
                pieces.get_nowait()
            except queue.Empty:
                break
        worker.join()


# --------------------------------------------------------------------------
# Live narration with controls
# --------------------------------------------------------------------------
DEFAULT_SECONDS_PER_CHAR = 0.075  # Hindi news read aloud: ~13 spoken characters a second


def expected_wait_s(script: Script, rtf: float | None, start_chunk: int = 0) -> float:
    """Seconds a listener waits in total for a voice running at `rtf` (0 if it keeps up).

    Synthesis of the whole article takes rtf x its length; playback takes its
    length; the difference is waited for, before starting (`smooth`) or spread
    between sentences.
    """
    if rtf is None or rtf <= 1.0:
        return 0.0
    chars = sum(len(c.text) for c in script.chunks[start_chunk:])
    return chars * DEFAULT_SECONDS_PER_CHAR * (rtf - 1.0)


@dataclass
class _Entry:
    """A chunk's audio as the producer makes it (parts grow until `done`)."""

    parts: list[np.ndarray] = field(default_factory=list)
    started_at: float | None = None  # when the producer began it
    done: bool = False
    synth_s: float = 0.0
    cached: bool = False
    error: BaseException | None = None

    @property
    def samples(self) -> int:
        return sum(len(p) for p in self.parts)


class _Restart(Exception):
    """The listener moved (seek/skip) or stopped: leave the current chunk."""


class StreamingNarrator:
    """Plays a Script through a Sink while a producer synthesizes ahead.

    Two worker threads: the producer makes chunks from the play position on,
    at most `ahead` chunks ahead (everything, with `smooth=True`), keeping each
    by chunk index so skipping back replays without synthesis; the player hands
    them to the sink in short blocks, so pause, skip and stop act within a
    fraction of a second, and emits events as the sink actually plays.

    A chunk is played only when it is fully synthesized (unless the engine
    streams inside chunks and keeps up), so when the voice is slower than real
    time the waits fall between chunks, never inside one; each is counted as an
    underrun. With `smooth=True` playback starts only once enough is buffered
    that, at the measured real-time factor, it can finish without a wait; the
    expected wait is announced with a `Buffering` event.
    """

    BLOCK_S = 0.05
    PROGRESS_EVERY_S = 0.1
    UNDERRUN_MIN_S = 0.02

    def __init__(
        self,
        engine: Any,
        script: Script,
        sink: Any,
        *,
        cache: ChunkCache | None = None,
        ahead: int = 3,
        smooth: bool = False,
        on_event: Callable[[object], None] | None = None,
    ) -> None:
        if int(sink.sample_rate) != int(engine.sample_rate):
            raise ValueError(
                f"sink plays {sink.sample_rate} Hz but the engine makes {engine.sample_rate} Hz"
            )
        self.engine = engine
        self.script = script
        self.sink = sink
        self.cache = cache
        self.ahead = max(1, int(ahead))
        self.smooth = smooth
        self.on_event = on_event
        self._chunks = script.chunks
        self._sr = int(engine.sample_rate)
        self._cond = threading.Condition()
        self._store: dict[int, _Entry] = {}
        self._cursor = 0
        self._gen = 0
        self._stop = threading.Event()
        self._paused = False
        self._state = "idle"
        self._error: BaseException | None = None
        self._producer: threading.Thread | None = None
        self._player: threading.Thread | None = None
        # measurements
        self.synth_s = 0.0  # engine seconds on chunks not from the cache
        self.made_s = 0.0  # seconds of audio those produced
        self.synth_calls = 0
        self.underruns = 0
        self.total_wait_s = 0.0
        self.started_at: float | None = None
        self.first_audio_at: float | None = None
        self.finished_at: float | None = None
        self.producer_idle_s = 0.0  # time the producer waited, `ahead` chunks ahead
        self.producer_done_at: float | None = None  # when the last chunk was made
        # the sink's clock
        self._written = 0  # samples handed to the sink (its clock)
        self._marks: list[tuple[int, int, float, float]] = []  # (sink sample, chunk, start, end)
        self._heard: tuple[int, int, float] | None = None  # (chunk, sink sample, start_s)
        self._last_progress = 0.0
        self._last_rms = 0.0
        self._last_played: tuple[int, int] | None = None  # (chunk, gen) just played
        self._pending: list[object] = []  # state changes to deliver outside the lock
        self._holding = True  # the start is held until playback can run on

    # -- properties ----------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def rtf(self) -> float | None:
        """Measured engine seconds per second of audio, None until a chunk is made."""
        return self.synth_s / self.made_s if self.made_s > 0 else None

    @property
    def overhead(self) -> float | None:
        """Streaming's cost around synthesis: producer working time / engine time - 1.

        Working time is from `start()` to the last chunk made, less the time the
        producer waited because it was `ahead` chunks ahead of the listener.
        """
        if self.producer_done_at is None or self.started_at is None or self.synth_s <= 0:
            return None
        busy = self.producer_done_at - self.started_at - self.producer_idle_s
        return busy / self.synth_s - 1.0

    @property
    def ttfa_s(self) -> float | None:
        """Time from `start()` to the first samples handed to the sink."""
        if self.started_at is None or self.first_audio_at is None:
            return None
        return self.first_audio_at - self.started_at

    @property
    def current_chunk(self) -> Chunk | None:
        """The chunk the listener hears (or is about to hear)."""
        idx = self._heard[0] if self._heard is not None else self._cursor
        return self._chunks[idx] if 0 <= idx < len(self._chunks) else None

    @property
    def current_sentence(self) -> int:
        chunk = self.current_chunk
        return chunk.sentence if chunk is not None else 0

    @property
    def position_s(self) -> float:
        """Where the listener is in the narration (pauses included)."""
        with self._cond:
            if self._heard is None:
                return self._offset_s(min(self._cursor, len(self._chunks)))
            idx, at, start = self._heard
        played = self.sink.position_s * self._sr
        entry = self._store.get(idx)
        end = start + (entry.samples / self._sr if entry is not None else 0.0)
        if idx < len(self._chunks) - 1:
            end += pause_samples(self._chunks[idx], self._sr) / self._sr
        return max(start, min(end, start + (played - at) / self._sr))

    @property
    def total_s_estimate(self) -> float:
        with self._cond:
            return self._offset_s(len(self._chunks))

    def pieces(self) -> list[AudioPiece]:
        """The chunks synthesized so far, laid out in the narration's timeline."""
        out = []
        with self._cond:
            for idx in sorted(self._store):
                entry = self._store[idx]
                if not entry.done or entry.error is not None:
                    continue
                audio = np.concatenate(entry.parts) if entry.parts else np.zeros(0, np.float32)
                start = self._offset_s(idx)
                out.append(
                    AudioPiece.placed(audio, self._sr, self._chunks[idx], start,
                                      synth_s=entry.synth_s, cached=entry.cached)
                )
        return out

    # -- controls ------------------------------------------------------------
    def start(self) -> None:
        """Begin (non-blocking). Calling it again does nothing."""
        with self._cond:
            if self._player is not None:
                return
            self.started_at = time.perf_counter()
            self._launch()
        self._flush()

    def _launch(self) -> None:
        self._stop = threading.Event()
        self._set_state("paused" if self._paused else "buffering")
        self._producer = threading.Thread(target=self._produce, name="narrator-producer", daemon=True)
        self._player = threading.Thread(target=self._play, name="narrator-player", daemon=True)
        self._producer.start()
        self._player.start()

    def pause(self) -> None:
        with self._cond:
            if self._state not in ("playing", "buffering", "idle"):
                return
            self._paused = True
            self.sink.pause()
            self._set_state("paused")
            self._cond.notify_all()
        self._flush()

    def resume(self) -> None:
        with self._cond:
            if not self._paused:
                return
            self._paused = False
            self.sink.resume()
            started = self._player is not None
            self._set_state("playing" if self.first_audio_at and started else
                            ("buffering" if started else "idle"))
            self._cond.notify_all()
        self._flush()

    def toggle_pause(self) -> None:
        if self._paused:
            self.resume()
        else:
            self.pause()

    def stop(self, wait: bool = True) -> None:
        """Stop at once: drop queued audio, end the producer (within one chunk), join both.

        The sound stops immediately either way. Joining waits for the engine
        call in flight (up to one chunk: seconds with a slow voice), so a UI
        thread passes `wait=False` and lets `wait()` join later, off its loop.
        """
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self.sink.stop()
        if wait:
            self._join()
        with self._cond:
            if self._state not in ("finished", "failed"):
                self._set_state("stopped")
        self._flush()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the narration ends (finished, stopped or failed); False on timeout."""
        player = self._player
        if player is None:
            return self._state in ("finished", "stopped", "failed")
        player.join(timeout)
        if player.is_alive():
            return False
        producer = self._producer
        if producer is not None and producer is not threading.current_thread():
            producer.join(timeout)
            return not producer.is_alive()
        return True

    def seek_chunk(self, index: int) -> None:
        """Play from chunk `index` at once, reusing any audio already made."""
        index = max(0, min(int(index), len(self._chunks) - 1)) if self._chunks else 0
        restart = False
        with self._cond:
            if self._state in ("stopped", "failed"):
                return
            self._cursor = index
            self._gen += 1
            self._marks.clear()
            self._heard = None
            restart = self._state == "finished"
            self._cond.notify_all()
        self.sink.stop()
        if restart:
            self._join()
            with self._cond:
                self.finished_at = None
                self._launch()
            self._flush()

    def seek_sentence(self, i: int) -> None:
        """Play from sentence `i` (the chunk that holds its start)."""
        starts = self._sentence_starts()
        if not starts:
            return
        best = starts[0][1]
        for sentence, idx in starts:
            if sentence <= i:
                best = idx
        self.seek_chunk(best)

    def next_sentence(self) -> None:
        starts = self._sentence_starts()
        current = self.current_sentence
        for sentence, idx in starts:
            if sentence > current:
                self.seek_chunk(idx)
                return

    def previous_sentence(self) -> None:
        starts = self._sentence_starts()
        current = self.current_sentence
        earlier = [idx for sentence, idx in starts if sentence < current]
        self.seek_chunk(earlier[-1] if earlier else (starts[0][1] if starts else 0))

    def _sentence_starts(self) -> list[tuple[int, int]]:
        """(sentence index, position of its first chunk), in order."""
        seen: list[tuple[int, int]] = []
        for position, chunk in enumerate(self._chunks):
            if not seen or chunk.sentence != seen[-1][0]:
                seen.append((chunk.sentence, position))
        return seen

    # -- internals: bookkeeping ----------------------------------------------
    def _emit(self, event: object) -> None:
        """Call the listener, never while holding the narrator's lock."""
        self._flush()
        if self.on_event is not None:
            self.on_event(event)

    def _flush(self) -> None:
        """Deliver state changes recorded under the lock (see `_set_state`)."""
        with self._cond:
            pending, self._pending = self._pending, []
        if self.on_event is not None:
            for event in pending:
                self.on_event(event)

    def _set_state(self, state: str) -> None:
        """Change state (the caller holds the lock); the event goes out on the next flush.

        Listeners are never called under the lock, so one that calls back into
        the narrator from another thread (a UI's call_from_thread) cannot deadlock.
        """
        if state != self._state:
            self._state = state
            self._pending.append(StateChanged(state))

    def _join(self) -> None:
        me = threading.current_thread()
        for thread in (self._player, self._producer):
            if thread is not None and thread is not me:
                thread.join()

    def _seconds_per_char(self) -> float:
        chars = samples = 0
        for idx, entry in self._store.items():
            if entry.done:
                chars += len(self._chunks[idx].text)
                samples += entry.samples
        return samples / self._sr / chars if chars and samples else DEFAULT_SECONDS_PER_CHAR

    def _duration_samples(self, idx: int, spc: float) -> int:
        entry = self._store.get(idx)
        if entry is not None and entry.done:
            return entry.samples
        return int(len(self._chunks[idx].text) * spc * self._sr)

    def _offset_s(self, idx: int) -> float:
        """Start of chunk `idx` in the narration (exact where earlier chunks are made)."""
        spc = self._seconds_per_char()
        total = 0
        for j in range(min(idx, len(self._chunks))):
            total += self._duration_samples(j, spc)
            if j < len(self._chunks) - 1:
                total += pause_samples(self._chunks[j], self._sr)
        return total / self._sr

    def _may_stream_parts(self) -> bool:
        if not streams_within_chunks(self.engine):
            return False
        rtf = self._listener_rtf()
        return rtf is None or rtf < 1.0

    # -- the producer ----------------------------------------------------------
    def _next_to_make(self) -> int | None:
        n = len(self._chunks)
        # unbounded while the start is held (the player waits for enough audio)
        # and with `smooth`; else at most `ahead` chunks past the one playing
        unbounded = self.smooth or self._holding
        limit = n if unbounded else min(n, self._cursor + self.ahead + 1)
        for i in range(self._cursor, limit):
            if i not in self._store:
                return i
        return None

    def _produce(self) -> None:
        stop = self._stop
        while not stop.is_set():
            with self._cond:
                idx = self._next_to_make()
                if idx is None:
                    if all(i in self._store for i in range(len(self._chunks))):
                        if self.producer_done_at is None:
                            self.producer_done_at = time.perf_counter()
                    else:
                        idle_from = time.perf_counter()
                        self._cond.wait(0.1)
                        self.producer_idle_s += time.perf_counter() - idle_from
                        continue
                    self._cond.wait(0.1)
                    continue
                entry = _Entry(started_at=time.perf_counter())
                self._store[idx] = entry
            try:
                for audio, spent, cached, final in chunk_parts(
                    self.engine, self._chunks[idx], self.cache, stop.is_set
                ):
                    with self._cond:
                        entry.parts.append(audio)
                        entry.synth_s += spent
                        entry.cached = cached
                        entry.done = final
                        self._cond.notify_all()
            except BaseException as exc:  # noqa: BLE001 - the player reports it
                with self._cond:
                    entry.error = exc
                    self._cond.notify_all()
                return
            with self._cond:
                if not entry.done:  # stopped inside a streaming chunk
                    self._store.pop(idx, None)
                    return
                if not entry.cached:
                    self.synth_s += entry.synth_s
                    self.made_s += entry.samples / self._sr
                    self.synth_calls += 1
                done = sum(1 for e in self._store.values() if e.done)
                rtf = self.rtf
                self._cond.notify_all()
            self._emit(SynthesisProgress(done, len(self._chunks), rtf))

    # -- the player --------------------------------------------------------------
    def _play(self) -> None:
        stop = self._stop
        try:
            started = self._wait_to_start()
            with self._cond:
                self._holding = False
                self._cond.notify_all()
            if not started:
                return
            n = len(self._chunks)
            seen_gen = -1
            while not stop.is_set():
                with self._cond:
                    idx, gen = self._cursor, self._gen
                if gen != seen_gen:  # started, or the listener moved: restart the sink's clock
                    self._resync()
                    seen_gen = gen
                if idx >= n:
                    # the end: let the sink play out, unless the listener skips back
                    if not self.sink.drain(timeout=0.05):
                        self._tick()
                        continue
                    with self._cond:
                        if self._gen != gen:
                            continue
                    break
                try:
                    entry = self._await_playable(idx, gen)
                    self._play_chunk(idx, entry, gen)
                except _Restart:
                    continue
                with self._cond:
                    if self._gen == gen:
                        self._cursor = idx + 1
                        self._last_played = (idx, gen)
                        self._cond.notify_all()
            if stop.is_set():
                return
            self._tick(force=True)
            self.finished_at = time.perf_counter()
            with self._cond:
                self._set_state("finished")
            self._emit(NarrationFinished(self.underruns, self.total_wait_s))
        except BaseException as exc:  # noqa: BLE001 - reported as NarrationFailed
            self._error = exc
            with self._cond:
                self._set_state("failed")
            chunk = getattr(exc, "chunk", None)
            message = str(exc) if isinstance(exc, NarratorError) else f"{type(exc).__name__}: {exc}"
            self._emit(NarrationFailed(message, chunk if isinstance(chunk, Chunk) else None))
        finally:
            stop.set()
            with self._cond:
                self._cond.notify_all()
            producer = self._producer
            if producer is not None and producer is not threading.current_thread():
                producer.join()
            self._record_speed()

    def _record_speed(self) -> None:
        rtf = self.rtf
        if rtf is None or self.made_s < 1.0:
            return
        try:
            record_rtf(getattr(self.engine, "name", "unknown"), rtf)
        except OSError:
            pass

    def _resync(self) -> None:
        """After a seek: drop what the sink holds and restart its clock bookkeeping."""
        self.sink.stop()
        with self._cond:
            self._written = round(self.sink.position_s * self._sr)
            self._marks.clear()

    def _check(self, gen: int) -> None:
        if self._stop.is_set() or self._gen != gen:
            raise _Restart

    def _await_playable(self, idx: int, gen: int) -> _Entry:
        waited_from: float | None = None
        queued_then = 0.0
        while True:
            with self._cond:
                self._check(gen)
                entry = self._store.get(idx)
                if entry is not None and entry.error is not None:
                    raise entry.error
                if entry is not None and (
                    entry.done or (entry.parts and self._may_stream_parts())
                ):
                    break
                producer = self._producer
                if producer is not None and not producer.is_alive():
                    failed = [e.error for e in self._store.values() if e.error is not None]
                    if failed:
                        raise failed[0]
                if waited_from is None:
                    waited_from = time.perf_counter()
                    queued_then = self.sink.queued_s
                    if self.first_audio_at is not None and not self._paused:
                        self._set_state("buffering")
                self._cond.wait(0.02)
            self._tick()
        if waited_from is not None and self.first_audio_at is not None:
            sequential = self._last_played == (idx - 1, gen)
            gap = time.perf_counter() - waited_from - queued_then
            if sequential and gap > self.UNDERRUN_MIN_S and not self._paused:
                self.underruns += 1
                self.total_wait_s += gap
                self._emit(Underrun(gap))
        return entry

    def _play_chunk(self, idx: int, entry: _Entry, gen: int) -> None:
        with self._cond:
            start = self._offset_s(idx)
            self._marks.append((self._written, idx, start, start))
        k = 0
        while True:
            with self._cond:
                while len(entry.parts) <= k and not entry.done:
                    self._check(gen)
                    if entry.error is not None:
                        raise entry.error
                    self._cond.wait(0.02)
                self._check(gen)
                if k >= len(entry.parts):
                    break
                part = entry.parts[k]
            k += 1
            self._write(part, gen)
        if idx < len(self._chunks) - 1:
            pause = pause_samples(self._chunks[idx], self._sr)
            self._write(np.zeros(pause, dtype=np.float32), gen)

    def _write(self, audio: np.ndarray, gen: int) -> None:
        block = max(1, int(self.BLOCK_S * self._sr))
        for i in range(0, len(audio), block):
            piece = audio[i : i + block]
            with self._cond:
                while self._paused:
                    self._check(gen)
                    self._cond.wait(0.05)
                self._check(gen)
            if self.first_audio_at is None:
                self.first_audio_at = time.perf_counter()
            if self._state != "playing" and not self._paused:
                with self._cond:
                    self._set_state("playing")
            self.sink.play(piece)
            with self._cond:
                self._written += len(piece)
            self._last_rms = float(np.sqrt(np.mean(np.square(piece)))) if len(piece) else 0.0
            self._check(gen)
            self._tick()

    def _tick(self, force: bool = False) -> None:
        """Emit what the listener now hears: chunk starts, position, level."""
        self._flush()
        played = self.sink.position_s * self._sr
        started: list[ChunkStarted] = []
        with self._cond:
            while self._marks and self._marks[0][0] <= played + 1:
                at, idx, start, _ = self._marks.pop(0)
                entry = self._store.get(idx)
                length = entry.samples if entry is not None else 0
                self._heard = (idx, at, start)
                started.append(ChunkStarted(self._chunks[idx], start, start + length / self._sr))
        for event in started:
            self._emit(event)
        now = time.perf_counter()
        if force or started or now - self._last_progress >= self.PROGRESS_EVERY_S:
            self._last_progress = now
            self._emit(PlaybackProgress(self.position_s, self.total_s_estimate))
            self._emit(Level(self._last_rms))

    def _listener_rtf(self) -> float | None:
        """Engine time per second of audio, relative to how fast the sink plays.

        Measured on this narration once a few seconds of audio are made (one
        short first chunk is a noisy sample), else the speed recorded on this
        machine before, else the first chunk's. A simulated listener (NullSink
        with `speedup`) hears faster than real time, so the engine has to keep
        up with that, not with the wall clock.
        """
        rtf = self.rtf if self.made_s >= 3.0 else None
        if rtf is None:
            rtf = expected_rtf(getattr(self.engine, "name", "")) or self.rtf
        if rtf is None:
            return None
        return rtf * float(getattr(self.sink, "speedup", 1.0) or 1.0)

    def _wait_to_start(self) -> bool:
        """Hold the first sample until playback can run on without stopping.

        A voice that keeps up (RTF < 1) may still fall behind where a long
        chunk follows short ones; the wait that would cause mid-narration is
        taken before the start instead (usually none: the first chunk covers
        it). A voice that cannot keep up starts at once and waits between
        chunks, unless `smooth`, which buffers until the end is reachable
        without a wait. Announces the expected wait (`Buffering`). False when
        stopped.
        """
        announced = False
        while not self._stop.is_set():
            with self._cond:
                first = self._store.get(self._cursor)
                if first is not None and first.error is not None:
                    return True  # the player reports it
                ready = first is not None and (
                    first.done or (bool(first.parts) and self._may_stream_parts())
                )
                rtf = self._listener_rtf()
                delay = self._start_delay(rtf) if rtf is not None else 0.0
            cannot_keep_up = rtf is not None and rtf >= 1.0
            if ready and (delay <= self.UNDERRUN_MIN_S or (cannot_keep_up and not self.smooth)):
                return True
            if ready and not announced:
                self._emit(Buffering(delay))
                announced = True
            with self._cond:
                self._cond.wait(0.05)
        return False

    def _start_delay(self, rtf: float) -> float:
        """Seconds to hold playback so that, at `rtf`, it never waits after starting.

        If playback started now, chunk k would start after the audio already
        made from the cursor on (`have`) plus the chunks before k; synthesis
        finishes chunk k after rtf x the audio of the chunks still to make up
        to k, less what the chunk in progress has already had. The delay is
        the largest shortfall (0 when playback can start now). Durations of
        chunks not made yet are estimated from their length in characters.
        Pauses cost no synthesis.
        """
        spc = self._seconds_per_char()
        n = len(self._chunks)
        have = 0.0
        j = self._cursor
        while j < n and (entry := self._store.get(j)) is not None and entry.done:
            have += entry.samples / self._sr
            if j < n - 1:
                have += pause_samples(self._chunks[j], self._sr) / self._sr
            j += 1
        in_progress = self._store.get(j)
        credit = 0.0
        if in_progress is not None and in_progress.started_at is not None:
            credit = time.perf_counter() - in_progress.started_at
        delay = 0.0
        ready_at = -credit  # synthesis clock, from now
        played = have  # playback clock, from now
        for k in range(j, n):
            d = self._duration_samples(k, spc) / self._sr
            ready_at += rtf * d
            delay = max(delay, ready_at - played)
            played += d + (pause_samples(self._chunks[k], self._sr) / self._sr if k < n - 1 else 0.0)
        return delay
