"""Which voice the app speaks with: engine, voice and speed, as one value.

A frozen dataclass so "did the user change the voice?" is an equality test and
a loaded engine can be reused while the settings stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrator.engines.base import MAX_SPEED, MIN_SPEED

SPEED_STEP = 0.1


@dataclass(frozen=True)
class VoiceSettings:
    """engine "auto" lets the registry choose; voice None means the engine's default."""

    engine: str = "auto"
    voice: str | None = None
    speed: float = 1.0

    @property
    def label(self) -> str:
        """`espeak · hi-female · 1.0×` for the status line (before it is resolved)."""
        parts = [self.engine, self.voice or "default", f"{self.speed:.1f}×"]
        return " · ".join(parts)

    def with_speed(self, speed: float) -> VoiceSettings:
        """A copy at `speed`, clamped to what the engines accept, in steps of 0.1."""
        speed = round(max(MIN_SPEED, min(MAX_SPEED, speed)) / SPEED_STEP) * SPEED_STEP
        return VoiceSettings(self.engine, self.voice, round(speed, 2))


def describe_voice(settings: VoiceSettings, purpose: str = "live", device: str = "auto") -> str:
    """What the settings really mean here: `auto → kokoro · hf_alpha · 1.0×`.

    Asks the same question `resolve_engine` will (narrator.default_voice),
    without loading a model, so the listener sees the real voice before
    pressing play. Engines look for weights on disk: call it off the UI thread.
    """
    from narrator.default_voice import default_voice, default_voice_name

    if settings.engine == "auto":
        engine, voice = default_voice(purpose, device)
        voice = settings.voice or voice
    else:
        engine, voice = settings.engine, settings.voice or default_voice_name(settings.engine)
    body = f"{engine} · {voice} · {settings.speed:.1f}×"
    return f"auto → {body}" if settings.engine == "auto" else body
