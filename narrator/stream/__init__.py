"""Turning a Script into audio: all at once (`render_script`) or live with controls
(`StreamingNarrator`), both draining the one producer.

    timeline.py   where chunks sit, estimates, the start delay, the chunk plan (pure)
    producer.py   the one synthesis loop: chunks in, placed AudioPieces out
    render.py     the whole narration in memory (export, `--no-stream`)
    state.py      what the live narration's threads share, under one condition
    player.py     the sink's clock: hands chunks to the sink, marks, underruns
    stats.py      NarrationStats: ttfa, rtf, overhead, underruns, waits
    narrator.py   StreamingNarrator: the controls

Everything lays chunks out the same way (narrator.audio.assemble: faded edges,
designed pauses, times in whole samples), so what is heard live, what is
exported and what the read-along highlights agree sample for sample.
"""

from narrator.stream.narrator import StreamingNarrator
from narrator.stream.producer import Producer, chunk_parts, synthesize_chunk
from narrator.stream.render import Rendering, render_script
from narrator.stream.stats import NarrationStats
from narrator.stream.timeline import Timeline, chunk_plan, expected_wait_s, live_chunk_plan

__all__ = [
    "NarrationStats",
    "Producer",
    "Rendering",
    "StreamingNarrator",
    "Timeline",
    "chunk_parts",
    "chunk_plan",
    "expected_wait_s",
    "live_chunk_plan",
    "render_script",
    "synthesize_chunk",
]
