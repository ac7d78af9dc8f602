"""The one producer: a script's chunks in, placed audio pieces out.

As Piper's `PiperVoice.synthesize()` is one generator that everything else
drains, `Producer.pieces()` is the only synthesis loop of narrator: export
(`render_script`) drains it in order, live playback drains it from a thread in
the order the listener needs (from the play position, skipping what is made).
Both lay pieces out on the same Timeline (faded edges, designed pauses, times
in whole samples), so what is heard live and what is exported are the same
samples.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from narrator.audio.assemble import fade_edges
from narrator.audio.piece import AudioPiece
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine, as_float32_mono
from narrator.errors import EngineError, one_line
from narrator.stream.state import PlayState
from narrator.stream.timeline import Timeline
from narrator.stream_events import NarrationEvent, SynthesisProgress
from narrator.text.script import Chunk, Script

__all__ = ["ChunkPart", "Producer", "chunk_parts", "feed", "synthesize_chunk"]

ChunkPart = tuple[np.ndarray, float, bool, bool]
"""(faded audio, engine seconds, from the cache, last part of its chunk)."""


def _chunk_error(exc: BaseException, chunk: Chunk) -> EngineError:
    if isinstance(exc, EngineError) and exc.chunk is not None:
        return exc
    detail = one_line(exc)
    preview = chunk.text if len(chunk.text) <= 40 else chunk.text[:40] + "…"
    return EngineError(f"synthesis failed on chunk {chunk.index + 1} ({preview!r}): {detail}", chunk)


def synthesize_chunk(
    engine: BaseEngine, chunk: Chunk, cache: ChunkCache | None = None
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
    engine: BaseEngine,
    chunk: Chunk,
    cache: ChunkCache | None = None,
    should_stop: Callable[[], bool] | None = None,
    *,
    stream: bool = True,
) -> Iterator[ChunkPart]:
    """Faded audio of one chunk as it becomes available.

    A non-streaming engine, a cache hit, or `stream=False` gives one final
    part from `synthesize`. A streaming engine's parts (`engine.streaming`) are
    forwarded as they come, held back by one so the last can be faded out;
    only the chunk's outer edges are faded, so the parts join seamlessly. The
    whole chunk goes into the cache when it is complete. `should_stop` is
    asked between parts; when it says stop, the chunk ends without a final part.
    """
    sr = engine.sample_rate
    if cache is not None:
        hit = cache.get(engine, chunk.text)
        if hit is not None:
            yield fade_edges(hit, sr), 0.0, True, True
            return
    if not (stream and engine.streaming):
        audio, spent, cached = synthesize_chunk(engine, chunk, cache)
        yield fade_edges(audio, sr), spent, cached, True
        return

    parts: list[np.ndarray] = []
    held: tuple[np.ndarray, float] | None = None
    first = True
    source = engine.stream(chunk.text)
    try:
        while True:
            t0 = time.perf_counter()
            try:
                part = next(source)
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
        close = getattr(source, "close", None)
        if close is not None:
            close()
    if held is None:
        yield np.zeros(0, dtype=np.float32), 0.0, False, True
    else:
        yield fade_edges(held[0], sr, fade_in=first, fade_out=True), held[1], False, True
    if cache is not None and parts:
        cache.put(engine, chunk.text, np.concatenate(parts))


class Producer:
    """Synthesizes chunks of one script in the order asked for, placing every piece.

    timeline  where pieces go; the producer records each chunk's length in it
              as soon as the chunk is made, so the next chunk's start is exact
    lock      guards the timeline when other threads read it (live playback);
              export needs none
    stream    forward a streaming engine's parts as they come (live) instead
              of one whole synthesis per chunk (export: one pass is cheaper)
    """

    def __init__(
        self,
        engine: BaseEngine,
        script: Script,
        timeline: Timeline,
        *,
        cache: ChunkCache | None = None,
        lock: AbstractContextManager[Any] | None = None,
        stream: bool = False,
    ) -> None:
        if len(timeline) != len(script.chunks):
            raise ValueError("the timeline is not this script's")
        self.engine = engine
        self.script = script
        self.timeline = timeline
        self.cache = cache
        self.lock: AbstractContextManager[Any] = lock or contextlib.nullcontext()
        self.stream = stream
        self.sample_rate = int(engine.sample_rate)

    def pieces(
        self, order: Iterable[int] | None = None, should_stop: Callable[[], bool] | None = None
    ) -> Iterator[AudioPiece]:
        """Placed pieces of the chunks in `order` (default: all, first to last).

        `should_stop` is asked before each chunk (and between a streaming
        engine's parts); when it says stop the generator ends. Engine errors
        raise EngineError with `.chunk`.
        """
        chunks = self.script.chunks
        sr = self.sample_rate
        for index in range(len(chunks)) if order is None else order:
            if should_stop is not None and should_stop():
                return
            chunk = chunks[index]
            with self.lock:
                offset = self.timeline.offset_samples(index)
            made = 0
            for audio, spent, cached, final in chunk_parts(
                self.engine, chunk, self.cache, should_stop, stream=self.stream
            ):
                made += len(audio)
                if final:
                    with self.lock:
                        self.timeline.record(index, made)
                yield AudioPiece.placed(
                    audio, sr, chunk, offset / sr, synth_s=spent, final=final, cached=cached
                )
                offset += len(audio)


def feed(
    shared: PlayState,
    producer: Producer,
    stop: threading.Event,
    emit: Callable[[NarrationEvent], None],
) -> None:
    """Live playback's producer thread: drain `producer` in the order the listener
    needs (PlayState.schedule) and store what it makes for the player.

    A failure is stored for the player to report (on its chunk when it has one).
    A chunk left half made by a stop is dropped, so it is made again if needed.
    """
    order = shared.schedule(stop)
    try:
        for piece in producer.pieces(order, stop.is_set):
            with shared.cond:
                entry = shared.entries[shared.making]
                entry.parts.append(piece.audio)
                entry.synth_s += piece.synth_s
                entry.cached = piece.cached
                entry.done = piece.final
                if piece.final and not piece.cached:
                    shared.stats.add_synthesis(entry.synth_s, entry.samples / piece.sample_rate)
                done = sum(1 for e in shared.entries.values() if e.done)
                rtf = shared.stats.rtf
                shared.cond.notify_all()
            if piece.final:
                emit(SynthesisProgress(done, len(shared.chunks), rtf))
    except BaseException as exc:  # noqa: BLE001 - the player reports it
        with shared.cond:
            shared.fail(exc)
    finally:
        order.close()
        with shared.cond:
            shared.drop_unfinished()
