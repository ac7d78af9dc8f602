"""How many terminal cells a character takes: one policy for everything narrator draws.

Why this exists: Rich (and so Textual) measures a Devanagari consonant with a
spacing vowel sign (का, की, हिंदी) as one cell per syllable, because its tables
give every spacing combining mark (Unicode category Mc: ा ि ी ो ः ...) zero
width. The C library's `wcwidth()`, which tmux, xterm, GNOME Terminal (VTE),
Konsole, iTerm2 and Alacritty draw with, gives those marks a cell of their own.
When the two disagree, every line of Hindi spills past its panel's border, inner
borders shift, and letters vanish where a line wraps. No Rich or Textual setting
fixes it (Rich's UNICODE_VERSION tables all say 0 for Mc).

So narrator installs one width table before it draws anything, chosen by
`policy`:

  wcwidth   (the default) Rich's table with every Mc mark one cell wide (two for
            the few East Asian wide ones): exactly what glibc's wcwidth() says
            for Hindi, so tmux, xterm, VTE and friends line up.
  grapheme  Rich's own table: a consonant and its vowel signs share the
            consonant's cell, as grapheme-aware terminals draw them (WezTerm,
            foot, kitty). Those terminals also join some nasal signs and
            conjuncts, which no per-character table can follow, so a row may
            still be off by a cell there; it is the nearest a table gets.
  auto      grapheme inside WezTerm, foot or kitty (from TERM / TERM_PROGRAM),
            unless running inside tmux or screen, which re-draw with wcwidth;
            wcwidth everywhere else.

The table is swapped where Rich looks it up (`rich.cells.load_cell_table`), so
every measurement, wrap, crop and pad in Rich and Textual follows it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache

import rich.cells
from rich._unicode_data import load as rich_load

from narrator.errors import InputError

POLICIES = ("auto", "wcwidth", "grapheme")
ENV = "NARRATOR_CELL_WIDTHS"
GRAPHEME_TERMINALS = ("wezterm", "kitty", "foot")
"""Terminals that draw a consonant and its vowel signs in one cell (measured by
ucs-detect; see the `wcwidth` package's per-terminal tables)."""


def resolve(policy: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The concrete policy ("wcwidth" or "grapheme") for `policy` in this terminal.

    None reads NARRATOR_CELL_WIDTHS (default "auto"). An unknown name is an
    InputError (one line for the user, before anything is drawn).
    """
    env = os.environ if environ is None else environ
    chosen = (policy or env.get(ENV) or "auto").strip().lower()
    if chosen not in POLICIES:
        raise InputError(
            f"cell widths {chosen!r} (--cell-widths or {ENV}): choose one of {', '.join(POLICIES)}"
        )
    if chosen != "auto":
        return chosen
    if env.get("TMUX") or env.get("STY"):
        return "wcwidth"
    names = f"{env.get('TERM_PROGRAM', '')} {env.get('TERM', '')}".lower()
    return "grapheme" if any(t in names for t in GRAPHEME_TERMINALS) else "wcwidth"


def _mc_width(codepoint: int) -> int | None:
    """The cell a spacing mark takes under wcwidth (None: not a spacing mark)."""
    char = chr(codepoint)
    if unicodedata.category(char) != "Mc":
        return None
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@cache
def _wcwidth_table(unicode_version: str) -> rich.cells.CellTable:
    """Rich's table for `unicode_version`, with spacing marks given their cell."""
    base = rich_load(unicode_version)
    widths: list[tuple[int, int, int]] = []
    for start, end, width in base.widths:
        if width != 0:
            widths.append((start, end, width))
            continue
        run_start = start
        for cp in range(start, end + 1):
            mc = _mc_width(cp)
            if mc is None:
                continue
            if run_start < cp:
                widths.append((run_start, cp - 1, 0))
            widths.append((cp, cp, mc))
            run_start = cp + 1
        if run_start <= end:
            widths.append((run_start, end, 0))
    return rich.cells.CellTable(base.unicode_version, widths, base.narrow_to_wide)


_LOADERS: dict[str, Callable[[str], rich.cells.CellTable]] = {
    "wcwidth": _wcwidth_table,
    "grapheme": rich_load,
}
_installed: str | None = None


def install(policy: str | None = None) -> str:
    """Make Rich and Textual measure text by `policy`; returns the concrete policy.

    Call it before anything is drawn (the app and the CLI do, at start). Safe
    to call again with another policy: Rich's width caches are cleared.
    """
    global _installed
    chosen = resolve(policy)
    if chosen != _installed:
        rich.cells.load_cell_table = _LOADERS[chosen]
        rich.cells.get_character_cell_size.cache_clear()
        rich.cells.cached_cell_len.cache_clear()
        _installed = chosen
    return chosen


def installed() -> str | None:
    """The policy in force (None until `install` ran: Rich's own table)."""
    return _installed


def cell_width(text: str) -> int:
    """Cells `text` takes under the installed policy (what the app lays out with)."""
    return rich.cells.cell_len(text)
