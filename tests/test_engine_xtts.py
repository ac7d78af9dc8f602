"""XTTS-v2 through its real code path, on a tiny randomly initialised XTTS model folder.

The folder (config.json, model.pth, vocab.json, speakers_xtts.pth) is built by
tests/fixtures/coqui_models.py with Coqui's own classes and loaded exactly as a
user's NARRATOR_XTTS_DIR would be.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.engines.xtts import XttsEngine, max_codes, prepare_text
from narrator.errors import DeviceError, EngineError, InputError, ModelMissingError
from tests.fixtures.coqui_models import XTTS_SPEAKERS

TEXT = "नमस्ते दुनिया, आज का समाचार।"


def _rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def _voice_clip(path: Path, seconds: float, rate: int = 16000, level: float = 0.3) -> Path:
    """A speech-like test recording: a wobbling tone with a little noise."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * rate)) / rate
    audio = level * np.sin(2 * np.pi * 150 * t) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t))
    audio = audio + level * 0.05 * rng.standard_normal(len(t))
    sf.write(path, audio.astype(np.float32), rate)
    return path


@pytest.fixture(scope="module")
def studio(tiny_xtts_dir: Path) -> XttsEngine:
    """One loaded engine on the default studio voice, shared by the read-only tests."""
    return XttsEngine(model=tiny_xtts_dir, device="cpu", stream_chunk_size=2)


@pytest.fixture
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir()
    monkeypatch.setenv("NARRATOR_VOICES_DIR", str(folder))
    return folder


def test_studio_voice_speaks_at_24khz(studio: XttsEngine) -> None:
    assert studio.name == "xtts" and studio.max_chars == 150
    assert studio.sample_rate == 24000
    assert studio.studio_speakers == XTTS_SPEAKERS
    assert studio.voice == XTTS_SPEAKERS[0]
    audio = studio.synthesize(TEXT)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert np.isfinite(audio).all() and _rms(audio) > 1e-3
    assert len(audio) > 0.2 * studio.sample_rate


def test_stream_yields_pieces_as_they_are_generated(studio: XttsEngine) -> None:
    pieces = list(studio.stream(TEXT))
    assert len(pieces) >= 2
    assert all(p.dtype == np.float32 and p.ndim == 1 and len(p) > 0 for p in pieces)
    whole = np.concatenate(pieces)
    assert np.isfinite(whole).all() and _rms(whole) > 1e-3
    assert len(whole) > 0.2 * studio.sample_rate


def test_other_studio_voice(studio: XttsEngine) -> None:
    before = studio.cache_key
    try:
        studio.set_voice(XTTS_SPEAKERS[1])
        assert studio.voice == XTTS_SPEAKERS[1]
        assert studio.cache_key != before
    finally:
        studio.set_voice(None)
    assert studio.voice == XTTS_SPEAKERS[0] and studio.cache_key == before
    with pytest.raises(InputError, match="no XTTS voice 'Nobody'"):
        studio.set_voice("Nobody")
    assert studio.voice == XTTS_SPEAKERS[0]  # a refused voice leaves the engine as it was


def test_cloned_voice_latents_are_computed_once_and_cached(
    tiny_xtts_dir: Path, voices: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrator.paths import cache_dir

    _voice_clip(voices / "meri-awaaz.wav", 3.2, rate=16000)  # a dropped-in clip, resampled
    first = XttsEngine(voice="meri-awaaz", model=tiny_xtts_dir, device="cpu")
    assert first.voice == "meri-awaaz" and first.latents_from_cache is False
    cached = list((cache_dir() / "xtts-latents").glob("*.pt"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns

    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))  # a user's local folder
    second = XttsEngine(voice="meri-awaaz", device="cpu")
    assert second.latents_from_cache is True
    assert cached[0].stat().st_mtime_ns == stamp
    assert list((cache_dir() / "xtts-latents").glob("*.pt")) == cached
    np.testing.assert_array_equal(first.synthesize(TEXT), second.synthesize(TEXT))

    # A new recording under the same name is a new voice: new latents, new cache key.
    key = second.cache_key
    _voice_clip(voices / "meri-awaaz.wav", 3.4, rate=22050)
    second.set_voice("meri-awaaz")
    assert second.latents_from_cache is False
    assert second.cache_key != key
    assert len(list((cache_dir() / "xtts-latents").glob("*.pt"))) == 2


def test_voices_toml_clip_is_listed_and_usable(
    studio: XttsEngine, tiny_xtts_dir: Path, voices: Path, monkeypatch
) -> None:
    _voice_clip(voices / "anchor.flac", 3.5)
    (voices / "voices.toml").write_text(
        '[[voice]]\nname = "samachar"\nengine = "xtts"\nclip = "anchor.flac"\n'
        'description = "समाचार वाचक"\nlicence = "own recording"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))
    listed = {v.name: v for v in XttsEngine.list_voices()}
    assert set(XTTS_SPEAKERS) <= set(listed)
    assert listed["samachar"].ready and "समाचार वाचक" in listed["samachar"].description
    assert "anchor" not in listed  # described clips are not listed twice
    try:
        studio.set_voice("samachar")
        assert studio.voice == "samachar"
    finally:
        studio.set_voice(None)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("यह आवाज़ नहीं है", encoding="utf-8"), "not audio"),
        (lambda p: _voice_clip(p, 1.0), "1.0 s long"),
        (lambda p: _voice_clip(p, 3.5, level=0.0), "silent"),
    ],
    ids=["text-file", "one-second", "silent"],
)
def test_bad_reference_clip_names_the_file(studio: XttsEngine, voices: Path, make, message) -> None:
    clip = voices / "kharab.wav"
    make(clip)
    with pytest.raises(InputError, match=message) as info:
        studio.set_voice("kharab")
    assert str(clip) in str(info.value) and "\n" not in str(info.value)


def test_a_clip_path_works_as_a_voice(studio: XttsEngine, tmp_path: Path) -> None:
    clip = _voice_clip(tmp_path / "guest.wav", 3.2, rate=22050)
    before = studio.cache_key
    try:
        studio.set_voice(str(clip))
        assert studio.voice == "guest" and studio.cache_key != before
    finally:
        studio.set_voice(None)
    assert studio.cache_key == before


def test_digits_never_reach_xtts(studio: XttsEngine) -> None:
    with pytest.raises(EngineError, match="digits"):
        studio.synthesize("कीमत 1,20,000 रुपये है")
    with pytest.raises(EngineError, match="digits"):
        list(studio.stream("साल 2024"))


def test_trailing_stops_are_removed_and_generation_is_capped() -> None:
    assert prepare_text("आज बारिश हुई। ") == "आज बारिश हुई"
    assert prepare_text("क्या वह आया?") == "क्या वह आया?"
    assert prepare_text("पहला वाक्य। दूसरा वाक्य.") == "पहला वाक्य। दूसरा वाक्य"
    assert max_codes("हाँ", 605) < max_codes("क" * 150, 605) <= 605
    assert max_codes("क" * 150, 605) > 1.5 * 150  # room for a slow reading of the longest chunk


def test_article_chunks_respect_the_150_character_limit(
    studio: XttsEngine, shared_articles
) -> None:
    from narrator.text import prepare

    body = shared_articles[0].read_text(encoding="utf-8")
    script = prepare(body, max_chars=studio.max_chars, fits=studio.fits)
    assert script.chunks
    assert all(len(c.text) <= 150 for c in script.chunks)
    assert all(studio.fits(c.text) for c in script.chunks)


def test_missing_weights_name_the_pull_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NARRATOR_XTTS_DIR", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "coqui"))
    with pytest.raises(ModelMissingError, match="narrator models pull xtts"):
        XttsEngine(device="cpu")
    assert XttsEngine.is_installed() is False
    listed = XttsEngine.list_voices()
    assert listed and not listed[0].ready and listed[0].pull_hint == "narrator models pull xtts"


def test_local_folder_via_env_is_installed(
    tiny_xtts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))
    assert XttsEngine.is_installed()
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir / "missing"))
    assert XttsEngine.is_installed() is False
    with pytest.raises(InputError, match="model.pth"):
        XttsEngine(device="cpu")


def test_corrupt_weights_are_a_one_line_error(tiny_xtts_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "xtts"
    shutil.copytree(tiny_xtts_dir, folder)
    (folder / "model.pth").write_bytes(b"\x80\x02not a checkpoint at all")
    before = os.environ.get("HF_HUB_OFFLINE")
    with pytest.raises(EngineError) as info:
        XttsEngine(model=folder, device="cpu")
    assert "model.pth" in str(info.value) and "\n" not in str(info.value)
    assert os.environ.get("HF_HUB_OFFLINE") == before  # offline only while loading


def test_device_cuda_without_gpu_is_a_clear_error(tiny_xtts_dir: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(DeviceError, match="cuda"):
        XttsEngine(model=tiny_xtts_dir, device="cuda")
