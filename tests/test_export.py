"""Batch export: real eSpeak and tiny-Coqui audio, read back from disk and checked."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mutagen
import pyloudnorm
import pytest
import soundfile as sf

from narrator.audio.files import is_temp_file
from narrator.cache import ChunkCache
from narrator.export import export_articles
from tests.fixtures.export import ARTICLES, write_articles

ESPEAK = ("espeak", "hi-female", "cpu", 1.0, None)
ROOT = Path(__file__).resolve().parent.parent


def _sidecars(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.json") if not p.name.endswith(".chapters.json"))


def _cue_times(text: str, sep: str) -> list[tuple[float, float]]:
    times = []
    for line in text.splitlines():
        if "-->" in line:
            a, b = (part.strip() for part in line.split("-->"))
            times.append((_seconds(a, sep), _seconds(b, sep)))
    return times


def _seconds(stamp: str, sep: str) -> float:
    hms, ms = stamp.split(sep)
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s + int(ms) / 1000


def check_episode(sidecar: Path, target_lufs: float = -16.0) -> dict:
    """Everything a listener and a podcast app rely on, read back from disk."""
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    out = sidecar.parent
    audio_path = out / meta["audio"]
    data, rate = sf.read(audio_path, dtype="float64")
    assert rate == meta["sample_rate"] or meta["format"] == "mp3"
    duration = len(data) / rate
    assert duration == pytest.approx(meta["duration_s"], abs=0.06)
    assert audio_path.stat().st_size == meta["audio_bytes"]
    # Loudness within 1 LU of the target, measured independently.
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(data) - target_lufs) <= 1.0
    # Tags.
    tagged = mutagen.File(audio_path)
    assert tagged is not None and tagged.info.length == pytest.approx(duration, abs=0.1)
    # Subtitles: one cue per sentence group, monotonic, inside the audio.
    for kind, sep in (("srt", ","), ("vtt", ".")):
        text = (out / meta["subtitles"][kind]).read_text(encoding="utf-8")
        times = _cue_times(text, sep)
        assert times, kind
        assert all(a < b for a, b in times)
        assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(times))
        assert times[-1][1] <= duration + 0.001
    assert (out / meta["subtitles"]["vtt"]).read_text(encoding="utf-8").startswith("WEBVTT")
    # Chunks: ordered, inside the audio, every one with source text and spoken text.
    chunks = meta["chunks"]
    assert [c["index"] for c in chunks] == list(range(len(chunks)))
    assert all(c["text"].strip() and c["spoken"].strip() for c in chunks)
    assert all(0 <= c["start_s"] < c["end_s"] <= duration + 0.001 for c in chunks)
    assert all(a["end_s"] <= b["start_s"] for a, b in itertools.pairwise(chunks))
    # Chapters: Podcasting 2.0 JSON, tiling the episode.
    chapters = json.loads((out / meta["chapters"]).read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    starts = [c["startTime"] for c in chapters["chapters"]]
    assert starts[0] == 0 and starts == sorted(starts)
    assert all(c["title"] for c in chapters["chapters"])
    return meta


def test_espeak_export_of_three_articles_is_complete(espeak_episodes):
    summary, out = espeak_episodes
    assert summary.ok and len(summary.done) == 3, [r.error for r in summary.failures]
    sidecars = _sidecars(out)
    assert len(sidecars) == 3
    titles = set()
    for sidecar in sidecars:
        meta = check_episode(sidecar)
        titles.add(meta["title"])
        assert meta["engine"] == "espeak" and meta["voice"] == "hi-female"
        assert meta["format"] == "mp3" and meta["mime_type"] == "audio/mpeg"
        assert meta["licence"]
        assert len(meta["content_hash"]) == 64
        tags = mutagen.File(out / meta["audio"]).tags
        assert str(tags["TIT2"]) == meta["title"]
        assert str(tags["TLAN"]) == "hin"
        assert "hi-female" in str(tags["TPE1"])
        assert len(tags.getall("CHAP")) == len(meta["chapter_list"])
    assert titles == {title for title, _ in ARTICLES.values()}
    assert not [p for p in out.iterdir() if is_temp_file(p)]


def test_subtitles_quote_the_article_not_the_spoken_form(espeak_episodes):
    _, out = espeak_episodes
    meta = next(json.loads(p.read_text()) for p in _sidecars(out) if "सेंसेक्स" in p.read_text())
    srt = (out / meta["subtitles"]["srt"]).read_text(encoding="utf-8")
    assert "850" in srt and "₹5,200" in srt  # the reader sees the digits
    spoken = " ".join(c["spoken"] for c in meta["chunks"])
    assert "850" not in spoken  # the voice got words


def test_rerun_skips_finished_episodes_and_force_redoes_them(hindi_articles, tmp_path):
    out = tmp_path / "out"
    cache = ChunkCache(tmp_path / "cache")
    first = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="wav", engine_spec=ESPEAK, cache=cache
    )
    assert len(first.done) == 3
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="wav", engine_spec=ESPEAK, cache=cache
    )
    assert len(again.skipped) == 3 and not again.done
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    forced = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="wav", engine_spec=ESPEAK, cache=cache, force=True
    )
    assert len(forced.done) == 3
    # Forced: same names (no -2 copies), chunks all from the cache.
    assert sorted(p.name for p in out.iterdir()) == sorted(stamps)
    for sidecar in _sidecars(out):
        assert all(c["cached"] for c in json.loads(sidecar.read_text())["chunks"])


def test_changed_settings_redo_only_what_changed(hindi_articles, tmp_path):
    out = tmp_path / "out"
    cache = ChunkCache(tmp_path / "cache")
    export_articles([str(hindi_articles)], out_dir=out, fmt="flac", engine_spec=ESPEAK, cache=cache)
    (hindi_articles / "isro.txt").write_text(
        "इसरो का नया उपग्रह सफलतापूर्वक प्रक्षेपित\n\nप्रक्षेपण आज सुबह हुआ।\n", encoding="utf-8"
    )
    summary = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="flac", engine_spec=ESPEAK, cache=cache
    )
    assert [r.status for r in summary.results].count("done") == 1
    assert [r.status for r in summary.results].count("skipped") == 2
    louder = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="flac", engine_spec=ESPEAK, cache=cache, lufs=-20.0
    )
    assert len(louder.done) == 3
    for sidecar in _sidecars(out):
        check_episode(sidecar, target_lufs=-20.0)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_other_formats(tmp_path, fmt):
    articles = write_articles(tmp_path / "a", ["monsoon.txt"])
    out = tmp_path / "out"
    summary = export_articles(
        [str(articles / "monsoon.txt")],
        out_dir=out,
        fmt=fmt,
        engine_spec=ESPEAK,
        cache=ChunkCache(tmp_path / "cache"),
    )
    assert summary.ok
    meta = check_episode(_sidecars(out)[0])
    assert meta["audio"].endswith(f".{fmt}")
    assert sf.info(out / meta["audio"]).format == {"wav": "WAV", "flac": "FLAC", "ogg": "OGG"}[fmt]


def test_one_bad_article_is_reported_and_the_batch_goes_on(hindi_articles, tmp_path):
    (hindi_articles / "empty.txt").write_text("   \n\n", encoding="utf-8")
    missing = str(tmp_path / "no-such-article.txt")
    summary = export_articles(
        [str(hindi_articles), missing],
        out_dir=tmp_path / "out",
        fmt="mp3",
        engine_spec=ESPEAK,
        cache=ChunkCache(tmp_path / "cache"),
    )
    assert len(summary.done) == 3
    assert len(summary.failures) == 2 and not summary.ok
    assert all(f.error and "\n" not in f.error for f in summary.failures)


def test_same_title_twice_gets_unique_stable_names(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    title, body = ARTICLES["monsoon.txt"]
    (a / "one.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (a / "two.txt").write_text(f"{title}\n\nदूसरी ख़बर में कुछ और लिखा है।\n", encoding="utf-8")
    out = tmp_path / "out"
    cache = ChunkCache(tmp_path / "cache")
    export_articles([str(a)], out_dir=out, fmt="ogg", engine_spec=ESPEAK, cache=cache)
    stems = sorted(p.stem for p in _sidecars(out))
    assert len(stems) == 2 and stems[1] == stems[0] + "-2"
    # A rerun maps each article to the name it already has: all skipped.
    summary = export_articles([str(a)], out_dir=out, fmt="ogg", engine_spec=ESPEAK, cache=cache)
    assert len(summary.skipped) == 2
    assert sorted(p.stem for p in _sidecars(out)) == stems


def test_tiny_coqui_model_export(tiny_vits_dir, tmp_path):
    articles = write_articles(tmp_path / "a", ["isro.txt"])
    out = tmp_path / "out"
    summary = export_articles(
        [str(articles)],
        out_dir=out,
        fmt="mp3",
        engine_spec=("coqui", None, "cpu", 1.0, str(tiny_vits_dir)),
        cache=ChunkCache(tmp_path / "cache"),
    )
    assert summary.ok, [r.error for r in summary.failures]
    meta = check_episode(_sidecars(out)[0])
    assert meta["engine"] == "coqui" and meta["sample_rate"] == 16000


def test_export_in_two_worker_processes(hindi_articles, tmp_path):
    out = tmp_path / "out"
    events = []
    summary = export_articles(
        [str(hindi_articles)],
        out_dir=out,
        fmt="mp3",
        engine_spec=ESPEAK,
        jobs=2,
        progress=events.append,
    )
    assert len(summary.done) == 3
    for sidecar in _sidecars(out):
        check_episode(sidecar)
    stages = {e.stage for e in events}
    assert {"queued", "start", "chunk", "done"} <= stages


def test_bad_options_are_one_line_errors(hindi_articles, tmp_path):
    cli = [sys.executable, "-m", "narrator", "export", str(hindi_articles), "--engine", "espeak"]
    for extra in (["--format", "aac"], ["--lufs", "3"], ["--jobs", "0"]):
        run = subprocess.run(
            cli + ["--out", str(tmp_path / "o")] + extra,
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert run.returncode != 0
        assert "Traceback" not in run.stderr
        # argparse prints its usage first; the error itself is one line.
        last = run.stderr.strip().splitlines()[-1]
        assert last.startswith("narrator") and "error:" in last, run.stderr


def test_killed_export_leaves_no_partial_episode_and_rerun_completes(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    title, body = ARTICLES["sensex.txt"]
    for i in range(6):  # enough work that the kill lands mid-batch
        (articles / f"a{i}.txt").write_text(f"{title} {i}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "narrator",
            "export",
            str(articles),
            "--out",
            str(out),
            "--engine",
            "espeak",
            "--format",
            "mp3",
            "--jobs",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out.is_dir() and _sidecars(out)):
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = _sidecars(out)
    assert 1 <= len(finished) < 6, "the kill should land mid-batch"
    # What is there under a real name is whole: every sidecar's episode checks out,
    # and every audio file has its sidecar.
    for sidecar in finished:
        check_episode(sidecar)
    audio = [p for p in out.glob("*.mp3")]
    assert {p.stem for p in audio} <= {p.stem for p in finished}
    # Only hidden temp files can remain, and the next run sweeps them.
    assert all(p.name.startswith(".") for p in out.iterdir() if is_temp_file(p))
    summary = export_articles([str(articles)], out_dir=out, fmt="mp3", engine_spec=ESPEAK)
    assert len(summary.skipped) == len(finished)
    assert len(summary.done) == 6 - len(finished)
    assert len(_sidecars(out)) == 6
    assert not [p for p in out.iterdir() if is_temp_file(p)]
    for sidecar in _sidecars(out):
        check_episode(sidecar)


def test_a_mix_of_feed_and_file_sources(tmp_path):
    feed = tmp_path / "news.rss"
    feed.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>समाचार</title><link>https://news.example.in/</link>
<description>ताज़ा ख़बरें</description>
<item><title>रेल किराया नहीं बढ़ेगा</title><link>https://news.example.in/rail</link>
<pubDate>Tue, 15 Oct 2024 09:30:00 +0530</pubDate>
<description>रेल मंत्रालय ने कहा कि इस साल किराया नहीं बढ़ेगा। यात्रियों को राहत मिली।</description></item>
<item><title>बिजली की नई दरें लागू</title><link>https://news.example.in/power</link>
<pubDate>Mon, 14 Oct 2024 18:00:00 +0530</pubDate>
<description>राज्य में बिजली की नई दरें आज से लागू हो गईं। घरेलू उपभोक्ताओं पर असर कम होगा।</description></item>
</channel></rss>""",
        encoding="utf-8",
    )
    single = write_articles(tmp_path / "a", ["monsoon.txt"]) / "monsoon.txt"
    out = tmp_path / "out"
    summary = export_articles(
        [str(feed), str(single)],
        out_dir=out,
        fmt="mp3",
        engine_spec=ESPEAK,
        cache=ChunkCache(tmp_path / "cache"),
    )
    assert len(summary.done) == 3, [r.error for r in summary.failures]
    metas = {m["title"]: m for m in (check_episode(p) for p in _sidecars(out))}
    rail = metas["रेल किराया नहीं बढ़ेगा"]
    assert rail["source"] == "https://news.example.in/rail"
    assert rail["date"].startswith("2024-10-15")
    tags = mutagen.File(out / rail["audio"]).tags
    assert str(tags["TALB"]) == "news.example.in"
    assert str(tags["TDRC"]).startswith("2024")


# -- the main job: the listener's voice, with an estimate up front (issue 13, item 11) -----------


def test_export_says_up_front_how_long_it_will_take(hindi_articles, tmp_path):
    from tests.fixtures.export import run_cli

    run = run_cli("export", str(hindi_articles), "--engine", "espeak", "--out", str(tmp_path / "o"))
    assert run.returncode == 0, run.stderr
    first = run.stderr.strip().splitlines()[0]
    assert first.startswith("narrator: 3 article(s)") and "espeak should take about" in first


def test_the_estimate_uses_the_speed_measured_here(hindi_articles):
    from narrator.engines.speedlog import record_rtf
    from narrator.export import gather_articles, plan_export

    jobs, _ = gather_articles([str(hindi_articles)])
    guess = plan_export(jobs, "kokoro")
    assert not guess.rtf_measured and guess.synthesis_s > guess.audio_s  # slower than real time
    record_rtf("kokoro", 0.5)
    measured = plan_export(jobs, "kokoro")
    assert measured.rtf_measured
    assert measured.synthesis_s == pytest.approx(measured.audio_s * 0.5)


def test_an_export_measures_the_speed_for_the_next_estimate(hindi_articles, tmp_path):
    from narrator.engines.speedlog import expected_rtf

    assert expected_rtf("espeak") is None
    summary = export_articles(
        [str(hindi_articles)], out_dir=tmp_path / "o", fmt="wav", engine_spec=ESPEAK,
        cache=ChunkCache(tmp_path / "c"),
    )  # fmt: skip
    rtf = expected_rtf("espeak")
    assert rtf is not None
    assert rtf == pytest.approx(  # speedlog keeps 4 decimals
        sum(r.synth_s for r in summary.done) / sum(r.duration_s for r in summary.done), abs=1e-4
    )


def test_make_run_uses_the_best_voice_and_espeak_on_request():
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def recipe(*extra: str) -> str:
        return subprocess.run(
            ["make", "-n", "run", *extra], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    assert "narrator export narrator/data/samples --engine auto" in recipe()
    assert "--engine espeak" in recipe("ENGINE=espeak")
