"""Remember how fast each voice ran on this machine.

The streaming narrator records the real-time factor it measures (synthesis time
/ audio time); engine selection reads it to decide whether a slow neural voice
can keep up with live playback here, as ElevenLabs' Reader never makes you wait
mid-sentence.
"""

from __future__ import annotations

import json
import os
import tempfile

from narrator.paths import cache_dir

_FILE = "speed.json"


def _load() -> dict[str, float]:
    try:
        return json.loads((cache_dir() / _FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def expected_rtf(key: str) -> float | None:
    """The last measured real-time factor for an engine key, if any."""
    value = _load().get(key)
    return float(value) if isinstance(value, (int, float)) else None


def record_rtf(key: str, rtf: float) -> None:
    """Store a measurement (smoothed with the previous one); atomic write."""
    data = _load()
    old = data.get(key)
    data[key] = round(rtf if old is None else 0.5 * old + 0.5 * rtf, 4)
    folder = cache_dir()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".speed-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    os.replace(tmp, folder / _FILE)
