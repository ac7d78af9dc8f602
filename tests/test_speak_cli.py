"""`narrator speak` end to end with the real eSpeak NG voice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from narrator.cli import main

ARTICLE = (
    "बारिश से शहर थमा\n\n"
    "मुंबई में रात भर बारिश हुई। कई सड़कों पर पानी भर गया।\n"
    "मौसम विभाग ने कल के लिए भी चेतावनी दी है।"
)


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "barish.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _no_device() -> bool:
    from narrator.audio.playback import open_sink
    from narrator.errors import DeviceError

    try:
        open_sink(22050).close()
    except DeviceError:
        return True
    return False


@pytest.mark.parametrize("suffix", ["wav", "mp3"])
def test_speak_to_a_file(article, tmp_path, capsys, suffix):
    out = tmp_path / f"barish.{suffix}"
    assert main(["speak", str(article), "--engine", "espeak", "-o", str(out)]) == 0
    data, rate = sf.read(out)
    assert rate == 22050
    seconds = len(data) / rate
    # four short sentences of Hindi at a news pace, with pauses: a few seconds
    assert 3.0 < seconds < 20.0
    assert abs(data).max() > 0.05  # speech, not silence
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    assert "wrote" in capsys.readouterr().err


def test_speak_to_an_unknown_format_fails_before_synthesis(article, tmp_path, capsys):
    assert main(["speak", str(article), "--engine", "espeak", "-o", str(tmp_path / "x.aiff")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "narrator: error" in err


def test_live_narration_reads_along_as_it_speaks(article, monkeypatch, capsys):
    monkeypatch.setenv("NARRATOR_SINK", "null:50")  # a simulated listener, 50x real time
    assert main(["speak", str(article), "--engine", "espeak"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "बारिश से शहर थमा"
    assert any("कई सड़कों पर पानी भर गया" in line for line in lines)
    assert "चेतावनी" in lines[-1]


def test_start_sentence_and_naive_path(article, monkeypatch, capsys):
    monkeypatch.setenv("NARRATOR_SINK", "null:50")
    assert main(["speak", str(article), "--engine", "espeak", "--no-stream", "--start-sentence", "4"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["मौसम विभाग ने कल के लिए भी चेतावनी दी है।"]
    assert "--no-stream" in captured.err
    assert main(["speak", str(article), "--engine", "espeak", "--start-sentence", "99"]) != 0
    assert "sentences" in capsys.readouterr().err


def test_slow_voice_warns_before_live_narration(article, monkeypatch, capsys):
    from narrator.engines.speedlog import record_rtf

    record_rtf("espeak", 1.6)  # as if this voice had been measured slower than real time
    monkeypatch.setenv("NARRATOR_SINK", "null:50")
    assert main(["speak", str(article), "--engine", "espeak"]) == 0
    err = capsys.readouterr().err
    assert "1.60x real time" in err and "--engine espeak" in err and "--smooth" in err


@pytest.mark.skipif(not _no_device(), reason="this machine has a sound device")
def test_no_sound_device_is_a_one_line_error(article):
    env = {k: v for k, v in os.environ.items() if k != "NARRATOR_SINK"}
    proc = subprocess.run(
        [sys.executable, "-m", "narrator", "speak", str(article), "--engine", "espeak"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        "narrator: error: no sound device found; write to a file with -o out.mp3"
    ]
    assert proc.stdout == ""


def test_bench_reports_every_figure_per_engine_and_article(article, capsys):
    """The benchmark's contract (its figures are measured in bench/, never asserted)."""
    import json

    from narrator.cli.bench_cmd import KEYS

    assert main(["bench", "--json", "--engines", "espeak", "--articles", str(article)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert set(KEYS) <= set(row)
    assert row["engine"] == "espeak" and row["article"] == "barish"
    assert row["chunks"] >= 2 and row["audio_s"] > 1
    assert row["ttfa_s"] > 0 and row["naive_s"] > 0 and row["peak_rss_mb"] > 0
