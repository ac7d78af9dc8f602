"""User voices: reference clips and checkpoints described in `voices/voices.toml`.

A user adds a voice by dropping a clip (for XTTS cloning) or a Coqui model folder
into the voices folder (`narrator.paths.voices_dir()`) and, optionally,
describing it in `voices.toml`:

    [[voice]]
    name = "meri-awaaz"          # what --voice takes
    engine = "xtts"              # xtts (clip) or coqui (checkpoint)
    clip = "meri-awaaz.wav"      # relative to the voices folder
    language = "hi"
    description = "मेरी अपनी आवाज़"
    gender = "female"
    licence = "own recording"
    commercial = true

A clip in the folder that voices.toml does not mention is still an XTTS voice,
named after the file. Reading the file never loads audio; `load_reference_clip`
checks a clip (readable audio, at least 3 s, not silent) when a voice is used.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrator.engines.base import VoiceInfo
from narrator.errors import InputError
from narrator.paths import voices_dir

TOML_NAME = "voices.toml"
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".ogg", ".opus"}
ENGINES = {"xtts", "coqui"}
MIN_CLIP_S = 3.0
MAX_CLIP_S = 30.0
# Peak below this is treated as silence (-54 dBFS): nothing to clone from.
SILENCE_PEAK = 2e-3


@dataclass(frozen=True)
class UserVoice:
    """One user voice, with paths made absolute against the voices folder."""

    name: str
    engine: str
    clip: Path | None = None
    checkpoint: str | None = None  # a folder/file path or a Coqui model name
    vocoder: Path | None = None
    speaker: str | None = None
    language: str = "hi"
    description: str = ""
    gender: str = ""
    licence: str = ""
    commercial: bool = False

    @property
    def ready(self) -> bool:
        if self.clip is not None:
            return self.clip.is_file()
        if self.checkpoint is None:
            return False
        from narrator.catalogue import coqui

        if coqui.is_model_name(self.checkpoint):
            return coqui.model_dir(self.checkpoint) is not None
        return Path(self.checkpoint).exists()

    def info(self, *, ready: bool | None = None, pull_hint: str = "") -> VoiceInfo:
        missing = self.clip or self.checkpoint
        return VoiceInfo(
            name=self.name,
            engine=self.engine,
            language=self.language,
            description=self.description or f"user voice ({Path(str(missing)).name})",
            gender=self.gender,
            licence=self.licence or "user-supplied",
            commercial=self.commercial,
            ready=self.ready if ready is None else ready,
            pull_hint=pull_hint,
        )


def _text(entry: dict[str, object], key: str, where: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise InputError(f"{where}: `{key}` must be a string")
    return value.strip()


def _parse_entry(entry: object, index: int, folder: Path, toml_path: Path) -> UserVoice:
    where = f"{toml_path} voice #{index + 1}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: each [[voice]] must be a table")
    name = _text(entry, "name", where)
    if not name:
        raise InputError(f"{where}: `name` is required")
    where = f"{toml_path} voice {name!r}"
    engine = _text(entry, "engine", where) or ("xtts" if "clip" in entry else "coqui")
    if engine not in ENGINES:
        raise InputError(f"{where}: engine must be one of {', '.join(sorted(ENGINES))}")
    clip = _text(entry, "clip", where)
    checkpoint = _text(entry, "checkpoint", where)
    vocoder = _text(entry, "vocoder", where)
    if engine == "xtts" and not clip:
        raise InputError(f"{where}: an xtts voice needs `clip` (a 6-30 s recording)")
    if engine == "coqui" and not checkpoint:
        raise InputError(f"{where}: a coqui voice needs `checkpoint` (a model folder or name)")
    commercial = entry.get("commercial", False)
    if not isinstance(commercial, bool):
        raise InputError(f"{where}: `commercial` must be true or false")

    def local(value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else folder / path

    if checkpoint and (checkpoint.startswith((".", "/", "~")) or local(checkpoint).exists()):
        checkpoint = str(local(checkpoint))
    return UserVoice(
        name=name,
        engine=engine,
        clip=local(clip) if clip else None,
        checkpoint=checkpoint or None,
        vocoder=local(vocoder) if vocoder else None,
        speaker=_text(entry, "speaker", where) or None,
        language=_text(entry, "language", where) or "hi",
        description=_text(entry, "description", where),
        gender=_text(entry, "gender", where),
        licence=_text(entry, "licence", where) or _text(entry, "license", where),
        commercial=commercial,
    )


def load_user_voices(folder: Path | None = None) -> list[UserVoice]:
    """Voices described in voices.toml, then undescribed clips in the folder (as XTTS voices).

    A voices.toml that is not valid TOML is an InputError naming the file and line.
    """
    folder = folder or voices_dir()
    voices: list[UserVoice] = []
    toml_path = folder / TOML_NAME
    if toml_path.is_file():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{toml_path} is not valid TOML: {exc}") from exc
        entries = data.get("voice", [])
        if not isinstance(entries, list):
            raise InputError(f"{toml_path}: voices are [[voice]] tables")
        voices = [_parse_entry(e, i, folder, toml_path) for i, e in enumerate(entries)]
        names = [v.name for v in voices]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise InputError(f"{toml_path}: voice name {dupes[0]!r} is used twice")
    described = {v.clip.resolve() for v in voices if v.clip is not None}
    taken = {v.name for v in voices}
    if folder.is_dir():
        for clip in sorted(folder.iterdir()):
            is_new = clip.resolve() not in described and clip.stem not in taken
            if clip.suffix.lower() in AUDIO_SUFFIXES and is_new:
                voices.append(UserVoice(name=clip.stem, engine="xtts", clip=clip))
    return voices


def find_user_voice(
    name: str, engine: str | None = None, folder: Path | None = None
) -> UserVoice | None:
    for voice in load_user_voices(folder):
        if voice.name == name and (engine is None or voice.engine == engine):
            return voice
    return None


def load_reference_clip(path: Path) -> tuple[np.ndarray, int]:
    """Read a cloning clip as float32 mono at its own rate, after checking it is usable.

    Errors name the file: not audio soundfile can read, shorter than 3 s, or silent.
    Only the first 30 s are kept (XTTS conditions on at most that much).
    """
    import soundfile as sf

    if not path.is_file():
        raise InputError(f"reference clip {path} does not exist")
    try:
        audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise InputError(
            f"reference clip {path} is not audio that can be read (use WAV, FLAC or MP3)"
        ) from exc
    mono = audio.mean(axis=1).astype(np.float32)
    seconds = len(mono) / rate if rate else 0.0
    if seconds < MIN_CLIP_S:
        raise InputError(
            f"reference clip {path} is {seconds:.1f} s long: use {MIN_CLIP_S:.0f}-{MAX_CLIP_S:.0f} s "
            "of clean speech (6 s or more is best)"
        )
    if not np.isfinite(mono).all() or float(np.max(np.abs(mono))) < SILENCE_PEAK:
        raise InputError(f"reference clip {path} is silent: record the speaker's voice again")
    return mono[: int(MAX_CLIP_S * rate)], int(rate)
