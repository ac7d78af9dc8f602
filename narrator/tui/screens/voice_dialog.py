"""The voice dialog: the picker in a modal, with the voices loaded off the UI thread.

Listing voices asks every engine (Kokoro and Coqui look for weights on disk), so
the list is filled by a thread worker and the dialog opens instantly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from narrator.engines.base import VoiceInfo
from narrator.tui.voice_settings import VoiceSettings
from narrator.tui.widgets.voice_picker import VoicePicker


class VoiceDialog(ModalScreen[VoiceSettings | None]):
    """Returns the chosen VoiceSettings, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        current: VoiceSettings,
        voices: Callable[[], list[VoiceInfo]],
        auto: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        self.current = current
        self._list_voices = voices
        self._describe_auto = auto

    def compose(self) -> ComposeResult:
        with Vertical(id="voice-dialog", classes="dialog"):
            yield Static("आवाज़ चुनिए · Choose a voice", classes="dialog-title")
            yield VoicePicker(self.current, id="voice-picker")

    def on_mount(self) -> None:
        self._load_voices()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_voices(self) -> None:
        auto = ""
        try:
            voices = self._list_voices()
            if self._describe_auto is not None:
                auto = self._describe_auto()
        except Exception as exc:  # noqa: BLE001 - a broken engine plugin must not end the app
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            voices = []
        self.app.call_from_thread(self.query_one(VoicePicker).set_voices, voices, auto)

    @on(VoicePicker.Chosen)
    def _chosen(self, event: VoicePicker.Chosen) -> None:
        self.dismiss(event.settings)

    @on(VoicePicker.NotReady)
    def _not_ready(self, event: VoicePicker.NotReady) -> None:
        voice = event.voice
        hint = voice.pull_hint or f"narrator models pull {voice.engine}"
        self.notify(
            f"{voice.engine} · {voice.name} is not installed. Run: {hint}",
            title="voice not ready",
            severity="warning",
            timeout=8,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
