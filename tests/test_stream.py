"""The streaming narrator, the producer and render_script on real engines.

Audio is real: eSpeak NG (instant) and the tiny Coqui VITS model (deterministic:
seeded per chunk), played into a NullSink. Engine subclasses appear only to
count calls or to inject a delay or a failure around the real synthesis.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter

import numpy as np
import pytest

from narrator.audio.assemble import assemble, pause_after, pause_samples
from narrator.audio.playback import NullSink
from narrator.cache import ChunkCache
from narrator.engines.espeak import EspeakEngine
from narrator.errors import EngineError
from narrator.stream import (
    Producer,
    StreamingNarrator,
    Timeline,
    expected_wait_s,
    render_script,
)
from narrator.stream_events import (
    Buffering,
    ChunkStarted,
    NarrationFailed,
    NarrationFinished,
    PlaybackProgress,
    SynthesisProgress,
    Underrun,
)
from narrator.text import prepare

TITLE = "दिल्ली में बारिश"
BODY = (
    "दिल्ली में आज सुबह से तेज़ बारिश हो रही है। मौसम विभाग ने अगले दो दिन के लिए चेतावनी दी है।\n"
    "कई इलाकों में पानी भर गया है, और यातायात धीमा है। लोग घरों से कम निकल रहे हैं।\n"
    "स्कूलों में छुट्टी घोषित की गई है। बिजली विभाग ने कहा कि आपूर्ति सामान्य है।\n"
    "शाम तक बारिश कम होने की संभावना है।"
)


class CountingEspeak(EspeakEngine):
    """The real eSpeak engine, counting synthesis calls per text (no audio change)."""

    def __init__(
        self, *args, delay: float = 0.0, slowdown: float = 0.0, fail_on: int | None = None, **kw
    ) -> None:
        super().__init__(*args, **kw)
        self.calls: Counter[str] = Counter()
        self.delay = delay  # seconds added to every call
        self.slowdown = slowdown  # seconds added per second of audio made
        self.fail_on = fail_on
        self._lock = threading.Lock()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def synthesize(self, text: str) -> np.ndarray:
        with self._lock:
            self.calls[text] += 1
            n = self.total_calls
        if self.fail_on is not None and n == self.fail_on:
            raise RuntimeError("injected failure on the third chunk")
        audio = super().synthesize(text)
        time.sleep(self.delay + self.slowdown * len(audio) / self.sample_rate)
        return audio


def narrator_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("narrator-")]


@pytest.fixture
def espeak() -> CountingEspeak:
    return CountingEspeak()


@pytest.fixture
def script(espeak):
    return prepare(BODY, title=TITLE, fits=espeak.fits)


@pytest.fixture(scope="module")
def tiny_coqui(tiny_vits_dir):
    from narrator.engines.coqui import CoquiEngine

    return CoquiEngine(model=str(tiny_vits_dir), device="cpu")


def test_render_lays_out_chunks_with_designed_pauses(espeak, script):
    rendering = render_script(espeak, script)
    sr = rendering.sample_rate
    assert sr == espeak.sample_rate
    assert len(rendering.pieces) == len(script.chunks) >= 4
    assert [p.chunk for p in rendering.pieces] == script.chunks
    for before, after in zip(rendering.pieces, rendering.pieces[1:]):
        gap = round(after.start_s * sr) - round(before.end_s * sr)
        assert gap == pause_samples(before.chunk, sr)
        assert not np.any(rendering.audio[round(before.end_s * sr) : round(after.start_s * sr)])
    for piece in rendering.pieces:
        start = round(piece.start_s * sr)
        assert np.array_equal(rendering.audio[start : start + len(piece.audio)], piece.audio)
        assert piece.audio[0] == 0.0  # faded in: no click at the join
        assert abs(piece.audio[-1]) < 0.01
    assert rendering.duration_s == pytest.approx(rendering.pieces[-1].end_s)
    assert rendering.synth_s > 0 and rendering.complete
    # the title is its own paragraph: a paragraph pause after it
    assert pause_after(script.chunks[0 if script.chunks[0].ends_paragraph else 1]) == 0.7


def test_streamed_audio_equals_rendered_audio_on_deterministic_engine(tiny_coqui):
    short = "\n".join(BODY.splitlines()[:2])
    script = prepare(short, title=TITLE, fits=tiny_coqui.fits)
    assert len(script.chunks) >= 3
    rendering = render_script(tiny_coqui, script)
    assert np.any(rendering.audio)

    sink = NullSink(sample_rate=tiny_coqui.sample_rate)
    narrator = StreamingNarrator(tiny_coqui, script, sink)
    narrator.start()
    assert narrator.wait(timeout=60)
    assert narrator.state == "finished"
    assert np.array_equal(sink.received(), rendering.audio)
    pieces = narrator.pieces()
    assert [p.chunk for p in pieces] == script.chunks
    assert [(p.start_s, p.end_s) for p in pieces] == [(p.start_s, p.end_s) for p in rendering.pieces]
    assert np.array_equal(assemble(pieces), rendering.audio)


def test_streamed_espeak_audio_is_its_pieces_with_pauses(espeak, script):
    events: list[object] = []
    sink = NullSink(sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink, on_event=events.append)
    narrator.start()
    assert narrator.wait(timeout=30)
    pieces = narrator.pieces()
    assert [p.chunk for p in pieces] == script.chunks
    assert np.array_equal(sink.received(), assemble(pieces))
    started = [e for e in events if isinstance(e, ChunkStarted)]
    assert [e.chunk for e in started] == script.chunks
    assert [(e.start_s, e.end_s) for e in started] == [(p.start_s, p.end_s) for p in pieces]
    finished = [e for e in events if isinstance(e, NarrationFinished)]
    assert len(finished) == 1 and finished[0].underruns == narrator.underruns
    progress = [e for e in events if isinstance(e, PlaybackProgress)]
    assert progress[-1].position_s == pytest.approx(pieces[-1].end_s, abs=0.01)
    assert progress[-1].total_s_estimate == pytest.approx(pieces[-1].end_s, abs=0.01)
    synth = [e for e in events if isinstance(e, SynthesisProgress)]
    assert synth[-1].done == synth[-1].total == len(script.chunks)
    assert narrator.ttfa_s is not None and espeak.total_calls == len(script.chunks)
    assert not narrator_threads()


def test_stopping_ends_the_producer_within_one_chunk(script):
    engine = CountingEspeak(delay=0.05)
    sink = NullSink(realtime=True, sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, ahead=2)
    narrator.start()
    deadline = time.time() + 10
    while narrator.ttfa_s is None and time.time() < deadline:
        time.sleep(0.01)
    narrator.stop()
    made = engine.total_calls
    assert made <= 1 + 2 + 1 < len(script.chunks)  # playing + ahead + the one in flight
    time.sleep(0.2)
    assert engine.total_calls == made
    assert narrator.state == "stopped"
    assert not narrator_threads()


def test_producer_rests_ahead_of_a_slow_listener(script):
    engine = CountingEspeak()
    sink = NullSink(realtime=True, sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, ahead=1)
    narrator.start()
    time.sleep(0.5)  # the listener hears the first half second
    assert 2 <= engine.total_calls < len(script.chunks)
    narrator.stop()
    assert not narrator_threads()


def test_paused_sink_holds_the_narrator_producer(script):
    engine = CountingEspeak(delay=0.05)
    sink = NullSink(realtime=True, sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, ahead=1)
    narrator.pause()
    narrator.start()
    time.sleep(0.4)
    assert narrator.state == "paused"
    assert engine.total_calls == 2  # the current chunk + one ahead
    time.sleep(0.2)
    assert engine.total_calls == 2 < len(script.chunks)
    assert sink.position_s == 0.0
    narrator.stop()
    assert narrator.state == "stopped"
    assert not narrator_threads()


def test_engine_error_surfaces_with_its_chunk(script):
    engine = CountingEspeak(fail_on=3)
    producer = Producer(engine, script, Timeline.of(script, engine.sample_rate))
    with pytest.raises(EngineError) as info:
        list(producer.pieces())
    assert info.value.chunk == script.chunks[2]
    assert "injected failure" in str(info.value)

    engine = CountingEspeak(fail_on=3)
    with pytest.raises(EngineError) as info:
        render_script(engine, script)
    assert info.value.chunk == script.chunks[2]

    engine = CountingEspeak(fail_on=3)
    events: list[object] = []
    sink = NullSink(sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, on_event=events.append)
    narrator.start()
    assert narrator.wait(timeout=30)
    assert narrator.state == "failed"
    assert isinstance(narrator.error, EngineError) and narrator.error.chunk == script.chunks[2]
    failed = [e for e in events if isinstance(e, NarrationFailed)]
    assert len(failed) == 1 and failed[0].chunk == script.chunks[2]
    heard = [e.chunk for e in events if isinstance(e, ChunkStarted)]
    assert heard == script.chunks[:2]  # what was made before the failure was played
    assert not narrator_threads()


def test_skipping_moves_the_sentence_and_reuses_audio(espeak, script):
    sink = NullSink(realtime=True, speedup=6.0, sample_rate=espeak.sample_rate)
    events: list[object] = []
    narrator = StreamingNarrator(espeak, script, sink, ahead=1, on_event=events.append)
    narrator.start()
    deadline = time.time() + 10
    while narrator.current_chunk != script.chunks[1] and time.time() < deadline:
        time.sleep(0.01)
    narrator.next_sentence()
    time.sleep(0.1)
    assert narrator.current_sentence == script.chunks[2].sentence
    narrator.previous_sentence()
    time.sleep(0.1)
    assert narrator.current_sentence == script.chunks[1].sentence
    narrator.seek_sentence(script.chunks[-1].sentence)
    assert narrator.wait(timeout=30)
    assert narrator.state == "finished"
    heard = [e.chunk.index for e in events if isinstance(e, ChunkStarted)]
    assert heard[:4] == [0, 1, 2, 1]
    assert heard[-1] == len(script.chunks) - 1
    # chunk 1 was heard twice but synthesized once; skipped chunks were never made
    assert espeak.calls[script.chunks[1].text] == 1
    assert max(espeak.calls.values()) == 1
    assert not narrator_threads()

    # after the end, going back plays again, reusing what was made
    narrator.previous_sentence()
    assert narrator.state != "finished"
    assert narrator.wait(timeout=30) and narrator.state == "finished"
    started_again = [e.chunk.index for e in events if isinstance(e, ChunkStarted)][len(heard) :]
    assert started_again == [len(script.chunks) - 2, len(script.chunks) - 1]
    assert max(espeak.calls.values()) == 1
    assert not narrator_threads()


def test_pause_holds_position_and_resume_continues(espeak, script):
    sink = NullSink(realtime=True, speedup=20.0, sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink)
    narrator.start()
    deadline = time.time() + 10
    while narrator.position_s < 1.0 and time.time() < deadline:
        time.sleep(0.01)
    narrator.toggle_pause()
    assert narrator.state == "paused"
    held = narrator.position_s
    time.sleep(0.2)
    assert narrator.position_s == held
    narrator.toggle_pause()
    assert narrator.wait(timeout=30)
    assert narrator.state == "finished"
    assert narrator.position_s > held


def test_stop_is_immediate_and_leaves_no_thread(espeak, script):
    sink = NullSink(realtime=True, sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink)
    narrator.start()
    time.sleep(0.1)
    narrator.stop()
    assert narrator.state == "stopped"
    assert sink.queued_s == 0.0
    assert narrator.wait(timeout=0)
    assert not narrator_threads()


def test_slow_engine_waits_fall_between_chunks_and_are_counted(script):
    # the listener hears at 20x; the engine makes audio at 20/3 x: 3x slower than heard
    engine = CountingEspeak(slowdown=3 / 20)
    events: list[object] = []
    sink = NullSink(realtime=True, speedup=20.0, sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, on_event=events.append)
    narrator.start()
    assert narrator.wait(timeout=30)
    assert narrator.state == "finished"
    assert narrator.underruns >= 1
    finished = [e for e in events if isinstance(e, NarrationFinished)][-1]
    assert finished.underruns == narrator.underruns
    assert finished.total_wait_s == pytest.approx(narrator.total_wait_s)
    # every wait falls before a chunk starts, never inside one: the next event
    # about playback after an underrun is the start of a chunk
    for i, event in enumerate(events):
        if isinstance(event, Underrun):
            following = next(e for e in events[i + 1 :] if isinstance(e, ChunkStarted | NarrationFinished))
            assert isinstance(following, ChunkStarted)
    assert np.array_equal(sink.received(), assemble(narrator.pieces()))


def test_smooth_buffers_first_and_announces_the_wait(script):
    engine = CountingEspeak(slowdown=2 / 20)
    events: list[object] = []
    sink = NullSink(realtime=True, speedup=20.0, sample_rate=engine.sample_rate)
    narrator = StreamingNarrator(engine, script, sink, smooth=True, on_event=events.append)
    narrator.start()
    assert narrator.wait(timeout=30)
    assert narrator.state == "finished"
    buffering = [e for e in events if isinstance(e, Buffering)]
    assert buffering and buffering[0].expected_wait_s > 0
    first_start = next(i for i, e in enumerate(events) if isinstance(e, ChunkStarted))
    made_before = [e.done for e in events[:first_start] if isinstance(e, SynthesisProgress)]
    assert made_before and max(made_before) >= 2  # it waited for more than one chunk


def test_rtf_is_measured_and_recorded(espeak, script):
    from narrator.engines.speedlog import expected_rtf

    sink = NullSink(sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink)
    narrator.start()
    assert narrator.wait(timeout=30)
    assert narrator.rtf is not None and 0 < narrator.rtf < 1
    assert expected_rtf("espeak") == pytest.approx(narrator.rtf, rel=1e-3, abs=1e-4)
    assert expected_wait_s(script, 2.0) > 0 == expected_wait_s(script, 0.5)


def test_cached_narration_makes_no_synthesis(espeak, script, tmp_path):
    cache = ChunkCache(tmp_path / "chunks")
    first = render_script(espeak, script, cache=cache)
    calls = espeak.total_calls
    sink = NullSink(sample_rate=espeak.sample_rate)
    narrator = StreamingNarrator(espeak, script, sink, cache=cache)
    narrator.start()
    assert narrator.wait(timeout=30)
    assert espeak.total_calls == calls
    assert np.array_equal(sink.received(), first.audio)  # replay = the rendered file


def test_streaming_engine_pieces_are_forwarded_as_they_come(tiny_xtts_dir):
    """XTTS yields audio inside a chunk; those parts flow on before the chunk is done."""
    from narrator.engines.xtts import XttsEngine

    engine = XttsEngine(model=tiny_xtts_dir, device="cpu", stream_chunk_size=2)
    script = prepare("बारिश जारी है। सड़कें भरी हैं।", fits=engine.fits)
    producer = Producer(engine, script, Timeline.of(script, engine.sample_rate), stream=True)
    pieces = list(producer.pieces())
    first_chunk = [p for p in pieces if p.chunk == script.chunks[0]]
    assert len(first_chunk) >= 2  # several parts of one chunk...
    assert [p.final for p in first_chunk] == [False] * (len(first_chunk) - 1) + [True]
    for a, b in itertools.pairwise(first_chunk):
        assert b.start_s == pytest.approx(a.end_s)  # ...joined without a gap
    assert first_chunk[0].audio[0] == 0.0  # faded in at the chunk's start only
    assert sum(p.final for p in pieces) == len(script.chunks)


def test_export_spool_holds_exactly_the_rendered_samples(tiny_coqui, tmp_path):
    """Export drains the same producer piece by piece onto disk: the spool it
    masters from is the whole-script rendering, sample for sample, times included."""
    from narrator.audio.spool import AudioSpool
    from narrator.export.render import render_to_spool

    script = prepare(BODY, title=TITLE, fits=tiny_coqui.fits)
    assert len(script.chunks) >= 5
    rendering = render_script(tiny_coqui, script)
    with AudioSpool(tmp_path, "x.wav", tiny_coqui.sample_rate) as spool:
        made = render_to_spool(tiny_coqui, script, spool)
        spooled = spool.read(0, len(spool))
    assert made.complete and len(made.timings) == len(script.chunks)
    assert np.array_equal(spooled, rendering.audio)
    assert [t.start_s for t in made.timings] == [p.start_s for p in rendering.pieces]
