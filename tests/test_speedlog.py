"""The speed record: a median of recent runs, so one busy run does not poison it."""

from __future__ import annotations

import json

import pytest

from narrator.engines import speedlog
from narrator.paths import cache_dir


def test_one_busy_run_does_not_move_the_expected_speed():
    for rtf in (0.40, 0.42, 0.39):
        speedlog.record_rtf("kokoro", rtf)
    speedlog.record_rtf("kokoro", 2.4)  # other jobs held the CPUs during this one
    assert speedlog.expected_rtf("kokoro") == pytest.approx(0.41)
    for _ in range(speedlog.RUNS_KEPT):
        speedlog.record_rtf("kokoro", 1.1)  # the machine really got slower
    assert speedlog.expected_rtf("kokoro") == pytest.approx(1.1)
    assert speedlog.expected_rtf("espeak") is None


def test_pace_is_kept_per_voice_beside_the_rtf():
    speedlog.record_speed("kokoro", rtf=0.4, voice_key="kokoro|m|hf_alpha|1.000", seconds_per_char=0.08)
    speedlog.record_speed("kokoro", voice_key="kokoro|m|hm_psi|1.500", seconds_per_char=0.05)
    assert speedlog.expected_seconds_per_char("kokoro|m|hf_alpha|1.000") == pytest.approx(0.08)
    assert speedlog.expected_seconds_per_char("kokoro|m|hm_psi|1.500") == pytest.approx(0.05)
    assert speedlog.expected_rtf("kokoro") == pytest.approx(0.4)  # the second run had no RTF


def test_older_and_damaged_records_are_read_or_ignored():
    path = cache_dir() / "speed.json"
    path.write_text(json.dumps({"kokoro": 0.45, "espeak": "fast", "xtts": [None, -1, 2.0]}))
    assert speedlog.expected_rtf("kokoro") == pytest.approx(0.45)  # the one-number format
    assert speedlog.expected_rtf("espeak") is None
    assert speedlog.expected_rtf("xtts") == pytest.approx(2.0)
    path.write_text("{not json")
    assert speedlog.expected_rtf("kokoro") is None
    speedlog.record_rtf("kokoro", 0.5)  # a damaged file is replaced, atomically
    assert speedlog.expected_rtf("kokoro") == pytest.approx(0.5)
    assert [p.name for p in cache_dir().iterdir() if p.name.startswith(".speed-")] == []
