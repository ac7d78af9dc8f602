"""What an episode is: one job per article from every front end, names and GUIDs never shared.

Real eSpeak exports through the real CLI (stdin, feeds), two processes at once,
and the TUI's session; everything read back from the sidecars and the feed.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import feedparser
import pytest

from narrator.articles import load_article, load_feed
from narrator.cache import ChunkCache
from narrator.export import (
    ArticleJob,
    EpisodeSidecar,
    claim_slugs,
    export_articles,
    gather_articles,
)
from narrator.podcast import Channel, build_feed
from tests.fixtures.export import ARTICLES, run_cli

ESPEAK = ("espeak", "hi-female", "cpu", 1.0, None)
SAMPLES = Path(__file__).resolve().parents[1] / "narrator" / "data" / "samples"


def _sidecars(out: Path) -> list[EpisodeSidecar]:
    return [
        EpisodeSidecar.read(p)
        for p in sorted(out.glob("*.json"))
        if not p.name.endswith(".chapters.json")
    ]


def _text(name: str) -> str:
    title, body = ARTICLES[name]
    return f"{title}\n\n{body}\n"


# -- stdin ---------------------------------------------------------------------------------


def test_two_articles_through_stdin_are_two_episodes(tmp_path):
    out = tmp_path / "out"
    common = ("export", "-", "--out", str(out), "--engine", "espeak", "--format", "ogg")
    first = run_cli(*common, stdin=_text("monsoon.txt"))
    assert first.returncode == 0, first.stderr
    audio_a = next(out.glob("*.ogg")).read_bytes()
    second = run_cli(*common, stdin=_text("isro.txt"))
    assert second.returncode == 0, second.stderr
    sidecars = _sidecars(out)
    assert len(sidecars) == 2
    assert len({s.slug for s in sidecars}) == 2 and len({s.identity for s in sidecars}) == 2
    assert all(s.identity.startswith("sha256:") and s.source == "-" for s in sidecars)
    # The first episode is untouched by the second.
    monsoon = next(s for s in sidecars if s.title == ARTICLES["monsoon.txt"][0])
    assert (out / monsoon.audio).read_bytes() == audio_a
    # The same article again is the same episode: skipped, nothing new.
    again = run_cli(*common, stdin=_text("monsoon.txt"))
    assert again.returncode == 0 and "skipped" in again.stderr
    assert len(_sidecars(out)) == 2
    feed = feedparser.parse(build_feed(out, Channel(base_url="https://e.org/p")).path.read_bytes())
    assert len({e.id for e in feed.entries}) == 2


# -- feeds without links ---------------------------------------------------------------------

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>समाचार</title><link>https://news.example.in/</link>
<description>ताज़ा ख़बरें</description>
<item><title>रेल किराया नहीं बढ़ेगा</title><link>https://news.example.in/rail</link>
<description>रेल मंत्रालय ने कहा कि इस साल किराया नहीं बढ़ेगा।</description></item>
<item><title>बिजली की नई दरें लागू</title><guid isPermaLink="false">power-2024-10-14</guid>
<description>राज्य में बिजली की नई दरें आज से लागू हो गईं।</description></item>
<item><title>पानी की आपूर्ति बहाल</title><pubDate>Mon, 14 Oct 2024 18:00:00 +0530</pubDate>
<description>शहर में पानी की आपूर्ति दो दिन बाद बहाल हुई।</description></item>
</channel></rss>"""


def test_feed_items_without_link_are_each_exported(tmp_path):
    feed = tmp_path / "news.rss"
    feed.write_text(FEED, encoding="utf-8")
    jobs, failed = gather_articles([str(feed)])
    assert not failed and len(jobs) == 3
    identities = [j.identity for j in jobs]
    assert identities[0] == "https://news.example.in/rail"
    assert identities[1] == "guid:power-2024-10-14"
    assert identities[2].startswith("sha256:")
    out = tmp_path / "out"
    summary = export_articles(
        [str(feed)], out_dir=out, fmt="mp3", engine_spec=ESPEAK, cache=ChunkCache(tmp_path / "c")
    )
    assert len(summary.done) == 3, [r.error for r in summary.failures]
    sidecars = _sidecars(out)
    assert {s.title for s in sidecars} == {
        "रेल किराया नहीं बढ़ेगा",
        "बिजली की नई दरें लागू",
        "पानी की आपूर्ति बहाल",
    }
    # Only the item with a link has a web page; the feed item gets <link> from it.
    assert {s.link for s in sidecars} == {"https://news.example.in/rail", ""}
    parsed = feedparser.parse(
        build_feed(out, Channel(base_url="https://e.org/p")).path.read_bytes()
    )
    links = {e.title: e.get("link") for e in parsed.entries}
    assert links["रेल किराया नहीं बढ़ेगा"] == "https://news.example.in/rail"
    # A rerun finds all three.
    rerun = export_articles(
        [str(feed)], out_dir=out, fmt="mp3", engine_spec=ESPEAK, cache=ChunkCache(tmp_path / "c")
    )
    assert len(rerun.skipped) == 3


# -- slugs under a lock ------------------------------------------------------------------------


def _claim(folder: str, n: int, barrier) -> str:  # type: ignore[no-untyped-def]
    job = ArticleJob(title="एक ही शीर्षक", body=f"लेख {n}", source="-", identity=f"sha256:{n}")
    barrier.wait()
    return claim_slugs(Path(folder), [job])[0].slug


def test_processes_claiming_the_same_title_get_different_slugs(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(4)
        with ctx.Pool(4) as pool:
            slugs = pool.starmap(_claim, [(str(tmp_path), n, barrier) for n in range(4)])
    assert len(set(slugs)) == 4
    assert sorted(slugs) == sorted(["एक-ही-शीर्षक", *(f"एक-ही-शीर्षक-{i}" for i in (2, 3, 4))])
    # Each identity keeps its name when it claims again.
    again = claim_slugs(
        tmp_path,
        [ArticleJob(title="x", body="", source="-", identity=f"sha256:{n}") for n in range(4)],
    )
    assert [j.slug for j in again] == slugs


def test_two_exports_at_once_with_the_same_title_keep_both(tmp_path):
    title = ARTICLES["monsoon.txt"][0]
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "news.txt").write_text(_text("monsoon.txt"), encoding="utf-8")
    (b / "news.txt").write_text(f"{title}\n\nदूसरी ख़बर में कुछ और लिखा है।\n", encoding="utf-8")
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        codes = pool.starmap(
            _export_cli, [(str(a / "news.txt"), str(out)), (str(b / "news.txt"), str(out))]
        )
    assert codes == [0, 0]
    sidecars = _sidecars(out)
    assert len(sidecars) == 2 and len({s.slug for s in sidecars}) == 2
    assert len({s.identity for s in sidecars}) == 2
    for s in sidecars:  # each episode's files are its own and complete
        assert (out / s.audio).stat().st_size == s.audio_bytes


def _export_cli(path: str, out: str) -> int:
    return run_cli("export", path, "--out", out, "--engine", "espeak", "--format", "wav").returncode


# -- one job, every front end ----------------------------------------------------------------------


def test_cli_and_tui_build_the_same_job_and_share_episodes(tmp_path):
    from narrator.library import entry_for
    from narrator.tui.messages import ExportFinished
    from narrator.tui.session import Session
    from narrator.tui.voice_settings import VoiceSettings

    sample = SAMPLES / "cricket-adelaide.txt"  # "प्रकाशित: 2025-10-19 22:40 IST"
    (cli_job,), _ = gather_articles([str(sample)])
    assert cli_job == ArticleJob.from_article(load_article(str(sample)))
    assert cli_job.date == "2025-10-19T22:40:00+05:30"
    assert cli_job.source == cli_job.identity == str(sample.resolve())

    out = tmp_path / "out"
    posted: list[object] = []
    session = Session(
        posted.append, settings=VoiceSettings(engine="espeak"), cache=ChunkCache(tmp_path / "c")
    )
    session.prepare(entry_for(load_article(str(sample)), sample))
    session.export("mp3", out)
    assert any(isinstance(m, ExportFinished) for m in posted), posted
    (made,) = _sidecars(out)
    assert made.date == cli_job.date and made.identity == cli_job.identity
    # What the TUI exported is up to date for `narrator export`, and the reverse.
    summary = export_articles(
        [str(sample)], out_dir=out, fmt="mp3", engine_spec=ESPEAK, cache=ChunkCache(tmp_path / "c")
    )
    assert len(summary.skipped) == 1 and not summary.done
    posted.clear()
    session.export("mp3", out)
    finished = [m for m in posted if isinstance(m, ExportFinished)]
    assert finished and finished[0].skipped


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("प्रकाशित: 2025-10-19 22:40 IST", "2025-10-19T22:40:00+05:30"),
        ("प्रकाशित: 19 अक्टूबर 2025", "2025-10-19"),
    ],
)
def test_article_times_are_indian_standard_time(tmp_path, stamp, expected):
    path = tmp_path / "a.txt"
    path.write_text(f"शीर्षक\n\n{stamp}\n\nपहला वाक्य यहाँ है।\n", encoding="utf-8")
    assert ArticleJob.from_article(load_article(str(path))).date == expected


def test_feed_times_stay_in_their_zone(tmp_path):
    feed = tmp_path / "news.rss"
    feed.write_text(FEED, encoding="utf-8")
    job = ArticleJob.from_article(load_feed(str(feed))[2])
    assert job.date == "2024-10-14T12:30:00+00:00"  # 18:00 IST, as feedparser gives it in UTC


def test_ist_article_is_published_at_its_ist_time(tmp_path):
    out = tmp_path / "out"
    export_articles(
        [str(SAMPLES / "cricket-adelaide.txt")],
        out_dir=out,
        fmt="mp3",
        engine_spec=ESPEAK,
        cache=ChunkCache(tmp_path / "c"),
    )
    raw = build_feed(out, Channel(base_url="https://e.org/p")).path.read_text(encoding="utf-8")
    assert "<pubDate>Sun, 19 Oct 2025 22:40:00 +0530</pubDate>" in raw
    (sidecar,) = _sidecars(out)
    assert sidecar.date == "2025-10-19T22:40:00+05:30"
