"""A tiny live level meter: the last few RMS readings as a row of block bars.

Why blocks and not a real waveform: it fits in ten cells of an 80-column
terminal, renders the same over SSH as locally, and still shows at a glance
that sound is coming out (and when a pause or an underrun silences it).
"""

from __future__ import annotations

import math
from collections import deque

from textual.widgets import Static

BARS = " ▁▂▃▄▅▆▇█"
FLOOR_DB = -50.0
"""Readings at or below this many dBFS show as an empty cell."""


def level_bar(rms: float) -> str:
    """One block for an RMS reading, on a dB scale from FLOOR_DB to 0 dBFS."""
    if rms <= 0 or not math.isfinite(rms):
        return BARS[0]
    db = 20.0 * math.log10(min(rms, 1.0))
    fraction = max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB))
    return BARS[round(fraction * (len(BARS) - 1))]


class LevelMeter(Static):
    """Scrolls RMS readings right to left; `reset()` clears it on stop."""

    def __init__(self, cells: int = 10, *, id: str | None = None) -> None:
        super().__init__(BARS[0] * cells, id=id, markup=False)
        self.readings: deque[float] = deque([0.0] * cells, maxlen=cells)

    def push(self, rms: float) -> None:
        self.readings.append(float(rms))
        self.update("".join(level_bar(r) for r in self.readings))

    def reset(self) -> None:
        for _ in range(len(self.readings)):
            self.readings.append(0.0)
        self.update(BARS[0] * len(self.readings))
