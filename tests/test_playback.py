"""Sinks: the null sink's simulated listener, and the real device probe."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from narrator.audio.playback import NO_DEVICE_MESSAGE, NullSink, Sink, open_sink
from narrator.errors import DeviceError


def test_null_sink_keeps_what_it_was_given():
    sink = NullSink(sample_rate=1000)
    a, b = np.ones(300, np.float32), np.full(200, 0.5, np.float32)
    sink.play(a)
    sink.play(b)
    assert isinstance(sink, Sink)
    assert np.array_equal(sink.received(), np.concatenate([a, b]))
    assert sink.position_s == pytest.approx(0.5)
    assert sink.queued_s == 0.0
    assert sink.first_play_at is not None


def test_realtime_null_sink_plays_at_the_listeners_pace():
    sink = NullSink(realtime=True, speedup=10.0, sample_rate=1000, buffer_s=0.1)
    sink.play(np.zeros(1000, np.float32))  # 1 s of audio, 0.1 s at 10x
    assert sink.queued_s <= 0.1 + 1e-6  # play() returned with at most the buffer queued
    assert sink.drain(timeout=5)
    assert sink.position_s == pytest.approx(1.0)


def test_paused_sink_holds_its_position_and_stop_drops_the_queue():
    sink = NullSink(realtime=True, speedup=10.0, sample_rate=1000, buffer_s=0.5)
    sink.play(np.zeros(400, np.float32))
    sink.pause()
    held = sink.position_s
    time.sleep(0.05)
    assert sink.position_s == held
    assert not sink.drain(timeout=0.05)
    sink.resume()
    assert sink.drain(timeout=5)

    sink.pause()
    blocked = threading.Thread(target=sink.play, args=(np.zeros(5000, np.float32),))
    blocked.start()  # more than the buffer while paused: play() blocks...
    time.sleep(0.05)
    assert blocked.is_alive()
    sink.stop()  # ...until stop() drops the queue
    blocked.join(timeout=5)
    assert not blocked.is_alive()
    assert sink.queued_s == 0.0


def test_no_sound_device_is_one_clear_error(capfd):
    try:
        sink = open_sink(22050)
    except DeviceError as exc:
        assert str(exc) == NO_DEVICE_MESSAGE
        assert "-o" in str(exc)
    else:
        sink.close()
        pytest.skip("this machine has a sound device")
    # the C audio libraries' own complaints (ALSA prints a dozen lines) are silenced
    assert capfd.readouterr().err == ""


def test_null_sink_can_stand_in_for_speakers(monkeypatch):
    monkeypatch.setenv("NARRATOR_SINK", "null")
    sink = open_sink(24000)
    assert isinstance(sink, NullSink) and sink.realtime and sink.sample_rate == 24000
