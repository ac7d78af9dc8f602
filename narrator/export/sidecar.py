"""The sidecar: the one schema of what an exported episode is.

`<slug>.json` beside the audio says what was made, from what, how, and where
every chunk is heard. Export writes it last (a sidecar means a complete
episode); the feed, the TUI, a rerun and a cluster read it through
`EpisodeSidecar.from_json`, never through loose `dict.get`s, so a field has one
name and one type everywhere.

Why strict reading: a sidecar is a file anyone can edit, copy or damage, and the
feed links to the files it names. `from_json` checks every field's type against
the dataclass (a string where a number belongs is an error, not a crash three
calls later) and that every file it names is a plain name inside the episode's
folder (no "/", "..", absolute paths or hidden files); `file()` also refuses a
name that leads out of the folder through a symlink. A bad sidecar raises
SidecarError with a one-line reason, and the feed skips that episode with a
warning instead of dying.

Versions: 2 adds `identity`, `link` and `loudness.input_lufs`. A version-1
sidecar still reads (identity = source; link = the source when it is a URL).
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrator.audio.tags import Chapter
from narrator.errors import NarratorError
from narrator.urls import is_url

SIDECAR_MARK = "narrator_episode"
SIDECAR_VERSION = 2


class SidecarError(NarratorError):
    """A sidecar that cannot be trusted (its one-line reason says why)."""


class NotASidecar(SidecarError):
    """A JSON file that is not one of ours (no `narrator_episode` mark)."""


@dataclass(frozen=True)
class LoudnessRecord:
    """What mastering aimed at and measured (LUFS / dBTP; None when unmeasurable)."""

    target_lufs: float
    measured_lufs: float | None = None
    true_peak_dbtp: float | None = None
    input_lufs: float | None = None


@dataclass(frozen=True)
class ChunkRecord:
    """One chunk as heard: its article text, its spoken form and its times."""

    index: int
    text: str
    spoken: str
    start_s: float
    end_s: float
    sentence: int
    paragraph: int
    cached: bool = False


@dataclass(frozen=True)
class EpisodeSidecar:
    """Everything about one exported episode (see the module notes).

    identity  what makes it the same article next time (ArticleJob.identity)
    source    where the article came from; link: its web page ("" if none)
    date      publication time, ISO 8601 with offset, or None
    audio, subtitles (kind -> file), chapters: file names in the episode's folder
    audio_bytes  size of the audio file (a rerun checks it)
    content_hash sha256 of everything that shaped the audio (a rerun compares it)
    """

    title: str
    source: str
    slug: str
    audio: str
    format: str
    mime_type: str
    audio_bytes: int
    duration_s: float
    sample_rate: int
    content_hash: str
    identity: str = ""
    link: str = ""
    date: str | None = None
    language: str = "hi"
    description: str = ""
    engine: str = ""
    voice: str = ""
    model: str = ""
    licence: str = ""
    cache_key: str = ""
    loudness: LoudnessRecord | None = None
    created: str = ""
    subtitles: dict[str, str] = field(default_factory=dict)
    chapters: str = ""
    chapter_list: tuple[Chapter, ...] = ()
    chunks: tuple[ChunkRecord, ...] = ()
    version: int = SIDECAR_VERSION

    # -- writing ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        version = data.pop("version")
        return {SIDECAR_MARK: version, **data}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    # -- reading ----------------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str | bytes) -> EpisodeSidecar:
        """Parse and check a sidecar; SidecarError (NotASidecar) when it is not one."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SidecarError(f"not valid JSON ({exc})") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> EpisodeSidecar:
        if not isinstance(data, dict) or SIDECAR_MARK not in data:
            raise NotASidecar("not a narrator sidecar")
        data = dict(data)
        version = data.pop(SIDECAR_MARK)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise SidecarError(f"{SIDECAR_MARK} must be a version number, got {version!r}")
        if version > SIDECAR_VERSION:
            raise SidecarError(f"written by a newer narrator (sidecar version {version})")
        if version == 1:  # before identity and link existed
            source = data.get("source")
            if isinstance(source, str):
                data.setdefault("identity", source)
                if is_url(source):
                    data.setdefault("link", source)
        data["version"] = version
        sidecar = _build(cls, data, "")
        sidecar._check_names()
        if not sidecar.identity:
            sidecar = dataclasses.replace(sidecar, identity=sidecar.source)
        return sidecar

    @classmethod
    def read(cls, path: Path) -> EpisodeSidecar:
        """The sidecar at `path` (SidecarError naming what is wrong with it)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SidecarError(f"unreadable ({exc.strerror or exc})") from exc
        return cls.from_json(raw)

    def _check_names(self) -> None:
        names = {"audio": self.audio, "chapters": self.chapters}
        names.update({f"subtitles.{k}": v for k, v in self.subtitles.items()})
        for key, name in names.items():
            if key != "audio" and not name:
                continue
            if (
                not name
                or "/" in name
                or "\\" in name
                or name in (".", "..")
                or name.startswith(".")
                or Path(name).is_absolute()
            ):
                raise SidecarError(f"{key} {name!r} is not a file name inside the episode folder")

    # -- the files it names ----------------------------------------------------------------

    def file(self, folder: Path, name: str) -> Path:
        """`folder/name`, refused (SidecarError) when it leads out of `folder`."""
        path = folder / name
        root = folder.resolve()
        try:
            resolved = path.resolve()
        except OSError as exc:  # a symlink loop
            raise SidecarError(f"{name!r} cannot be resolved ({exc})") from exc
        if not resolved.is_relative_to(root):
            raise SidecarError(f"{name!r} leads outside {folder} (through a symlink)")
        return path

    def files(self, folder: Path) -> dict[str, Path]:
        """Every file of the episode by kind: audio, srt, vtt, chapters (checked)."""
        found = {"audio": self.file(folder, self.audio)}
        for kind, name in self.subtitles.items():
            found[kind] = self.file(folder, name)
        if self.chapters:
            found["chapters"] = self.file(folder, self.chapters)
        return found


# -- type checking against the dataclass ---------------------------------------------------------


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    # Unknown keys are ignored: a field added later must not break an older reader.
    for f in dataclasses.fields(cls):
        key = f"{where}{f.name}"
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SidecarError(f"{key} is missing")
            continue
        values[f.name] = _value(data[f.name], hints[f.name], key)
    return cls(**values)


def _value(value: Any, hint: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        others = [a for a in args if a is not type(None)]
        return _value(value, others[0], key)
    if hint is str:
        if not isinstance(value, str):
            raise SidecarError(f"{key} must be text, got {type(value).__name__}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise SidecarError(f"{key} must be true or false, got {type(value).__name__}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SidecarError(f"{key} must be a whole number, got {type(value).__name__}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SidecarError(f"{key} must be a number, got {type(value).__name__}")
        if not math.isfinite(value):
            raise SidecarError(f"{key} must be a finite number")
        return float(value)
    if origin is tuple:
        if not isinstance(value, list):
            raise SidecarError(f"{key} must be a list, got {type(value).__name__}")
        return tuple(_value(item, args[0], f"{key}[{i}]") for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise SidecarError(f"{key} must be an object, got {type(value).__name__}")
        return {
            _value(k, args[0], f"{key} key"): _value(v, args[1], f"{key}.{k}")
            for k, v in value.items()
        }
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise SidecarError(f"{key} must be an object, got {type(value).__name__}")
        return _build(hint, value, f"{key}.")
    raise TypeError(f"sidecar field {key} has a type the reader does not know: {hint!r}")
