"""Loudness: real eSpeak speech brought to the target with the true peak held."""

from __future__ import annotations

import warnings

import numpy as np
import pyloudnorm
import pytest

from narrator.audio.loudness import (
    measure_lufs,
    normalize_loudness,
    true_peak_dbtp,
)


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    from narrator.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    one = engine.synthesize("आज दिल्ली में मौसम साफ़ रहेगा और शाम को हल्की बारिश हो सकती है।")
    gap = np.zeros(engine.sample_rate // 3, dtype=np.float32)
    # Quiet speech, so the normalizer must add a lot of gain.
    return np.concatenate([one, gap, one]) * 0.1, engine.sample_rate


@pytest.mark.parametrize("target", [-16.0, -20.0, -23.0])
def test_speech_reaches_target_within_one_lu(speech, target):
    audio, sr = speech
    result = normalize_loudness(audio, sr, target)
    measured = pyloudnorm.Meter(sr).integrated_loudness(result.audio.astype(np.float64))
    assert abs(measured - target) <= 1.0
    assert result.loudness_out == pytest.approx(measured, abs=0.01)
    assert true_peak_dbtp(result.audio) <= -1.0 + 1e-6


def test_loud_target_is_peak_limited_not_clipped(speech):
    audio, sr = speech
    result = normalize_loudness(audio, sr, -9.0)
    assert true_peak_dbtp(result.audio) <= -1.0 + 1e-6
    assert np.max(np.abs(result.audio)) < 1.0
    # The limiter only dips around peaks: loudness still rises well above -16.
    assert result.loudness_out is not None and result.loudness_out > -14.0


def test_peak_ceiling_is_configurable(speech):
    audio, sr = speech
    result = normalize_loudness(audio, sr, -16.0, peak_dbtp=-3.0)
    assert result.peak_dbtp <= -3.0 + 1e-6


@pytest.mark.parametrize("audio", [np.zeros(0), np.zeros(48000), np.full(200, 0.9)])
def test_silent_or_too_short_audio_passes_without_warnings(audio):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = normalize_loudness(audio.astype(np.float32), 22050)
    assert result.loudness_out is None
    assert len(result.audio) == len(audio)
    assert not np.any(np.abs(result.audio) > 10 ** (-1.0 / 20) + 1e-6)
    assert measure_lufs(audio, 22050) is None


# -- blockwise: the same answers as the whole-signal library -----------------------------------


@pytest.fixture(scope="module")
def long_speech(speech) -> tuple[np.ndarray, int]:
    """About two minutes of real speech with pauses: many gating blocks, some silent."""
    audio, sr = speech
    rng = np.random.default_rng(7)
    parts = []
    for _ in range(12):
        parts += [
            audio * rng.uniform(0.5, 4.0),
            np.zeros(int(sr * rng.uniform(0.1, 1.5)), np.float32),
        ]
    return np.concatenate(parts).astype(np.float32), sr


@pytest.mark.parametrize("block", [1, 441, 4096, 1 << 16])
def test_blockwise_meter_agrees_with_pyloudnorm(long_speech, block):
    from narrator.audio.loudness import LoudnessMeter

    audio, sr = long_speech
    audio = audio[: sr * 20] if block == 1 else audio  # one sample at a time: keep it short
    meter = LoudnessMeter(sr)
    for start in range(0, len(audio), block):
        meter.add(audio[start : start + block])
    expected = pyloudnorm.Meter(sr).integrated_loudness(audio.astype(np.float64))
    assert meter.integrated() == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("sr", [16000, 22050, 24000, 44100])
def test_meter_agrees_at_every_engine_rate(sr):
    rng = np.random.default_rng(sr)
    # Speech-like: bursts of filtered noise at varying levels with gaps.
    audio = np.concatenate(
        [
            rng.standard_normal(int(sr * rng.uniform(0.2, 2))) * rng.uniform(0.01, 0.3)
            for _ in range(20)
        ]
    ).astype(np.float32)
    expected = pyloudnorm.Meter(sr).integrated_loudness(audio.astype(np.float64))
    assert measure_lufs(audio, sr) == pytest.approx(expected, abs=0.01)


def test_limiter_gives_the_same_samples_whatever_the_block_size(long_speech):
    from narrator.audio.loudness import ArraySource, LimitedSource

    audio, sr = long_speech
    limited = LimitedSource(ArraySource(audio), sr, gain_db=14.0, ceiling_dbtp=-1.0)
    whole = limited.read(0, len(audio))
    pieces = np.concatenate([limited.read(a, a + 1000) for a in range(0, len(audio), 1000)])
    np.testing.assert_allclose(whole, pieces, rtol=0, atol=1e-9)  # float64 rounding only
    assert true_peak_dbtp(whole) <= -1.0  # 14 dB of gain needed real limiting


def test_long_speech_normalized_in_blocks_reaches_target(long_speech):
    audio, sr = long_speech
    result = normalize_loudness(audio, sr, -16.0)
    measured = pyloudnorm.Meter(sr).integrated_loudness(result.audio.astype(np.float64))
    assert measured == pytest.approx(-16.0, abs=0.3)
    assert result.loudness_out == pytest.approx(measured, abs=0.01)
    assert true_peak_dbtp(result.audio) <= -1.0 + 1e-6
