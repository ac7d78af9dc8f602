"""What "the default voice" is on this machine: one answer for the CLI and the app.

`--engine auto` picks an engine (narrator.engines.registry.auto_engine_name),
and an engine given no `--voice` speaks with its first ready voice. Both the
`narrator voices` list (which marks the default) and the app's status bar and
voice picker (`auto → kokoro · hf_alpha`) ask here, so they always agree with
what `resolve_engine` will actually load.
"""

from __future__ import annotations

from narrator.engines.registry import auto_engine_name, engine_class


def default_voice_name(engine: str) -> str:
    """The voice `engine` speaks with when none is named: its first ready voice."""
    voices = engine_class(engine).list_voices()
    ready = [v for v in voices if v.ready] or voices
    return ready[0].name if ready else "default"


def default_voice(purpose: str = "export", device: str = "auto") -> tuple[str, str]:
    """(engine, voice) that `--engine auto` with no `--voice` uses for `purpose`.

    purpose "export" (files, `narrator export`) or "live" (listening now, where
    a voice measured slower than real time gives way to a faster one).
    """
    engine, _ = auto_engine_name(purpose, device)
    return engine, default_voice_name(engine)
