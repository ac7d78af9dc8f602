"""The podcast feed, parsed back with feedparser (and the raw XML for podcast: tags)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import feedparser
import podcastparser
import pytest

from narrator.errors import InputError
from narrator.podcast import PODCAST_NS, Channel, build_feed

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.org/hindi-news"


@pytest.fixture
def episodes(espeak_episodes, tmp_path) -> Path:
    """A private copy of the exported folder (tests may edit sidecars)."""
    _, out = espeak_episodes
    folder = tmp_path / "pod"
    shutil.copytree(out, folder)
    return folder


def _sidecar_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".chapters.json"))


def _feed(folder: Path, **channel) -> tuple[feedparser.FeedParserDict, bytes]:
    result = build_feed(folder, Channel(base_url=BASE, **channel))
    raw = result.path.read_bytes()
    return feedparser.parse(raw), raw


def test_enclosures_are_exact_and_items_complete(episodes):
    parsed, raw = _feed(episodes, author="समाचार डेस्क", image="https://example.org/art.png")
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.language == "hi"
    assert parsed.feed.author == "समाचार डेस्क"
    assert parsed.feed.image.href == "https://example.org/art.png"
    # Apple documents true/false (feedparser only knows the older yes/no, so the
    # explicit flag is read back with podcastparser).
    assert b"<itunes:explicit>false</itunes:explicit>" in raw
    explicit = build_feed(episodes, Channel(base_url=BASE, explicit=True)).path.read_bytes()
    assert b"<itunes:explicit>true</itunes:explicit>" in explicit
    assert podcastparser.parse(BASE + "/feed.xml", io.BytesIO(explicit))["explicit"] is True
    assert len(parsed.entries) == 3
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        name = unquote(enclosure.href.rsplit("/", 1)[1])
        assert enclosure.href.startswith(BASE + "/")
        assert int(enclosure.length) == (episodes / name).stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert entry.guidislink is False
        assert entry.published_parsed is not None
        meta = json.loads((episodes / name).with_suffix(".json").read_text(encoding="utf-8"))
        assert entry.title == meta["title"]
        assert entry.itunes_duration.count(":") == 2
        assert entry.summary and entry.summary in meta["description"]


def test_podcasting_20_transcripts_and_chapters(episodes):
    _, raw = _feed(episodes)
    root = ET.fromstring(raw)
    for item in root.iter("item"):
        transcripts = item.findall(f"{{{PODCAST_NS}}}transcript")
        assert {t.get("type") for t in transcripts} == {"text/vtt", "application/x-subrip"}
        chapters = item.find(f"{{{PODCAST_NS}}}chapters")
        assert chapters is not None and chapters.get("type") == "application/json+chapters"
        for link in [*transcripts, chapters]:
            assert (episodes / unquote(link.get("url").rsplit("/", 1)[1])).is_file()


def test_rebuild_keeps_guids_order_and_bytes(episodes):
    first, raw1 = _feed(episodes)
    for path in episodes.iterdir():  # touching files must not change anything
        path.touch()
    second, raw2 = _feed(episodes)
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    assert len({e.id for e in first.entries}) == 3
    assert raw1 == raw2


def test_order_is_newest_first_then_slug(episodes):
    sidecars = _sidecar_files(episodes)
    dates = ["2024-01-05", "2024-03-01", "2024-03-01"]
    for sidecar, day in zip(sidecars, dates, strict=True):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        meta["date"] = day
        sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    parsed, _ = _feed(episodes)
    order = [
        unquote(e.enclosures[0].href.rsplit("/", 1)[1]).rsplit(".", 1)[0] for e in parsed.entries
    ]
    assert order == [sidecars[1].stem, sidecars[2].stem, sidecars[0].stem]
    assert parsed.entries[0].published_parsed[:3] == (2024, 3, 1)


def test_special_characters_in_titles_survive(episodes):
    parsed, raw = _feed(episodes, title='ख़बरें & "बातें" <रोज़>')
    assert parsed.feed.title == 'ख़बरें & "बातें" <रोज़>'
    assert 'शेयर बाज़ार & निवेशक: "सेंसेक्स" <नया> रिकॉर्ड' in {e.title for e in parsed.entries}
    assert b"&amp;" in raw and b"&lt;" in raw
    assert "<नया>".encode() not in raw and "<रोज़>".encode() not in raw


def test_episodes_without_audio_are_skipped_with_a_note(episodes):
    victim = next(episodes.glob("*.mp3"))
    victim.unlink()
    result = build_feed(episodes, Channel(base_url=BASE))
    assert len(result.episodes) == 2
    assert any(victim.name in note for note in result.notes)


def test_empty_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError) as err:
        build_feed(tmp_path, Channel(base_url=BASE))
    assert "no episodes" in str(err.value) and "\n" not in str(err.value)
    run = subprocess.run(
        [sys.executable, "-m", "narrator", "feed", str(tmp_path), "--base-url", BASE],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode != 0
    assert run.stderr.strip().count("\n") == 0 and "no episodes" in run.stderr


@pytest.mark.parametrize(
    "channel",
    [{"base_url": "example.org/pod"}, {"base_url": BASE, "image": "https://example.org/art.gif"}],
)
def test_bad_channel_options_are_input_errors(episodes, channel):
    with pytest.raises(InputError):
        build_feed(episodes, Channel(**channel))


def test_script_and_cli_write_the_same_feed(episodes, tmp_path):
    # The same file name in two folders: the feed's URL (and so its podcast:guid)
    # names the file.
    by_script = tmp_path / "script" / "feed.xml"
    by_cli = tmp_path / "cli" / "feed.xml"
    common = [
        str(episodes),
        "--base-url",
        BASE,
        "--title",
        "समाचार",
        "--category",
        "News/Daily News",
    ]
    subprocess.run(
        [sys.executable, "scripts/make_feed.py", *common, "-o", str(by_script)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [sys.executable, "-m", "narrator", "feed", *common, "-o", str(by_cli)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert by_script.read_bytes() == by_cli.read_bytes()
    parsed = feedparser.parse(by_cli.read_bytes())
    assert parsed.feed.tags[0].term == "News"
