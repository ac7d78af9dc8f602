"""Seek by time (±10 s): which chunk holds a moment of the narration.

The streaming narrator seeks by chunk. To jump ten seconds, the time has to
become a chunk: chunks already synthesized know exactly where they start
(`StreamingNarrator.pieces()`); the others are placed by their length in
characters, at the narration's average pace (`total_s_estimate`), counted on
from the last chunk whose start is known. The lead will reconcile this with a
time seek in the narrator itself if it gains one; `chunk_for_time` is the one
place to switch.
"""

from __future__ import annotations

from collections.abc import Sequence

from narrator.audio.piece import AudioPiece
from narrator.text.script import Chunk

SEEK_STEP_S = 10.0


def chunk_starts(chunks: Sequence[Chunk], pieces: Sequence[AudioPiece], total_s: float) -> list[float]:
    """Where each chunk starts in the narration: exact when made, else estimated."""
    known = {p.chunk.index: p.start_s for p in pieces}
    chars = sum(len(c.text) for c in chunks) or 1
    per_char = max(total_s, 0.0) / chars
    starts: list[float] = []
    at = 0.0
    for i, chunk in enumerate(chunks):
        at = known.get(i, at)
        starts.append(at)
        at += len(chunk.text) * per_char
    return starts


def chunk_for_time(
    chunks: Sequence[Chunk], pieces: Sequence[AudioPiece], total_s: float, target_s: float
) -> int:
    """The index of the chunk playing at `target_s` (clamped to the narration)."""
    if not chunks:
        return 0
    starts = chunk_starts(chunks, pieces, total_s)
    index = 0
    for i, start in enumerate(starts):
        if start <= target_s:
            index = i
    return index


def seek_target(
    chunks: Sequence[Chunk],
    pieces: Sequence[AudioPiece],
    total_s: float,
    position_s: float,
    current: int,
    delta_s: float,
) -> int:
    """The chunk to play for "`delta_s` seconds from `position_s`" while `current` plays.

    Chunks are the unit, so a step forward that lands in the chunk playing goes
    on to the next one, and a step back that lands in it starts it again.
    """
    target = chunk_for_time(chunks, pieces, total_s, max(0.0, position_s + delta_s))
    if delta_s > 0 and target <= current:
        return min(current + 1, len(chunks) - 1)
    return target
