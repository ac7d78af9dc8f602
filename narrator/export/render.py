"""A Script's narration written to a spool on disk, one chunk at a time.

Why not one `render_script` call: it returns the whole narration as one array
(and keeps every piece's audio until then), which is what made a long export
cost gigabytes. Here the script is rendered in groups of chunks (a few minutes
of audio each) with that same function, so the pauses, fades and joins are its
own, and each piece goes to the spool the moment `on_piece` hands it over; the
group's array is dropped before the next group starts. Between two groups the
pause after the last chunk is the one `render_script` itself would put there
(`narrator.audio.assemble.pause_samples`), so the spool holds exactly the
samples of a single render of the whole script.

What is kept per chunk is its `TimedChunk` (times, sentence split points, cache
flag), enough for subtitles, chapters and the sidecar.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from narrator.audio.assemble import pause_samples
from narrator.audio.piece import AudioPiece
from narrator.audio.spool import AudioSpool
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.subtitles import TimedChunk, time_chunk
from narrator.text.script import Chunk, Script

GROUP_CHARS = 4000  # about four minutes of speech per render_script call


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


def chunk_groups(chunks: list[Chunk], limit: int = GROUP_CHARS) -> list[list[Chunk]]:
    """Consecutive runs of chunks of at most `limit` characters (at least one chunk each)."""
    groups: list[list[Chunk]] = []
    size = limit
    for chunk in chunks:
        if size + len(chunk.text) > limit and (not groups or groups[-1]):
            groups.append([])
            size = 0
        groups[-1].append(chunk)
        size += len(chunk.text)
    return groups


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
    from narrator.stream import render_script

    sr = spool.sample_rate
    result = RenderedNarration()
    offset = 0  # where the next group starts in the spool, in samples
    pending: list[AudioPiece] = []

    def on_piece(piece: AudioPiece) -> None:
        # Never before what is already written (render_script does not overlap
        # pieces; should one, the times still describe the audio as written).
        start = max(offset + round(piece.start_s * sr), len(spool))
        spool.pad_to(start)
        spool.append(piece.audio, what=f"the audio of chunk {piece.chunk.index + 1}")
        result.synth_s += piece.synth_s
        placed = dataclasses.replace(
            piece, start_s=start / sr, end_s=(start + len(piece.audio)) / sr
        )
        pending.append(placed)
        if piece.final:
            timing = time_chunk(script, pending)
            pending.clear()
            result.timings.append(timing)
            if on_chunk is not None:
                on_chunk(timing)

    groups = chunk_groups(script.chunks)
    for number, group in enumerate(groups):
        part = dataclasses.replace(script, chunks=group)
        rendering = render_script(
            engine, part, cache=cache, on_piece=on_piece, should_stop=should_stop
        )
        complete = rendering.complete
        del rendering  # its array is the group's audio, already in the spool
        if not complete:
            result.complete = False
            break
        if number < len(groups) - 1:
            offset = len(spool) + pause_samples(group[-1], sr)
    return result
