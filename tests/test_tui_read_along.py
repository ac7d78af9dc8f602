"""Read-along inside a chunk and the one message for narrator events."""

from __future__ import annotations

from narrator.stream_events import ChunkStarted, Level, PlaybackProgress
from narrator.text import prepare
from narrator.tui.messages import NarrationEvent
from narrator.tui.read_along import ReadAlong, spoken_sentences

TWO = "मुंबई में आज बाज़ार बंद हुआ। निवेशकों की संपत्ति बढ़ गई।\n\nदूसरा अनुच्छेद यहाँ है।"


def test_a_chunk_of_two_sentences_is_split_at_the_danda():
    script = prepare(TWO, short_first_chunk=False)
    joined = next(c for c in script.chunks if c.text.count("।") == 2)
    spans = spoken_sentences(joined, script)
    assert [s.sentence for s in spans] == [joined.sentence, joined.sentence + 1]
    texts = [joined.text[s.start : s.end].strip() for s in spans]
    assert texts[0].endswith("।") and texts[1].startswith("निवेशकों")
    assert "".join(joined.text[s.start : s.end] for s in spans) == joined.text


def test_the_sentence_heard_follows_the_time_within_the_chunk():
    script = prepare(TWO, short_first_chunk=False)
    joined = next(c for c in script.chunks if c.text.count("।") == 2)
    reading = ReadAlong.start(joined, 10.0, 14.0, script)
    assert reading.at(10.1).sentence == joined.sentence
    assert reading.at(13.9).sentence == joined.sentence + 1
    assert reading.at(99.0).sentence == joined.sentence + 1  # past the end: the last one


def test_one_message_carries_every_event_and_asks_it_what_replaces_it():
    progress = NarrationEvent(PlaybackProgress(1.0, 10.0))
    newer = NarrationEvent(PlaybackProgress(1.1, 10.0))
    level = NarrationEvent(Level(0.2))
    script = prepare(TWO)
    started = NarrationEvent(ChunkStarted(script.chunks[0], 0.0, 1.0))
    assert progress.can_replace(newer) and level.can_replace(NarrationEvent(Level(0.1)))
    assert not progress.can_replace(level)
    assert not started.can_replace(NarrationEvent(ChunkStarted(script.chunks[0], 0.0, 1.0)))
