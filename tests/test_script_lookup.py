"""Sentence and paragraph -> chunk lookups on Script (used by the CLI, the narrator and the TUI)."""

from __future__ import annotations

import pytest

from narrator.text import prepare
from narrator.text.script import Chunk, Script, Sentence

BODY = (
    "पहला वाक्य छोटा है। दूसरा भी छोटा है। तीसरा वाक्य भी बहुत छोटा है।\n"
    "नया पैराग्राफ यहां से शुरू होता है और यह वाक्य काफी लंबा है ताकि यह एक अलग हिस्से में जाए।\n"
    "आखिरी पैराग्राफ का पहला वाक्य। आखिरी वाक्य।"
)


@pytest.fixture
def script() -> Script:
    # a generous limit, so short sentences of one paragraph share a chunk
    return prepare(BODY, fits=lambda s: len(s) <= 120, short_first_chunk=False)


def test_sentences_shared_by_one_chunk_are_reached_through_it(script):
    first = script.chunks[0]
    assert first.sentence == 0 and "तीसरा" in first.text  # three sentences, one chunk
    assert script.sentence_count == len(script.sentences) == 6
    assert [script.chunk_for_sentence(i) for i in range(3)] == [0, 0, 0]
    assert script.chunk_for_sentence(3) == 1
    assert script.chunk_for_sentence(99) == len(script.chunks) - 1
    assert script.next_sentence_chunk(0) == 1
    assert script.next_sentence_chunk(script.chunks[-1].sentence) is None
    assert script.previous_sentence_chunk(3) == 0
    assert script.previous_sentence_chunk(0) == 0


def test_paragraph_steps_go_to_the_paragraph_start_first(script):
    last = len(script.chunks) - 1
    starts = [i for i, c in enumerate(script.chunks) if i == 0 or script.chunks[i - 1].paragraph != c.paragraph]
    assert script.paragraph_chunk(0, +1) == starts[1]
    assert script.paragraph_chunk(starts[-1], +1) is None
    assert script.paragraph_chunk(starts[1], -1) == 0
    if last > starts[-1]:  # from inside the last paragraph, back goes to its start
        assert script.paragraph_chunk(last, -1) == starts[-1]


def test_sentence_heard_inside_a_chunk_follows_its_source_text(script):
    first = script.chunks[0]
    spans = [(s.start, s.end) for s in script.sentences[:3]]
    assert first.source_start == spans[0][0] and first.source_end == spans[2][1]
    assert script.sentence_at(0, 0.0) == 0
    assert script.sentence_at(0, 0.5) == 1
    assert script.sentence_at(0, 0.99) == 2
    assert script.sentence_at(0, 7.0) == 2  # clamped
    one = script.chunks[1]
    assert script.sentence_at(1, 0.9) == one.sentence  # a chunk of one sentence


def test_the_sentences_a_chunk_speaks(script):
    assert script.sentences_in(script.chunks[0]) == [0, 1, 2]
    assert script.sentences_in(script.chunks[1]) == [3]
    bare = Script("", "नमस्ते", [], [Chunk(0, "नमस्ते", 0, 6, sentence=4, paragraph=0)])
    assert bare.sentences_in(bare.chunks[0]) == [4]  # no sentences: the chunk's own


def test_a_script_without_sentences_counts_them_from_its_chunks():
    chunk = Chunk(0, "नमस्ते", 0, 6, sentence=4, paragraph=0)
    bare = Script("", "नमस्ते", [], [chunk])
    assert bare.sentence_count == 5
    assert bare.sentence_at(0, 0.5) == 4
    empty = Script("", "", [Sentence("क", 0, 1, 0)], [])
    assert empty.chunk_for_sentence(0) == 0 and empty.paragraph_chunk(0, 1) is None
