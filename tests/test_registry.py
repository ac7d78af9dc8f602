"""The engine contract and the registry: engines come from entry points alone.

A plug-in package is built on disk for real (a module and a `.dist-info`
folder with `entry_points.txt`, what pip would install) and put on sys.path:
it is listed, chosen by `auto`, pulled, and speaks through `narrator speak`
with no edit to narrator. The options every engine shares are checked once,
by BaseEngine, before any weights are read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile as sf

from narrator.cli import main
from narrator.engines import registry
from narrator.engines.base import BaseEngine
from narrator.engines.espeak import EspeakEngine
from narrator.engines.kokoro import KokoroEngine
from narrator.engines.speedlog import record_rtf
from narrator.errors import DeviceError, EngineError, InputError

ROOT = Path(__file__).resolve().parents[1]

TONE_ENGINE = '''
"""A plug-in engine from another package: one short tone per word."""
import os

import numpy as np

from narrator.catalogue.records import InstalledModel, PullResult
from narrator.catalogue.licences import MIT
from narrator.engines.base import BaseEngine, VoiceInfo
from pathlib import Path


class ToneEngine(BaseEngine):
    name = "tone"
    sample_rate = 16000
    max_chars = 80
    auto_rank = 100  # better than every built-in voice, when installed

    def __init__(self, voice=None, device="auto", speed=1.0, model=None, *, threads=None):
        super().__init__(voice, device, speed, model, threads=threads)
        self.voice = voice or "beep"

    def synthesize(self, text):
        words = len(text.split())
        n = int(0.1 * self.sample_rate / self.speed) * words
        t = np.arange(n) / self.sample_rate
        return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)

    @classmethod
    def is_installed(cls):
        return os.environ.get("TONE_INSTALLED") == "1"

    @classmethod
    def list_voices(cls):
        return [VoiceInfo("beep", cls.name, description="a 440 Hz tone per word",
                          licence="MIT", commercial=True, ready=cls.is_installed())]

    @classmethod
    def pull(cls, model=None, *, agree=None, progress=None, force=False):
        folder = Path(os.environ["TONE_HOME"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tone.txt").write_text("440 Hz")
        return PullResult("tone", folder, MIT, usage="use it with --engine tone")

    @classmethod
    def installed_models(cls):
        folder = Path(os.environ.get("TONE_HOME", "/nonexistent"))
        if not (folder / "tone.txt").exists():
            return []
        return [InstalledModel("tone", cls.name, folder, 6, "MIT")]
'''


def _plugin(root: Path, module: str, entry: str) -> Path:
    """Install a distribution the way pip lays it out: the module and its dist-info."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(textwrap.dedent(TONE_ENGINE), encoding="utf-8")
    info = root / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(f"[narrator.engines]\n{entry}\n", encoding="utf-8")
    return root


@pytest.fixture
def tone_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The tone engine installed (on sys.path) for this test only."""
    root = _plugin(tmp_path / "site", "narrator_tone", "tone = narrator_tone:ToneEngine")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("TONE_HOME", str(tmp_path / "tone-home"))
    registry.forget_engines()
    yield root
    sys.modules.pop("narrator_tone", None)
    registry.forget_engines()


def test_builtin_engines_come_from_narrators_own_entry_points() -> None:
    classes = registry.engine_classes()
    assert {"espeak", "kokoro", "coqui", "xtts"} <= set(classes)
    assert list(classes)[:4] == ["xtts", "coqui", "kokoro", "espeak"]  # auto's order


def test_plugin_engine_is_listed_and_loaded_with_no_edit(tone_plugin: Path, capsys) -> None:
    assert registry.engine_class("tone").__module__ == "narrator_tone"
    assert main(["voices", "--engine", "tone"]) == 0
    assert "beep" in capsys.readouterr().out
    choice = registry.resolve_engine("tone", speed=2.0)
    assert choice.engine.name == "tone" and choice.engine.voice == "beep"
    assert len(choice.engine.synthesize("एक दो तीन")) == 3 * 800


def test_auto_prefers_an_installed_plugin_by_its_rank(
    tone_plugin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TONE_INSTALLED", raising=False)
    assert registry.auto_engine_name()[0] != "tone"  # not installed: passed over
    monkeypatch.setenv("TONE_INSTALLED", "1")
    assert registry.auto_engine_name()[0] == "tone"
    choice = registry.resolve_engine("auto")
    assert choice.engine.name == "tone" and "engine: tone (auto)" in choice.notices


def test_models_pull_and_list_ask_the_plugin(tone_plugin: Path, capsys) -> None:
    assert main(["models", "pull", "tone"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().startswith("tone: ") and "--engine tone" in captured.err
    assert main(["models", "list", "--json"]) == 0
    assert '"kind": "tone"' in capsys.readouterr().out


def test_plugin_speaks_through_the_real_command(tone_plugin: Path, tmp_path: Path) -> None:
    """A fresh process finds the plug-in from its dist-info, as after `pip install`."""
    article = tmp_path / "article.txt"
    article.write_text("मौसम\n\nआज दिल्ली में बारिश हुई। कल धूप रहेगी।\n", encoding="utf-8")
    out = tmp_path / "tone.wav"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tone_plugin), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "narrator", "speak", str(article), "--engine", "tone", "-o", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    audio, rate = sf.read(out, dtype="float32")
    assert rate == 16000 and len(audio) / rate > 0.5


def test_a_broken_plugin_spoils_only_itself(tmp_path: Path, monkeypatch) -> None:
    root = _plugin(tmp_path / "site", "narrator_broken", "broken = narrator_missing:Nothing")
    monkeypatch.syspath_prepend(str(root))
    registry.forget_engines()
    try:
        assert "espeak" in registry.engine_classes() and "broken" not in registry.engine_classes()
        with pytest.raises(EngineError) as info:
            registry.engine_class("broken")
        message = str(info.value)
        assert "broken engine could not be loaded" in message and "\n" not in message
    finally:
        registry.forget_engines()


# --- the options every engine shares ----------------------------------------------------

ENGINES = ["espeak", "kokoro", "coqui", "xtts"]


@pytest.mark.parametrize("name", ENGINES)
def test_speed_out_of_range_is_refused_before_loading(name: str) -> None:
    cls = registry.engine_class(name)
    for speed in (0.2, 3.0):
        with pytest.raises(InputError, match=r"--speed .* out of range: use 0.5 to 2.0"):
            cls(speed=speed, model="/nonexistent" if cls.model_option else None)


@pytest.mark.parametrize("name", ENGINES)
def test_unknown_device_is_refused_before_loading(name: str) -> None:
    cls = registry.engine_class(name)
    with pytest.raises(DeviceError, match="unknown device 'tpu'"):
        cls(device="tpu", model="/nonexistent" if cls.model_option else None)


@pytest.mark.parametrize("name", ENGINES)
def test_unknown_option_is_an_error_not_ignored(name: str) -> None:
    with pytest.raises(TypeError, match="pich"):
        registry.engine_class(name)(pich=40)  # a typo of espeak's `pitch`


@pytest.mark.parametrize("cls", [EspeakEngine, KokoroEngine])
def test_a_model_for_a_one_model_engine_is_an_error(
    cls: type[BaseEngine], tmp_path: Path, capsys
) -> None:
    with pytest.raises(InputError, match="one built-in model: leave out --model"):
        cls(model="tts_models/hin/fairseq/vits")
    article = tmp_path / "a.txt"
    article.write_text("आज बारिश हुई।\n", encoding="utf-8")
    out = tmp_path / "never.wav"
    assert main(["speak", str(article), "--engine", cls.name, "--model", "x", "-o", str(out)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("narrator: error:") and err.count("\n") == 1
    assert not out.exists()


def test_engine_options_still_reach_the_engine() -> None:
    assert EspeakEngine(voice="hi-male", pitch=70).cache_key.endswith("|p70")
    assert EspeakEngine(threads=1).threads == 1


# --- auto --------------------------------------------------------------------------------


def test_auto_with_a_model_picks_the_engine_that_knows_it(
    tiny_vits_dir: Path, tiny_xtts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NARRATOR_COQUI_MODEL", raising=False)
    monkeypatch.delenv("NARRATOR_XTTS_DIR", raising=False)
    assert registry.engine_for_model(str(tiny_vits_dir)).name == "coqui"
    assert registry.engine_for_model(str(tiny_xtts_dir)).name == "xtts"
    assert registry.engine_for_model("mms").name == "coqui"
    choice = registry.resolve_engine("auto", model=str(tiny_vits_dir), device="cpu")
    assert choice.engine.name == "coqui" and "engine: coqui (auto)" in choice.notices
    with pytest.raises(InputError, match="unknown model 'no/such/thing'"):
        registry.resolve_engine("auto", model="no/such/thing")


def test_live_auto_passes_over_a_slow_engine_and_says_which_it_used(
    tiny_xtts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_XTTS_DIR", str(tiny_xtts_dir))
    monkeypatch.delenv("NARRATOR_COQUI_MODEL", raising=False)
    assert registry.auto_engine_name("export")[0] == "xtts"
    record_rtf("xtts", 3.0)
    name, notices = registry.auto_engine_name("live")
    assert name in ("kokoro", "espeak")
    assert notices == [
        (
            f"xtts ran at 3.00x real time here, too slow for live listening; using {name} "
            "(use --engine xtts --smooth to wait for it, or export)"
        )
    ]


def test_pulling_what_needs_no_download_is_a_one_line_error(capsys) -> None:
    assert main(["models", "pull", "espeak"]) != 0
    assert capsys.readouterr().err == "narrator: error: the espeak engine has nothing to download\n"
    assert main(["models", "pull", "coqui"]) != 0
    assert "tts_models/hin/fairseq/vits" in capsys.readouterr().err


def test_without_package_metadata_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A source tree that was never pip-installed has no entry points: say so in one line."""
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    registry.forget_engines()
    try:
        assert main(["voices"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "no synthesis engines are registered" in err
        assert "pip install -e ." in err
    finally:
        monkeypatch.undo()
        registry.forget_engines()
