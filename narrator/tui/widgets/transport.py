"""The transport bar: buttons, progress with elapsed/total time, level, status.

The buttons never take focus (space, s, n, p work from anywhere); clicking one
runs the same app action as its key, so the mouse and keyboard can't disagree.
The second line says which voice is speaking and what the player is doing
(loading a voice, buffering for a slow voice, synthesis ahead, exporting).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ProgressBar, Static

from narrator.library import format_clock
from narrator.stream_events import PlaybackState
from narrator.tui.widgets.level_meter import LevelMeter

LOADING = "loading"
"""The transport's one state of its own: a voice is loading, no narrator exists yet."""

TransportState = PlaybackState | str

STATE_LABELS: dict[str, str] = {
    PlaybackState.IDLE: "■ stopped",
    LOADING: "… loading voice",
    PlaybackState.BUFFERING: "… buffering",
    PlaybackState.PLAYING: "▶ playing",
    PlaybackState.PAUSED: "❚❚ paused",
    PlaybackState.STOPPED: "■ stopped",
    PlaybackState.FINISHED: "■ finished",
    PlaybackState.FAILED: "✗ failed",
}

# button id -> app action it runs
ACTIONS = {
    "transport-prev": "app.previous_sentence",
    "transport-play": "app.toggle_play",
    "transport-stop": "app.stop",
    "transport-next": "app.next_sentence",
}


class Transport(Vertical):
    """Play/pause, stop, previous/next sentence, progress, level and status."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: TransportState = PlaybackState.IDLE
        self.position_s = 0.0
        self.total_s = 0.0
        self.voice_label = ""
        self.detail = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="transport-row"):
            for button_id, label in (
                ("transport-prev", "|◀"),
                ("transport-play", "▶"),
                ("transport-stop", "■"),
                ("transport-next", "▶|"),
            ):
                button = Button(label, id=button_id, compact=True)
                button.can_focus = False
                yield button
            yield ProgressBar(total=1.0, show_eta=False, show_percentage=False, id="progress")
            yield Static(self._clock(), id="clock", markup=False)
            yield LevelMeter(id="level")
        yield Static("", id="status", markup=False)

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = ACTIONS.get(event.button.id or "")
        if action:
            await self.run_action(action)

    # -- updates from the app ------------------------------------------------------------

    def set_state(self, state: TransportState) -> None:
        self.state = state
        playing = state == PlaybackState.PLAYING
        self.query_one("#transport-play", Button).label = "❚❚" if playing else "▶"
        if state in (PlaybackState.IDLE, PlaybackState.STOPPED):
            self.query_one(LevelMeter).reset()
        if state == PlaybackState.STOPPED:
            self.set_position(0.0, self.total_s)
        self._refresh_status()

    def set_position(self, position_s: float, total_s: float) -> None:
        self.position_s, self.total_s = max(0.0, position_s), max(0.0, total_s)
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(self.total_s, 1e-6), progress=min(self.position_s, self.total_s))
        self.query_one("#clock", Static).update(self._clock())

    def set_level(self, rms: float) -> None:
        self.query_one(LevelMeter).push(rms)

    def reset_level(self) -> None:
        """Empty the level meter (after a seek, until the new audio is heard)."""
        self.query_one(LevelMeter).reset()

    def set_voice(self, label: str) -> None:
        self.voice_label = label
        self._refresh_status()

    def set_detail(self, text: str) -> None:
        """A short note after the state: synthesis ahead, export progress, waits."""
        self.detail = text
        self._refresh_status()

    def _clock(self) -> str:
        return f"{format_clock(self.position_s)} / {format_clock(self.total_s)}"

    def _refresh_status(self) -> None:
        parts = [STATE_LABELS.get(self.state, self.state), self.voice_label, self.detail]
        self.query_one("#status", Static).update("  │  ".join(p for p in parts if p))
