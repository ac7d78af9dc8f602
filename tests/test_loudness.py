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
