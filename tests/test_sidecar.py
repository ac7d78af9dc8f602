"""EpisodeSidecar: the one schema of an episode, read strictly, from a real export."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from narrator.export import EpisodeSidecar, NotASidecar, SidecarError


@pytest.fixture
def sidecar_text(espeak_episodes) -> str:
    _, out = espeak_episodes
    path = next(p for p in sorted(out.glob("*.json")) if not p.name.endswith(".chapters.json"))
    return path.read_text(encoding="utf-8")


def test_a_real_sidecar_round_trips(sidecar_text):
    sidecar = EpisodeSidecar.from_json(sidecar_text)
    assert sidecar.version == 2 and sidecar.format == "mp3"
    assert sidecar.loudness is not None and sidecar.loudness.measured_lufs is not None
    assert sidecar.chunks and sidecar.chapter_list
    assert EpisodeSidecar.from_json(sidecar.to_json()) == sidecar
    assert json.loads(sidecar.to_json()) == json.loads(sidecar_text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"duration_s": "12.5"}, "duration_s must be a number"),
        ({"audio_bytes": 12.5}, "audio_bytes must be a whole number"),
        ({"title": None}, "title must be text"),
        ({"chunks": {"0": {}}}, "chunks must be a list"),
        ({"loudness": {"target_lufs": "loud"}}, "loudness.target_lufs must be a number"),
        ({"subtitles": {"srt": 3}}, "subtitles.srt must be text"),
        ({"audio": "../elsewhere.mp3"}, "not a file name inside"),
        ({"audio": "/etc/passwd"}, "not a file name inside"),
        ({"subtitles": {"vtt": "sub/x.vtt"}}, "not a file name inside"),
        ({"chapters": ".hidden.json"}, "not a file name inside"),
        ({"narrator_episode": 99}, "newer narrator"),
        ({"narrator_episode": "2"}, "version number"),
    ],
)
def test_wrong_types_and_paths_are_one_line_errors(sidecar_text, change, message):
    data = json.loads(sidecar_text)
    data.update(change)
    with pytest.raises(SidecarError) as err:
        EpisodeSidecar.from_json(json.dumps(data))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_missing_field_and_foreign_json(sidecar_text):
    data = json.loads(sidecar_text)
    del data["content_hash"]
    with pytest.raises(SidecarError, match="content_hash is missing"):
        EpisodeSidecar.from_json(json.dumps(data))
    with pytest.raises(NotASidecar):
        EpisodeSidecar.from_json('{"some": "other json"}')
    with pytest.raises(SidecarError, match="not valid JSON"):
        EpisodeSidecar.from_json("{")


def test_version_1_sidecars_still_read(sidecar_text):
    data = json.loads(sidecar_text)
    data["narrator_episode"] = 1
    for key in ("identity", "link"):
        data.pop(key)
    data["loudness"].pop("input_lufs")
    data["source"] = "https://news.example.in/a"
    old = EpisodeSidecar.from_json(json.dumps(data))
    assert old.identity == old.link == "https://news.example.in/a"


def test_a_symlink_out_of_the_folder_is_refused(sidecar_text, tmp_path):
    folder = tmp_path / "pod"
    folder.mkdir()
    outside = tmp_path / "secret.mp3"
    outside.write_bytes(b"not yours")
    sidecar = dataclasses.replace(EpisodeSidecar.from_json(sidecar_text), audio="ep.mp3")
    (folder / "ep.mp3").symlink_to(outside)
    with pytest.raises(SidecarError, match="outside"):
        sidecar.files(folder)
    (folder / "ep.mp3").unlink()
    (folder / "ep.mp3").symlink_to(Path("real.mp3"))  # a link inside the folder is fine
    (folder / "real.mp3").write_bytes(b"ok")
    assert sidecar.files(folder)["audio"] == folder / "ep.mp3"
