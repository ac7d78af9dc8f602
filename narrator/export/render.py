"""A Script's narration written to a spool on disk, one piece at a time.

Why not `render_script`: it returns the whole narration as one array (and
keeps every piece's audio until then), which is what made a long export cost
gigabytes. Here the one producer (`narrator.stream.Producer`, which
`render_script` and live playback drain too) is drained directly and each
placed piece goes to the spool the moment it is made, at the sample the
Timeline gives it, so the spool holds exactly the samples of a single render of
the whole script while memory holds one chunk.

What is kept per chunk is its `TimedChunk` (times, sentence split points, cache
flag), enough for subtitles, chapters and the sidecar.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from narrator.audio.piece import AudioPiece
from narrator.audio.spool import AudioSpool
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.stream import Producer, Timeline
from narrator.subtitles import TimedChunk, time_chunk
from narrator.text.script import Script


@dataclass
class RenderedNarration:
    """What was written to the spool.

    timings   one TimedChunk per chunk, in order
    synth_s   engine seconds spent (0 for chunks from the cache)
    complete  False when `should_stop` ended it early
    """

    timings: list[TimedChunk] = field(default_factory=list)
    synth_s: float = 0.0
    complete: bool = True

    @property
    def cached_chunks(self) -> int:
        return sum(t.cached for t in self.timings)


def render_to_spool(
    engine: BaseEngine,
    script: Script,
    spool: AudioSpool,
    *,
    cache: ChunkCache | None = None,
    on_chunk: Callable[[TimedChunk], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RenderedNarration:
    """Synthesize every chunk of `script` into `spool` (see the module notes)."""
    sr = spool.sample_rate
    result = RenderedNarration()
    pending: list[AudioPiece] = []
    producer = Producer(engine, script, Timeline.of(script, sr), cache=cache)
    for piece in producer.pieces(should_stop=should_stop):
        # The Timeline never overlaps pieces; should one, the times still
        # describe the audio as written.
        start = max(round(piece.start_s * sr), len(spool))
        spool.pad_to(start)
        spool.append(piece.audio, what=f"the audio of chunk {piece.chunk.index + 1}")
        result.synth_s += piece.synth_s
        pending.append(
            dataclasses.replace(piece, start_s=start / sr, end_s=(start + len(piece.audio)) / sr)
        )
        if piece.final:
            timing = time_chunk(script, pending)
            pending.clear()
            result.timings.append(timing)
            if on_chunk is not None:
                on_chunk(timing)
    result.complete = len(result.timings) == len(script.chunks)
    return result
