"""Finding engines (entry points) and choosing one for the user.

Engines are the classes named in the `narrator.engines` entry-point group of
any installed distribution: narrator's own four in its pyproject.toml, and an
engine from another package the same way, with no edit here. Everything this
module asks an engine is on `BaseEngine`; it knows no engine by name.

`auto` picks the installed engine with the highest `auto_rank` (XTTS-v2 when
its weights are on disk, else a configured Coqui checkpoint, else Kokoro-82M,
else eSpeak NG, which is always installed). For live listening an engine
measured slower than real time on this machine gives way to the next one, with
a notice saying so; the last installed engine is never passed over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from narrator.catalogue.licences import Consent, Progress
from narrator.catalogue.records import InstalledModel, PullResult
from narrator.engines.base import BaseEngine, VoiceInfo
from narrator.engines.speedlog import expected_rtf
from narrator.errors import EngineError, InputError, NarratorError, one_line

ENTRY_POINT_GROUP = "narrator.engines"
AUTO = "auto"


@dataclass
class EngineChoice:
    """A loaded engine and the notices the user should read about the choice."""

    engine: BaseEngine
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Found:
    """The entry points that loaded, and why the others did not."""

    classes: dict[str, type[BaseEngine]]
    broken: dict[str, str]


def _load(point: EntryPoint) -> type[BaseEngine]:
    try:
        loaded = point.load()
    except Exception as exc:
        raise EngineError(f"{type(exc).__name__}: {one_line(exc)}") from exc
    if not (isinstance(loaded, type) and issubclass(loaded, BaseEngine)):
        raise EngineError(f"{point.value} is not a BaseEngine subclass")
    return loaded


@cache
def _discover() -> _Found:
    classes: dict[str, type[BaseEngine]] = {}
    broken: dict[str, str] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name in classes:
            continue  # the first distribution on sys.path wins, as for imports
        try:
            classes[point.name] = _load(point)
        except EngineError as exc:
            broken[point.name] = str(exc)
    if not classes and not broken:
        raise NarratorError(
            "no synthesis engines are registered: narrator's package metadata is missing "
            "(install it with `pip install -e .` in the source folder)"
        )
    return _Found(classes, broken)


def engine_classes() -> dict[str, type[BaseEngine]]:
    """Engine name -> class, for every entry point that loads, best for `auto` first."""
    classes = _discover().classes
    return {name: classes[name] for name in sorted(classes, key=lambda n: _order(classes[n]))}


def _order(cls: type[BaseEngine]) -> tuple[int, str]:
    return (-(cls.auto_rank if cls.auto_rank is not None else -1), cls.name)


def forget_engines() -> None:
    """Look the entry points up again on next use (after installing a plug-in)."""
    _discover.cache_clear()


def engine_class(name: str) -> type[BaseEngine]:
    """The class of the engine called `name`; a one-line error names the choices."""
    found = _discover()
    if name in found.classes:
        return found.classes[name]
    if name in found.broken:
        raise EngineError(f"the {name} engine could not be loaded: {found.broken[name]}")
    known = ", ".join([AUTO, *engine_classes()])
    raise InputError(f"unknown engine {name!r}: choose one of {known}")


def all_voices() -> list[VoiceInfo]:
    """Every voice of every engine, ready or not, for `narrator voices` and the TUI."""
    return [voice for cls in engine_classes().values() for voice in cls.list_voices()]


def auto_engine_name(purpose: str = "export", device: str = "auto") -> tuple[str, list[str]]:
    """The engine `auto` means here, and why, for `purpose` "export" or "live"."""
    ranked = [
        cls for cls in engine_classes().values() if cls.auto_rank is not None and cls.is_installed()
    ]
    if not ranked:
        raise NarratorError("no engine for `auto` is installed: see `narrator voices`")
    notices: list[str] = []
    slow: list[tuple[str, float]] = []
    for cls in ranked[:-1]:
        rtf = expected_rtf(cls.name) if purpose == "live" and device != "cuda" else None
        if rtf is not None and rtf > 1.0:
            slow.append((cls.name, rtf))
            continue
        chosen = cls.name
        break
    else:
        chosen = ranked[-1].name
    for name, rtf in slow:
        notices.append(
            f"{name} ran at {rtf:.2f}x real time here, too slow for live listening; "
            f"using {chosen} (use --engine {name} --smooth to wait for it, or export)"
        )
    return chosen, notices


def engine_for_model(spec: str) -> type[BaseEngine]:
    """The engine a model belongs to: the best-ranked one whose `knows_model(spec)`."""
    classes = engine_classes()
    for cls in classes.values():
        if cls.knows_model(spec):
            return cls
    takes = "; ".join(
        f"{name} takes {cls.model_option}" for name, cls in classes.items() if cls.model_option
    )
    raise InputError(f"unknown model {spec!r}: {takes or 'no engine takes a model'}")


def resolve_engine(
    engine: str = AUTO,
    *,
    voice: str | None = None,
    device: str = "auto",
    speed: float = 1.0,
    model: str | os.PathLike[str] | None = None,
    purpose: str = "export",
    threads: int | None = None,
) -> EngineChoice:
    """Load the engine the user asked for (or `auto`'s pick) with its voice.

    With `auto` and a `model`, the engine is the one that knows the model
    (`BaseEngine.knows_model`, best first). `threads` caps the CPU threads
    synthesis uses (export workers share the cores).
    """
    notices: list[str] = []
    name = engine
    if engine == AUTO:
        if model is not None:
            name = engine_for_model(os.fspath(model)).name
        else:
            name, notices = auto_engine_name(purpose, device)
        notices.append(f"engine: {name} (auto)")
    cls = engine_class(name)
    instance = cls(voice=voice, device=device, speed=speed, model=model, threads=threads)
    notices.extend(instance.notices)
    return EngineChoice(instance, notices)


def pull_model(
    name: str,
    *,
    agree: Consent | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> PullResult:
    """`narrator models pull NAME`: the engine that owns NAME downloads it.

    NAME is an engine (`kokoro`, `xtts`: its default model) or a model an
    engine knows (a Coqui catalogue name, an alias such as `mms`).
    """
    classes = engine_classes()
    if name in classes:
        return classes[name].pull(None, agree=agree, progress=progress, force=force)
    return engine_for_model(name).pull(name, agree=agree, progress=progress, force=force)


def installed_models() -> list[InstalledModel]:
    """Every engine's weights on this machine, for `narrator models list`."""
    return [row for cls in engine_classes().values() for row in cls.installed_models()]
