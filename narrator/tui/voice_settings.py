"""Which voice the app speaks with: engine, voice and speed, as one value.

A frozen dataclass so "did the user change the voice?" is an equality test and
a loaded engine can be reused while the settings stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SPEED = 0.5
MAX_SPEED = 2.0
SPEED_STEP = 0.1


@dataclass(frozen=True)
class VoiceSettings:
    """engine "auto" lets the registry choose; voice None means the engine's default."""

    engine: str = "auto"
    voice: str | None = None
    speed: float = 1.0

    @property
    def label(self) -> str:
        """`espeak · hi-female · 1.0×` for the status line."""
        parts = [self.engine, self.voice or "default", f"{self.speed:.1f}×"]
        return " · ".join(parts)

    def with_speed(self, speed: float) -> VoiceSettings:
        """A copy at `speed`, clamped to what the engines accept, in steps of 0.1."""
        speed = round(max(MIN_SPEED, min(MAX_SPEED, speed)) / SPEED_STEP) * SPEED_STEP
        return VoiceSettings(self.engine, self.voice, round(speed, 2))
