"""Audio files: every format written, read back, atomic, and bad formats refused."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from narrator.audio.files import (
    MP3_RATES,
    atomic_write_text,
    audio_format,
    is_temp_file,
    sweep_stale_temps,
    temp_path_for,
    write_audio,
)
from narrator.errors import InputError

SR = 22050


def _tone(seconds: float = 1.0, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3"])
def test_every_format_reads_back_with_its_length_and_rate(tmp_path, fmt):
    audio = _tone(1.5)
    path = write_audio(tmp_path / f"episode.{fmt}", audio, SR)
    data, rate = sf.read(path, dtype="float32")
    assert rate == SR
    assert abs(len(data) - len(audio)) <= 1
    # Lossy codecs change samples, but the tone must still be there.
    assert np.corrcoef(data[: len(audio)], audio[: len(data)])[0, 1] > 0.95
    assert [p.name for p in tmp_path.iterdir()] == [f"episode.{fmt}"]


def test_soundfile_bundles_an_mp3_encoder():
    # Recorded in narrator/audio/files.py: libsndfile writes MP3 itself.
    assert "MP3" in sf.available_formats()


def test_mp3_at_a_rate_mpeg_lacks_is_resampled_keeping_duration(tmp_path):
    path = write_audio(tmp_path / "odd.mp3", _tone(2.0, 15000), 15000)
    info = sf.info(path)
    assert info.samplerate in MP3_RATES and info.samplerate == 16000
    assert info.duration == pytest.approx(2.0, abs=0.01)


def test_format_argument_wins_over_the_suffix(tmp_path):
    path = write_audio(tmp_path / "episode.bin", _tone(), SR, fmt="flac")
    assert sf.info(path).format == "FLAC"


@pytest.mark.parametrize("name", ["episode.aac", "episode", "episode.mp4"])
def test_unknown_format_is_a_one_line_input_error(tmp_path, name):
    with pytest.raises(InputError) as err:
        write_audio(tmp_path / name, _tone(), SR)
    assert "\n" not in str(err.value) and "wav" in str(err.value)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError):
        audio_format("x.wav", "m4a")


def test_failed_write_leaves_neither_file_nor_temp(tmp_path):
    target = tmp_path / "episode.wav"
    target.write_bytes(b"old complete file")

    def broken_tagger(_buffer, _fmt):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_audio(target, _tone(), SR, tag=broken_tagger)
    assert target.read_bytes() == b"old complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["episode.wav"]


def test_atomic_text_replaces_whole_file(tmp_path):
    target = tmp_path / "a.srt"
    atomic_write_text(target, "पहला")
    atomic_write_text(target, "दूसरा")
    assert target.read_text(encoding="utf-8") == "दूसरा"
    assert [p.name for p in tmp_path.iterdir()] == ["a.srt"]


def test_stale_temps_of_dead_writers_are_swept_live_ones_kept(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".ep.mp3.{dead_pid}-0a1b2c3d.tmp"
    stale.write_bytes(b"half")
    live = temp_path_for(tmp_path / "ep2.mp3")  # this process: alive
    live.write_bytes(b"in progress")
    keep = tmp_path / "ep.mp3"
    keep.write_bytes(b"done")
    assert is_temp_file(stale) and is_temp_file(live) and not is_temp_file(keep)
    removed = sweep_stale_temps(tmp_path)
    assert removed == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "ep.mp3"])


@pytest.mark.parametrize("fmt", ["ogg", "mp3"])
def test_five_minute_episode_encodes_without_crashing(tmp_path, fmt):
    # One libsndfile write of this much Vorbis overflows the C stack (segfault);
    # write_audio encodes in blocks. Run apart so a regression fails, not crashes.
    import subprocess
    import sys

    target = tmp_path / f"long.{fmt}"
    code = (
        "import numpy as np; from narrator.audio.files import write_audio; "
        "x = (0.3 * np.random.default_rng(0).standard_normal(8000 * 300)).astype('float32'); "
        f"write_audio({str(target)!r}, x, 8000)"
    )
    run = subprocess.run([sys.executable, "-c", code], check=False, timeout=120)
    assert run.returncode == 0
    assert sf.info(target).duration == pytest.approx(300.0, abs=0.1)


def test_group_write_is_all_or_nothing(tmp_path):
    from narrator.audio.files import atomic_write_many

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        atomic_write_many(
            [(tmp_path / "ep.srt", b"1"), (blocker / "ep.mp3", b"2"), (tmp_path / "ep.json", b"3")]
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]
    atomic_write_many([(tmp_path / "ep.srt", b"1"), (tmp_path / "ep.json", b"3")])
    assert (tmp_path / "ep.json").read_bytes() == b"3"
    assert not [p for p in tmp_path.iterdir() if is_temp_file(p)]
