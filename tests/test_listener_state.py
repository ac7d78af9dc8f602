"""What narrator remembers for the listener: per article voice, speed and place."""

from __future__ import annotations

import json
from pathlib import Path

from narrator import listener_state
from narrator.listener_state import FILE_NAME, ListenerState, Listening


def test_remembered_articles_survive_a_restart(tmp_path: Path):
    path = tmp_path / FILE_NAME
    state = ListenerState(path)
    assert state.recall("a") is None
    state.remember("a", Listening("espeak", "hi-male", 1.2, sentence=7, position_s=41.5))
    state.remember("b", Listening("kokoro", None, 0.9, sentence=2, position_s=8.0))

    again = ListenerState(path)
    assert again.recall("a") == Listening("espeak", "hi-male", 1.2, 7, 41.5)
    assert again.recall("b") == Listening("kokoro", None, 0.9, 2, 8.0)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and set(data["articles"]) == {"a", "b"}


def test_the_file_is_replaced_whole_and_no_temp_file_is_left(tmp_path: Path):
    state = ListenerState(tmp_path / FILE_NAME)
    for sentence in range(5):
        state.remember("a", Listening(sentence=sentence))
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]
    assert ListenerState(tmp_path / FILE_NAME).recall("a").sentence == 4


def test_the_state_lives_in_the_data_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("NARRATOR_STATE_DIR", raising=False)
    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path / "data"))
    assert ListenerState().path == tmp_path / "data" / FILE_NAME


def test_an_unreadable_file_is_moved_aside_not_overwritten(tmp_path: Path):
    path = tmp_path / FILE_NAME
    path.write_text("{ not json", encoding="utf-8")
    state = ListenerState(path)
    assert state.problem and "unreadable" in state.problem
    aside = tmp_path / (FILE_NAME + ".unreadable")
    assert aside.read_text(encoding="utf-8") == "{ not json"
    state.remember("a", Listening(sentence=1))
    assert ListenerState(path).recall("a").sentence == 1


def test_only_the_most_recent_articles_are_kept(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(listener_state, "KEEP", 3)
    state = ListenerState(tmp_path / FILE_NAME)
    for key in "abcd":
        state.remember(key, Listening(sentence=1))
    state.remember("b", Listening(sentence=2))  # touched again: now the newest
    state.remember("e", Listening(sentence=1))
    again = ListenerState(tmp_path / FILE_NAME)
    assert [k for k in "abcde" if again.recall(k)] == ["b", "d", "e"]


def test_a_hand_edited_entry_is_forgotten_not_fatal(tmp_path: Path):
    path = tmp_path / FILE_NAME
    path.write_text(
        json.dumps({"version": 1, "articles": {"a": {"speed": "fast"}, "b": {"sentence": 3}}}),
        encoding="utf-8",
    )
    state = ListenerState(path)
    assert state.recall("a") is None
    assert state.recall("b") == Listening(sentence=3)
