#!/usr/bin/env python3
"""How long the app's UI thread stalls when a 150 KB article is shown in the preview.

Two ways to show the same script (a ~150 KB Hindi article: ~400 chunks and
~500 sentences), each in a real Textual app at 120x35 run headless:

  naive     one Static widget per chunk and per sentence in two VerticalScrolls
            (how the preview drew it before issue #14)
  lines     narrator's ReadAlongText: passages kept as data, wrapped once, only
            the rows on screen drawn (Textual's line API)

For each: the wall time from "show it" until the screen has been refreshed,
and the longest gap between UI heartbeats (a 20 ms timer) over that time,
i.e. how long a key press would have waited. Then the same for moving the
read-along mark 20 times. Measured once each, one process; the machine's load
is printed before and after, since other work on a shared machine inflates
every figure alike.

    .venv/bin/python bench/tui_preview.py [--kb 150]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from narrator import cell_widths
from narrator.text import prepare
from narrator.tui.widgets.preview import chunk_passages, sentence_passages
from narrator.tui.widgets.read_along_text import Mark, ReadAlongText

ROOT = Path(__file__).resolve().parents[1]


def article(kb: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "narrator/data/samples").glob("*.txt"))]
    parts, n = [], 0
    while len("\n\n".join(parts).encode()) < kb * 1000:
        n += 1
        parts.append(f"अनुच्छेद {n}: " + texts[n % len(texts)].split("\n", 1)[-1].strip())
    return "एक लंबा लेख\n\n" + "\n\n".join(parts)


class Bench(App[None]):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.gaps: list[float] = []
        self._last = time.perf_counter()

    def compose(self) -> ComposeResult:
        with Horizontal():
            if self.kind == "naive":
                yield VerticalScroll(id="a")
                yield VerticalScroll(id="b")
            else:
                yield ReadAlongText(id="a")
                yield ReadAlongText(id="b")

    def on_mount(self) -> None:
        self.set_interval(0.02, self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


async def measure(kind: str, script) -> dict[str, float]:
    app = Bench(kind)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause(0.3)
        app.gaps.clear()
        app._last = start = time.perf_counter()
        a, b = app.query_one("#a"), app.query_one("#b")
        if kind == "naive":
            a.mount_all([Static(p.text, markup=False) for p in chunk_passages(script)])
            b.mount_all([Static(p.text, markup=False) for p in sentence_passages(script)])
        else:
            a.set_passages(chunk_passages(script))
            b.set_passages(sentence_passages(script))
        await pilot.pause()
        shown = time.perf_counter() - start
        await pilot.pause(0.1)
        show_gap = max(app.gaps, default=0.0)

        app.gaps.clear()
        app._last = start = time.perf_counter()
        for i in range(0, min(400, len(script.chunks)), 20):
            if kind == "naive":
                lines = list(a.query(Static))
                lines[i].add_class("-speaking")
                a.scroll_to_widget(lines[i], animate=False)
            else:
                a.set_mark(Mark(i, 0, len(script.chunks[i].text)))
                a.keep_in_view(i)
            await pilot.pause()
        marks = time.perf_counter() - start
        mark_gap = max(app.gaps, default=0.0)
    return {"show_s": shown, "show_max_gap_s": show_gap, "20_marks_s": marks, "mark_max_gap_s": mark_gap}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=150)
    args = parser.parse_args()
    cell_widths.install("wcwidth")
    text = article(args.kb)
    script = prepare(text, title="एक लंबा लेख")
    print(f"article: {len(text.encode()) // 1000} KB, {len(script.chunks)} chunks, "
          f"{len(script.sentences)} sentences")
    print(f"load before: {os.getloadavg()}")
    results = {kind: asyncio.run(measure(kind, script)) for kind in ("naive", "lines")}
    print(f"load after:  {os.getloadavg()}")
    for kind, figures in results.items():
        print(kind.ljust(6), "  ".join(f"{k}={v:.3f}" for k, v in figures.items()))
    naive, lines = results["naive"], results["lines"]
    print("naive/lines:", "  ".join(
        f"{k}={naive[k] / lines[k]:.1f}x" for k in naive if lines[k] > 0
    ))


if __name__ == "__main__":
    main()
