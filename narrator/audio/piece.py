"""The unit that flows from the streaming narrator to players and exporters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narrator.text.script import Chunk


@dataclass(frozen=True)
class AudioPiece:
    """Synthesized audio of one chunk (or one streamed part of a chunk).

    audio        float32 mono samples at `sample_rate`, the pause after the
                 chunk NOT included (pauses are laid out by the assembler)
    sample_rate  Hz
    chunk        the text chunk this audio speaks (spans in the cleaned text)
    start_s      where this piece starts in the whole narration, seconds,
                 pauses included: read-along and subtitles use it
    end_s        start_s + duration of `audio`
    synth_s      engine wall time spent producing it (0.0 when cached)
    final        True on the last piece of its chunk (XTTS yields several)
    cached       True when it came from the chunk cache
    """

    audio: np.ndarray
    sample_rate: int
    chunk: Chunk
    start_s: float
    end_s: float
    synth_s: float = 0.0
    final: bool = True
    cached: bool = False

    @classmethod
    def placed(
        cls,
        audio: np.ndarray,
        sample_rate: int,
        chunk: Chunk,
        start_s: float,
        *,
        synth_s: float = 0.0,
        final: bool = True,
        cached: bool = False,
    ) -> AudioPiece:
        """A piece laid at `start_s` of the narration; its end follows from its length."""
        return cls(audio, sample_rate, chunk, start_s, start_s + len(audio) / sample_rate,
                   synth_s, final, cached)  # fmt: skip

    @property
    def duration_s(self) -> float:
        return len(self.audio) / self.sample_rate
