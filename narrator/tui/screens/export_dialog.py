"""The export dialog: the format and the folder for the open article's audio.

Only the choice is made here; the export itself runs in a worker with its
progress on the transport line, so the app stays responsive while it renders.
Enter exports from anywhere in the dialog; the arrows choose the format
directly (the format under the cursor is the chosen one), so what Enter
exports is what the listener sees marked. Esc, or Enter on Cancel, cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

FORMATS = ("mp3", "wav", "flac", "ogg")


class FormatChoice(RadioSet):
    """A RadioSet whose cursor is the choice: ←/→ (↑/↓) press the next format."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "step(1)", "Next format", show=False),
        Binding("up,left", "step(-1)", "Previous format", show=False),
    ]

    def on_mount(self) -> None:
        # RadioSet's own mount handler (it runs after this one) puts its cursor on
        # the first format; ours starts on the chosen one.
        self.call_after_refresh(self._cursor_on_choice)

    def _cursor_on_choice(self) -> None:
        self._selected = max(0, self.pressed_index)

    def action_step(self, direction: int) -> None:
        if direction > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for: `fmt` (one of FORMATS) into folder `out_dir`."""

    fmt: str
    out_dir: Path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Returns an ExportRequest, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "export", "Export", priority=True),
    ]

    def __init__(self, title: str, out_dir: Path, fmt: str = "mp3") -> None:
        super().__init__()
        self.article_title = title
        self.out_dir = out_dir
        self.fmt = fmt if fmt in FORMATS else FORMATS[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static("निर्यात · Export audio", classes="dialog-title")
            yield Static(self.article_title, id="export-article", markup=False)
            with FormatChoice(id="export-format"):
                for fmt in FORMATS:
                    yield RadioButton(fmt.upper(), value=fmt == self.fmt, name=fmt)
            yield Static("Folder", classes="field-label")
            yield Input(str(self.out_dir), id="export-dir")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
            yield Static(
                "←/→: format · Enter: export · Esc: cancel\n"
                "writes the audio, its subtitles (.srt/.vtt) and chapters",
                classes="dialog-hint",
            )

    def chosen_format(self) -> str:
        pressed = self.query_one("#export-format", FormatChoice).pressed_button
        return pressed.name if pressed is not None and pressed.name else self.fmt

    def _request(self) -> ExportRequest | None:
        folder = self.query_one("#export-dir", Input).value.strip()
        if not folder:
            self.notify("choose a folder to export to", severity="warning")
            return None
        return ExportRequest(self.chosen_format(), Path(folder).expanduser())

    def action_export(self) -> None:
        """Enter: export now, unless the cursor is on Cancel."""
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "export-cancel":
            self.action_cancel()
            return
        self._go()

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        request = self._request()
        if request is not None:
            self.dismiss(request)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
