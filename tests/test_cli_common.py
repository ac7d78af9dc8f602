"""The common voice options: before any sub-command, for the app, or passed on."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf

from narrator import cli
from narrator.cli import main
from tests.fixtures.tui import ARTICLES


@pytest.fixture
def opened(monkeypatch) -> dict:
    """What `narrator` with no sub-command hands the app (the app itself is driven in
    tests/test_tui_terminal.py, where `python -m narrator --engine espeak` runs in tmux)."""
    seen: dict = {}

    def run_app(**kwargs) -> int:
        seen.update(kwargs)
        return 0

    import narrator.tui.app

    monkeypatch.setattr(narrator.tui.app, "run_app", run_app)
    return seen


def test_voice_options_without_a_sub_command_open_the_app_with_them(opened):
    assert main(["--engine", "espeak", "--voice", "hi-male", "--speed", "1.3"]) == 0
    assert opened["engine"] == "espeak" and opened["voice"] == "hi-male"
    assert opened["speed"] == 1.3 and opened["device"] is None


@pytest.mark.parametrize(
    ("argv", "said"),
    [(["--engine", "nope"], "unknown engine 'nope'"), (["--speed", "9"], "out of range")],
)
def test_a_bad_voice_option_is_one_line_before_the_app_opens(opened, capsys, argv, said):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert said in err and "\n" not in err and err.startswith("narrator: error:")
    assert opened == {}  # the app never took the screen


def test_no_options_leave_the_app_its_defaults(opened):
    assert main([]) == 0
    assert opened["engine"] is None and opened["speed"] is None


def test_cell_widths_option_reaches_the_app(opened):
    assert main(["--cell-widths", "grapheme"]) == 0
    assert opened["cell_width_policy"] == "grapheme"


def test_a_bad_cell_width_setting_is_one_line(monkeypatch, capsys, opened):
    monkeypatch.setenv("NARRATOR_CELL_WIDTHS", "wide")
    assert main([]) != 0
    err = capsys.readouterr().err
    assert err.startswith("narrator: error: cell widths 'wide'") and err.count("\n") == 1


def test_options_before_a_sub_command_are_passed_on(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLES["c-cricket.txt"], encoding="utf-8")
    durations = {}
    for speed in ("1.0", "1.6"):
        out = tmp_path / f"at-{speed}.wav"
        assert main(["--engine", "espeak", "--speed", speed, "speak", str(article), "-o", str(out)]) == 0
        durations[speed] = sf.info(out).duration
    assert durations["1.6"] < durations["1.0"] * 0.8


def test_an_option_given_after_the_sub_command_wins(tmp_path: Path, monkeypatch):
    parser = cli.build_parser()
    args = parser.parse_args(["--engine", "espeak", "speak", "a.txt", "--engine", "kokoro"])
    cli._apply_top_level_voice(args, parser)
    assert args.engine == "kokoro"
    args = parser.parse_args(["--engine", "espeak", "speak", "a.txt"])
    cli._apply_top_level_voice(args, parser)
    assert args.engine == "espeak"


def test_an_option_the_sub_command_does_not_take_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--voice", "hi-male", "text", "a.txt"])
    assert exit_info.value.code != 0
    assert "--voice does not apply to `narrator text`" in capsys.readouterr().err
