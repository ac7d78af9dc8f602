"""A content-addressed cache of synthesized chunks, so replaying costs nothing.

Why: a neural voice can be slower than real time on a CPU; listening to an
article again, seeking back, or exporting what was just heard should never pay
for the same synthesis twice.

The key is sha256 of the engine's `cache_key` (engine, model, voice, speed,
sample rate, …) and the chunk's spoken text, so a different voice or speed never
reuses audio. Each entry is one float32 `.npy` file under
`cache_dir()/chunks/ab/cdef….npy` (fan-out keeps folders small).

Two processes may use the cache at once (the TUI and an export, say):
- writes go to a temp file in the same folder and are `os.replace`d in, so a
  reader sees a whole entry or none, and two writers of one key both succeed;
- eviction (oldest first by mtime; a hit touches the file) runs under a
  `filelock`, so two processes never evict past each other;
- an unreadable entry (truncated, wrong type) is a miss and is removed.
"""

from __future__ import annotations

import hashlib
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
            audio = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, EOFError):
            self._discard(path)
            self.misses += 1
            return None
        if not isinstance(audio, np.ndarray) or audio.dtype != np.float32 or audio.ndim != 1:
            self._discard(path)
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
        and otherwise ignored: the cache is an optimisation.
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
        path = self.path_for(engine, text)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, data, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            self._discard(Path(tmp))
            raise
        self._puts += 1
        if self._size is None or self._puts % _RESCAN_EVERY == 0:
            self._size = self._scan_size()
        else:
            self._size += data.nbytes + 128
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
