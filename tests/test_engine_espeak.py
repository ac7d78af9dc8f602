"""eSpeak NG: the instant fallback voice must produce real, sensible Hindi audio."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from narrator.engines.espeak import EspeakEngine
from narrator.errors import InputError

SHORT = "आज दिल्ली में बारिश हुई।"
LONG = (
    "आज दिल्ली में बारिश हुई। मौसम विभाग ने कहा है कि अगले तीन दिनों तक "
    "राजधानी और आसपास के इलाकों में हल्की से मध्यम बारिश जारी रहेगी।"
)


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


@pytest.mark.parametrize("voice", ["hi-female", "hi-male"])
def test_speaks_real_audio(voice: str) -> None:
    engine = EspeakEngine(voice=voice)
    audio = engine.synthesize(SHORT)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert np.all(np.isfinite(audio))
    assert rms(audio) > 0.02, "audio is (nearly) silent"
    assert 0.8 < len(audio) / engine.sample_rate < 5.0


def test_duration_grows_with_text() -> None:
    engine = EspeakEngine()
    short = len(engine.synthesize(SHORT))
    long = len(engine.synthesize(LONG))
    ratio_text = len(LONG) / len(SHORT)
    assert long > 2 * short
    assert 0.5 * ratio_text < long / short < 2.0 * ratio_text


def test_variants_sound_different() -> None:
    female = EspeakEngine(voice="hi-female").synthesize(SHORT)
    male = EspeakEngine(voice="hi-male").synthesize(SHORT)
    n = min(len(female), len(male))
    assert not np.allclose(female[:n], male[:n])


def test_speed_changes_duration() -> None:
    normal = len(EspeakEngine(speed=1.0).synthesize(LONG))
    fast = len(EspeakEngine(speed=1.6).synthesize(LONG))
    assert fast < 0.8 * normal


def test_cache_key_separates_voices_and_speed() -> None:
    keys = {
        EspeakEngine(voice="hi-female").cache_key,
        EspeakEngine(voice="hi-male").cache_key,
        EspeakEngine(voice="hi-female", speed=1.2).cache_key,
    }
    assert len(keys) == 3


def test_unknown_voice_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="hi-female"):
        EspeakEngine(voice="en-us")


def test_empty_text_gives_no_audio() -> None:
    assert EspeakEngine().synthesize("  ").size == 0


@pytest.mark.parametrize("voice", ["hi-female", "hi-male"])
def test_the_same_text_gives_the_same_samples_whatever_was_said_before(voice: str) -> None:
    """Exports are reproducible (--jobs 1, --jobs 2 and --ray make the same bytes):
    eSpeak's pitch flutter, breath noise and clock-seeded randomness never leak
    from one utterance into the next."""
    engine = EspeakEngine(voice=voice)
    text = "सरकार ने नई नीति की घोषणा की है।"
    first = engine.synthesize(text)
    engine.synthesize("मुंबई में आज भारी बारिश हुई, लोग परेशान रहे।")
    time.sleep(1.1)  # the library seeds its own generator from the clock, in seconds
    assert np.array_equal(engine.synthesize(text), first)
    assert np.array_equal(EspeakEngine(voice=voice).synthesize(text), first)


def test_a_thread_of_other_work_does_not_change_the_audio() -> None:
    """Synthesis runs under a lock with its own library state, so speaking from two
    threads at once gives each text its own samples."""
    engine = EspeakEngine()
    texts = ["पहला वाक्य यहाँ है।", "दूसरा वाक्य कुछ लंबा है, और इसमें एक विराम भी है।"]
    alone = [engine.synthesize(t) for t in texts]
    results: dict[int, np.ndarray] = {}
    threads = [
        threading.Thread(target=lambda i=i: results.__setitem__(i, engine.synthesize(texts[i % 2])))
        for i in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(results[i], alone[i % 2]) for i in range(6))
