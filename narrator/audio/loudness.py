"""Loudness normalization for published episodes (EBU R128 / ITU-R BS.1770).

Podcast apps expect about -16 LUFS integrated loudness for stereo speech (Apple's
guidance; mono speech is often published the same way so that episodes sit at
one volume across shows), with the true peak kept at or below -1 dBTP so that
lossy encoding (MP3/Vorbis) does not clip between samples.

Method:
1. measure integrated loudness with `pyloudnorm` (BS.1770-4 gated meter);
2. apply the gain that reaches the target;
3. estimate the true peak by 4x oversampling (`scipy.signal.resample_poly`,
   the method BS.1770 annex 2 describes) and, where it is above the ceiling,
   turn the gain down locally: a peak limiter with a 5 ms window around each
   peak, so the loudness of the speech around it barely changes;
4. re-measure; when the limiter took more than 0.3 LU away, add that back
   and limit once more (each pass oversamples at most twice: it is the
   costly step, about as slow as MP3 encoding).

Audio too short for the 400 ms gating block, or silent, cannot be measured:
it is only peak-limited and returned otherwise unchanged, and no warning
escapes (pyloudnorm's warnings are caught, so `-W error` cannot crash us).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

DEFAULT_LUFS = -16.0
DEFAULT_PEAK_DBTP = -1.0
OVERSAMPLE = 4
_LIMIT_WINDOW_S = 0.005
_MIN_DB = -70.0


@dataclass(frozen=True)
class LoudnessResult:
    """Normalized audio and what was measured, for reports and sidecars.

    loudness_in   integrated loudness before, LUFS (None when unmeasurable)
    loudness_out  after, LUFS (None when unmeasurable)
    peak_dbtp     true peak after, dBTP (-inf for silence)
    """

    audio: np.ndarray
    loudness_in: float | None
    loudness_out: float | None
    peak_dbtp: float


def measure_lufs(audio: np.ndarray, sample_rate: int) -> float | None:
    """Integrated loudness in LUFS, or None when the audio is too short or silent."""
    import pyloudnorm

    data = np.asarray(audio, dtype=np.float64).reshape(-1)
    if len(data) < int(0.4 * sample_rate) + 1 or not np.any(data):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = pyloudnorm.Meter(sample_rate).integrated_loudness(data)
        except ValueError:
            return None
    if not np.isfinite(value) or value < _MIN_DB:
        return None
    return float(value)


def true_peak_dbtp(audio: np.ndarray) -> float:
    """Estimated true peak in dBTP (4x oversampled sample peak)."""
    data = np.asarray(audio, dtype=np.float64).reshape(-1)
    if len(data) == 0 or not np.any(data):
        return float("-inf")
    peak = float(np.max(np.abs(_oversampled(data))))
    return 20.0 * float(np.log10(max(peak, 1e-12)))


def _oversampled(data: np.ndarray) -> np.ndarray:
    from scipy.signal import resample_poly

    return np.asarray(resample_poly(data, OVERSAMPLE, 1))


def _limit(data: np.ndarray, sample_rate: int, ceiling_dbtp: float) -> tuple[np.ndarray, float]:
    """`limit_true_peak` on float64 data: (limited audio, its true peak in dBTP).

    Two oversampling passes at most: one to find the peaks, one to check.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    n = len(data)
    if n == 0 or not np.any(data):
        return data, float("-inf")
    limit = 10.0 ** (ceiling_dbtp / 20.0)
    over = np.abs(_oversampled(data))
    if over.max() <= limit:
        return data, 20.0 * np.log10(over.max())
    # Aim a hair under the ceiling: the oversampled result can differ slightly.
    target = 10.0 ** ((ceiling_dbtp - 0.05) / 20.0)
    # The loudest oversampled value belonging to each original sample.
    env = np.pad(over, (0, max(0, n * OVERSAMPLE - len(over))))[: n * OVERSAMPLE]
    env = env.reshape(n, OVERSAMPLE).max(axis=1)
    need = np.minimum(1.0, target / np.maximum(env, 1e-12))
    # Hold the lowest gain over a window, then smooth with a shorter window:
    # every smoothed value averages gains that are each <= the need at the
    # centre, so the peak stays under the ceiling without clicks.
    window = max(3, int(_LIMIT_WINDOW_S * sample_rate) | 1)
    held = minimum_filter1d(need, size=2 * window + 1, mode="nearest")
    data = data * uniform_filter1d(held, size=window, mode="nearest")
    peak = float(np.max(np.abs(_oversampled(data))))
    if peak > limit:  # interpolation between samples overshot: scale the rest away
        data = data * (limit / peak)
        peak = limit
    return data, 20.0 * np.log10(max(peak, 1e-12))


def limit_true_peak(
    audio: np.ndarray, sample_rate: int, ceiling_dbtp: float = DEFAULT_PEAK_DBTP
) -> np.ndarray:
    """Reduce gain around peaks so the true peak is at most `ceiling_dbtp`."""
    data = np.asarray(audio, dtype=np.float64).reshape(-1)
    return _limit(data, sample_rate, ceiling_dbtp)[0].astype(np.float32)


def normalize_loudness(
    audio: np.ndarray,
    sample_rate: int,
    target_lufs: float = DEFAULT_LUFS,
    peak_dbtp: float = DEFAULT_PEAK_DBTP,
) -> LoudnessResult:
    """Bring `audio` to `target_lufs` with its true peak at most `peak_dbtp`."""
    data = np.asarray(audio, dtype=np.float64).reshape(-1)
    before = measure_lufs(data, sample_rate)
    if before is None:
        out, peak = _limit(data, sample_rate, peak_dbtp)
        return LoudnessResult(out.astype(np.float32), None, None, peak)
    out, peak = _limit(data * 10.0 ** ((target_lufs - before) / 20.0), sample_rate, peak_dbtp)
    measured = measure_lufs(out, sample_rate)
    if measured is not None and abs(measured - target_lufs) > 0.3:
        # The limiter took some loudness away: give it back once, limit again.
        out, peak = _limit(out * 10.0 ** ((target_lufs - measured) / 20.0), sample_rate, peak_dbtp)
        measured = measure_lufs(out, sample_rate)
    return LoudnessResult(out.astype(np.float32), before, measured, peak)
