"""Synthesis back-ends behind one interface (see base.Engine) and how one is chosen."""

from narrator.engines.base import BaseEngine, Engine, VoiceInfo, as_float32_mono

__all__ = ["BaseEngine", "Engine", "VoiceInfo", "as_float32_mono"]
