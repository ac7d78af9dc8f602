"""Sending audio to the speakers, or to nowhere on a simulated clock.

A `Sink` takes float32 mono blocks with `play()`, which returns once the block
is queued and no more than a short buffer (~0.2 s) waits unplayed, so a pause,
a skip or a stop is heard at once. `position_s` counts what has actually been
played, which drives the read-along highlight.

`MiniaudioSink` uses miniaudio because it ships self-contained wheels (the
miniaudio C library compiled in, with ALSA/PulseAudio/CoreAudio/WASAPI loaded at
run time): `pip install` is all a user needs. `sounddevice` would need the
system PortAudio library (`apt install libportaudio2`) on Linux, which a fresh
machine or a container often lacks.

`NullSink` plays into nothing: instantly (tests, exports) or at the speed of a
listener (`realtime=True`, the benchmark's stand-in for speakers).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from collections.abc import Generator, Iterator
from typing import Protocol, runtime_checkable

import numpy as np

from narrator.errors import DeviceError

NO_DEVICE_MESSAGE = "no sound device found; write to a file with -o out.mp3"
DEFAULT_BUFFER_S = 0.2


@runtime_checkable
class Sink(Protocol):
    """Where the narrator's audio goes. Implementations are thread-safe.

    sample_rate  Hz the sink expects (the narrator checks it matches the engine)
    play(audio)  queue float32 mono samples; blocks while more than a short
                 buffer is waiting (and while paused with a full buffer);
                 returns early when `stop()` is called
    pause()      stop consuming (what is queued stays queued)
    resume()     continue
    stop()       drop whatever is queued, unblock `play`
    drain(t)     wait until everything queued has been played; False on timeout
    close()      release the device
    position_s   seconds of audio played since the sink was opened
    queued_s     seconds handed to `play` and not yet played
    speedup      how many seconds of audio one second of wall clock plays (1 for
                 a real device; a simulated listener may hear faster)
    """

    sample_rate: int
    speedup: float

    def play(self, audio: np.ndarray) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def drain(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...

    @property
    def position_s(self) -> float: ...

    @property
    def queued_s(self) -> float: ...


class NullSink:
    """A sink without a device: audio is consumed on a simulated clock.

    realtime=False  everything handed to `play` counts as played at once
    realtime=True   the clock runs at `speedup` x real time, like a listener:
                    `play` blocks while more than `buffer_s` is waiting
    keep            remember every sample (`received()`), for tests

    `first_play_at` is the `time.perf_counter()` of the first `play` call, so a
    benchmark can measure time-to-first-audio from outside the narrator.
    """

    def __init__(
        self,
        realtime: bool = False,
        speedup: float = 1.0,
        *,
        sample_rate: int = 22050,
        buffer_s: float = DEFAULT_BUFFER_S,
        keep: bool = True,
    ) -> None:
        if speedup <= 0:
            raise ValueError("speedup must be positive")
        self.sample_rate = int(sample_rate)
        self.realtime = realtime
        self.speedup = float(speedup)
        self.buffer_s = float(buffer_s)
        self.keep = keep
        self.first_play_at: float | None = None
        self.closed = False
        self._blocks: list[np.ndarray] = []
        self._cond = threading.Condition()
        self._played = 0.0  # samples
        self._queued = 0.0  # samples
        self._clock = time.perf_counter()
        self._paused = False
        self._stops = 0

    def _advance(self) -> None:
        now = time.perf_counter()
        if self.realtime and not self._paused:
            n = min(self._queued, (now - self._clock) * self.sample_rate * self.speedup)
            self._played += n
            self._queued -= n
        self._clock = now

    def play(self, audio: np.ndarray) -> None:
        data = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._cond:
            if self.first_play_at is None and len(data):
                self.first_play_at = time.perf_counter()
            if self.keep:
                self._blocks.append(data.copy())
            self._advance()
            if not self.realtime:
                self._played += len(data)
                return
            self._queued += len(data)
            stops = self._stops
            limit = self.buffer_s * self.sample_rate
            while self._stops == stops:
                self._advance()
                excess = self._queued - limit
                if excess <= 0:
                    return
                wait = excess / (self.sample_rate * self.speedup)
                self._cond.wait(timeout=0.05 if self._paused else min(wait, 0.05))

    def pause(self) -> None:
        with self._cond:
            self._advance()
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._advance()
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._advance()
            self._queued = 0.0
            self._stops += 1
            self._cond.notify_all()

    def drain(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.perf_counter() + timeout
        with self._cond:
            while True:
                self._advance()
                if self._queued <= 0.5:
                    return True
                left = None if deadline is None else deadline - time.perf_counter()
                if left is not None and left <= 0:
                    return False
                step = self._queued / (self.sample_rate * self.speedup)
                self._cond.wait(timeout=min(0.05, step) if left is None else min(0.05, step, left))

    def close(self) -> None:
        self.stop()
        self.closed = True

    @property
    def position_s(self) -> float:
        with self._cond:
            self._advance()
            return self._played / self.sample_rate

    @property
    def queued_s(self) -> float:
        with self._cond:
            self._advance()
            return self._queued / self.sample_rate

    @property
    def paused(self) -> bool:
        return self._paused

    def received(self) -> np.ndarray:
        """Everything handed to `play`, concatenated (needs keep=True)."""
        with self._cond:
            if not self._blocks:
                return np.zeros(0, dtype=np.float32)
            return np.concatenate(self._blocks)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence C libraries (ALSA prints a dozen lines when it finds no card).

    The user gets our one-line message instead. fd 2 is swapped for /dev/null
    for the duration of the device probe only.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


class MiniaudioSink:
    """The default playback device through miniaudio, fed from a queue.

    miniaudio pulls audio from a generator on its own thread; this class keeps
    a deque of blocks that `play` fills and the generator drains, and outputs
    silence while paused or when the queue runs dry (an underrun).
    """

    def __init__(
        self, sample_rate: int, *, buffer_s: float = DEFAULT_BUFFER_S, period_ms: int = 40
    ) -> None:
        import miniaudio

        self.sample_rate = int(sample_rate)
        self.speedup = 1.0  # a device plays in real time
        self.buffer_s = float(buffer_s)
        self._cond = threading.Condition()
        self._blocks: deque[np.ndarray] = deque()
        self._head = 0  # samples of _blocks[0] already played
        self._queued = 0
        self._played = 0
        self._paused = False
        self._stops = 0
        try:
            with _quiet_stderr():
                device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.FLOAT32,
                    nchannels=1,
                    sample_rate=self.sample_rate,
                    buffersize_msec=period_ms,
                )
        except (miniaudio.MiniaudioError, OSError) as exc:
            raise DeviceError(NO_DEVICE_MESSAGE) from exc
        if str(getattr(device, "backend", "")).lower() == "null":
            device.close()  # miniaudio's null backend discards audio: no real device
            raise DeviceError(NO_DEVICE_MESSAGE)
        self._device = device
        generator = self._generate()
        next(generator)
        try:
            with _quiet_stderr():
                device.start(generator)
        except miniaudio.MiniaudioError as exc:
            device.close()
            raise DeviceError(NO_DEVICE_MESSAGE) from exc

    def _generate(self) -> Generator[bytes, int, None]:
        frames = yield b""
        while True:
            out = np.zeros(frames, dtype=np.float32)
            with self._cond:
                filled = 0
                while not self._paused and filled < frames and self._blocks:
                    block = self._blocks[0]
                    take = min(frames - filled, len(block) - self._head)
                    out[filled : filled + take] = block[self._head : self._head + take]
                    filled += take
                    self._head += take
                    if self._head >= len(block):
                        self._blocks.popleft()
                        self._head = 0
                self._queued -= filled
                self._played += filled
                if filled:
                    self._cond.notify_all()
            frames = yield out.tobytes()

    def play(self, audio: np.ndarray) -> None:
        data = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        if not len(data):
            return
        limit = int(self.buffer_s * self.sample_rate)
        with self._cond:
            self._blocks.append(data)
            self._queued += len(data)
            stops = self._stops
            while self._stops == stops and self._queued > limit:
                self._cond.wait(timeout=0.1)

    def pause(self) -> None:
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._blocks.clear()
            self._head = 0
            self._queued = 0
            self._stops += 1
            self._cond.notify_all()

    def drain(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.perf_counter() + timeout
        with self._cond:
            while self._queued > 0:
                left = None if deadline is None else deadline - time.perf_counter()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(timeout=0.1 if left is None else min(0.1, left))
        return True

    def close(self) -> None:
        self.stop()
        device, self._device = self._device, None
        if device is not None:
            with _quiet_stderr():
                device.close()

    @property
    def position_s(self) -> float:
        return self._played / self.sample_rate

    @property
    def queued_s(self) -> float:
        return self._queued / self.sample_rate

    @property
    def paused(self) -> bool:
        return self._paused


def open_sink(sample_rate: int) -> Sink:
    """The speakers at `sample_rate`, or DeviceError saying to write a file instead.

    NARRATOR_SINK=null gives a real-time NullSink instead: a demo or a test of
    live narration on a machine without sound (the listener is simulated);
    NARRATOR_SINK=null:20 makes that listener 20x faster.
    """
    choice = os.environ.get("NARRATOR_SINK", "").strip().lower()
    if choice == "null" or choice.startswith("null:"):
        try:
            speedup = float(choice.partition(":")[2] or 1.0)
        except ValueError:
            speedup = 1.0
        return NullSink(
            realtime=True, speedup=max(speedup, 0.01), sample_rate=sample_rate, keep=False
        )
    try:
        import miniaudio  # noqa: F401
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise DeviceError(NO_DEVICE_MESSAGE + " (miniaudio is not installed)") from exc
    return MiniaudioSink(sample_rate)
