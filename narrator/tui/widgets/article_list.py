"""The library column: a filter box over the list of articles.

Each article shows its title and a second line with source, date, length and
estimated listening time, so a listener can pick by how long they have. Typing
in the filter (focus it with `/`) narrows the list at every keystroke, matching
title and source; Enter or Down moves back to the list, Escape clears it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from narrator.library import LibraryEntry, format_chars, format_listen
from narrator.tui.messages import ArticleChosen


def entry_prompt(entry: LibraryEntry) -> Content:
    """Two lines: the title, then `listening time · length · date · source`.

    Listening time comes first: in a narrow column it is what survives the cut.
    """
    meta = " · ".join(
        part
        for part in (
            format_listen(entry.listen_s),
            format_chars(entry.chars),
            entry.date_label,
            entry.source_label,
        )
        if part
    )
    return Content.assemble((entry.title, "bold"), "\n", (meta, "dim"))


def matches(entry: LibraryEntry, query: str) -> bool:
    """Whether every word of `query` occurs in the title or the source (any case)."""
    haystack = f"{entry.title} {entry.source_label} {entry.date_label}".casefold()
    return all(word in haystack for word in query.casefold().split())


class ArticleList(Vertical):
    """Filterable list of library articles; posts `ArticleChosen` on Enter/click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[LibraryEntry] = []
        self.shown: list[LibraryEntry] = []
        self.border_title = "लेख · Articles"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter…", id="filter")
        yield OptionList(id="articles")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#articles", OptionList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        """Replace the articles listed (keeps the current filter)."""
        self.entries = list(entries)
        self._refilter()

    def add_entry(self, entry: LibraryEntry) -> None:
        """Add (or refresh) one article, e.g. one opened from a file or URL."""
        self.entries = [e for e in self.entries if e.key != entry.key] + [entry]
        self._refilter()

    def select_key(self, key: str) -> None:
        """Move the highlight to the article with this key, if it is shown."""
        for index, entry in enumerate(self.shown):
            if entry.key == key:
                self.option_list.highlighted = index
                return

    def focus_filter(self) -> None:
        self.filter_input.focus()

    def _refilter(self) -> None:
        query = self.filter_input.value
        self.shown = [e for e in self.entries if matches(e, query)]
        option_list = self.option_list
        option_list.set_options(Option(entry_prompt(e)) for e in self.shown)
        if self.shown:
            option_list.highlighted = 0
        count = f"{len(self.shown)}/{len(self.entries)}" if query else f"{len(self.entries)}"
        self.border_subtitle = count

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.option_list.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.filter_input.has_focus:
            event.stop()
            self.option_list.focus()

    def action_clear_filter(self) -> None:
        self.filter_input.value = ""
        self.option_list.focus()

    @on(OptionList.OptionSelected, "#articles")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.post_message(ArticleChosen(self.shown[event.option_index]))
