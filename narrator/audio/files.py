"""Writing audio (and its companion files) to disk, atomically.

Every file is first written to a hidden temporary name in the destination folder
(`.<name>.<pid>-<random>.tmp`) and then `os.replace`d onto its real name, so an
interrupted export never leaves a truncated file under a real name: readers see
either the old complete file or the new complete one. The temporary file is
removed when writing fails; one left by a process killed outright (SIGKILL,
power loss) carries the dead writer's pid, so `sweep_stale_temps` can clear it
on the next run without touching the temp files of a writer that is still alive.

Formats, all through `soundfile` (libsndfile):

    wav   PCM 16-bit
    flac  PCM 16-bit, lossless
    ogg   Ogg Vorbis
    mp3   MPEG Layer III, constant bit rate (64 kbit/s mono at rates up to
          24 kHz, 96 kbit/s at 32-48 kHz: plenty for speech; CBR so that every
          player seeks and reports the duration exactly)

What we found about MP3: the libsndfile 1.2.2 bundled in the soundfile 0.13
wheels lists "MP3" in `soundfile.available_formats()` and encodes it with LAME
(decodes with mpg123), writing a LAME/Xing header so the decoded length is the
exact sample count. So no extra encoder package is needed. MPEG only allows
8, 11.025, 12, 16, 22.05, 24, 32, 44.1 and 48 kHz; audio at any other rate is
resampled (scipy's polyphase resampler) to the next allowed rate up before
encoding. If a soundfile build without MP3 is installed, writing MP3 raises a
one-line `InputError` that says so instead of failing obscurely.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf

from narrator.errors import InputError

#: format name -> (libsndfile major format, subtype)
FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("WAV", "PCM_16"),
    "flac": ("FLAC", "PCM_16"),
    "ogg": ("OGG", "VORBIS"),
    "mp3": ("MP3", "MPEG_LAYER_III"),
}

#: format name -> MIME type for podcast enclosures
MIME_TYPES: dict[str, str] = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
}

_SUFFIX_ALIASES = {"wave": "wav", "oga": "ogg", "mpeg": "mp3"}

_BLOCK_FRAMES = 65536

MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)

_TEMP_RE = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp$")


def audio_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The format name ("wav", "flac", "ogg", "mp3") for `fmt` or the path's suffix."""
    name = (fmt or Path(path).suffix.lstrip(".")).lower()
    name = _SUFFIX_ALIASES.get(name, name)
    if name not in FORMATS:
        shown = fmt or Path(path).suffix or "(no suffix)"
        raise InputError(f"unknown audio format {shown!r}: use one of {', '.join(sorted(FORMATS))}")
    return name


def temp_path_for(path: Path) -> Path:
    """A hidden temporary name beside `path`, marked with this process's pid."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def is_temp_file(path: Path) -> bool:
    """True for a temporary file this module writes (finished or abandoned)."""
    return bool(_TEMP_RE.match(path.name))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces `path`, on error it is removed."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final)
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` through a temp file and a rename."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 `text` to `path` through a temp file and a rename."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def sweep_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files left in `folder` by writers that no longer run."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _TEMP_RE.match(entry.name)
        if not match or not entry.is_file():
            continue
        if _pid_alive(int(match.group(1))):
            continue
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(entry)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mp3_rate(sample_rate: int) -> int:
    """The MPEG sample rate the audio is encoded at (the same one when allowed)."""
    for rate in MP3_RATES:
        if rate >= sample_rate:
            return rate
    return MP3_RATES[-1]


def resample(audio: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Polyphase resampling (scipy), float32 out."""
    if src == dst:
        return audio
    from scipy.signal import resample_poly

    g = gcd(src, dst)
    return np.asarray(resample_poly(audio, dst // g, src // g), dtype=np.float32)


def _mp3_compression_level(rate: int) -> float:
    # libsndfile maps the level linearly onto the bit-rate range of the MPEG
    # version: 160..8 kbit/s for MPEG-2 (<= 24 kHz), 320..32 for MPEG-1.
    return 0.63 if rate <= 24000 else 0.78


def encode_audio(audio: np.ndarray, sample_rate: int, fmt: str) -> tuple[bytes, int]:
    """Encode float mono `audio` as a whole file in memory: (file bytes, file sample rate).

    The file's rate differs from `sample_rate` only for MP3 at a rate MPEG lacks.
    """
    name = audio_format("", fmt)
    major, subtype = FORMATS[name]
    if major not in sf.available_formats():
        raise InputError(
            f"this soundfile/libsndfile build cannot write {name}: use wav, flac or ogg"
        )
    if sample_rate <= 0:
        raise InputError(f"invalid sample rate {sample_rate}")
    data = np.asarray(audio, dtype=np.float32).reshape(-1)
    data = np.clip(np.nan_to_num(data), -1.0, 1.0)
    extra: dict[str, object] = {}
    rate = sample_rate
    if name == "mp3":
        rate = mp3_rate(sample_rate)
        data = resample(data, sample_rate, rate)
        extra = {"compression_level": _mp3_compression_level(rate), "bitrate_mode": "CONSTANT"}
    if len(data) == 0:
        # Every container accepts one silent frame; an empty MP3 does not decode.
        data = np.zeros(1, dtype=np.float32)
    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", rate, 1, subtype=subtype, format=major, **extra) as out:
        # In blocks: libvorbis allocates a whole write on the stack, and one
        # call with a few minutes of audio overflows it (a segfault; see
        # python-soundfile issues #396 and #426, libsndfile #1095).
        for start in range(0, len(data), _BLOCK_FRAMES):
            out.write(data[start : start + _BLOCK_FRAMES])
    return buffer.getvalue(), rate


def audio_file_bytes(
    audio: np.ndarray,
    sample_rate: int,
    fmt: str,
    *,
    tag: Callable[[io.BytesIO, str], None] | None = None,
) -> tuple[bytes, int]:
    """The complete, tagged file in memory: (bytes, the file's sample rate)."""
    name = audio_format("", fmt)
    data, rate = encode_audio(audio, sample_rate, name)
    if tag is not None:
        buffer = io.BytesIO(data)
        tag(buffer, name)
        data = buffer.getvalue()
    return data, rate


def write_audio(
    path: str | os.PathLike[str],
    audio: np.ndarray,
    sample_rate: int,
    fmt: str | None = None,
    *,
    tag: Callable[[io.BytesIO, str], None] | None = None,
) -> Path:
    """Write float mono `audio` to `path` atomically and return the final path.

    fmt  "wav", "flac", "ogg" or "mp3"; inferred from the suffix when None
    tag  called with (the encoded file in memory, format) before anything
         touches the disk, so tags are inside the file the moment it appears
         (`narrator.audio.tags.write_tags` takes exactly these arguments)

    The file is encoded and tagged in memory and then written in one go to a
    temp file that is renamed into place: the temp file lives only for the
    time of one disk write, however long encoding takes.
    """
    final = Path(path)
    data, _rate = audio_file_bytes(audio, sample_rate, audio_format(final, fmt), tag=tag)
    return atomic_write_bytes(final, data)


def atomic_write_many(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files so that they appear together, in the order given.

    Every temp file is written and synced first; only then are they renamed,
    back to back, so a crash leaves either none or (for the split second of
    the renames) a prefix of them: a file later in the list is never there
    without the ones before it. On an error the temp files are removed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            final = Path(path)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_path_for(final)
            staged.append((tmp, final))
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, final in staged:
            os.replace(tmp, final)
    except BaseException:
        for tmp, _final in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
