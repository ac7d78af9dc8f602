"""StreamingNarrator: live narration as a thin set of controls.

Two threads do the work: a producer drains the one Producer in the order the
listener needs (narrator.stream.producer), a Player hands made chunks to the
sink (narrator.stream.player). They share a PlayState under one condition
variable. This class starts them, turns the listener's controls (pause, seek,
stop) into changes of that state, and reads figures back out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from narrator.audio.piece import AudioPiece
from narrator.audio.playback import Sink
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.engines.speedlog import expected_rtf, expected_seconds_per_char, record_speed
from narrator.errors import NarratorError
from narrator.stream.player import Player
from narrator.stream.producer import Producer, feed
from narrator.stream.state import PlayState
from narrator.stream.stats import NarrationStats
from narrator.stream.timeline import Timeline
from narrator.stream_events import (
    NarrationEvent,
    NarrationFailed,
    NarrationFinished,
    PlaybackState,
)
from narrator.text.script import Chunk, Script

__all__ = ["StreamingNarrator"]

_ENDED = (PlaybackState.STOPPED, PlaybackState.FAILED)


class StreamingNarrator:
    """Plays a Script through a Sink while a producer synthesizes ahead.

    The producer makes chunks from the play position on: at least `ahead`
    chunks past the one playing, and further while the audio made ahead is
    short of what the next chunk needs (everything, with `smooth=True`). Made
    chunks are kept by index, so skipping back replays without synthesis.

    A chunk is played only when it is fully synthesized (unless the engine
    streams inside chunks and keeps up), so when the voice is slower than real
    time the waits fall between chunks, never inside one; each is counted as an
    underrun. Before the first sample, playback is held for as long as the
    measured real-time factor says it would otherwise wait later (usually 0
    with a script planned by narrator.stream.live_chunk_plan); with
    `smooth=True` a voice slower than real time is buffered until it can run
    through. A hold is announced with a `Buffering` event.
    """

    def __init__(
        self,
        engine: BaseEngine,
        script: Script,
        sink: Sink,
        *,
        cache: ChunkCache | None = None,
        ahead: int = 3,
        smooth: bool = False,
        on_event: Callable[[NarrationEvent], None] | None = None,
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
        self._sr = int(engine.sample_rate)
        self._voice_key = engine.cache_key
        self._recorded_rtf = expected_rtf(engine.name)
        timeline = Timeline.of(script, self._sr, expected_seconds_per_char(self._voice_key))
        self._shared = PlayState(script, timeline, ahead=self.ahead, smooth=smooth)
        self._player = Player(
            self._shared,
            sink,
            emit=self._emit,
            listener_rtf=self._listener_rtf,
            parts_early=self._parts_early,
        )
        self._producer = Producer(
            engine, script, timeline, cache=cache, lock=self._shared.cond, stream=engine.streaming
        )
        self._error: BaseException | None = None
        self._threads: list[threading.Thread] = []

    # -- figures ------------------------------------------------------------------
    @property
    def stats(self) -> NarrationStats:
        return self._shared.stats

    @property
    def state(self) -> PlaybackState:
        return self._shared.state

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def rtf(self) -> float | None:
        """Measured engine seconds per second of audio, None until a chunk is made."""
        return self.stats.rtf

    @property
    def ttfa_s(self) -> float | None:
        """Time from `start()` to the first samples handed to the sink."""
        return self.stats.ttfa_s

    @property
    def overhead(self) -> float | None:
        return self.stats.overhead

    @property
    def underruns(self) -> int:
        return self.stats.underruns

    @property
    def total_wait_s(self) -> float:
        return self.stats.total_wait_s

    @property
    def synth_s(self) -> float:
        return self.stats.synth_s

    @property
    def made_s(self) -> float:
        return self.stats.made_s

    @property
    def current_chunk(self) -> Chunk | None:
        """The chunk the listener hears (or is about to hear)."""
        with self._shared.cond:
            index = self._player.heard_index
        chunks = self.script.chunks
        return chunks[index] if 0 <= index < len(chunks) else None

    @property
    def current_sentence(self) -> int:
        """The first sentence of the chunk being heard (where sentence skips count from)."""
        chunk = self.current_chunk
        return chunk.sentence if chunk is not None else 0

    @property
    def heard_sentence(self) -> int:
        """The sentence being heard, also inside a chunk that holds several.

        Estimated from how far into the chunk playback is (Script.sentence_at);
        for read-along highlighting.
        """
        position = self.position_s
        with self._shared.cond:
            index = self._player.heard_index
            timeline = self._shared.timeline
            if not 0 <= index < len(timeline):
                return self.current_sentence
            start, end = timeline.offset_s(index), timeline.end_s(index)
        fraction = (position - start) / (end - start) if end > start else 0.0
        return self.script.sentence_at(index, fraction)

    @property
    def position_s(self) -> float:
        """Where the listener is in the narration (pauses included)."""
        played = self.sink.position_s * self._sr
        with self._shared.cond:
            return self._player.position_s(played)

    @property
    def total_s_estimate(self) -> float:
        """The narration's length: exact once every chunk is made, else estimated
        from the characters left times this voice's pace."""
        with self._shared.cond:
            return self._shared.timeline.total_s()

    def pieces(self) -> list[AudioPiece]:
        """The chunks synthesized so far, laid out in the narration's timeline."""
        out = []
        with self._shared.cond:
            timeline = self._shared.timeline
            for index in sorted(self._shared.entries):
                entry = self._shared.entries[index]
                if not entry.done or entry.error is not None:
                    continue
                out.append(
                    AudioPiece.placed(entry.audio(), self._sr, self.script.chunks[index],
                                      timeline.offset_s(index), synth_s=entry.synth_s,
                                      cached=entry.cached)
                )  # fmt: skip
        return out

    # -- controls -----------------------------------------------------------------
    def start(self) -> None:
        """Begin (non-blocking). Calling it again does nothing."""
        shared = self._shared
        with shared.cond:
            if self._threads or shared.state in _ENDED:
                return
            shared.stats.started_at = time.perf_counter()
            self._launch()
        self._flush()

    def _launch(self) -> None:
        """Start both threads (holding the lock)."""
        shared = self._shared
        shared.stop = stop = threading.Event()
        shared.holding = True
        shared.set_state(PlaybackState.PAUSED if shared.paused else PlaybackState.BUFFERING)
        self._threads = [
            threading.Thread(target=self._produce, args=(stop,), name="narrator-producer", daemon=True),
            threading.Thread(target=self._play, args=(stop,), name="narrator-player", daemon=True),
        ]  # fmt: skip
        for thread in self._threads:
            thread.start()

    def pause(self) -> None:
        shared = self._shared
        with shared.cond:
            if shared.state not in (PlaybackState.PLAYING, PlaybackState.BUFFERING, PlaybackState.IDLE):
                return
            shared.paused = True
            self.sink.pause()
            shared.set_state(PlaybackState.PAUSED)
            shared.cond.notify_all()
        self._flush()

    def resume(self) -> None:
        shared = self._shared
        with shared.cond:
            if not shared.paused:
                return
            shared.paused = False
            self.sink.resume()
            if not self._threads:
                shared.set_state(PlaybackState.IDLE)
            elif shared.stats.first_audio_at is not None:
                shared.set_state(PlaybackState.PLAYING)
            else:
                shared.set_state(PlaybackState.BUFFERING)
            shared.cond.notify_all()
        self._flush()

    def toggle_pause(self) -> None:
        if self._shared.paused:
            self.resume()
        else:
            self.pause()

    def stop(self, wait: bool = True) -> None:
        """Stop at once: drop queued audio, end the producer (within one chunk), join both.

        The sound stops immediately either way. Joining waits for the engine
        call in flight (up to one chunk: seconds with a slow voice), so a UI
        thread passes `wait=False` and lets `wait()` join later, off its loop.
        """
        shared = self._shared
        with shared.cond:
            shared.stop.set()
            shared.cond.notify_all()
        self.sink.stop()
        if wait:
            self._join()
        with shared.cond:
            if shared.state not in (PlaybackState.FINISHED, PlaybackState.FAILED):
                shared.set_state(PlaybackState.STOPPED)
        self._flush()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the narration ends (finished, stopped or failed); False on timeout."""
        deadline = None if timeout is None else time.perf_counter() + timeout
        if not self._threads:
            return self.state in (PlaybackState.FINISHED, *_ENDED)
        for thread in self._threads:
            if thread is threading.current_thread():
                continue
            left = None if deadline is None else max(0.0, deadline - time.perf_counter())
            thread.join(left)
            if thread.is_alive():
                return False
        return True

    def seek_chunk(self, index: int, *, into_s: float = 0.0) -> None:
        """Play from chunk `index` (`into_s` seconds into it) at once, reusing audio made."""
        n = len(self.script.chunks)
        index = max(0, min(int(index), n - 1)) if n else 0
        shared = self._shared
        with shared.cond:
            if shared.state in _ENDED:
                return
            shared.move(index, into_s)
            self._player.forget()
            restart = shared.state == PlaybackState.FINISHED
        self.sink.stop()
        if restart:
            self._join()
            with shared.cond:
                shared.stats.finished_at = None
                self._launch()
            self._flush()

    def seek_seconds(self, delta: float) -> None:
        """Move `delta` seconds forward (or back, when negative) from what is heard."""
        target = self.position_s + delta
        with self._shared.cond:
            index, into = self._shared.timeline.chunk_at(target)
        self.seek_chunk(index, into_s=into)

    def seek_sentence(self, i: int) -> None:
        """Play from sentence `i` (the chunk that holds its start)."""
        if self.script.chunks:
            self.seek_chunk(self.script.chunk_for_sentence(i))

    def next_sentence(self) -> None:
        position = self.script.next_sentence_chunk(self.current_sentence)
        if position is not None:
            self.seek_chunk(position)

    def previous_sentence(self) -> None:
        self.seek_chunk(self.script.previous_sentence_chunk(self.current_sentence))

    def seek_paragraph(self, delta: int) -> None:
        """Play from the next (+1) or previous (-1) paragraph (Script.paragraph_chunk)."""
        chunk = self.current_chunk
        position = self.script.paragraph_chunk(chunk.index if chunk is not None else 0, delta)
        if position is not None:
            self.seek_chunk(position)

    # -- the threads ----------------------------------------------------------------
    def _produce(self, stop: threading.Event) -> None:
        feed(self._shared, self._producer, stop, self._emit)

    def _play(self, stop: threading.Event) -> None:
        shared = self._shared
        try:
            finished = self._player.run(stop)
            if finished:
                with shared.cond:
                    shared.stats.finished_at = time.perf_counter()
                    shared.set_state(PlaybackState.FINISHED)
                self._emit(NarrationFinished(shared.stats.underruns, shared.stats.total_wait_s))
        except BaseException as exc:  # noqa: BLE001 - reported as NarrationFailed
            self._error = exc
            with shared.cond:
                shared.set_state(PlaybackState.FAILED)
            chunk = getattr(exc, "chunk", None)
            message = str(exc) if isinstance(exc, NarratorError) else f"{type(exc).__name__}: {exc}"
            self._emit(NarrationFailed(message, chunk if isinstance(chunk, Chunk) else None))
        finally:
            with shared.cond:
                stop.set()
                shared.cond.notify_all()
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()
            self._record_speed()

    def _record_speed(self) -> None:
        """Add this run's RTF and pace to the voice's record, once it made enough audio."""
        stats = self.stats
        with self._shared.cond:
            pace = self._shared.timeline.measured_seconds_per_char()
        if stats.rtf is None or stats.made_s < 1.0:
            return
        try:
            record_speed(
                self.engine.name, rtf=stats.rtf, voice_key=self._voice_key, seconds_per_char=pace
            )
        except OSError:
            pass

    def _listener_rtf(self) -> float | None:
        """Engine time per second of audio, relative to how fast the sink plays (hold the lock).

        This narration's own RTF once it has RTF_SETTLES_S of audio, else the
        voice's record, else this narration's first chunks. A simulated listener
        (NullSink with `speedup`) hears faster than real time, so the engine
        has to keep up with that, not with the wall clock.
        """
        rtf = self._shared.stats.planning_rtf(self._recorded_rtf)
        if rtf is None:
            return None
        return rtf * self.sink.speedup

    def _parts_early(self) -> bool:
        """Whether a streaming engine's chunk may play before it is complete (hold the lock)."""
        if not self.engine.streaming:
            return False
        rtf = self._listener_rtf()
        return rtf is None or rtf < 1.0

    def _join(self) -> None:
        me = threading.current_thread()
        for thread in self._threads:
            if thread is not me:
                thread.join()

    # -- events ---------------------------------------------------------------------
    def _emit(self, event: NarrationEvent) -> None:
        """Call the listener, never while holding the lock (state changes first)."""
        self._flush()
        if self.on_event is not None:
            self.on_event(event)

    def _flush(self) -> None:
        """Deliver state changes recorded under the lock (PlayState.set_state)."""
        pending = self._shared.take_pending()
        if self.on_event is not None:
            for event in pending:
                self.on_event(event)

