"""Mastering: speak -o and export through one function; damaged audio never reaches a file.

Real eSpeak audio, files read back with soundfile, mutagen and pyloudnorm.
"""

from __future__ import annotations

import json
from pathlib import Path

import mutagen
import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from narrator.audio.spool import AudioSpool
from narrator.cache import ChunkCache, encode_entry
from narrator.engines.espeak import EspeakEngine
from narrator.errors import EngineError
from narrator.export import export_articles
from tests.fixtures.export import ARTICLES, run_cli, write_articles

ESPEAK = ("espeak", "hi-female", "cpu", 1.0, None)


def _true_peak_dbtp(data: np.ndarray) -> float:
    return 20 * np.log10(np.abs(resample_poly(data, 4, 1)).max())


@pytest.mark.parametrize("suffix", ["wav", "mp3"])
def test_speak_to_a_file_is_mastered_and_tagged_like_export(tmp_path, suffix):
    article = write_articles(tmp_path / "a", ["sensex.txt"]) / "sensex.txt"
    target = tmp_path / f"news.{suffix}"
    run = run_cli("speak", str(article), "--engine", "espeak", "-o", str(target))
    assert run.returncode == 0, run.stderr
    data, rate = sf.read(target, dtype="float64")
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(data) - -16.0) <= (
        0.2 if suffix == "wav" else 0.6
    )
    if suffix == "wav":  # lossless: the mastered samples themselves
        assert _true_peak_dbtp(data) <= -1.0 + 0.01
    tags = mutagen.File(target).tags
    assert str(tags["TIT2"]) == ARTICLES["sensex.txt"][0]
    assert str(tags["TLAN"]) == "hin"
    chapters = tags.getall("CHAP")
    assert chapters and chapters[0].start_time == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


class SilentEspeak(EspeakEngine):
    """eSpeak with its output lost: what a broken engine or device gives."""

    def synthesize(self, text: str) -> np.ndarray:
        return np.zeros_like(super().synthesize(text))


def test_an_episode_that_cannot_be_normalized_fails_instead_of_publishing(tmp_path):
    articles = write_articles(tmp_path / "a", ["isro.txt"])
    out = tmp_path / "out"
    summary = export_articles(
        [str(articles)],
        out_dir=out,
        fmt="mp3",
        engine=SilentEspeak(),
        cache=ChunkCache(tmp_path / "c"),
    )
    (failure,) = summary.failures
    assert "cannot normalize the loudness" in failure.error and "\n" not in failure.error
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []


def _poison(cache: ChunkCache, engine: EspeakEngine, text: str, how: str) -> None:
    path = cache.path_for(engine, text)
    if how == "nan":  # a well-formed entry, checksum and all, of NaN samples
        path.write_bytes(encode_entry(np.full(4000, np.nan, dtype=np.float32)))
    elif how == "npy-nan":  # a plain .npy holding NaN (what the old cache accepted)
        np.save(path, np.full(4000, np.nan, dtype=np.float32))
    else:  # one flipped bit in a sample: a full-scale click
        raw = bytearray(path.read_bytes())
        raw[len(raw) - 38 - 4 * 100 + 3] ^= 0x40
        path.write_bytes(bytes(raw))


@pytest.mark.parametrize("how", ["nan", "npy-nan", "bit-flip"])
def test_damaged_cache_entries_are_rejected_and_the_episode_is_normalized(tmp_path, how):
    articles = write_articles(tmp_path / "a", ["monsoon.txt"])
    cache = ChunkCache(tmp_path / "c")
    out = tmp_path / "out"
    first = export_articles(
        [str(articles)], out_dir=out, fmt="wav", engine_spec=ESPEAK, cache=cache
    )
    assert first.ok
    sidecar = json.loads(
        next(p for p in out.glob("*.json") if ".chapters" not in p.name).read_text()
    )
    engine = EspeakEngine(voice="hi-female")
    for chunk in sidecar["chunks"]:
        _poison(cache, engine, chunk["spoken"], how)
    again = export_articles(
        [str(articles)], out_dir=out, fmt="wav", engine_spec=ESPEAK, cache=cache, force=True
    )
    assert again.ok and cache.rejected == len(sidecar["chunks"])
    (redone,) = again.done
    assert redone.cached_chunks == 0  # every chunk made again, none taken from the damage
    meta = json.loads(next(p for p in out.glob("*.json") if ".chapters" not in p.name).read_text())
    assert meta["loudness"]["measured_lufs"] == pytest.approx(-16.0, abs=0.3)
    data, _rate = sf.read(out / meta["audio"], dtype="float64")
    assert np.isfinite(data).all() and _true_peak_dbtp(data) <= -1.0 + 0.01


def test_the_spool_refuses_samples_that_are_not_numbers(tmp_path):
    with AudioSpool(tmp_path, "x.wav", 22050) as spool:
        spool.append(np.zeros(100, dtype=np.float32))
        with pytest.raises(EngineError, match="chunk 3"):
            spool.append(np.array([0.1, np.inf], dtype=np.float32), what="chunk 3")
        assert len(spool) == 100
    assert list(Path(tmp_path).iterdir()) == []
