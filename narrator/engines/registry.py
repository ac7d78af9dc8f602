"""Finding engines (entry points) and choosing one for the user.

`auto` picks the best voice that is installed: XTTS-v2 when its weights are on
disk, else a configured Coqui checkpoint, else Kokoro-82M, else eSpeak NG (which
always works). For live listening a voice measured slower than real time on this
machine gives way to eSpeak NG, with a notice saying so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points

from narrator.engines.base import BaseEngine, VoiceInfo
from narrator.engines.speedlog import expected_rtf
from narrator.errors import InputError

ENTRY_POINT_GROUP = "narrator.engines"
AUTO_ORDER = ["xtts", "coqui", "kokoro", "espeak"]

_BUILTIN = {
    "espeak": "narrator.engines.espeak:EspeakEngine",
    "kokoro": "narrator.engines.kokoro:KokoroEngine",
    "coqui": "narrator.engines.coqui:CoquiEngine",
    "xtts": "narrator.engines.xtts:XttsEngine",
}


@dataclass
class EngineChoice:
    """A loaded engine and the notices the user should read about the choice."""

    engine: BaseEngine
    notices: list[str] = field(default_factory=list)


@cache
def engine_classes() -> dict[str, type[BaseEngine]]:
    """Engine name -> class, from entry points (built-ins even when not installed)."""
    import importlib

    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    specs = {**_BUILTIN, **found}
    classes: dict[str, type[BaseEngine]] = {}
    for name, spec in specs.items():
        module, _, attr = spec.partition(":")
        try:
            classes[name] = getattr(importlib.import_module(module), attr)
        except ImportError:
            continue
    return classes


def engine_class(name: str) -> type[BaseEngine]:
    classes = engine_classes()
    if name not in classes:
        known = ", ".join(["auto", *sorted(classes)])
        raise InputError(f"unknown engine {name!r}: choose one of {known}")
    return classes[name]


def all_voices() -> list[VoiceInfo]:
    """Every voice of every engine, ready or not, for `narrator voices` and the TUI."""
    voices: list[VoiceInfo] = []
    for name in AUTO_ORDER + sorted(set(engine_classes()) - set(AUTO_ORDER)):
        cls = engine_classes().get(name)
        if cls is not None:
            voices.extend(cls.list_voices())
    return voices


def _installed(name: str) -> bool:
    cls = engine_classes().get(name)
    return bool(cls and getattr(cls, "is_installed", lambda: False)())


def auto_engine_name(purpose: str = "export", device: str = "auto") -> tuple[str, list[str]]:
    """The engine `auto` means here, and why, for `purpose` "export" or "live"."""
    notices: list[str] = []
    for name in AUTO_ORDER:
        if name == "espeak" or not _installed(name):
            continue
        if purpose == "live":
            rtf = expected_rtf(name)
            if rtf is not None and rtf > 1.0 and device != "cuda":
                notices.append(
                    f"{name} ran at {rtf:.2f}x real time here, too slow for live listening; "
                    f"using espeak (use --engine {name} --smooth to wait for it, or export)"
                )
                continue
        return name, notices
    return "espeak", notices


def resolve_engine(
    engine: str = "auto",
    *,
    voice: str | None = None,
    device: str = "auto",
    speed: float = 1.0,
    model: str | None = None,
    purpose: str = "export",
    **options: object,
) -> EngineChoice:
    """Load the engine the user asked for (or `auto`'s pick) with its voice.

    `options` go to the engine's constructor as they are (e.g. `threads=1` for
    export workers; engines ignore options they do not know).
    """
    if not 0.5 <= speed <= 2.0:
        raise InputError(f"--speed {speed} is out of range: use 0.5 to 2.0")
    notices: list[str] = []
    name = engine
    if engine == "auto":
        if model:
            name = "coqui"  # --model with auto names a Coqui checkpoint (xtts: --engine xtts)
        else:
            name, notices = auto_engine_name(purpose, device)
        notices.append(f"engine: {name} (auto)")
    cls = engine_class(name)
    kwargs: dict[str, object] = {"voice": voice, "device": device, "speed": speed}
    if name == "coqui":
        kwargs["model"] = model or os.environ.get("NARRATOR_COQUI_MODEL")
    elif name == "xtts" and model:
        kwargs["model_dir"] = model
    kwargs.update(options)
    instance = cls(**kwargs)
    notices.extend(getattr(instance, "notices", []))
    return EngineChoice(instance, notices)
