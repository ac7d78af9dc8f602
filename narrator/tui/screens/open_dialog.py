"""The open dialog: a file path or a URL to narrate that is not in the library.

The path is checked here (a missing file is said at once, in the dialog); the
article itself is loaded by the app's worker, so a slow URL never blocks typing.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from narrator.urls import is_url


class OpenDialog(ModalScreen[str | None]):
    """Returns the file path (expanded) or URL to open, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog", classes="dialog"):
            yield Static("लेख खोलिए · Open a file or URL", classes="dialog-title")
            yield Input(placeholder="~/news/article.txt or https://…", id="open-source")
            yield Static(
                ".txt .md .html files, a web page, or an RSS/Atom feed · Enter opens · Esc cancels",
                id="open-hint",
                classes="dialog-hint",
                markup=False,
            )

    @on(Input.Submitted, "#open-source")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if is_url(text):
            self.dismiss(text)
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.query_one("#open-hint", Static).update(f"✗ no such file: {path}")
            self.query_one("#open-hint").add_class("-error")
            return
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
