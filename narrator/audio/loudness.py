"""Loudness normalization for published episodes (EBU R128 / ITU-R BS.1770), in blocks.

Podcast apps expect about -16 LUFS integrated loudness for stereo speech (Apple's
guidance; mono speech is often published the same way so that episodes sit at
one volume across shows), with the true peak kept at or below -1 dBTP so that
lossy encoding (MP3/Vorbis) does not clip between samples.

Why blockwise: an episode can be hours long. Measuring and limiting the whole
signal at once in float64, 4x oversampled, costs about 190 MB per minute of
audio (a 92-minute episode took 17 GB). Both measures are local, so they work
on blocks of a few seconds read from a source (an array, or the float32 spool
an export writes to disk) and memory stays flat however long the episode is:

- `LoudnessMeter` is the BS.1770-4 gated meter fed block by block: the
  K-weighting filters (pyloudnorm's own coefficients) carry their state
  across blocks, the mean square of every 400 ms gating block (75 % overlap)
  is kept as one number, and the absolute (-70 LUFS) and relative (-10 LU)
  gates run at the end over those numbers. It agrees with pyloudnorm on
  whole signals (tests check within 0.01 LU), so pyloudnorm still guards it.
- the true peak is the 4x oversampled sample peak (`scipy.signal.resample_poly`,
  the method BS.1770 annex 2 describes). Its interpolation filter reaches 10
  samples either side, so a block read with that much context on each side
  gives exactly the values the whole signal would.
- `LimitedSource` is the peak limiter: where the oversampled peak is above
  the ceiling it turns the gain down, holding the lowest gain over 5 ms
  either side and smoothing it over 5 ms, so the loudness of the speech
  around a peak barely changes and no click is added. Each block is computed
  from its own samples plus that much context, so the result is the same
  sample for sample as limiting the whole signal.

Method (`normalize`): measure the input; play it through gain + limiter,
measuring the output as it goes; when the limiter took more than 0.3 LU away,
give that back once, and when interpolation overshot the ceiling, scale the
result down by the overshoot; then the caller's last pass (encoding, in
`narrator.audio.master`) produces exactly the measured result.

Audio too short for the 400 ms gating block, or silent, cannot be measured:
`normalize_loudness` only peak-limits it, and says so (loudness None). Export
refuses to publish such an episode rather than skip normalization silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

DEFAULT_LUFS = -16.0
DEFAULT_PEAK_DBTP = -1.0
OVERSAMPLE = 4
BLOCK_FRAMES = 1 << 16
MAX_LIMITER_LOSS_LU = 0.3
_LIMIT_WINDOW_S = 0.005
_LIMIT_MARGIN_DB = 0.05  # aim a hair under the ceiling: interpolation differs slightly
_MIN_DB = -70.0
_GATE_S = 0.4
_GATE_STEP = 0.25  # 75 % overlap
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE_LU = -10.0
_INTERP_REACH = 12  # resample_poly's x4 filter reaches 10 input samples each side


class SampleSource(Protocol):
    """Float mono audio that can be read in any order, one slice at a time."""

    def __len__(self) -> int: ...

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples [start, stop) (clamped to the source) as float32 or float64."""
        ...


@dataclass(frozen=True)
class ArraySource:
    """An in-memory array as a SampleSource (tests, short clips)."""

    data: np.ndarray

    def __len__(self) -> int:
        return len(self.data)

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.data[max(0, start) : max(0, stop)]


def blocks(total: int, size: int = BLOCK_FRAMES) -> Iterator[tuple[int, int]]:
    """(start, stop) of consecutive blocks covering `total` samples."""
    for start in range(0, total, size):
        yield start, min(total, start + size)


# -- the gated meter --------------------------------------------------------------------


class LoudnessMeter:
    """Integrated loudness (BS.1770-4, mono) of audio fed in order, block by block.

    Keeps the K-weighting filter state and one cumulative sum of squares per
    gating-block edge (two floats per 100 ms), never the audio itself.
    """

    def __init__(self, sample_rate: int) -> None:
        import pyloudnorm

        self.sample_rate = int(sample_rate)
        # pyloudnorm's K-weighting stages for this rate (high shelf, high pass):
        # reusing its coefficients keeps the two meters one definition.
        meter = pyloudnorm.Meter(self.sample_rate)
        self._stages = [
            (np.asarray(f.b, dtype=np.float64), np.asarray(f.a, dtype=np.float64), f.passband_gain)
            for f in meter._filters.values()
        ]
        self._states: list[np.ndarray | None] = [None for _ in self._stages]
        self.samples = 0
        self._total = 0.0  # sum of squares of the weighted signal so far
        self._marks: dict[int, float] = {0: 0.0}  # sample index -> sum of squares before it
        self._next_lower = 0  # next gating block whose lower edge is not yet marked
        self._next_upper = 0

    def _lower(self, j: int) -> int:  # the same float arithmetic as pyloudnorm
        return int(_GATE_S * (j * _GATE_STEP) * self.sample_rate)

    def _upper(self, j: int) -> int:
        return int(_GATE_S * (j * _GATE_STEP + 1) * self.sample_rate)

    def add(self, block: np.ndarray) -> None:
        """Feed the next samples (any length, in order)."""
        from scipy.signal import lfilter, lfilter_zi

        y = np.asarray(block, dtype=np.float64).reshape(-1)
        if len(y) == 0:
            return
        for i, (b, a, gain) in enumerate(self._stages):
            state = self._states[i]
            if state is None:
                state = lfilter_zi(b, a) * 0.0  # start from rest, as a whole-signal filter does
            y, self._states[i] = lfilter(b, a, y, zi=state)
            if gain != 1.0:
                y = y * gain
        cumulative = np.cumsum(y * y) + self._total
        start, end = self.samples, self.samples + len(y)

        def mark(index: int) -> None:
            if start < index <= end:
                self._marks[index] = float(cumulative[index - start - 1])

        while self._lower(self._next_lower) <= end:
            mark(self._lower(self._next_lower))
            self._next_lower += 1
        while self._upper(self._next_upper) <= end:
            mark(self._upper(self._next_upper))
            self._next_upper += 1
        self._total = float(cumulative[-1])
        self.samples = end

    def integrated(self) -> float | None:
        """Gated loudness in LUFS, or None when too short (< 400 ms) or silent."""
        n, rate = self.samples, self.sample_rate
        if n < _GATE_S * rate or self._total <= 0.0:
            return None
        count = int(np.round((n / rate - _GATE_S) / (_GATE_S * _GATE_STEP))) + 1

        def cumulative(index: int) -> float:
            return self._total if index >= n else self._marks[index]

        z = np.array(
            [
                max(0.0, cumulative(self._upper(j)) - cumulative(self._lower(j)))
                for j in range(count)
            ]
        ) / (_GATE_S * rate)
        with np.errstate(divide="ignore"):
            levels = -0.691 + 10.0 * np.log10(z)
        above = levels >= _ABSOLUTE_GATE
        if not above.any():
            return None
        relative = -0.691 + 10.0 * np.log10(z[above].mean()) + _RELATIVE_GATE_LU
        gated = (levels > relative) & (levels > _ABSOLUTE_GATE)
        if not gated.any():
            return None
        value = -0.691 + 10.0 * np.log10(z[gated].mean())
        if not np.isfinite(value) or value < _MIN_DB:
            return None
        return float(value)


def measure_lufs(audio: np.ndarray, sample_rate: int) -> float | None:
    """Integrated loudness in LUFS of a whole array, or None when too short or silent."""
    meter = LoudnessMeter(sample_rate)
    data = np.asarray(audio).reshape(-1)
    for start, stop in blocks(len(data)):
        meter.add(data[start:stop])
    return meter.integrated()


# -- true peak ----------------------------------------------------------------------------


def _oversampled(data: np.ndarray) -> np.ndarray:
    from scipy.signal import resample_poly

    return np.asarray(resample_poly(np.asarray(data, dtype=np.float64), OVERSAMPLE, 1))


def _peak_in(source: SampleSource, start: int, stop: int) -> float:
    """Largest |oversampled value| at times in [start, stop), read with context."""
    lo = max(0, start - _INTERP_REACH)
    hi = min(len(source), stop + _INTERP_REACH)
    over = np.abs(_oversampled(source.read(lo, hi)))
    part = over[(start - lo) * OVERSAMPLE : (stop - lo) * OVERSAMPLE]
    return float(part.max()) if len(part) else 0.0


def _dbtp(peak: float) -> float:
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")


def true_peak_dbtp(audio: np.ndarray) -> float:
    """Estimated true peak in dBTP (4x oversampled sample peak), block by block."""
    source = ArraySource(np.asarray(audio).reshape(-1))
    peak = max((_peak_in(source, a, b) for a, b in blocks(len(source))), default=0.0)
    return _dbtp(peak)


# -- the limiter ----------------------------------------------------------------------------


class LimitedSource:
    """`source` x gain_db, true-peak limited to `ceiling_dbtp`, then x `post_scale`.

    Reads are random access: each computes its samples from the source with
    enough context (interpolation + hold + smoothing) that the result equals
    limiting the whole signal at once.
    """

    def __init__(
        self,
        source: SampleSource,
        sample_rate: int,
        gain_db: float = 0.0,
        ceiling_dbtp: float = DEFAULT_PEAK_DBTP,
        post_scale: float = 1.0,
    ) -> None:
        self.source = source
        self.gain = 10.0 ** (gain_db / 20.0)
        self.target = 10.0 ** ((ceiling_dbtp - _LIMIT_MARGIN_DB) / 20.0)
        self.post_scale = post_scale
        self.window = max(3, int(_LIMIT_WINDOW_S * sample_rate) | 1)
        # hold reaches `window` each side, smoothing window // 2, interpolation 10
        self.context = self.window + self.window // 2 + _INTERP_REACH + 2

    def __len__(self) -> int:
        return len(self.source)

    def read(self, start: int, stop: int) -> np.ndarray:
        from scipy.ndimage import minimum_filter1d, uniform_filter1d

        n = len(self.source)
        start, stop = max(0, start), min(n, stop)
        if stop <= start:
            return np.zeros(0, dtype=np.float64)
        lo, hi = max(0, start - self.context), min(n, stop + self.context)
        data = np.asarray(self.source.read(lo, hi), dtype=np.float64) * self.gain
        over = np.abs(_oversampled(data))
        env = over[: len(data) * OVERSAMPLE].reshape(len(data), OVERSAMPLE).max(axis=1)
        if env.max() > self.target:
            need = np.minimum(1.0, self.target / np.maximum(env, 1e-12))
            # Hold the lowest gain over a window, then smooth with a shorter one:
            # every smoothed value averages gains that are each <= the need at
            # the centre, so the peak stays under the ceiling without clicks.
            # mode="nearest" at the true ends of the signal only (elsewhere the
            # context makes the edges irrelevant), exactly as for the whole.
            held = minimum_filter1d(need, size=2 * self.window + 1, mode="nearest")
            data = data * np.asarray(uniform_filter1d(held, size=self.window, mode="nearest"))
        out = np.asarray(data[start - lo : stop - lo])
        return out * self.post_scale if self.post_scale != 1.0 else out


# -- the whole method ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoudnessPlan:
    """How to master a source, and what the result measures.

    gain_db       gain before the limiter
    ceiling_dbtp  the limiter's ceiling
    post_scale    linear scale after limiting (takes back an interpolation overshoot)
    loudness_in   integrated loudness before, LUFS (None when unmeasurable)
    loudness_out  after, LUFS (None when unmeasurable)
    peak_dbtp     true peak after, dBTP (-inf for silence)
    """

    gain_db: float
    ceiling_dbtp: float
    post_scale: float
    loudness_in: float | None
    loudness_out: float | None
    peak_dbtp: float

    def source(self, source: SampleSource, sample_rate: int) -> LimitedSource:
        """The mastered audio, readable block by block."""
        return LimitedSource(source, sample_rate, self.gain_db, self.ceiling_dbtp, self.post_scale)


BlockSink = Callable[[np.ndarray], None]
SinkFactory = Callable[[], tuple[BlockSink, Callable[[bool], None]]]
"""Starts one encoding pass: (write a block, finish(keep: bool))."""


def play_through(
    mastered: SampleSource, sample_rate: int, sink: BlockSink | None = None
) -> tuple[float | None, float]:
    """Read `mastered` once in order: (its loudness, its true peak in dBTP).

    Every block also goes to `sink` (an encoder), so the pass that measures
    the result can be the pass that writes it.
    """
    meter = LoudnessMeter(sample_rate)
    peak = 0.0
    n = len(mastered)
    for start, stop in blocks(n):
        lo, hi = max(0, start - _INTERP_REACH), min(n, stop + _INTERP_REACH)
        extended = np.asarray(mastered.read(lo, hi), dtype=np.float64)
        block = extended[start - lo : stop - lo]
        over = np.abs(_oversampled(extended))[(start - lo) * OVERSAMPLE : (stop - lo) * OVERSAMPLE]
        if len(over):
            peak = max(peak, float(over.max()))
        meter.add(block)
        if sink is not None:
            sink(block)
    return meter.integrated(), _dbtp(peak)


def plan_loudness(
    source: SampleSource,
    sample_rate: int,
    target_lufs: float = DEFAULT_LUFS,
    peak_dbtp: float = DEFAULT_PEAK_DBTP,
    *,
    loudness_in: float | None = None,
    measured: bool = False,
    sink_factory: SinkFactory | None = None,
) -> LoudnessPlan:
    """Find gain, limiting and scale that bring `source` to `target_lufs` under `peak_dbtp`.

    loudness_in   the input's loudness when already measured (export measures
                  it while the audio is made); `measured=True` says it was
                  measured even when it is None (silent or too short)
    sink_factory  gives (write block, finish(keep)) for an encoder: each trial
                  pass writes through it, and finish(True) is called on the
                  pass that is kept, finish(False) on one that is redone. So
                  in the usual case the measuring pass is also the encoding
                  pass, and only a correction costs a second one.
    """
    if not measured and loudness_in is None:
        meter = LoudnessMeter(sample_rate)
        for start, stop in blocks(len(source)):
            meter.add(source.read(start, stop))
        loudness_in = meter.integrated()
    gain = 0.0 if loudness_in is None else target_lufs - loudness_in
    scale = 1.0
    limit = 10.0 ** (peak_dbtp / 20.0)
    corrected = False
    for attempt in range(3):
        plan = LoudnessPlan(gain, peak_dbtp, scale, loudness_in, None, float("-inf"))
        sink, finish = sink_factory() if sink_factory is not None else (None, None)
        try:
            out_lufs, out_peak = play_through(plan.source(source, sample_rate), sample_rate, sink)
        except BaseException:
            if finish is not None:
                finish(False)
            raise
        redo = False
        if attempt == 2:
            pass  # the third pass is kept: a correction changes at most a few 0.1 dB
        elif (
            loudness_in is not None
            and out_lufs is not None
            and not corrected
            and abs(out_lufs - target_lufs) > MAX_LIMITER_LOSS_LU
        ):
            # The limiter took some loudness away: give it back once, limit again.
            gain += target_lufs - out_lufs
            corrected = redo = True
        elif out_peak > peak_dbtp + 1e-9:
            # Interpolation between samples overshot: scale the result down.
            scale *= limit / 10.0 ** (out_peak / 20.0)
            redo = True
        if not redo:
            if finish is not None:
                finish(True)
            return LoudnessPlan(gain, peak_dbtp, scale, loudness_in, out_lufs, out_peak)
        if finish is not None:
            finish(False)
    raise AssertionError("unreachable: the third pass is always kept")


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


def limit_true_peak(
    audio: np.ndarray, sample_rate: int, ceiling_dbtp: float = DEFAULT_PEAK_DBTP
) -> np.ndarray:
    """Reduce gain around peaks so the true peak is at most `ceiling_dbtp`."""
    source = ArraySource(np.asarray(audio, dtype=np.float32).reshape(-1))
    plan = plan_loudness(source, sample_rate, 0.0, ceiling_dbtp, measured=True)
    return _render(plan.source(source, sample_rate))


def _render(source: SampleSource) -> np.ndarray:
    out = np.zeros(len(source), dtype=np.float32)
    for start, stop in blocks(len(source)):
        out[start:stop] = source.read(start, stop)
    return out


def normalize_loudness(
    audio: np.ndarray,
    sample_rate: int,
    target_lufs: float = DEFAULT_LUFS,
    peak_dbtp: float = DEFAULT_PEAK_DBTP,
) -> LoudnessResult:
    """Bring an in-memory `audio` to `target_lufs` with its true peak at most `peak_dbtp`.

    The same blockwise method export uses on its spool (see the module notes);
    this form is for short clips and tests.
    """
    source = ArraySource(np.asarray(audio, dtype=np.float32).reshape(-1))
    plan = plan_loudness(source, sample_rate, target_lufs, peak_dbtp)
    out = _render(plan.source(source, sample_rate))
    return LoudnessResult(out, plan.loudness_in, plan.loudness_out, plan.peak_dbtp)
