"""A narration on disk while it is being made: raw float32 samples in a temp file.

Why: an episode can be hours long, and mastering it needs two looks at the
whole (measure, then apply). Holding it in memory costs 4 bytes a sample (about
1 GB for three hours at 22 kHz, and more for every copy numpy makes); a spool
file costs a few MB of buffers. Pieces are appended as the engine makes them
(with the designed pauses as zeros between them), the input loudness is
measured on the way in, and mastering then reads the file back block by block
(`read` uses positioned reads, not a memory map, so the pages it touches stay
in the page cache and never count as this process's memory).

The file is a hidden temp name beside the output (`narrator.audio.files.
temp_path_for`: marked with this pid, so a killed export's spool is swept by the
next run) and is removed on close.

Non-finite samples never get in: `append` refuses them with an EngineError, so
NaN from a damaged cache entry or an engine bug fails the episode instead of
silencing a sentence and turning loudness normalization off.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Self

import numpy as np

from narrator.audio.files import disk_error, temp_path_for, write_fully
from narrator.audio.loudness import LoudnessMeter
from narrator.errors import EngineError

_SAMPLE = np.dtype("<f4")


class AudioSpool:
    """Append-only float32 mono audio in a temp file, readable in any order.

    folder       where the temp file goes (the output's folder: same disk)
    name         the output's name, so the temp file says what it belongs to
    """

    def __init__(self, folder: Path, name: str, sample_rate: int) -> None:
        self.sample_rate = int(sample_rate)
        self.path = temp_path_for(Path(folder) / f"{name}.spool")
        self.meter = LoudnessMeter(self.sample_rate)
        self._length = 0
        try:
            self._file = open(self.path, "w+b", buffering=0)  # noqa: SIM115 (closed in close())
        except OSError as exc:
            raise disk_error(exc, self.path.parent) from exc

    def __len__(self) -> int:
        return self._length

    @property
    def duration_s(self) -> float:
        return self._length / self.sample_rate

    def append(self, audio: np.ndarray, what: str = "audio") -> None:
        """Add samples at the end (float mono); `what` names them in an error."""
        data = np.asarray(audio, dtype=_SAMPLE).reshape(-1)
        if len(data) == 0:
            return
        if not np.isfinite(data).all():
            raise EngineError(f"{what} holds samples that are not numbers (NaN or infinity)")
        self._write(data)

    def pad_to(self, samples: int) -> None:
        """Silence up to sample `samples` (no-op when already that long)."""
        gap = samples - self._length
        step = 1 << 16
        while gap > 0:
            self._write(np.zeros(min(gap, step), dtype=_SAMPLE))
            gap -= step

    def _write(self, data: np.ndarray) -> None:
        try:
            write_fully(self._file, data.tobytes())
        except OSError as exc:
            raise disk_error(exc, self.path.parent) from exc
        self.meter.add(data)
        self._length += len(data)

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples [start, stop), clamped to what has been written."""
        start, stop = max(0, start), min(self._length, stop)
        if stop <= start:
            return np.zeros(0, dtype=np.float32)
        raw = os.pread(
            self._file.fileno(), (stop - start) * _SAMPLE.itemsize, start * _SAMPLE.itemsize
        )
        return np.frombuffer(raw, dtype=_SAMPLE).astype(np.float32)

    def close(self) -> None:
        """Close and remove the temp file."""
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
