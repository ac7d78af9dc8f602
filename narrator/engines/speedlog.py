"""Remember how fast each voice ran on this machine, robustly.

Two figures per voice, both measured by the streaming narrator:

* the real-time factor (engine seconds per second of audio), by engine name:
  engine selection reads it to decide whether a slow neural voice can keep up
  with live playback here, and the narrator plans its start with it;
* seconds of audio per spoken character, by the voice's cache key (engine,
  model, voice, speed): the narrator's total-time estimate before a chunk of
  this article is made.

Why a median of recent runs: one run on a busy machine (other jobs holding the
CPUs) can be 3x slower than usual; a smoothed average would carry that into the
next runs' plans, a median of the last few ignores it. A narration switches to
its own measured figures once it has a few seconds of audio (see
narrator.stream.timeline).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile

from narrator.paths import cache_dir

__all__ = [
    "CHARS_PER_SECOND",
    "RUNS_KEPT",
    "SECONDS_PER_CHAR",
    "expected_rtf",
    "expected_seconds_per_char",
    "record_rtf",
    "record_speed",
]

CHARS_PER_SECOND = 14.0
"""Hindi news read at a calm pace: about 14 characters (spaces included) a second.
The one reading-speed constant: the library's listening times and the narrator's
first estimates before a voice has been measured both use it."""
SECONDS_PER_CHAR = 1.0 / CHARS_PER_SECOND

RUNS_KEPT = 7
_FILE = "speed.json"
_SPC = "spc|"


def _load() -> dict[str, object]:
    try:
        data = json.loads((cache_dir() / _FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _series(data: dict[str, object], key: str) -> list[float]:
    """The recorded runs under `key` (a bare number is the older one-value format)."""
    value = data.get(key)
    values = value if isinstance(value, list) else [value]
    return [
        float(v)
        for v in values
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0
    ]


def _median(data: dict[str, object], key: str) -> float | None:
    runs = _series(data, key)
    return statistics.median(runs) if runs else None


def expected_rtf(key: str) -> float | None:
    """The median real-time factor of an engine's recent runs here, if any."""
    return _median(_load(), key)


def expected_seconds_per_char(voice_key: str) -> float | None:
    """The median seconds of audio per spoken character of a voice's recent runs."""
    return _median(_load(), _SPC + voice_key)


def record_rtf(key: str, rtf: float) -> None:
    """Add one run's real-time factor (the last RUNS_KEPT are kept); atomic write."""
    record_speed(key, rtf=rtf)


def record_speed(
    key: str,
    *,
    rtf: float | None = None,
    voice_key: str | None = None,
    seconds_per_char: float | None = None,
) -> None:
    """Add one run's figures: RTF under the engine `key`, pace under `voice_key`."""
    data = _load()
    changed = False
    for name, value in ((key, rtf), (_SPC + (voice_key or ""), seconds_per_char)):
        if value is None or not math.isfinite(value) or value <= 0 or name == _SPC:
            continue
        data[name] = [round(v, 5) for v in [*_series(data, name), float(value)][-RUNS_KEPT:]]
        changed = True
    if not changed:
        return
    folder = cache_dir()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".speed-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
        os.replace(tmp, folder / _FILE)
    except BaseException:
        os.unlink(tmp)
        raise
