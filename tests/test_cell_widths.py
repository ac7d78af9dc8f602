"""The width policy: Rich measures Hindi the way the terminal will draw it."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from narrator import cell_widths
from narrator.errors import InputError
from narrator.paths import samples_dir
from tests.fixtures.terminal import wcswidth
from tests.fixtures.tui import ARTICLES


@pytest.fixture(autouse=True)
def _restore_policy():
    before = cell_widths.installed()
    yield
    cell_widths.install(before or "wcwidth")


def hindi_lines() -> list[str]:
    texts = [*ARTICLES.values(), *(p.read_text(encoding="utf-8") for p in samples_dir().glob("*.txt"))]
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    assert len(lines) > 20
    return lines


def test_wcwidth_policy_measures_every_line_as_the_c_library_does():
    cell_widths.install("wcwidth")
    assert cell_len("का") == 2 and cell_len("हिंदी") == 4
    for line in hindi_lines():
        assert cell_len(line) == wcswidth(line), line


@pytest.mark.parametrize("terminal", ["wezterm", "foot", "kitty"])
def test_grapheme_policy_is_what_grapheme_aware_terminals_draw(terminal):
    """Those terminals draw a consonant and its vowel signs in one cell (the wcwidth
    package's per-terminal tables, measured with ucs-detect). No per-character table
    follows them exactly (they also join some nasal signs and conjuncts), but the
    grapheme policy is off by a cell here and there where wcwidth's is off everywhere."""
    wcwidth = pytest.importorskip("wcwidth")
    lines = hindi_lines()

    def off_by(policy: str) -> int:
        cell_widths.install(policy)
        return sum(abs(cell_len(line) - wcwidth.wcstwidth(line, term_program=terminal))
                   for line in lines)

    assert wcwidth.wcstwidth("का", term_program=terminal) == 1
    assert off_by("grapheme") * 10 < off_by("wcwidth")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "wcwidth"),
        ({"TERM": "xterm-256color"}, "wcwidth"),
        ({"TERM": "xterm-kitty"}, "grapheme"),
        ({"TERM_PROGRAM": "WezTerm"}, "grapheme"),
        ({"TERM_PROGRAM": "WezTerm", "TMUX": "/tmp/tmux-0/default,1,0"}, "wcwidth"),
        ({"NARRATOR_CELL_WIDTHS": "grapheme"}, "grapheme"),
        ({"NARRATOR_CELL_WIDTHS": "wcwidth", "TERM": "foot"}, "wcwidth"),
    ],
)
def test_auto_follows_the_terminal(environ, expected):
    assert cell_widths.resolve(None, environ) == expected


def test_an_unknown_policy_is_a_user_error():
    with pytest.raises(InputError, match="choose one of auto, wcwidth, grapheme"):
        cell_widths.resolve("wide", {})


def test_the_policy_can_be_switched_back_and_forth():
    cell_widths.install("grapheme")
    assert cell_len("मानसून की पहली बारिश") == 14
    cell_widths.install("wcwidth")
    assert cell_len("मानसून की पहली बारिश") == 19
    assert cell_widths.installed() == "wcwidth"
