"""`narrator voices`: every engine's voices with licence and readiness, table or JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.cli import main
from tests.fixtures.coqui_models import XTTS_SPEAKERS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bare_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No XTTS or Coqui weights anywhere; a voices folder with one clip and one checkpoint."""
    monkeypatch.delenv("NARRATOR_XTTS_DIR", raising=False)
    monkeypatch.delenv("NARRATOR_COQUI_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "coqui"))
    voices = tmp_path / "voices"
    voices.mkdir()
    rate = 22050
    t = np.arange(4 * rate) / rate
    sf.write(voices / "dadi.wav", (0.3 * np.sin(2 * np.pi * 180 * t)).astype(np.float32), rate)
    (voices / "voices.toml").write_text(
        '[[voice]]\nname = "meri-vits"\nengine = "coqui"\ncheckpoint = "my-vits"\n'
        'description = "मेरा मॉडल"\nlicence = "CC BY 4.0"\ncommercial = true\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NARRATOR_VOICES_DIR", str(voices))
    return voices


def _json_voices(capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    assert main(["voices", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_lists_every_engine_with_licence_and_readiness(bare_machine: Path, capsys) -> None:
    rows = _json_voices(capsys)
    by_engine: dict[str, list[dict]] = {}
    for row in rows:
        by_engine.setdefault(row["engine"], []).append(row)
    assert {"espeak", "coqui", "xtts"} <= set(by_engine)

    espeak = by_engine["espeak"]
    assert espeak and all(v["ready"] and v["language"] == "hi" for v in espeak)

    xtts = {v["name"]: v for v in by_engine["xtts"]}
    assert all(not v["ready"] for v in xtts.values())
    assert all(v["pull_hint"] == "narrator models pull xtts" for v in xtts.values())
    assert all("CPML" in v["licence"] and v["commercial"] is False for v in xtts.values())
    assert "dadi" in xtts  # the dropped-in clip is a cloning voice, waiting for XTTS

    coqui = {v["name"]: v for v in by_engine["coqui"]}
    mms = coqui["tts_models/hin/fairseq/vits"]
    assert mms["licence"] == "CC BY-NC 4.0" and mms["commercial"] is False
    assert mms["status"] == "needs `narrator models pull tts_models/hin/fairseq/vits`"
    mine = coqui["meri-vits"]
    assert mine["description"] == "मेरा मॉडल" and mine["commercial"] is True
    assert mine["ready"] is False  # its folder is not there


def test_installed_xtts_lists_its_studio_voices(
    bare_machine: Path, tiny_xtts_dir: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))
    rows = _json_voices(capsys, "--engine", "xtts")
    names = {r["name"]: r for r in rows}
    assert set(XTTS_SPEAKERS) <= set(names)
    assert all(names[n]["ready"] for n in [*XTTS_SPEAKERS, "dadi"])
    assert {r["engine"] for r in rows} == {"xtts"}


def test_configured_coqui_checkpoint_is_ready(
    bare_machine: Path, tiny_vits_dir: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NARRATOR_COQUI_MODEL", str(tiny_vits_dir))
    rows = _json_voices(capsys, "--engine", "coqui")
    ready = [r for r in rows if r["ready"]]
    assert ready and ready[0]["name"] == tiny_vits_dir.name
    assert "NARRATOR_COQUI_MODEL" in ready[0]["description"]


def test_broken_voices_toml_is_reported(bare_machine: Path, capsys) -> None:
    (bare_machine / "voices.toml").write_text('[[voice]]\nname = "x\n', encoding="utf-8")
    assert main(["voices"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("narrator: error:") and "voices.toml" in err and err.count("\n") == 1


def test_unknown_engine_is_a_one_line_error(capsys) -> None:
    assert main(["voices", "--engine", "nope"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("narrator: error: unknown engine 'nope'") and err.count("\n") == 1


def test_table_for_people(bare_machine: Path) -> None:
    """The real command in a fresh process: a table naming engines, licences, pull commands."""
    env = {**os.environ, "COLUMNS": "220"}
    done = subprocess.run(
        [sys.executable, "-m", "narrator", "voices"],
        check=False,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for word in (
        "espeak",
        "xtts",
        "coqui",
        "CPML",
        "CC BY-NC 4.0",
        "narrator models pull xtts",
        "dadi",
    ):
        assert word in out
    assert "Traceback" not in done.stderr


def test_readable_at_80_columns_and_marks_the_default(bare_machine: Path) -> None:
    """At 80 columns no word is cut in two, no line is wider than the terminal (as
    the C library's wcwidth counts Hindi), and ★ marks what --engine auto uses."""
    from tests.fixtures.terminal import wcswidth

    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "narrator", "voices"],
        check=False, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(wcswidth(line) for line in lines) <= 80
    for phrase in ("non-commercial", "commercial use OK", "hi-female", "narrator models pull xtts",
                   "tts_models/hin/fairseq/vits", "CC BY 4.0"):
        assert any(phrase in line for line in lines), phrase
    starred = [line for line in lines if line.startswith("★")]
    assert len(starred) >= 1
    assert "--engine auto uses here:" in lines[0]
    _engine, voice = lines[0].split("uses here: ")[1].split(" (")[0].split(" · ")
    assert any(voice in line for line in starred)


def test_json_marks_exactly_one_default(bare_machine: Path, capsys) -> None:
    rows = _json_voices(capsys)
    defaults = [r for r in rows if r["default"]]
    assert len(defaults) == 1 and defaults[0]["ready"]
