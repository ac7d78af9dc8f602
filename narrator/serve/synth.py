"""Text in, encoded audio out, as a stream that stops when its listener leaves.

Shared by the OpenAI-compatible endpoint and the web player's live narration:
one request = one admission slot, one engine from the shelf, one script through
the Hindi front end, and the streaming core's pieces laid out (pauses as
silence) and encoded block by block. The first block is made before the
response starts, so an engine failure on the first chunk is still a proper
JSON error, and the first bytes leave as soon as the first chunk is made.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping

import anyio
import anyio.to_thread
import numpy as np

from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.errors import NarratorError
from narrator.serve.adapters import engine_for, pieces_for, script_for
from narrator.serve.encode import StreamEncoder
from narrator.serve.limits import Admission, Ticket
from narrator.serve.responses import ApiError, StreamAborted, SynthesisResponse
from narrator.text import Script

log = logging.getLogger("narrator.serve")

SEND_BLOCK_S = 0.5
"""Audio is encoded and sent in blocks of this length: MP3 encoding costs ~10x
eSpeak's synthesis, so the first bytes go out after half a second of audio is
encoded, not after the whole first chunk."""


class SynthesisStats:
    """Counters the status endpoint and the tests read: is synthesis really running?"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active = 0
        self.started = 0
        self.pieces = 0
        self.stopped_early = 0

    def begin(self) -> None:
        with self._lock:
            self.active += 1
            self.started += 1

    def piece(self) -> None:
        with self._lock:
            self.pieces += 1

    def end(self, early: bool) -> None:
        with self._lock:
            self.active -= 1
            self.stopped_early += int(early)

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return {
                "active": self.active,
                "started": self.started,
                "pieces": self.pieces,
                "stopped_early": self.stopped_early,
            }


class EngineShelf:
    """Loaded engines by (engine, voice, speed); the most recently used few are kept.

    Loading a neural voice takes a second or more, so a voice asked for again
    is reused; engines are safe to share between requests (eSpeak serialises
    on its own lock, ONNX Runtime sessions run concurrently).
    """

    def __init__(self, default: BaseEngine, size: int = 4) -> None:
        self.default = default
        self.size = max(1, size)
        self._engines: OrderedDict[tuple[str, str, float], BaseEngine] = OrderedDict()
        self._engines[self._key(default.name, default.voice, 1.0)] = default
        self._lock = threading.Lock()

    @staticmethod
    def _key(engine: str, voice: str | None, speed: float) -> tuple[str, str, float]:
        return engine, voice or "", round(float(speed), 3)

    def get(self, engine: str | None, voice: str | None, speed: float) -> BaseEngine:
        name = engine or self.default.name
        if voice is None and name == self.default.name:
            voice = self.default.voice
        key = self._key(name, voice, speed)
        with self._lock:
            found = self._engines.get(key)
            if found is not None:
                self._engines.move_to_end(key)
                return found
        # loaded outside the lock: a voice loading for seconds must not hold up the others
        loaded = engine_for(name, voice, speed)
        with self._lock:
            self._engines[key] = loaded
            self._engines[self._key(name, loaded.voice, speed)] = loaded
            while len(self._engines) > self.size:
                self._engines.popitem(last=False)
        return loaded


def encoded_blocks(
    engine: BaseEngine,
    script: Script,
    encoder: StreamEncoder,
    stop: threading.Event,
    cache: ChunkCache | None,
    stats: SynthesisStats,
) -> Iterator[bytes]:
    """Encoded audio in blocks of `SEND_BLOCK_S`, pauses laid in as silence."""
    sr = int(engine.sample_rate)
    step = max(1, int(SEND_BLOCK_S * sr))
    written = 0
    try:
        for piece in pieces_for(engine, script, stop, cache):
            gap = max(0, round(piece.start_s * sr) - written)
            audio = piece.audio
            if gap:
                audio = np.concatenate([np.zeros(gap, dtype=np.float32), audio])
            written += len(audio)
            stats.piece()
            for start in range(0, len(audio), step):
                block = encoder.encode(audio[start : start + step])
                if block:
                    yield block
        if not stop.is_set():
            yield encoder.finish()
    finally:
        encoder.close()


class _Stepper:
    """Steps a blocking generator from worker threads; `close` waits for a step in flight."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._lock = threading.Lock()

    def step(self) -> bytes | None:
        with self._lock:
            return next(self._blocks, None)

    def close(self) -> None:
        with self._lock:
            close = getattr(self._blocks, "close", None)
            if close is not None:
                close()


async def _next_block(stepper: _Stepper, timeout_s: float) -> bytes | None:
    with anyio.fail_after(timeout_s):
        return await anyio.to_thread.run_sync(stepper.step, abandon_on_cancel=True)


class Synthesizer:
    """Admission, engines, cache and timeouts for every synthesis request."""

    def __init__(
        self,
        default: BaseEngine,
        admission: Admission,
        *,
        cache: ChunkCache | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        self.shelf = EngineShelf(default)
        self.admission = admission
        self.cache = cache
        self.timeout_s = timeout_s
        self.stats = SynthesisStats()

    @property
    def default(self) -> BaseEngine:
        return self.shelf.default

    async def stream(
        self,
        text: str,
        *,
        fmt: str,
        engine: str | None = None,
        voice: str | None = None,
        speed: float = 1.0,
        title: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> SynthesisResponse:
        """Wait for a slot, then start the stream; errors before any audio raise."""
        ticket = await self.admission.enter()
        try:
            loaded = await anyio.to_thread.run_sync(self.shelf.get, engine, voice, speed)
            script = await anyio.to_thread.run_sync(script_for, text, loaded, title)
            if not script.chunks:
                raise ApiError(400, "nothing to speak in the input after cleaning", "empty_input")
            return await self._open(loaded, script, fmt, ticket, headers)
        except BaseException:
            ticket.release()
            raise

    async def _open(
        self,
        engine: BaseEngine,
        script: Script,
        fmt: str,
        ticket: Ticket,
        headers: Mapping[str, str] | None,
    ) -> SynthesisResponse:
        stop = threading.Event()
        encoder = StreamEncoder(fmt, engine.sample_rate)
        stepper = _Stepper(encoded_blocks(engine, script, encoder, stop, self.cache, self.stats))
        stats, timeout_s = self.stats, self.timeout_s
        stats.begin()
        finished = False

        async def shut() -> None:
            stop.set()
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(stepper.close)
            stats.end(early=not finished)

        async def close() -> None:
            await shut()
            ticket.release()

        try:
            first = await _next_block(stepper, timeout_s)
        except TimeoutError:
            await shut()
            raise ApiError(503, f"the first audio took longer than {timeout_s:g} s") from None
        except BaseException:
            await shut()
            raise

        async def body() -> AsyncIterator[bytes]:
            nonlocal finished
            try:
                block = first
                while block is not None:
                    if block:
                        yield block
                    try:
                        block = await _next_block(stepper, timeout_s)
                    except TimeoutError:
                        log.warning("synthesis stalled for %g s; stream ended", timeout_s)
                        raise StreamAborted from None
                    except NarratorError as exc:
                        log.error("stream cut after its first audio: %s", exc)
                        raise StreamAborted from None
                finished = True
            finally:
                stop.set()  # the rest is `close`, run by the response however it ends

        return SynthesisResponse(
            body(),
            stop=stop,
            media_type=encoder.media_type,
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", **(headers or {})},
            on_close=close,
        )
