"""Synthesis back-ends behind one contract (see base.BaseEngine) and how one is chosen."""

from narrator.engines.base import BaseEngine, VoiceInfo, as_float32_mono

__all__ = ["BaseEngine", "VoiceInfo", "as_float32_mono"]
