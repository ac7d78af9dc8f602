"""A content-addressed cache of synthesized chunks, so replaying costs nothing.

Why: a neural voice can be slower than real time on a CPU; listening to an
article again, seeking back, or exporting what was just heard should never pay
for the same synthesis twice.

The key is sha256 of the engine's `cache_key` (engine, model, voice, speed,
sample rate, …) and the chunk's spoken text, so a different voice or speed never
reuses audio. Each entry is one float32 `.npy` file under
`cache_dir()/chunks/ab/cdef….npy` (fan-out keeps folders small).

Why every entry carries a checksum: a cache lives for months on disks that flip
bits, fill up and get copied around, and a damaged entry is worse than a miss.
A valid `.npy` holding NaN silences a sentence and defeats loudness
normalization; a flipped bit in a sample is a full-scale click in a published
episode. So each file is the `.npy` bytes followed by a 38-byte trailer
(`NRSUM1` + sha256 of the samples); `get` checks the exact length, the digest
and that every sample is finite and within [-1, 1] before it returns audio, and
treats anything else as a miss (the file is removed). numpy still reads the
file as a plain `.npy` (it stops after the samples), which helps debugging.

Two processes may use the cache at once (the TUI and an export, say):
- writes go to a temp file in the same folder and are `os.replace`d in, so a
  reader sees a whole entry or none, and two writers of one key both succeed;
- eviction (oldest first by mtime; a hit touches the file) runs under a
  `filelock`, so two processes never evict past each other;
- an unreadable entry (truncated, wrong type) is a miss and is removed.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from pathlib import Path
from typing import Protocol

import numpy as np
from filelock import FileLock

from narrator.paths import cache_dir

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
_RESCAN_EVERY = 64  # puts between two scans of the real size (other processes write too)
_STALE_TMP_S = 3600.0
_TRAILER_MAGIC = b"NRSUM1"
_TRAILER_BYTES = len(_TRAILER_MAGIC) + 32


def _digest(samples: np.ndarray) -> bytes:
    return hashlib.sha256(samples.tobytes()).digest()


def encode_entry(audio: np.ndarray) -> bytes:
    """The bytes of one cache entry: `.npy` of float32 mono samples + checksum trailer."""
    data = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
    buffer = io.BytesIO()
    np.save(buffer, data, allow_pickle=False)
    return buffer.getvalue() + _TRAILER_MAGIC + _digest(data)


def decode_entry(blob: bytes) -> np.ndarray | None:
    """The samples of an entry, or None when anything about it is wrong.

    Wrong means: not a 1-D float32 `.npy`, a length that does not match its
    header exactly, a missing or different checksum, or samples that are not
    finite or lie outside [-1, 1] (engine output never does: it is clipped).
    """
    if len(blob) < _TRAILER_BYTES:
        return None
    body, trailer = blob[:-_TRAILER_BYTES], blob[-_TRAILER_BYTES:]
    if not trailer.startswith(_TRAILER_MAGIC):
        return None
    stream = io.BytesIO(body)
    try:
        version = np.lib.format.read_magic(stream)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(stream)
    except (ValueError, EOFError, OSError, SyntaxError):
        return None
    if dtype != np.dtype("<f4") or len(shape) != 1 or fortran:
        return None
    offset = stream.tell()
    if len(body) - offset != shape[0] * 4:
        return None
    samples = np.frombuffer(body, dtype="<f4", offset=offset).astype(np.float32)
    if _digest(samples) != trailer[len(_TRAILER_MAGIC) :]:
        return None
    if len(samples) and (not np.isfinite(samples).all() or np.abs(samples).max() > 1.0):
        return None
    return samples


class _Keyed(Protocol):
    @property
    def cache_key(self) -> str: ...


class ChunkCache:
    """Synthesized audio by (engine settings, spoken text); bounded in size."""

    def __init__(self, folder: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir() / "chunks"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = int(max_bytes)
        self._lock = FileLock(str(self.folder / ".evict.lock"))
        self._size: int | None = None
        self._puts = 0
        self.hits = 0
        self.misses = 0
        self.io_s = 0.0  # seconds spent in get/put: the benchmark reports it apart
        self.write_errors = 0
        self.rejected = 0  # entries that failed their checks (and were removed)

    # -- keys ---------------------------------------------------------------
    @staticmethod
    def key(engine: _Keyed | str, text: str) -> str:
        """sha256 hex of the engine's cache key and the chunk text."""
        engine_key = engine if isinstance(engine, str) else engine.cache_key
        return hashlib.sha256(f"{engine_key}\n{text}".encode()).hexdigest()

    def path_for(self, engine: _Keyed | str, text: str) -> Path:
        key = self.key(engine, text)
        return self.folder / key[:2] / f"{key[2:]}.npy"

    # -- use ----------------------------------------------------------------
    def get(self, engine: _Keyed | str, text: str) -> np.ndarray | None:
        """The cached audio, or None (missing or corrupt: a corrupt entry is removed)."""
        started = time.perf_counter()
        try:
            return self._get(engine, text)
        finally:
            self.io_s += time.perf_counter() - started

    def _get(self, engine: _Keyed | str, text: str) -> np.ndarray | None:
        path = self.path_for(engine, text)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError:
            self._discard(path)
            self.misses += 1
            return None
        audio = decode_entry(blob)
        if audio is None:  # damaged, an old entry without a checksum, or not ours
            self._discard(path)
            self.rejected += 1
            self.misses += 1
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        self.hits += 1
        return audio

    def put(self, engine: _Keyed | str, text: str, audio: np.ndarray) -> None:
        """Store `audio` (float32 mono) atomically; evict old entries when over size.

        A write that fails (disk full, read-only) is counted in `write_errors`
        and otherwise ignored: the cache is an optimisation. Audio that is not
        finite or not within [-1, 1] is never stored.
        """
        started = time.perf_counter()
        try:
            self._put(engine, text, audio)
        except OSError:
            # a full or read-only disk costs the replay, never the narration
            self.write_errors += 1
        finally:
            self.io_s += time.perf_counter() - started

    def _put(self, engine: _Keyed | str, text: str, audio: np.ndarray) -> None:
        data = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        if len(data) and (not np.isfinite(data).all() or np.abs(data).max() > 1.0):
            return
        blob = encode_entry(data)
        path = self.path_for(engine, text)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except BaseException:
            self._discard(Path(tmp))
            raise
        self._puts += 1
        if self._size is None or self._puts % _RESCAN_EVERY == 0:
            self._size = self._scan_size()
        else:
            self._size += len(blob)
        if self._size > self.max_bytes:
            self.evict()

    def __contains__(self, item: tuple[_Keyed | str, str]) -> bool:
        engine, text = item
        return self.path_for(engine, text).exists()

    # -- size ---------------------------------------------------------------
    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        for path in self.folder.glob("*/*.npy"):
            try:
                st = path.stat()
            except OSError:
                continue
            if path.name.startswith(".tmp-"):
                if time.time() - st.st_mtime > _STALE_TMP_S:
                    self._discard(path)  # left by a crashed writer
                continue
            entries.append((st.st_mtime, st.st_size, path))
        return entries

    def _scan_size(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def size_bytes(self) -> int:
        """Bytes the cache holds now (all processes' entries)."""
        return self._scan_size()

    def evict(self, target: int | None = None) -> int:
        """Remove least recently used entries until at most `target` bytes remain.

        The default target is 90% of `max_bytes`, so eviction does not run on
        every put. Returns the bytes the cache holds afterwards.
        """
        goal = int(self.max_bytes * 0.9) if target is None else int(target)
        with self._lock:
            entries = sorted(self._entries())
            total = sum(size for _, size, _ in entries)
            for _, size, path in entries:
                if total <= goal:
                    break
                self._discard(path)
                total -= size
        self._size = total
        return total

    def clear(self) -> None:
        """Remove every entry."""
        self.evict(target=0)

    @staticmethod
    def _discard(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass
