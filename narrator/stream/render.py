"""A whole narration in memory: the producer drained first to last (export, `--no-stream`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from narrator.audio.assemble import assemble
from narrator.audio.piece import AudioPiece
from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine
from narrator.stream.producer import Producer
from narrator.stream.timeline import Timeline
from narrator.text.script import Script

__all__ = ["Rendering", "render_script"]


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
    engine: BaseEngine,
    script: Script,
    *,
    cache: ChunkCache | None = None,
    on_piece: Callable[[AudioPiece], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Rendering:
    """Synthesize every chunk and lay them out with the designed pauses.

    Used by export and by `narrator speak --no-stream`. `on_piece` is called
    after each chunk (progress bars); `should_stop` is asked before each chunk
    and ends the rendering early (`complete=False`). Engine errors raise
    EngineError with `.chunk` set.
    """
    sr = int(engine.sample_rate)
    producer = Producer(engine, script, Timeline.of(script, sr), cache=cache)
    pieces: list[AudioPiece] = []
    for piece in producer.pieces(should_stop=should_stop):
        pieces.append(piece)
        if on_piece is not None:
            on_piece(piece)
    return Rendering(
        audio=assemble(pieces),
        sample_rate=sr,
        pieces=pieces,
        synth_s=sum(p.synth_s for p in pieces),
        complete=len(pieces) == len(script.chunks),
    )
