"""Live controls added for the TUI: seeks by time, the sentence heard inside a chunk,
a total-time estimate that never jumps, states as PlaybackState. Real eSpeak NG audio."""

from __future__ import annotations

import itertools
import time

import pytest

from narrator.audio.playback import NullSink
from narrator.engines.espeak import EspeakEngine
from narrator.stream import StreamingNarrator, live_chunk_plan
from narrator.stream_events import ChunkStarted, PlaybackProgress, PlaybackState, StateChanged
from narrator.text import prepare

BODY = (
    "पहला वाक्य छोटा है। दूसरा भी छोटा है। तीसरा वाक्य भी बहुत छोटा है।\n"
    "दिल्ली में आज सुबह से तेज़ बारिश हो रही है। मौसम विभाग ने अगले दो दिन के लिए चेतावनी दी है।\n"
    "कई इलाकों में पानी भर गया है, और यातायात धीमा है। लोग घरों से कम निकल रहे हैं।\n"
    "स्कूलों में छुट्टी घोषित की गई है। बिजली विभाग ने कहा कि आपूर्ति सामान्य है।\n"
    "शाम तक बारिश कम होने की संभावना है।"
)


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    return EspeakEngine()


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, "timed out"
        time.sleep(0.005)


def test_seek_by_seconds_moves_what_is_heard(espeak):
    script = prepare(BODY, fits=espeak.fits)
    sink = NullSink(realtime=True, speedup=5.0, sample_rate=espeak.sample_rate)
    events: list[object] = []
    narrator = StreamingNarrator(espeak, script, sink, on_event=events.append)
    narrator.start()
    wait_for(lambda: narrator.position_s >= 1.0)
    before = narrator.position_s
    narrator.seek_seconds(10.0)
    after = narrator.position_s
    assert after == pytest.approx(before + 10.0, abs=0.5)
    wait_for(lambda: narrator.position_s > after)  # it plays on from there
    heard = [e for e in events if isinstance(e, ChunkStarted)][-1]
    assert heard.start_s <= after <= heard.end_s + 1.0  # the chunk holding the new place
    narrator.seek_seconds(-5.0)
    assert narrator.position_s == pytest.approx(after - 5.0, abs=0.5)
    narrator.seek_seconds(-100.0)
    assert narrator.position_s == pytest.approx(0.0, abs=0.1)
    narrator.stop()
    assert narrator.state == PlaybackState.STOPPED == "stopped"


def test_the_sentence_heard_moves_inside_a_chunk_of_several(espeak):
    script = prepare(BODY, fits=lambda s: len(s) <= 200, short_first_chunk=False)
    first = script.chunks[0]
    assert "तीसरा" in first.text  # sentences 0, 1 and 2 in one chunk
    sink = NullSink(realtime=True, speedup=4.0, sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink)
    heard: list[int] = []
    narrator.start()
    while narrator.state != PlaybackState.FINISHED and narrator.current_chunk == first:
        heard.append(narrator.heard_sentence)
        time.sleep(0.005)
    narrator.stop()
    assert {0, 1, 2} <= set(heard)
    assert heard == sorted(heard)
    assert narrator.current_sentence in (0, script.chunks[1].sentence)  # chunk-level, as before


def test_total_estimate_never_jumps_while_playing(espeak):
    script = prepare(BODY * 3, fits=espeak.fits, budget=live_chunk_plan(espeak))
    sink = NullSink(realtime=True, speedup=40.0, sample_rate=espeak.sample_rate)
    events: list[object] = []
    narrator = StreamingNarrator(espeak, script, sink, on_event=events.append)
    narrator.start()
    assert narrator.wait(timeout=60)
    totals = [e.total_s_estimate for e in events if isinstance(e, PlaybackProgress)]
    assert len(totals) > 10
    assert max(abs(b - a) / a for a, b in itertools.pairwise(totals)) <= 0.10
    assert totals[-1] == pytest.approx(narrator.pieces()[-1].end_s)
    states = [e.state for e in events if isinstance(e, StateChanged)]
    assert all(isinstance(s, PlaybackState) for s in states)
    assert states[-1] == PlaybackState.FINISHED


def test_a_resumed_narration_plays_at_once(espeak):
    """Pause and resume wake the player on a condition: no sleeping poll in between."""
    script = prepare(BODY, fits=espeak.fits)
    sink = NullSink(realtime=True, speedup=5.0, sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink)
    narrator.start()
    wait_for(lambda: narrator.position_s >= 0.5)
    narrator.pause()
    held = narrator.position_s
    time.sleep(0.2)
    assert narrator.position_s == held and narrator.state == PlaybackState.PAUSED
    narrator.resume()
    wait_for(lambda: narrator.position_s > held, timeout=2.0)
    assert narrator.state == PlaybackState.PLAYING
    narrator.stop()
