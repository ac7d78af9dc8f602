"""Mastering: a narration on its spool becomes a finished, tagged audio file.

The one function both `narrator export` and `narrator speak -o` publish audio
through, so a file made either way is at the same loudness (-16 LUFS), under the
same true-peak ceiling (-1 dBTP) and carries the same tags.

Block by block from the spool (see `narrator.audio.loudness` for the method):
the pass that measures the mastered result is also the pass that encodes it,
into a temp file beside the output. Only when that measurement says the limiter
took too much loudness away, or interpolation overshot the ceiling, is the
temp file dropped and the pass run once more with the correction. Then the
tags go into the temp file, it is synced, and the caller renames it into place
(alone, or as part of an episode's group of files).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from narrator.audio.files import AudioWriter, audio_format, disk_error, temp_path_for
from narrator.audio.loudness import (
    DEFAULT_LUFS,
    DEFAULT_PEAK_DBTP,
    BlockSink,
    LoudnessPlan,
    SampleSource,
    plan_loudness,
)
from narrator.audio.tags import EpisodeTags, write_tags
from narrator.errors import NarratorError


class LoudnessUnmeasurable(NarratorError):
    """The narration is silent or shorter than one 400 ms gating block."""


@dataclass(frozen=True)
class MasteredFile:
    """A finished audio file still under its temp name (rename it into place).

    temp         the synced temp file beside `final`
    final        where it belongs
    fmt          "wav", "flac", "ogg" or "mp3"
    sample_rate  the file's rate (MP3 may differ from the narration's)
    duration_s   length of the audio
    size         bytes on disk
    loudness     gain, limiting and what the result measures
    """

    temp: Path
    final: Path
    fmt: str
    sample_rate: int
    duration_s: float
    size: int
    loudness: LoudnessPlan

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.temp.unlink()

    def publish(self) -> Path:
        """Rename the file into place (for a file published alone)."""
        os.replace(self.temp, self.final)
        return self.final


def master_audio(
    source: SampleSource,
    sample_rate: int,
    final: Path,
    fmt: str | None = None,
    *,
    tags: EpisodeTags | None = None,
    target_lufs: float = DEFAULT_LUFS,
    peak_dbtp: float = DEFAULT_PEAK_DBTP,
    loudness_in: float | None = None,
    measured: bool = False,
) -> MasteredFile:
    """Normalize, limit, encode and tag `source` into a temp file beside `final`.

    loudness_in/measured  the input's loudness when already measured (a spool
                          measures it while it is written)

    Raises LoudnessUnmeasurable for silent or too short audio (a published
    episode is never left unnormalized), OutputError when the disk fails.
    """
    final = Path(final)
    name = audio_format(final, fmt)
    if measured and loudness_in is None:
        raise LoudnessUnmeasurable(
            f"cannot normalize the loudness of {final.name}: the narration is silent "
            "or shorter than 0.4 s"
        )
    encodings = _Encodings(final, sample_rate, name)
    plan = plan_loudness(
        source,
        sample_rate,
        target_lufs,
        peak_dbtp,
        loudness_in=loudness_in,
        measured=measured,
        sink_factory=encodings.open,
    )
    temp, writer = encodings.kept()
    if plan.loudness_in is None or plan.loudness_out is None:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise LoudnessUnmeasurable(
            f"cannot normalize the loudness of {final.name}: the narration is silent "
            "or shorter than 0.4 s"
        )
    try:
        if tags is not None:
            write_tags(temp, name, tags)
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        size = temp.stat().st_size
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise disk_error(exc, final) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return MasteredFile(
        temp=temp,
        final=final,
        fmt=name,
        sample_rate=writer.rate,
        duration_s=len(source) / sample_rate,
        size=size,
        loudness=plan,
    )


class _Encodings:
    """The encoding passes of one mastering: each into a fresh temp file beside `final`.

    `open` starts one (plan_loudness writes each measuring pass through it);
    its `finish(keep)` closes the file or deletes it. `kept` is the last kept.
    """

    def __init__(self, final: Path, sample_rate: int, fmt: str) -> None:
        self.final, self.sample_rate, self.fmt = final, sample_rate, fmt
        self._kept: tuple[Path, AudioWriter] | None = None

    def open(self) -> tuple[BlockSink, Callable[[bool], None]]:
        temp = temp_path_for(self.final)
        writer = AudioWriter(temp, self.sample_rate, self.fmt, shown=self.final)

        def finish(keep: bool) -> None:
            if not keep:
                writer.abort()
                temp.unlink(missing_ok=True)
                return
            try:
                writer.close()
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            self._kept = (temp, writer)

        return writer.write, finish

    def kept(self) -> tuple[Path, AudioWriter]:
        if self._kept is None:
            raise RuntimeError("mastering kept no encoding pass")
        return self._kept
