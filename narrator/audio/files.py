"""Writing audio (and its companion files) to disk, atomically.

Every file is first written to a hidden temporary name in the destination folder
(`.<name>.<pid>-<random>.tmp`) and then `os.replace`d onto its real name, so an
interrupted export never leaves a truncated file under a real name: readers see
either the old complete file or the new complete one. The temporary file is
removed when writing fails; one left by a process killed outright (SIGKILL,
power loss) carries the dead writer's pid, so `sweep_stale_temps` can clear it
on the next run without touching the temp files of a writer that is still alive.

Audio is encoded block by block (`AudioWriter`) straight into the temp file,
never as a whole file in memory: an hour of 16-bit WAV is 160 MB, and the
mastered samples come from a spool on disk (`narrator.audio.spool`) a block at
a time. The writer hands libsndfile a Python file object, so a failed disk
write (full disk, quota, file size limit) is seen as the OSError it is: written
straight to a path, libsndfile reports an empty "System error" for WAV/FLAC and
nothing at all for Ogg and MP3, whose encoders ignore a short write. Any such
error becomes a one-line `OutputError` and the temp file is removed.

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
resampled (scipy's polyphase resampler, as a stream: `StreamResampler`) to the
next allowed rate up while encoding. If a soundfile build without MP3 is
installed, writing MP3 raises a one-line `InputError` that says so instead of
failing obscurely.

Every format takes block writes (checked for wav, flac, ogg and mp3 by the
tests, with a five-minute Ogg and MP3 among them): libvorbis even needs them,
as it puts a whole write on the C stack.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from math import gcd
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf

from narrator.errors import InputError, OutputError

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

_BLOCK_FRAMES = 65536  # libvorbis puts a whole write on the stack: keep writes small

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
        if pid_alive(int(match.group(1))):
            continue
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(entry)
    return removed


def pid_alive(pid: int) -> bool:
    """Whether process `pid` still runs (its temp files are then not swept)."""
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


def file_rate(sample_rate: int, fmt: str) -> int:
    """The sample rate a file of `fmt` will have for audio at `sample_rate`."""
    return mp3_rate(sample_rate) if audio_format("", fmt) == "mp3" else sample_rate


def resample(audio: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Polyphase resampling (scipy), float32 out."""
    if src == dst:
        return audio
    from scipy.signal import resample_poly

    g = gcd(src, dst)
    return np.asarray(resample_poly(audio, dst // g, src // g), dtype=np.float32)


# -- errors a user can act on ---------------------------------------------------------------

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def disk_error(exc: OSError, where: Path | str) -> OutputError:
    """A one-line OutputError for a failed write at `where`."""
    if exc.errno in _DISK_FULL:
        reason = {
            errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.EFBIG: "the file is larger than this system allows",
        }[exc.errno]
        return OutputError(f"cannot write {where}: {reason}")
    return OutputError(f"cannot write {where}: {exc.strerror or exc}")


def _existing_ancestor(path: Path) -> Path:
    """The nearest of `path` and its parents that exists (a file or a folder)."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path("/")


def _probe_writable(folder: Path, shown: Path) -> None:
    """Create and remove a temp file in `folder`: the only honest test of writing."""
    probe = temp_path_for(folder / ".write-probe")
    try:
        with open(probe, "xb"):
            pass
    except PermissionError as exc:
        raise OutputError(f"cannot write to {shown}: permission denied") from exc
    except OSError as exc:
        raise disk_error(exc, shown) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def check_output_folder(folder: str | os.PathLike[str], option: str = "--out") -> Path:
    """Refuse, before any work, an output folder that cannot be made or written.

    Creates nothing: a folder that does not exist yet is checked through the
    nearest existing parent, which must be a writable folder.
    """
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise InputError(f"{option} {path} is a file, not a folder")
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        raise InputError(f"{option} {path} is under {ancestor}, which is a file, not a folder")
    _probe_writable(ancestor, path if ancestor == path else ancestor)
    return path


def check_output_file(
    path: str | os.PathLike[str], option: str = "-o", *, audio: bool = True
) -> Path:
    """Refuse, before any work, an output file name that cannot be written.

    A folder, a name under a file, an unknown audio suffix (when `audio`) or
    an unwritable place is a one-line error; nothing is created.
    """
    target = Path(path).expanduser()
    if str(path).endswith(("/", os.sep)) or target.is_dir():
        example = target / ("news.mp3" if audio else "feed.xml")
        raise InputError(f"{option} {target} is a folder: give a file name, e.g. {example}")
    if audio:
        audio_format(target)
    ancestor = _existing_ancestor(target.parent)
    if not ancestor.is_dir():
        raise InputError(f"{option} {target} is under {ancestor}, which is a file, not a folder")
    _probe_writable(ancestor, target.parent if ancestor == target.parent else ancestor)
    return target


# -- encoding in blocks -----------------------------------------------------------------------


class StreamResampler:
    """`resample` for a signal that arrives in blocks, with the same output.

    scipy's polyphase filter reaches a few input samples either side of each
    output sample; the resampler keeps that much input back, and each call
    returns exactly the output samples whose inputs have all arrived.
    """

    def __init__(self, src: int, dst: int) -> None:
        g = gcd(src, dst)
        self.up, self.down = dst // g, src // g
        # resample_poly's filter has 10 * max(up, down) taps each side at the
        # upsampled rate: that many input samples, rounded up, plus one.
        self.reach = -(-10 * max(self.up, self.down) // self.up) + 1
        self._buffer = np.zeros(0, dtype=np.float64)
        self._offset = 0  # input index of _buffer[0] (a multiple of `down`)
        self._done = 0  # output samples already returned
        self._inputs = 0

    def _run(self, final: bool) -> np.ndarray:
        from scipy.signal import resample_poly

        if len(self._buffer) == 0:
            return np.zeros(0, dtype=np.float32)
        out = resample_poly(self._buffer, self.up, self.down)
        first = self._offset * self.up // self.down  # global index of out[0]
        if final:
            total = -(-self._inputs * self.up // self.down)
            stop = total
        else:
            # outputs whose filter support ends before the buffer does
            last_input = self._offset + len(self._buffer) - self.reach
            stop = max(self._done, last_input * self.up // self.down)
        result = out[self._done - first : stop - first]
        self._done = stop
        # keep the input the next outputs still need, from a multiple of `down`
        keep_from = max(0, (self._done * self.down) // self.up - self.reach)
        keep_from -= keep_from % self.down
        if keep_from > self._offset:
            self._buffer = self._buffer[keep_from - self._offset :]
            self._offset = keep_from
        return np.asarray(result, dtype=np.float32)

    def process(self, block: np.ndarray) -> np.ndarray:
        self._buffer = np.concatenate([self._buffer, np.asarray(block, dtype=np.float64)])
        self._inputs += len(block)
        return self._run(final=False)

    def flush(self) -> np.ndarray:
        return self._run(final=True)


def write_fully(fh: BinaryIO, data: bytes | memoryview) -> int:
    """Write all of `data` to a raw file (which may write less per call)."""
    view = memoryview(data)
    done = 0
    while done < len(view):
        written = fh.write(view[done:])
        if not written:
            raise OSError(errno.EIO, "write returned no progress")
        done += written
    return done


class _RecordingFile(io.RawIOBase):
    """A file for libsndfile's virtual I/O that keeps the OSError of a failed write.

    libsndfile only sees a short write (and the Ogg/MP3 encoders ignore it);
    the error itself stays here for AudioWriter to raise.
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self.raw = raw
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.error is not None:
            return 0
        try:
            return write_fully(self.raw, data)
        except OSError as exc:
            self.error = exc
            return 0

    def read(self, size: int = -1) -> bytes:
        return self.raw.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


class AudioWriter:
    """Encode float mono audio into `path` block by block (a context manager).

    rate    the file's sample rate (differs from `sample_rate` only for MP3 at a
            rate MPEG lacks: then blocks are resampled on the way)
    frames  samples written so far, at the file's rate

    On a failed write (disk full, ...) `write` or `close` raises OutputError
    naming `shown`; the file is left for the caller's temp-file cleanup.
    """

    def __init__(
        self, path: Path, sample_rate: int, fmt: str, *, shown: Path | str | None = None
    ) -> None:
        name = audio_format("", fmt)
        major, subtype = FORMATS[name]
        if major not in sf.available_formats():
            raise InputError(
                f"this soundfile/libsndfile build cannot write {name}: use wav, flac or ogg"
            )
        if sample_rate <= 0:
            raise InputError(f"invalid sample rate {sample_rate}")
        self.path = Path(path)
        self.shown = shown or self.path
        self.fmt = name
        self.rate = file_rate(sample_rate, name)
        self.frames = 0
        self._resampler = (
            StreamResampler(sample_rate, self.rate) if self.rate != sample_rate else None
        )
        extra: dict[str, object] = {}
        if name == "mp3":
            extra = {
                "compression_level": _mp3_compression_level(self.rate),
                "bitrate_mode": "CONSTANT",
            }
        try:
            self._raw = open(self.path, "w+b", buffering=0)  # noqa: SIM115 (closed in close())
        except OSError as exc:
            raise disk_error(exc, self.shown) from exc
        self._file = _RecordingFile(self._raw)
        try:
            self._sf = sf.SoundFile(
                self._file, "w", self.rate, 1, subtype=subtype, format=major, **extra
            )
        except Exception as exc:
            self._raw.close()
            self._raise_disk_error(exc)
            raise

    def _raise_disk_error(self, cause: BaseException | None = None) -> None:
        if self._file.error is not None:
            raise disk_error(self._file.error, self.shown) from (cause or self._file.error)

    def write(self, block: np.ndarray) -> None:
        data = np.asarray(block, dtype=np.float32).reshape(-1)
        if self._resampler is not None:
            data = self._resampler.process(data)
        self._encode(data)

    def _encode(self, data: np.ndarray) -> None:
        data = np.clip(data, -1.0, 1.0)
        try:
            for start in range(0, len(data), _BLOCK_FRAMES):
                self._sf.write(data[start : start + _BLOCK_FRAMES])
        except Exception as exc:  # a short write: AssertionError or LibsndfileError
            self._raise_disk_error(exc)
            raise
        self._raise_disk_error()
        self.frames += len(data)

    def close(self) -> None:
        """Finish the file (flush the encoder, write the header), or raise OutputError."""
        try:
            if self._resampler is not None:
                self._encode(self._resampler.flush())
                self._resampler = None
            if self.frames == 0:
                # Every container accepts one silent frame; an empty MP3 does not decode.
                self._encode(np.zeros(1, dtype=np.float32))
            self._sf.close()
            self._raise_disk_error()
            os.fsync(self._raw.fileno())
        except OSError as exc:
            raise disk_error(exc, self.shown) from exc
        finally:
            if not self._sf.closed:
                with contextlib.suppress(Exception):
                    self._sf.close()
            self._raw.close()

    def abort(self) -> None:
        """Stop without finishing (the caller removes the file)."""
        with contextlib.suppress(Exception):
            self._sf.close()
        with contextlib.suppress(OSError):
            self._raw.close()


def _mp3_compression_level(rate: int) -> float:
    # libsndfile maps the level linearly onto the bit-rate range of the MPEG
    # version: 160..8 kbit/s for MPEG-2 (<= 24 kHz), 320..32 for MPEG-1.
    return 0.63 if rate <= 24000 else 0.78


def write_audio(
    path: str | os.PathLike[str],
    audio: np.ndarray,
    sample_rate: int,
    fmt: str | None = None,
    *,
    tag: Callable[[Path, str], None] | None = None,
) -> Path:
    """Write float mono `audio` to `path` atomically and return the final path.

    fmt  "wav", "flac", "ogg" or "mp3"; inferred from the suffix when None
    tag  called with (the finished temp file, format) before it is renamed into
         place, so tags are inside the file the moment it appears
         (`narrator.audio.tags.write_tags` takes exactly these arguments)

    For an array already in memory (clips, tests); episodes are mastered from
    a spool by `narrator.audio.master`, which writes the same way.
    """
    final = Path(path)
    name = audio_format(final, fmt)
    data = np.nan_to_num(np.asarray(audio, dtype=np.float32).reshape(-1))
    with atomic_path(final) as tmp:
        writer = AudioWriter(tmp, sample_rate, name, shown=final)
        try:
            for start in range(0, len(data), _BLOCK_FRAMES):
                writer.write(data[start : start + _BLOCK_FRAMES])
        except BaseException:
            writer.abort()
            raise
        writer.close()
        if tag is not None:
            tag(tmp, name)
    return final


def stage_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to a synced temp file beside `path`; return the temp file."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final)
    try:
        with open(tmp, "wb", buffering=0) as fh:
            write_fully(fh, data)
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp


def atomic_write_many(files: Sequence[tuple[Path, bytes | Path]]) -> None:
    """Write several files so that they appear together, in the order given.

    Each entry is (final path, its bytes) or (final path, a temp file already
    written and synced beside it, e.g. encoded audio). Every temp file is
    written and synced first; only then are they renamed, back to back, so a
    crash leaves either none or (for the split second of the renames) a prefix
    of them: a file later in the list is never there without the ones before
    it. On an error every temp file is removed, given ones included.
    """
    staged: list[tuple[Path, Path]] = [
        (content, Path(path)) for path, content in files if isinstance(content, Path)
    ]
    try:
        ordered: list[tuple[Path, Path]] = []
        for path, content in files:
            if isinstance(content, Path):
                ordered.append((content, Path(path)))
            else:
                tmp = stage_bytes(Path(path), content)
                staged.append((tmp, Path(path)))
                ordered.append((tmp, Path(path)))
        for tmp, final in ordered:
            os.replace(tmp, final)
    except BaseException:
        for tmp, _final in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
