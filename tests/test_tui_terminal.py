"""The real app in a real terminal (tmux): every panel's borders line up.

Rich measures Hindi differently from the C library's wcwidth(), which tmux,
xterm and GNOME Terminal draw with; before narrator installed its width policy
(narrator.cell_widths), lines of Hindi spilled past their panel's border. Here
the app runs as `python -m narrator --engine espeak` inside tmux, each screen
is captured with `tmux capture-pane`, every row is measured with glibc's
wcwidth(), and each panel row's side borders must sit in the columns of that
panel's top edge: on the library, the side-by-side preview, the voice picker
and the export dialog, at 80x24 and at 120x35.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.terminal import (
    app_command,
    find_panels,
    misaligned_rows,
    panel_rows,
    tmux_app,
    tmux_missing_reason,
    wcswidth,
)
from tests.fixtures.tui import ARTICLES

ROOT = Path(__file__).resolve().parents[1]
SIZES = [(80, 24), (120, 35)]

tmux_only = pytest.mark.skipif(
    tmux_missing_reason() is not None, reason=str(tmux_missing_reason())
)

LONG = {
    "d-temper.txt": (
        "प्रधानमंत्री ने कहा: धैर्य रखिए, दुर्लभ रूप से गुस्सा करने वाले नेता भी बोले\n\n"
        "वे दुर्लभ रूप से गुस्सा होते हैं, लेकिन बड़ा फ़ैसला लेने से पहले हिंदी में अपनी "
        "बात साफ़ कहते हैं। राष्ट्रीय सुरक्षा, क्षेत्रीय विकास और स्वास्थ्य पर चर्चा हुई। "
        "विशेषज्ञों ने कहा कि प्रतिक्रिया संतुलित थी और किसी ने भी जल्दबाज़ी नहीं दिखाई।\n"
    ),
}


@pytest.fixture
def terminal_library(tmp_path: Path) -> Path:
    """The fixed Hindi library, with one more article full of conjuncts and vowel signs."""
    folder = tmp_path / "library"
    folder.mkdir()
    for name, text in {**LONG, **ARTICLES}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def app_env(tmp_path: Path, library: Path) -> dict[str, str]:
    """A clean environment for the app: this checkout, temp folders, a UTF-8 locale."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "NARRATOR_DATA_DIR")}
    return {
        **keep,
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "NARRATOR_LIBRARY_DIR": str(library),
        "NARRATOR_STATE_DIR": str(tmp_path / "state"),
        "NARRATOR_CACHE_DIR": str(tmp_path / "cache"),
        "NARRATOR_CONFIG_DIR": str(tmp_path / "config"),
        "NARRATOR_VOICES_DIR": str(tmp_path / "voices"),
    }


def check(screen: str, rows: list[str], size: tuple[int, int], *, panels: int) -> None:
    found = find_panels(rows)
    assert len(found) >= panels, f"{screen} at {size}: expected {panels}+ panels in\n" + "\n".join(rows)
    bad = misaligned_rows(rows)
    total = panel_rows(rows)
    assert not bad, (
        f"{screen} at {size[0]}x{size[1]}: {len(bad)} of {total} panel rows misaligned:\n"
        + "\n".join(bad)
        + "\n\nscreen:\n"
        + "\n".join(rows)
    )


@tmux_only
@pytest.mark.parametrize("size", SIZES, ids=[f"{c}x{r}" for c, r in SIZES])
def test_every_panel_row_lines_up_in_tmux(size, terminal_library, tmp_path):
    command = app_command(sys.executable, "--engine", "espeak", "--library", str(terminal_library))
    with tmux_app(command, app_env(tmp_path, terminal_library), size) as tmux:
        tmux.wait_for(lambda s: "sentences" in s and "Articles" in s, what="the library")
        rows = tmux.settle()
        assert any("espeak · hi-female" in row for row in rows)  # --engine espeak, no sub-command
        check("library", rows, size, panels=2)

        tmux.keys("t", "t")
        tmux.wait_for(lambda s: "spoken | original" in s, what="the side-by-side preview")
        rows = tmux.settle()
        assert any("▏" in row for row in rows), "the side-by-side rule is not on screen"
        check("side-by-side preview", rows, size, panels=2)

        tmux.keys("v")
        tmux.wait_for(lambda s: "hi-female" in s and "Speed" in s, what="the voice picker")
        check("voice picker", tmux.settle(), size, panels=2)
        tmux.keys("Escape")
        tmux.wait_for(lambda s: "Choose a voice" not in s, what="the picker to close")

        tmux.keys("e")
        tmux.wait_for(lambda s: "Export audio" in s, what="the export dialog")
        check("export dialog", tmux.settle(), size, panels=2)
        tmux.keys("Escape")


@tmux_only
def test_rich_own_widths_would_break_the_panels_in_tmux(terminal_library, tmp_path):
    """The same screen drawn with Rich's own table (`--cell-widths grapheme`) is broken
    in tmux: what the policy fixes, and proof the check can fail."""
    size = (120, 35)
    command = app_command(
        sys.executable, "--cell-widths", "grapheme", "--engine", "espeak",
        "--library", str(terminal_library),
    )
    with tmux_app(command, app_env(tmp_path, terminal_library), size) as tmux:
        tmux.wait_for(lambda s: "sentences" in s and "Articles" in s, what="the library")
        tmux.keys("t", "t")
        tmux.wait_for(lambda s: "spoken | original" in s, what="the side-by-side preview")
        rows = tmux.settle()
    assert len(misaligned_rows(rows)) >= 5


def test_checker_finds_a_border_pushed_by_one_cell():
    """The check itself: glibc gives का two cells, so a row padded as if it took one
    pushes its right border one column out."""
    assert wcswidth("का") == 2
    top, bottom = "╭" + "─" * 7 + "╮", "╰" + "─" * 7 + "╯"
    good = [top + top, "│ का    ││ ab    │", bottom + bottom]
    assert len(find_panels(good)) == 2 and misaligned_rows(good) == []
    bad = [top + top, "│ का     ││ ab    │", bottom + bottom]
    assert len(misaligned_rows(bad)) == 2  # the left box's right side, and the box after it


# -- quitting never waits ------------------------------------------------------------------


def seconds_to_exit(tmux, *keys: str, timeout: float = 30.0) -> float:
    """Press `keys`; seconds until the app's process has ended (the pane is dead)."""
    started = time.monotonic()
    tmux.keys(*keys)
    while time.monotonic() - started < timeout:
        if tmux.pane_dead():
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"the app was still running {timeout:.0f} s after {keys}")


@tmux_only
def test_q_quits_at_once_while_a_long_article_is_being_prepared(tmp_path):
    """Preparing a 60,000-letter line without spaces takes seconds; q must not wait for it."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "a-line.txt").write_text("बिना रुके\n\n" + "abcdefghij" * 6000 + "\n", encoding="utf-8")
    command = app_command(sys.executable, "--engine", "espeak", "--library", str(library))
    with tmux_app(command, app_env(tmp_path, library), (100, 30)) as tmux:
        tmux.wait_for(lambda s: "preparing" in s, what="the article being prepared")
        elapsed = seconds_to_exit(tmux, "q")
    assert elapsed < 1.0, f"q took {elapsed:.2f} s"


@tmux_only
def test_ctrl_c_quits_at_once_during_an_export(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    body = "\n\n".join(
        f"अनुच्छेद {n}: " + text.split("\n", 1)[1].strip() for n, text in enumerate(
            list(ARTICLES.values()) * 40
        )
    )
    (library / "a-big.txt").write_text("एक लंबा लेख\n\n" + body + "\n", encoding="utf-8")
    out = tmp_path / "out"
    command = app_command(sys.executable, "--engine", "espeak", "--library", str(library))
    env = app_env(tmp_path, library)
    with tmux_app(command, env, (100, 30)) as tmux:
        tmux.wait_for(lambda s: "sentences" in s, what="the article")
        tmux.keys("e")
        tmux.wait_for(lambda s: "Export audio" in s, what="the export dialog")
        tmux.keys("C-u")  # clear the folder field, type ours, Enter exports
        tmux.run("send-keys", "-t", "main", "-l", str(out))
        tmux.keys("Enter")
        tmux.wait_for(lambda s: "exporting" in s, what="the export to start")
        elapsed = seconds_to_exit(tmux, "C-c")
    assert elapsed < 1.0, f"ctrl+c took {elapsed:.2f} s"
    finished = [p.name for p in out.glob("*") if not p.name.startswith(".")] if out.exists() else []
    assert finished == [], "an interrupted export left files behind"
