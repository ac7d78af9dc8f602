"""narrator: Hindi news narration with open TTS models."""
__version__ = "0.1.0"
