"""Subtitles and chapters from a real eSpeak rendering of a real Script."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from narrator.audio.piece import AudioPiece
from narrator.subtitles import (
    Cue,
    chapters,
    chapters_json,
    sentence_cues,
    to_srt,
    to_vtt,
)
from narrator.text import prepare
from narrator.text.script import Chunk, Script, Sentence

ARTICLE = (
    "सोने का भाव & चाँदी: नया रिकॉर्ड",
    (
        "सोने का भाव आज ₹72,500 प्रति 10 ग्राम पहुँच गया। चाँदी भी 2% महँगी हुई।\n\n"
        "व्यापारियों ने कहा कि शादियों के मौसम में माँग बढ़ी है। आयात पर शुल्क में बदलाव नहीं हुआ।\n\n"
        "विशेषज्ञों को उम्मीद है कि अगले महीने दाम स्थिर रहेंगे।"
    ),
)


@pytest.fixture(scope="module")
def rendered():
    from narrator.engines.espeak import EspeakEngine
    from narrator.stream import render_script

    engine = EspeakEngine()
    script = prepare(ARTICLE[1], title=ARTICLE[0], fits=engine.fits)
    rendering = render_script(engine, script)
    return script, rendering


def test_one_cue_per_sentence_with_the_articles_own_words(rendered):
    script, rendering = rendered
    cues = sentence_cues(script, rendering.pieces, rendering.duration_s)
    assert [c.text for c in cues] == [" ".join(s.text.split()) for s in script.sentences]
    joined = " ".join(c.text for c in cues)
    assert "₹72,500" in joined and "2%" in joined  # the reader sees the article's digits


def test_cue_times_come_from_the_audio_and_stay_inside_it(rendered):
    script, rendering = rendered
    cues = sentence_cues(script, rendering.pieces, rendering.duration_s)
    starts = {c.start_ms for c in cues}
    # Every chunk starts a cue exactly where its audio starts.
    assert {round(p.start_s * 1000) for p in rendering.pieces} <= starts
    assert all(c.start_ms < c.end_ms for c in cues)
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(cues))
    assert cues[-1].end_ms <= rendering.duration_s * 1000
    sr = rendering.sample_rate
    audio = rendering.audio
    level = np.abs(audio).mean()
    for cue in cues:
        # Speech is under each cue ...
        assert np.abs(audio[int(cue.start_s * sr) : int(cue.end_s * sr)]).max() > 0.01
    inside = [
        c for c in cues if c.start_ms not in {round(p.start_s * 1000) for p in rendering.pieces}
    ]
    assert inside, (
        "the segmenter joined sentences into one chunk; they must still get their own cues"
    )
    for cue in inside:
        # ... and a cue that starts inside a chunk starts where the voice pauses.
        at, half = int(cue.start_s * sr), int(0.02 * sr)
        assert np.abs(audio[at - half : at + half]).mean() < 0.1 * level


def test_srt_and_vtt_text(rendered):
    script, rendering = rendered
    cues = sentence_cues(script, rendering.pieces, rendering.duration_s)
    srt = to_srt(cues)
    blocks = srt.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [str(i) for i in range(1, len(cues) + 1)]
    assert " --> " in blocks[0].splitlines()[1] and "," in blocks[0].splitlines()[1]
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n")
    assert "सोने का भाव &amp; चाँदी" in vtt  # & escaped for WebVTT, plain in SRT
    assert "सोने का भाव & चाँदी" in srt


def test_chapters_tile_the_episode(rendered):
    script, rendering = rendered
    one = chapters(script, rendering.pieces, rendering.duration_s)
    assert len(one) == 1 and one[0].title == script.title  # a short article: one section
    many = chapters(script, rendering.pieces, rendering.duration_s, min_chapter_s=0.5)
    assert len(many) >= 3
    assert many[0].start_s == 0.0 and many[-1].end_s == pytest.approx(
        rendering.duration_s, abs=0.001
    )
    assert all(a.end_s == b.start_s for a, b in itertools.pairwise(many))
    assert many[1].title.startswith("सोने का भाव आज")
    doc = json.loads(chapters_json(many, script.title))
    assert doc["version"] == "1.2.0" and doc["title"] == script.title
    assert [c["startTime"] for c in doc["chapters"]] == [round(c.start_s, 3) for c in many]


def _piece(chunk: Chunk, start: float, end: float) -> AudioPiece:
    sr = 1000
    return AudioPiece(np.zeros(int((end - start) * sr), np.float32), sr, chunk, start, end)


def test_joined_sentences_split_at_the_pause():
    text = "एक छोटा वाक्य। दूसरा वाक्य जो काफ़ी लंबा है और चलता रहता है।"
    cut = text.index("।") + 1
    script = Script(
        "",
        text,
        [Sentence(text[:cut], 0, cut, 0), Sentence(text[cut + 1 :], cut + 1, len(text), 0)],
        [],
    )
    sr = 1000
    # 0.5 s of sound, 0.3 s pause, 2.2 s of sound: the pause is at 0.5-0.8 s,
    # while the share of characters alone would put the cut near 0.7 s.
    tone = lambda n: np.sin(np.arange(n)).astype(np.float32) * 0.5
    audio = np.concatenate([tone(500), np.zeros(300, np.float32), tone(2200)])
    piece = AudioPiece(audio, sr, Chunk(0, "x", 0, len(text), 0, 0), 0.0, 3.0)
    first, second = sentence_cues(script, [piece], 3.0)
    assert 500 <= first.end_ms <= 800 and second.start_ms == first.end_ms
    assert (first.text, second.text) == (text[:cut], text[cut + 1 :])


def test_overlapping_or_overlong_pieces_are_clamped():
    text = "पहला वाक्य। दूसरा वाक्य।"
    script = Script(
        title="",
        cleaned=text,
        sentences=[Sentence("पहला वाक्य।", 0, 11, 0), Sentence("दूसरा वाक्य।", 12, len(text), 0)],
        chunks=[],
    )
    pieces = [
        _piece(Chunk(0, "पहला वाक्य", 0, 11, 0, 0), 0.0, 1.2),
        _piece(Chunk(1, "दूसरा वाक्य", 12, len(text), 1, 0), 1.0, 2.5),
    ]
    cues = sentence_cues(script, pieces, duration_s=2.0)
    assert cues == [Cue(0, 1200, "पहला वाक्य।"), Cue(1200, 2000, "दूसरा वाक्य।")]
