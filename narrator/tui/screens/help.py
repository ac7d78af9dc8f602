"""The help screen: every key binding of the app and its dialogs, from the code.

The table is built from the `BINDINGS` of the app and its widgets and dialogs,
so it cannot drift from what the keys actually do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpSection = tuple[str, Sequence[BindingType]]

_KEY_NAMES = {
    "space": "space",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
    "escape": "esc",
}


def key_label(binding: Binding) -> str:
    """How the user types it: key_display if given, else the keys, comma-joined."""
    if binding.key_display:
        return binding.key_display
    keys = [k.strip() for k in binding.key.split(",")]
    return " ".join(_KEY_NAMES.get(k, k) for k in keys)


def help_rows(sections: Iterable[HelpSection]) -> list[tuple[str, str, str]]:
    """(section, key, what it does) for every binding that has a description."""
    rows = []
    for section, bindings in sections:
        for item in bindings:
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.description:
                rows.append((section, key_label(binding), binding.tooltip or binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable table of key bindings; any of esc, q, ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help")
    ]

    def __init__(self, sections: Iterable[HelpSection]) -> None:
        super().__init__()
        self.rows = help_rows(sections)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static("सहायता · Keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                section = None
                for name, key, description in self.rows:
                    if name != section:
                        section = name
                        yield Static(name, classes="help-section", markup=False)
                    yield Static(
                        Content.assemble((f"{key:>10}", "bold $accent"), "  ", description),
                        classes="help-row",
                    )
            yield Static("esc closes · ctrl+p opens the command palette", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
