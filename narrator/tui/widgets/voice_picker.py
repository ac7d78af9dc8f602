"""The voice picker: every voice of every engine, ready or not, and the speed.

Why show voices that are not ready: the listener should learn that better voices
exist and exactly how to get them. A ready voice has ✓; one that needs weights
has ✗ and its `narrator models pull …` command; each shows its licence (and
whether the audio may be used commercially). Choosing a voice that is not ready
shows the pull command instead of failing later at play time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from narrator.engines.base import VoiceInfo
from narrator.tui.voice_settings import SPEED_STEP, VoiceSettings

AUTO = VoiceInfo(
    name="",
    engine="auto",
    description="the best voice installed here (live: one fast enough for real time)",
    licence="depends on the voice chosen",
    commercial=False,
)


def voice_prompt(voice: VoiceInfo, auto: str = "") -> Content:
    """Three lines: ✓/✗ engine · voice, description, licence or pull command.

    `auto` is what `auto` stands for here (`auto → kokoro · hf_alpha`), shown
    on the auto row in place of its bare name.
    """
    mark, mark_style = ("✓", "bold $success") if voice.ready else ("✗", "bold $warning")
    name = f"{voice.engine} · {voice.name}" if voice.name else voice.engine
    if voice is AUTO and auto:
        name = auto
    gender = f"  ({voice.gender})" if voice.gender else ""
    if voice.ready:
        use = "commercial use OK" if voice.commercial else "non-commercial only"
        last = (f"{voice.licence} · {use}" if voice.licence else use, "dim")
        if voice is AUTO:
            last = ("licence: " + voice.licence, "dim")
    else:
        hint = voice.pull_hint or f"narrator models pull {voice.engine}"
        last = (f"needs: {hint}", "$warning")
    return Content.assemble(
        (mark, mark_style), " ", (name, "bold"), gender, "\n", (voice.description, ""), "\n", last
    )


class VoicePicker(Vertical):
    """Lists voices (ready first within each engine); posts `Chosen` or `NotReady`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("minus,left", "slower", "Slower", key_display="-"),
        Binding("plus,equals_sign,right", "faster", "Faster", key_display="+"),
    ]

    @dataclass
    class Chosen(Message):
        """The user chose a ready voice at this speed."""

        settings: VoiceSettings

    @dataclass
    class NotReady(Message):
        """The user chose a voice that needs downloading first."""

        voice: VoiceInfo

    def __init__(self, current: VoiceSettings, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self.speed = current.speed
        self.voices: list[VoiceInfo] = []
        self.auto_label = ""

    def compose(self) -> ComposeResult:
        yield OptionList(id="voices")
        yield Static("", id="voice-speed", markup=False)

    def on_mount(self) -> None:
        self.query_one("#voices", OptionList).loading = True
        self._show_speed()

    def set_voices(self, voices: list[VoiceInfo], auto: str = "") -> None:
        """Fill the list (once the registry answered, off the UI thread).

        `auto`: what `auto` means here, e.g. `auto → kokoro · hf_alpha · 1.0×`.
        """
        self.voices = [AUTO, *voices]
        self.auto_label = auto.rsplit(" · ", 1)[0] if auto.endswith("×") else auto
        option_list = self.query_one("#voices", OptionList)
        option_list.loading = False
        option_list.set_options(Option(voice_prompt(v, self.auto_label)) for v in self.voices)
        option_list.highlighted = self._current_index()
        option_list.focus()

    def _current_index(self) -> int:
        for index, voice in enumerate(self.voices):
            if voice.engine == self.current.engine and (
                voice.name == (self.current.voice or "") or self.current.engine == "auto"
            ):
                return index
        for index, voice in enumerate(self.voices):  # the engine's first voice
            if voice.engine == self.current.engine:
                return index
        return 0

    def _show_speed(self) -> None:
        self.query_one("#voice-speed", Static).update(
            f"Speed {self.speed:.1f}×   (- slower, + faster, Enter choose, Esc cancel)"
        )

    def action_slower(self) -> None:
        self.speed = VoiceSettings(speed=self.speed).with_speed(self.speed - SPEED_STEP).speed
        self._show_speed()

    def action_faster(self) -> None:
        self.speed = VoiceSettings(speed=self.speed).with_speed(self.speed + SPEED_STEP).speed
        self._show_speed()

    @on(OptionList.OptionSelected, "#voices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        voice = self.voices[event.option_index]
        if not voice.ready:
            self.post_message(self.NotReady(voice))
            return
        settings = VoiceSettings(voice.engine, voice.name or None, self.speed)
        self.post_message(self.Chosen(settings))
