"""The podcast feed, parsed back with feedparser and podcastparser (and the raw XML)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import feedparser
import podcastparser
import pytest

from narrator.errors import InputError
from narrator.podcast import PODCAST_NS, Channel, build_feed, podcast_guid
from tests.fixtures.export import run_cli

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


# -- a feed never dies on one bad episode (issue 13, item 5) -------------------------------------


def _edit(sidecar: Path, **changes: object) -> None:
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta.update(changes)
    sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    ["wrong-type", "parent-path", "absolute-path", "symlink-out", "not-json"],
)
def test_a_bad_sidecar_is_skipped_with_its_name_and_the_feed_is_written(episodes, tmp_path, damage):
    victim = _sidecar_files(episodes)[0]
    if damage == "wrong-type":
        _edit(victim, duration_s="long")
    elif damage == "parent-path":
        _edit(victim, audio="../" + json.loads(victim.read_text())["audio"])
    elif damage == "absolute-path":
        _edit(victim, subtitles={"vtt": "/etc/passwd", "srt": "x.srt"})
    elif damage == "symlink-out":
        meta = json.loads(victim.read_text(encoding="utf-8"))
        secret = tmp_path / "outside.mp3"
        secret.write_bytes(b"private")
        (episodes / meta["audio"]).unlink()
        (episodes / meta["audio"]).symlink_to(secret)
    else:
        victim.write_text("{ not json", encoding="utf-8")
    run = run_cli("feed", str(episodes), "--base-url", BASE)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    skipped = [line for line in run.stderr.splitlines() if line.startswith("narrator: skipped")]
    assert len(skipped) == 1 and victim.name in skipped[0]
    parsed = feedparser.parse((episodes / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 2
    assert b"private" not in (episodes / "feed.xml").read_bytes()


def test_characters_xml_cannot_carry_are_stripped(episodes):
    victim = _sidecar_files(episodes)[0]
    _edit(victim, title="बाज़ार\ufffe में\x01 तेज़ी\x0b", description="विवरण\x00 यहाँ")
    parsed, raw = _feed(episodes, title="समाचार\uffff", author="डेस्क\x1f")
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert "बाज़ार में तेज़ी" in {e.title for e in parsed.entries}
    assert parsed.feed.title == "समाचार" and parsed.feed.author == "डेस्क"
    ET.fromstring(raw)  # a strict XML parser accepts it too


# -- feeds that directories accept (issue 13, item 10) --------------------------------------------

# Apple's "A Podcaster's Guide to RSS" (podcasts_connect itcb54353390): the tags a
# feed must have to pass validation, and the ones it recommends.
APPLE_CHANNEL_REQUIRED = [
    "title",
    "description",
    "itunes:image",
    "language",
    "itunes:category",
    "itunes:explicit",
]
APPLE_CHANNEL_RECOMMENDED = ["itunes:author", "link"]
APPLE_ITEM_REQUIRED = ["title", "enclosure"]
APPLE_ITEM_RECOMMENDED = [
    "guid",
    "pubDate",
    "description",
    "itunes:duration",
    "link",
    "itunes:explicit",
]
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": PODCAST_NS}


def _artwork(path: Path, size: tuple[int, int] = (1400, 1400), fmt: str = "PNG") -> Path:
    from PIL import Image

    Image.new("RGB", size, (200, 40, 40)).save(path, fmt)
    return path


def _found(parent: ET.Element, tag: str) -> ET.Element | None:
    prefix, _, name = tag.rpartition(":")
    return parent.find(f"{{{NS[prefix]}}}{name}" if prefix else name)


def test_feed_has_every_tag_the_directories_require(episodes, tmp_path):
    art = _artwork(tmp_path / "cover.png")
    run = run_cli(
        "feed", str(episodes), "--base-url", BASE,
        "--image", str(art), "--author", "समाचार डेस्क", "--owner-name", "डेस्क",
        "--owner-email", "desk@example.org", "--category", "News/Daily News",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr  # nothing required is missing
    raw = (episodes / "feed.xml").read_bytes()
    channel = ET.fromstring(raw).find("channel")
    for tag in APPLE_CHANNEL_REQUIRED + APPLE_CHANNEL_RECOMMENDED:
        element = _found(channel, tag)
        assert element is not None and (element.text or element.attrib), tag
    assert _found(channel, "itunes:explicit").text == "false"
    assert _found(channel, "itunes:image").get("href") == f"{BASE}/cover.png"
    assert (episodes / "cover.png").read_bytes() == art.read_bytes()  # published beside the audio
    owner = _found(channel, "itunes:owner")
    assert owner.find(f"{{{NS['itunes']}}}email").text == "desk@example.org"
    for item in channel.iter("item"):
        for tag in APPLE_ITEM_REQUIRED + APPLE_ITEM_RECOMMENDED:
            if tag == "link":
                continue  # only articles with a web page have one (see the next test)
            assert _found(item, tag) is not None, tag
    # podcast:guid per Podcasting 2.0: UUIDv5 of the feed URL without its scheme.
    guid = _found(channel, "podcast:guid").text
    assert guid == str(
        uuid.uuid5(
            uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), BASE.split("://")[1] + "/feed.xml"
        )
    )
    # Read back by two parsers.
    parsed = feedparser.parse(raw)
    assert not parsed.bozo and len(parsed.entries) == 3
    assert parsed.feed.image.href == f"{BASE}/cover.png"
    pod = podcastparser.parse(f"{BASE}/feed.xml", io.BytesIO(raw))
    assert pod["cover_url"] == f"{BASE}/cover.png" and pod["explicit"] is False
    assert pod["itunes_owner"] == {"name": "डेस्क", "email": "desk@example.org"}
    assert pod["itunes_categories"] == [["News", "Daily News"]]
    assert len(pod["episodes"]) == 3
    for episode in pod["episodes"]:
        (enclosure,) = episode["enclosures"]
        assert (
            enclosure["file_size"]
            == (episodes / unquote(enclosure["url"].rsplit("/", 1)[1])).stat().st_size
        )
        # (podcastparser 0.6 knows only the old GitHub URI of the podcast: namespace,
        # not the canonical https://podcastindex.org/namespace/1.0: those tags are
        # checked on the XML in test_podcasting_20_transcripts_and_chapters.)
        assert episode["total_time"] > 0 and episode["guid"].startswith("urn:uuid:")


def test_podcast_guid_matches_the_spec_examples():
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert (
        podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/")
        == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


def test_items_link_to_their_article(episodes):
    victim = _sidecar_files(episodes)[0]
    _edit(victim, link="https://www.bbc.com/hindi/articles/c0")
    _, raw = _feed(episodes)
    links = [_found(item, "link") for item in ET.fromstring(raw).iter("item")]
    assert [e.text for e in links if e is not None] == ["https://www.bbc.com/hindi/articles/c0"]


def test_missing_directory_fields_are_warned_about(episodes):
    run = run_cli("feed", str(episodes), "--base-url", BASE)
    assert run.returncode == 0
    warnings = [line for line in run.stderr.splitlines() if "warning:" in line]
    assert any("artwork" in w and "--image" in w for w in warnings)
    assert any("--owner-email" in w for w in warnings)
    assert any("--author" in w for w in warnings)


@pytest.mark.parametrize(
    ("size", "fmt", "name", "message"),
    [
        ((1400, 1000), "PNG", "a.png", "square"),
        ((1000, 1000), "PNG", "a.png", "1400 to 3000"),
        ((3200, 3200), "JPEG", "a.jpg", "1400 to 3000"),
        ((1400, 1400), "GIF", "a.gif", "JPEG or PNG"),
        ((1400, 1400), "PNG", "a.jpg", "name it"),
    ],
)
def test_artwork_is_checked_with_pillow(episodes, tmp_path, size, fmt, name, message):
    art = _artwork(tmp_path / name, size, fmt)
    run = run_cli("feed", str(episodes), "--base-url", BASE, "--image", str(art))
    assert run.returncode != 0 and message in run.stderr
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert not (episodes / "feed.xml").exists()


def test_feed_toml_gives_defaults_and_options_win(episodes, tmp_path):
    art = _artwork(episodes / "art.jpg", fmt="JPEG")
    (episodes / "feed.toml").write_text(
        f'base_url = "{BASE}"\ntitle = "रोज़ की ख़बरें"\nauthor = "डेस्क"\n'
        'owner_email = "desk@example.org"\nimage = "art.jpg"\nexplicit = true\n'
        'category = "News"\n',
        encoding="utf-8",
    )
    run = run_cli("feed", str(episodes), "--title", "आज की ख़बरें")
    assert run.returncode == 0, run.stderr
    pod = podcastparser.parse(f"{BASE}/feed.xml", io.BytesIO((episodes / "feed.xml").read_bytes()))
    assert pod["title"] == "आज की ख़बरें"  # the option wins
    assert pod["itunes_author"] == "डेस्क" and pod["explicit"] is True
    assert pod["cover_url"] == f"{BASE}/art.jpg" and art.is_file()
    (episodes / "feed.toml").write_text('explicit = "maybe"\n', encoding="utf-8")
    bad = run_cli("feed", str(episodes), "--base-url", BASE)
    assert bad.returncode != 0 and "explicit must be true or false" in bad.stderr


@pytest.mark.parametrize("url", [f"{BASE}?token=1", f"{BASE}#top", f"{BASE}/?"])
def test_base_url_with_query_or_fragment_is_refused(episodes, url):
    run = run_cli("feed", str(episodes), "--base-url", url)
    assert run.returncode != 0
    assert run.stderr.strip().count("\n") == 0 and "query or fragment" in run.stderr
    assert not (episodes / "feed.xml").exists()


def test_full_disk_while_writing_the_feed_is_one_line(episodes, small_disk):
    small_disk.fill()
    target = small_disk.folder / "feed.xml"
    run = run_cli(
        "feed",
        str(episodes),
        "--base-url",
        BASE,
        "-o",
        str(target),
        preexec_fn=small_disk.preexec(),
    )
    assert run.returncode != 0, run.stderr
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert "cannot write" in run.stderr
    assert [p.name for p in small_disk.folder.iterdir() if p.name != ".filler"] == []
