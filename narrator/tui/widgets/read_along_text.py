"""A scrolling column of passages (chunks or sentences) with one of them marked.

Why not one Static per line: a 150 KB article has about 400 chunks and 500
sentences, and mounting 900 widgets (each styled and laid out by Textual) took
seconds of the UI thread, during which no key was handled. This widget keeps
the passages as data, wraps them itself (about 0.1 s for such an article) and
draws only the rows on screen (Textual's line API), so showing a long article,
scrolling it and moving the read-along mark stay instant.

A marked passage shows `start:end` of its text in the mark's style (the
sentence being heard inside its chunk) and keeps the rest of it plain. The
mark is applied to the wrapped rows as they are drawn (each row knows where it
starts in its passage), so moving it never wraps anything again, even in a
passage of 50,000 characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

Kind = Literal["chunk", "sentence", "removed", "heading", "note"]
MarkKind = Literal["speaking", "resume"]


@dataclass(frozen=True)
class Passage:
    """One line of the view before wrapping; `gap_before` leaves a blank row above it."""

    text: str
    kind: Kind = "chunk"
    gap_before: bool = False


@dataclass(frozen=True)
class Mark:
    """Passage `index`, characters `start:end` of it, shown as `kind`."""

    index: int
    start: int
    end: int
    kind: MarkKind = "speaking"


class ReadAlongText(ScrollView, inherit_bindings=False):
    """Passages wrapped to the width, drawn row by row, one span of one passage marked.

    Focusable (Tab) to scroll with the keys; only vertical keys are bound, so ←/→
    still seek while the text has focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "read-along--removed",
        "read-along--heading",
        "read-along--note",
        "read-along--speaking",
        "read-along--resume",
    }

    DEFAULT_CSS = """
    ReadAlongText {
        & > .read-along--removed { color: $text-muted; text-style: strike; }
        & > .read-along--heading { color: $text-warning; text-style: bold; }
        & > .read-along--note { color: $text-muted; }
        & > .read-along--speaking { text-style: bold; color: $text; background: $primary 45%; }
        & > .read-along--resume { color: $text; background: $primary 20%; }
    }
    """

    GUTTER = 1
    """Cells kept free on the right of the text (between it and the scrollbar)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.passages: list[Passage] = []
        self.mark: Mark | None = None
        self._rows: list[tuple[int, int, Content]] = []
        """(passage index or -1 for a gap, offset of the row in its passage, row text)"""
        self._first_row: list[int] = []
        self._row_count: list[int] = []
        self._wrapped_width = -1
        self._strips: LRUCache[int, Strip] = LRUCache(1024)

    # -- content ------------------------------------------------------------------------

    def set_passages(self, passages: list[Passage]) -> None:
        """Replace everything shown; the view goes back to the top."""
        self.passages = list(passages)
        self.mark = None
        self._wrapped_width = -1
        self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def set_mark(self, mark: Mark | None) -> None:
        """Mark `mark.start:mark.end` of one passage (None: no mark); only its rows redraw."""
        if mark == self.mark:
            return
        old, self.mark = self.mark, mark
        for changed in {m.index for m in (old, mark) if m is not None}:
            for row in self.passage_rows(changed):
                self._strips.discard(row)
        self.refresh()

    def passage_rows(self, index: int) -> range:
        """The rows passage `index` takes in the scrolled content (empty if unknown)."""
        self._ensure_wrapped()
        if not 0 <= index < len(self._first_row):
            return range(0)
        first = self._first_row[index]
        return range(first, first + self._row_count[index])

    def row_text(self, row: int) -> str:
        """The plain text of one wrapped row (what the screen shows there)."""
        self._ensure_wrapped()
        return self._rows[row][2].plain if 0 <= row < len(self._rows) else ""

    def visible_rows(self) -> range:
        top = round(self.scroll_offset.y)
        return range(top, top + self.scrollable_content_region.height)

    def keep_in_view(self, index: int) -> None:
        """Scroll so passage `index` sits in the middle of the view."""
        rows = self.passage_rows(index)
        if not rows:
            return
        height = self.scrollable_content_region.height
        middle = (rows.start + rows.stop) // 2
        self.scroll_to(y=max(0, middle - height // 2), animate=False, immediate=True)

    # -- wrapping -------------------------------------------------------------------------

    def _text_width(self) -> int:
        """Cells for text; 0 while the view has no width (hidden, or not laid out yet)."""
        return max(0, self.scrollable_content_region.width - self.GUTTER)

    def _ensure_wrapped(self) -> None:
        if self._wrapped_width != self._text_width():
            self._rewrap()

    def _style(self, component: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(component, partial=True))

    def _rewrap(self) -> None:
        width = self._text_width()
        self._wrapped_width = width
        if width < 2:  # hidden or not laid out: wrap once there is room
            self._rows, self._first_row, self._row_count = [], [], []
            self._strips.clear()
            self.virtual_size = Size(0, 0)
            return
        rows: list[tuple[int, int, Content]] = []
        first: list[int] = []
        counts: list[int] = []
        for index, passage in enumerate(self.passages):
            if passage.gap_before and rows:
                rows.append((-1, 0, Content("")))
            lines = Content(passage.text).wrap(width) or [Content("")]
            first.append(len(rows))
            counts.append(len(lines))
            offset = 0
            for line in lines:
                found = passage.text.find(line.plain, offset)
                offset = found if found >= 0 else offset
                rows.append((index, offset, line))
                offset += len(line.plain)
        self._rows, self._first_row, self._row_count = rows, first, counts
        self._strips.clear()
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._ensure_wrapped()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_width = -1
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        self._ensure_wrapped()
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, base)
        strip = self._strips.get(row)
        if strip is None:
            index, offset, line = self._rows[row]
            style = self.visual_style
            if index >= 0 and self.passages[index].kind in ("removed", "heading", "note"):
                style = style + self._style(f"read-along--{self.passages[index].kind}")
            mark = self.mark
            if mark is not None and mark.index == index:
                start = max(mark.start - offset, 0)
                end = min(mark.end - offset, len(line.plain))
                if start < end:
                    line = line.stylize(self._style(f"read-along--{mark.kind}"), start, end)
            segments = line.render_segments(style)
            strip = Strip(segments).crop_extend(0, width, base)
            self._strips[row] = strip
        return strip.apply_offsets(0, row)
