"""The designed pauses and joins between chunks, in one place.

Streaming playback and file export both lay chunks out with these functions, so
what the listener hears live and what lands in the exported file are the same
samples: a short breath between clauses, a sentence pause, a longer paragraph
pause, and a few milliseconds of fade at every chunk edge so joins never click.

Times are kept in whole samples (`pause_samples`) so the start of every piece is
exact and the streamed and assembled audio line up sample for sample.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from narrator.audio.piece import AudioPiece
from narrator.text.script import Chunk

CLAUSE_PAUSE_S = 0.08
SENTENCE_PAUSE_S = 0.35
PARAGRAPH_PAUSE_S = 0.7
FADE_MS = 5.0


def pause_after(chunk: Chunk) -> float:
    """Seconds of silence after `chunk`: clause < sentence < paragraph.

    The title is its own paragraph in the script, so it gets a paragraph pause.
    """
    if chunk.ends_paragraph:
        return PARAGRAPH_PAUSE_S
    if chunk.ends_sentence:
        return SENTENCE_PAUSE_S
    return CLAUSE_PAUSE_S


def pause_samples(chunk: Chunk, sample_rate: int) -> int:
    """`pause_after(chunk)` in whole samples (the unit the timeline is built in)."""
    return round(pause_after(chunk) * sample_rate)


def silence(seconds: float, sample_rate: int) -> np.ndarray:
    """`seconds` of float32 zeros (never negative)."""
    return np.zeros(max(0, round(seconds * sample_rate)), dtype=np.float32)


def fade_edges(
    audio: np.ndarray,
    sample_rate: int,
    ms: float = FADE_MS,
    *,
    fade_in: bool = True,
    fade_out: bool = True,
) -> np.ndarray:
    """A copy of `audio` with a short linear fade-in and fade-out.

    Engines often start or stop a chunk off zero; butted against silence that is
    an audible click. A 5 ms ramp removes it without touching the speech. The
    ramp is at most half the audio so very short pieces still fade both ways.
    """
    out = np.array(audio, dtype=np.float32, copy=True)
    n = min(int(sample_rate * ms / 1000.0), len(out) // 2)
    if n <= 0:
        return out
    ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
    if fade_in:
        out[:n] *= ramp
    if fade_out:
        out[-n:] *= ramp[::-1]
    return out


def assemble(pieces: Iterable[AudioPiece]) -> np.ndarray:
    """One array holding every piece at its `start_s`, silence in between.

    Pieces may be several per chunk (streaming engines); gaps between them are
    the designed pauses. No trailing pause is added after the last piece.
    """
    items = list(pieces)
    if not items:
        return np.zeros(0, dtype=np.float32)
    sr = items[0].sample_rate
    placed = [(round(p.start_s * sr), p.audio) for p in items]
    total = max(start + len(audio) for start, audio in placed)
    out = np.zeros(total, dtype=np.float32)
    for start, audio in placed:
        out[start : start + len(audio)] = audio
    return out
