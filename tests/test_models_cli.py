"""`narrator models pull|list`: licence consent, clear failures, what is cached and where.

No test downloads anything: refusals stop before the network, and the one
download attempt goes to a proxy on 127.0.0.1 that refuses the connection.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from narrator.catalogue.coqui import XTTS_NAME
from narrator.catalogue.licences import CPML
from narrator.cli import main
from narrator.engines.registry import pull_model
from narrator.errors import NarratorError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty Coqui and Hugging Face caches; no licence pre-accepted."""
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "coqui"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.delenv("COQUI_TOS_AGREED", raising=False)
    monkeypatch.delenv("NARRATOR_XTTS_DIR", raising=False)
    return tmp_path


def _narrator(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, non-interactive: stdin closed, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "narrator", *args],
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize(
    ("name", "licence"),
    [("xtts", "CPML (non-commercial)"), ("tts_models/hin/fairseq/vits", "CC BY-NC 4.0")],
)
def test_pull_without_yes_and_no_terminal_refuses_in_one_line(caches: Path, name, licence) -> None:
    done = _narrator("models", "pull", name)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("narrator: error:") and "--yes" in last
    assert licence in done.stderr  # the licence was shown before refusing
    assert not (caches / "coqui").exists() and not (caches / "hf").exists()


def test_network_failure_is_one_line_and_leaves_nothing_behind(caches: Path) -> None:
    dead_proxy = "http://127.0.0.1:9"
    done = _narrator(
        "models",
        "pull",
        "tts_models/hin/fairseq/vits",
        env={
            "COQUI_TOS_AGREED": "1",  # accepted without --yes
            "HTTPS_PROXY": dead_proxy,
            "HTTP_PROXY": dead_proxy,
            "https_proxy": dead_proxy,
            "http_proxy": dead_proxy,
            "NO_PROXY": "",
            "no_proxy": "",
        },
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("narrator: error: could not download tts_models/hin/fairseq/vits")
    leftovers = (
        list((caches / "coqui" / "tts").glob("*")) if (caches / "coqui" / "tts").exists() else []
    )
    assert leftovers == []


def test_unknown_model_name(caches: Path, capsys) -> None:
    assert main(["models", "pull", "tts_models/xx/none/vits"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("narrator: error: unknown model") and err.count("\n") == 1


def test_refused_licence_downloads_nothing(caches: Path) -> None:
    asked: list[str] = []

    def refuse(licence, name: str) -> bool:
        asked.append(f"{name}|{licence.name}")
        return False

    with pytest.raises(NarratorError, match="not accepted"):
        pull_model("xtts", agree=refuse)
    assert asked == [f"{XTTS_NAME}|CPML (non-commercial)"]
    with pytest.raises(NarratorError, match="not accepted"):
        # a library call without consent or COQUI_TOS_AGREED
        pull_model("tts_models/hin/fairseq/vits")
    assert not (caches / "coqui").exists()


def test_interactive_answer_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the user is asked; only y/yes accepts."""
    import io

    from narrator.cli.models_cmd import consent

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("COQUI_TOS_AGREED", raising=False)
    for answer, expected in (("y\n", True), ("yes\n", True), ("\n", False), ("n\n", False)):
        monkeypatch.setattr(sys, "stdin", Tty(answer))
        assert consent(yes=False)(CPML, XTTS_NAME) is expected
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert consent(yes=True)(CPML, XTTS_NAME) is True


def test_already_downloaded_model_is_not_fetched_again(caches: Path, tiny_vits_dir: Path) -> None:
    target = caches / "coqui" / "tts" / "tts_models--hin--fairseq--vits"
    shutil.copytree(tiny_vits_dir, target)
    result = pull_model("tts_models/hin/fairseq/vits")  # no consent needed: nothing is downloaded
    assert result.path == target


def test_list_shows_what_is_cached_where_and_its_size(
    caches: Path, tiny_vits_dir: Path, tiny_xtts_dir: Path, monkeypatch, capsys
) -> None:
    shutil.copytree(tiny_vits_dir, caches / "coqui" / "tts" / "tts_models--hin--fairseq--vits")
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))
    assert main(["models", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coqui_dir"] == str(caches / "coqui" / "tts")
    assert data["kokoro_dir"].endswith("kokoro")
    rows = {r["name"]: r for r in data["models"]}
    mms = rows["tts_models/hin/fairseq/vits"]
    assert mms["kind"] == "coqui" and mms["licence"] == "CC BY-NC 4.0"
    assert mms["size_bytes"] == sum(
        p.stat().st_size for p in tiny_vits_dir.rglob("*") if p.is_file()
    )
    xtts = [r for r in data["models"] if r["kind"] == "xtts"]
    assert xtts and xtts[0]["path"] == str(tiny_xtts_dir) and xtts[0]["size_bytes"] > 10_000_000

    monkeypatch.setenv("COLUMNS", "250")
    assert main(["models"]) == 0  # no action: list, as a table
    table = capsys.readouterr().out
    assert "tts_models/hin/fairseq/vits" in table and str(caches / "coqui" / "tts") in table


def test_pull_kokoro_uses_the_kokoro_assembler(capsys) -> None:
    """Only when Kokoro's files are already here (tests never download)."""
    from narrator.engines import kokoro_assets

    if not kokoro_assets.is_present():
        pytest.skip("Kokoro is not installed on this machine")
    assert main(["models", "pull", "kokoro"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"kokoro: {kokoro_assets.kokoro_dir()}"
