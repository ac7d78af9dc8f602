"""The narrator app: a thin composition of the library, preview and transport.

The App only wires things together: keys and palette commands become actions,
actions call the `Session` (on a thread worker when they may be slow), and the
messages the session posts back are routed to the widget that shows them.
Nothing heavy (torch, a model, synthesis, a URL fetch) ever runs on the UI
thread, so the app never freezes and `s` stops at once.

Dependencies can be injected, which is how the tests run the real eSpeak voice
into a `NullSink` instead of the speakers:

    NarratorApp(library=folder, engine="espeak", sink_factory=lambda sr: NullSink(...))
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState, get_current_worker

from narrator import cell_widths
from narrator import stream_events as se
from narrator.engines.base import VoiceInfo
from narrator.listener_state import ListenerState
from narrator.stream_events import PlaybackState
from narrator.tui import messages as m
from narrator.tui.commands import NarratorCommands
from narrator.tui.read_along import ReadAlong
from narrator.tui.screens.export_dialog import ExportDialog, ExportRequest
from narrator.tui.screens.help import HelpScreen
from narrator.tui.screens.open_dialog import OpenDialog
from narrator.tui.screens.voice_dialog import VoiceDialog
from narrator.tui.session import EngineFactory, Session, SinkFactory
from narrator.tui.threads import DaemonThreadExecutor, leave_now_if_busy
from narrator.tui.voice_settings import SPEED_STEP, VoiceSettings
from narrator.tui.widgets.article_list import ArticleList
from narrator.tui.widgets.preview import SPEAKING, Preview
from narrator.tui.widgets.transport import LOADING, Transport
from narrator.tui.widgets.voice_picker import VoicePicker

SEEK_STEP_S = 10.0
"""What ←/→ skip, in seconds (as a podcast player does)."""

SPEED_SETTLE_S = 0.6
"""A speed change during playback restarts the voice; wait until the keys settle."""


def _while_running(handler: Callable[..., None]) -> Callable[..., None]:
    """Skip a message that arrives while the app shuts down (its widgets are gone).

    Worker threads may post a last progress or level message after the screen
    was torn down; it has nowhere to go and must not raise.
    """

    @wraps(handler)
    def run(self: NarratorApp, message: Message) -> None:
        if self.is_running:
            handler(self, message)

    return run


def _all_voices() -> list[VoiceInfo]:
    from narrator.engines.registry import all_voices

    return all_voices()


class NarratorApp(App[int]):
    """Browse the library, preview what will be spoken, listen with read-along, export."""

    CSS_PATH = "narrator.tcss"
    TITLE = "narrator"
    SUB_TITLE = "हिंदी समाचार सुनिए"
    COMMANDS = App.COMMANDS | {NarratorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_play", "Play/Pause", key_display="space"),
        Binding("s", "stop", "Stop"),
        Binding("n", "next_sentence", "Next", tooltip="Next sentence"),
        Binding("p", "previous_sentence", "Prev", tooltip="Previous sentence"),
        Binding(
            "right", f"seek({SEEK_STEP_S:g})", "+10 s", show=False, key_display="→",
            tooltip="Forward 10 s",
        ),
        Binding(
            "left", f"seek({-SEEK_STEP_S:g})", "-10 s", show=False, key_display="←",
            tooltip="Back 10 s",
        ),
        Binding("right_square_bracket", "next_paragraph", "Next paragraph", show=False),
        Binding("left_square_bracket", "previous_paragraph", "Previous paragraph", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False, tooltip="Speak slower (0.1×)"),
        Binding(
            "plus,equals_sign", "speed(1)", "Faster", show=False, key_display="+",
            tooltip="Speak faster (0.1×)",
        ),
        Binding("e", "export", "Export", tooltip="Export the open article to an audio file"),
        Binding("v", "choose_voice", "Voice", tooltip="Choose engine, voice and speed"),
        Binding("o", "open", "Open file or URL", show=False),
        Binding("slash", "filter", "Filter articles", show=False),
        Binding("t", "toggle_view", "Text view", show=False, tooltip="Spoken / original / both"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit_app", "Quit"),
        Binding(
            "ctrl+c", "quit_now", "Quit", show=False, priority=True, system=True,
            key_display="ctrl+c", tooltip="Quit, from anywhere (also in dialogs)",
        ),
    ]

    def __init__(
        self,
        library: str | Path | None = None,
        *,
        engine: str | None = None,
        voice: str | None = None,
        speed: float | None = None,
        device: str | None = None,
        engine_factory: EngineFactory | None = None,
        sink_factory: SinkFactory | None = None,
        voices: Callable[[], list[VoiceInfo]] | None = None,
        describe_voice: Callable[[VoiceSettings], str] | None = None,
        export_dir: str | Path | None = None,
        cache: Any | None = None,
        state: ListenerState | None = None,
        cell_width_policy: str | None = None,
    ) -> None:
        cell_widths.install(cell_width_policy)  # before anything is measured or drawn
        super().__init__()
        self.library = library
        self.export_dir = Path(export_dir) if export_dir else Path.cwd() / "audio_out"
        self.export_format = "mp3"
        self.list_voices = voices or _all_voices
        self.no_sound_device = False
        self.reading: ReadAlong | None = None
        """The chunk being heard and its sentences (read-along), None when silent."""
        self._levels_live = False
        self._speed_timer: Any = None
        kwargs: dict[str, Any] = {"cache": cache}
        if engine_factory is not None:
            kwargs["engine_factory"] = engine_factory
        if sink_factory is not None:
            kwargs["sink_factory"] = sink_factory
        if describe_voice is not None:
            kwargs["describe"] = describe_voice
        if state is None:
            state = self._open_state()
        settings = VoiceSettings(engine or "auto", voice, 1.0 if speed is None else speed)
        self.session = Session(
            self.post_message, settings=settings, device=device or "auto", state=state, **kwargs
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notify, with plain text by default: our notices carry file names,
        URLs and error messages, whose brackets are not markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @staticmethod
    def _open_state() -> ListenerState | None:
        try:
            return ListenerState()
        except OSError:
            return None  # no data folder to write to: the app works, it just forgets

    def compose(self) -> ComposeResult:
        yield Header(icon="♪")
        with Horizontal(id="main"):
            yield ArticleList(id="library")
            yield Preview(id="preview")
        yield Transport(id="transport")
        yield Footer()

    def on_mount(self) -> None:
        # Workers on daemon threads: quitting never waits for a slow job.
        asyncio.get_running_loop().set_default_executor(DaemonThreadExecutor())
        self.transport.set_voice(self.session.settings.label)
        self.query_one("#articles").focus()
        state = self.session.state
        if state is not None and state.problem:
            self.notify(state.problem, title="listening history", severity="warning")
        self._in_thread(self.session.describe, "describe")
        self.action_reload_library()

    def on_unmount(self) -> None:
        self.session.close()

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def preview(self) -> Preview:
        return self.query_one(Preview)

    @property
    def transport(self) -> Transport:
        return self.query_one(Transport)

    DIALOG_ACTIONS = frozenset(
        {
            "export",
            "choose_voice",
            "open",
            "help",
            "filter",
            "toggle_view",
            "reload_library",
            "quit_app",
        }
    )
    """Actions blocked while a dialog is open (ctrl+c and ctrl+q always quit)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that open a dialog, move focus or quit work only on the main screen,
        so a letter typed in a dialog never stacks another dialog or ends the app."""
        return not (action in self.DIALOG_ACTIONS and len(self.screen_stack) > 1)

    def _in_thread(self, work: Callable[[], object], group: str) -> Worker:
        """Run slow work off the UI thread; a newer job of the same group replaces it."""
        return self.run_worker(work, thread=True, group=group, exclusive=True, exit_on_error=False)

    # -- actions (keys, buttons, palette) ------------------------------------------------

    def action_reload_library(self) -> None:
        self._in_thread(partial(self.session.load_library, self.library), "library")

    def action_toggle_play(self) -> None:
        if self.session.playing:
            self.session.toggle_pause()
            self._remember()
        elif self.no_sound_device:
            self.action_export()
        else:
            self._play()

    def _play(self, start_sentence: int | None = None) -> None:
        if self.session.entry is None:
            self.notify("Choose an article first (Enter on the list, or o to open one).")
            return

        def play() -> None:
            worker = get_current_worker()
            self.session.play(lambda: worker.is_cancelled, start_sentence=start_sentence)

        self.transport.set_state(LOADING)
        self._in_thread(play, "play")

    def action_stop(self) -> None:
        self._remember()
        self.workers.cancel_group(self, "play")
        self.session.stop()
        self.reading = None
        self.transport.set_state(PlaybackState.STOPPED)
        self.transport.set_detail("")
        self.preview.highlight(None)

    async def action_quit_app(self) -> None:
        await self.action_quit_now()

    async def action_quit_now(self) -> None:
        """q, ctrl+c: remember where the listener is, silence the sound, leave at once."""
        self._remember()
        self.session.stop()
        self.exit(0)

    def action_next_sentence(self) -> None:
        self.session.next_sentence()
        self._after_skip()

    def action_previous_sentence(self) -> None:
        self.session.previous_sentence()
        self._after_skip()

    def _after_skip(self) -> None:
        narrator = self.session.narrator
        if narrator is not None:
            self._after_seek(narrator.position_s)

    def action_seek(self, seconds: float) -> None:
        """Forward or back about `seconds` (→/← keys: 10 s)."""
        position = self.session.seek_seconds(float(seconds))
        if position is not None:
            self._after_seek(position)

    def _after_seek(self, position_s: float) -> None:
        """The clock moves at once; the level meter waits for the new audio (until the
        next chunk starts, the narrator still reports the level of the audio left behind)."""
        self._levels_live = False
        self.transport.reset_level()
        self.transport.set_position(position_s, self.transport.total_s)

    def action_next_paragraph(self) -> None:
        self.session.seek_paragraph(+1)
        self._after_skip()

    def action_previous_paragraph(self) -> None:
        self.session.seek_paragraph(-1)
        self._after_skip()

    def action_speed(self, steps: int) -> None:
        """`-`/`+`: slower or faster by 0.1×; while playing, the voice restarts at the
        sentence being heard once the keys settle."""
        settings = self.session.settings
        new = settings.with_speed(settings.speed + steps * SPEED_STEP)
        if new == settings:
            self.notify(f"speed stays at {settings.speed:.1f}× (0.5× to 2.0×)")
            return
        if self._speed_timer is not None:
            self._speed_timer.stop()
        was_playing = self.session.playing or self._speed_timer is not None
        self.session.settings = new
        self.transport.set_voice(self._label_with_speed(new))
        self._speed_timer = None
        if was_playing:
            self._speed_timer = self.set_timer(SPEED_SETTLE_S, self._restart_for_speed)
        else:
            self._remember()
            self._in_thread(self.session.describe, "describe")

    def _restart_for_speed(self) -> None:
        self._speed_timer = None
        self._change_voice(self.session.settings, force=True)

    def _label_with_speed(self, settings: VoiceSettings) -> str:
        """The status line's voice with the new speed, until the voice reloads."""
        label = self.transport.voice_label
        head, sep, tail = label.rpartition(" · ")
        return f"{head} · {settings.speed:.1f}×" if sep and tail.endswith("×") else settings.label

    def action_filter(self) -> None:
        self.articles.focus_filter()

    def action_toggle_view(self) -> None:
        self.preview.cycle_mode()

    def action_open(self) -> None:
        self.push_screen(OpenDialog(), self._opened)

    def _opened(self, source: str | None) -> None:
        if source:
            self.action_stop()
            self._in_thread(partial(self.session.open_source, source), "article")

    def action_choose_voice(self) -> None:
        dialog = VoiceDialog(
            self.session.settings, self.list_voices, auto=self._describe_auto
        )
        self.push_screen(dialog, self._voice_chosen)

    def _describe_auto(self) -> str:
        """What `auto` is here (for the picker's first row); runs on its worker."""
        return self.session.voice_label(VoiceSettings("auto", None, self.session.settings.speed))

    def _voice_chosen(self, settings: VoiceSettings | None) -> None:
        if settings is None or settings == self.session.settings:
            return
        self._change_voice(settings)
        self.notify(f"voice: {settings.label}")

    def _change_voice(self, settings: VoiceSettings, *, force: bool = False) -> None:
        """Speak with `settings` from now on; if playing, go on from the same sentence."""
        if settings == self.session.settings and not force:
            return
        was_playing = self.session.playing
        sentence = self._heard_sentence()
        if was_playing:
            self.action_stop()
        self.session.settings = settings
        self.transport.set_voice(settings.label)
        self._in_thread(self.session.describe, "describe")
        self._remember()
        if was_playing:
            self._play(start_sentence=sentence)

    def _heard_sentence(self) -> int:
        """The sentence the listener hears now (read-along), else where play would start."""
        if self.preview.speaking_sentences and self.preview.mark == SPEAKING:
            return self.preview.speaking_sentences[0]
        if self.session.playing:
            return self.session.sentence or 0
        return self.session.resume_sentence

    def _remember(self, *, at_start: bool = False) -> None:
        """Write where the open article is being heard (listener.json), never failing the UI.

        `at_start`: heard to the end, so next time from the beginning; after the
        end nothing else is written until it plays again.
        """
        if self.session.entry is None or not self.is_running:
            return
        if self.transport.state == PlaybackState.FINISHED and not at_start:
            return
        sentence, position = (0, 0.0) if at_start else (
            self._heard_sentence(), self.transport.position_s
        )
        try:
            self.session.remember(sentence, position)
        except OSError as exc:
            self.notify(f"could not save where you are: {exc}", severity="warning")

    def action_export(self) -> None:
        entry = self.session.entry
        if entry is None:
            self.notify("Choose an article to export first.", severity="warning")
            return
        dialog = ExportDialog(entry.title, self.export_dir, self.export_format)
        self.push_screen(dialog, self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is None:
            return
        self.export_dir, self.export_format = request.out_dir, request.fmt

        self.transport.set_detail(f"exporting {request.fmt.upper()}…")
        self._in_thread(partial(self.session.export, request.fmt, request.out_dir), "export")

    def action_help(self) -> None:
        sections = [
            ("Player and library", self.BINDINGS),
            ("Article list", [*ArticleList.BINDINGS, Binding("enter", "x", "Open article")]),
            ("Voice dialog", VoicePicker.BINDINGS),
            ("Anywhere", [Binding("ctrl+p", "x", "Command palette"), Binding("tab", "x", "Next")]),
        ]
        self.push_screen(HelpScreen(sections))

    # -- messages from widgets and workers -----------------------------------------------

    @on(m.LibraryLoaded)
    @_while_running
    def _library_loaded(self, message: m.LibraryLoaded) -> None:
        self.articles.set_entries(message.entries)
        for problem in message.problems:
            self.notify(problem, title="could not read", severity="warning", timeout=8)
        if not message.entries:
            self.notify("The library is empty: press o to open a file or URL.")
        elif self.session.entry is None:
            self._in_thread(partial(self.session.prepare, message.entries[0]), "article")

    @on(m.ArticleChosen)
    @_while_running
    def _article_chosen(self, message: m.ArticleChosen) -> None:
        self.action_stop()
        self._in_thread(partial(self.session.prepare, message.entry), "article")

    @on(m.ArticlePreparing)
    @_while_running
    def _article_preparing(self, message: m.ArticlePreparing) -> None:
        self.preview.show_preparing(message.title, message.chars)

    @on(m.ArticlePrepared)
    @_while_running
    def _article_prepared(self, message: m.ArticlePrepared) -> None:
        self.preview.show(message.entry, message.script)
        if all(e.key != message.entry.key for e in self.articles.entries):
            self.articles.add_entry(message.entry)  # opened from a file or URL
        self.articles.select_key(message.entry.key)
        resume = message.resume
        position = 0.0
        if resume is not None:
            remembered = VoiceSettings(resume.engine, resume.voice, resume.speed)
            if remembered != self.session.settings:
                self.session.settings = remembered
                self.transport.set_voice(remembered.label)
                self._in_thread(self.session.describe, "describe")
            if self.session.resume_sentence:
                position = resume.position_s
                self.preview.mark_resume(self.session.resume_sentence)
        self.transport.set_position(position, message.entry.listen_s)

    @on(m.ArticleUnreadable)
    @_while_running
    def _article_unreadable(self, message: m.ArticleUnreadable) -> None:
        self.preview.show_unreadable(message.source, message.message)
        self.notify(message.message, title="could not read the article", severity="error")

    @on(m.Problem)
    @_while_running
    def _problem(self, message: m.Problem) -> None:
        self.transport.set_state(PlaybackState.IDLE)
        self.notify(message.message, title=message.title, severity="error", timeout=8)

    @on(m.Notice)
    @_while_running
    def _notice(self, message: m.Notice) -> None:
        self.notify(message.message, timeout=6)

    @on(m.VoiceDescribed)
    @_while_running
    def _voice_described(self, message: m.VoiceDescribed) -> None:
        if not self.session.playing:
            self.transport.set_voice(message.label)

    @on(m.EngineLoading)
    @_while_running
    def _engine_loading(self, message: m.EngineLoading) -> None:
        self.transport.set_state(LOADING)

    @on(m.PlaybackStarted)
    @_while_running
    def _playback_started(self, message: m.PlaybackStarted) -> None:
        entry = self.session.entry
        shown = self.preview.script
        if entry is not None and (shown is None or message.script.chunks != shown.chunks):
            self.preview.show(entry, message.script)  # the engine's own chunking
        self.transport.set_voice(message.label)

    @on(m.NarrationEvent)
    @_while_running
    def _narration(self, message: m.NarrationEvent) -> None:
        """Route one narrator event to the widget that shows it."""
        event = message.event
        match event:
            case se.ChunkStarted():
                self._chunk_started(event)
            case se.PlaybackProgress():
                self._progress(event)
            case se.Level():
                if self._levels_live:
                    self.transport.set_level(event.rms)
            case se.SynthesisProgress():
                rtf = event.rtf
                speed = f" · RTF {rtf:.2f}" if rtf and rtf >= 0.1 else (
                    f" · RTF {rtf:.3f}" if rtf else ""
                )
                self.transport.set_detail(f"made {event.done}/{event.total}{speed}")
            case se.Buffering():
                self.transport.set_detail(
                    f"the voice needs ~{event.expected_wait_s:.0f} s head start"
                )
            case se.Underrun():
                self.transport.set_detail(f"waited {event.wait_s:.1f} s for synthesis")
            case se.StateChanged():
                self.transport.set_state(event.state)
                if PlaybackState(event.state).silent:
                    self.reading = None
                    self.preview.highlight(None)
                if event.state == PlaybackState.PAUSED:
                    self._remember()
            case se.NarrationFinished():
                self._finished(event)
            case se.NarrationFailed():
                self.transport.set_state(PlaybackState.FAILED)
                self.notify(event.message, title="playback failed", severity="error", timeout=10)

    def _chunk_started(self, event: se.ChunkStarted) -> None:
        script = self.session.play_script
        if script is None:
            return
        self.reading = ReadAlong.start(event.chunk, event.start_s, event.end_s, script)
        self._levels_live = True
        self.preview.highlight(event.chunk, self.reading.at(event.start_s))
        self._remember()

    def _progress(self, event: se.PlaybackProgress) -> None:
        self.transport.set_position(event.position_s, event.total_s_estimate)
        reading = self.reading
        if reading is None:
            return
        span = reading.at(event.position_s)
        if self.preview.speaking_sentences != [span.sentence]:
            self.preview.highlight(reading.chunk, span)
            self._remember()

    def _finished(self, event: se.NarrationFinished) -> None:
        self.transport.set_state(PlaybackState.FINISHED)
        self.reading = None
        self.preview.highlight(None)
        self._remember(at_start=True)
        if event.underruns:
            self.notify(
                f"finished; playback waited {event.underruns}× for synthesis "
                f"({event.total_wait_s:.1f} s). Export plays without waits (e)."
            )

    @on(m.NoSoundDevice)
    @_while_running
    def _no_device(self, message: m.NoSoundDevice) -> None:
        """Say once what is wrong and what to do; from then on space exports instead."""
        self.transport.set_state(PlaybackState.IDLE)
        if not self.no_sound_device:
            self.notify(no_device_notice(message.message), title="no sound device",
                        severity="warning", timeout=20)
        self.no_sound_device = True
        self.transport.set_detail("no sound device: e exports")

    @on(m.ExportProgress)
    @_while_running
    def _export_progress(self, message: m.ExportProgress) -> None:
        self.transport.set_detail(f"exporting {message.done}/{message.total}")

    @on(m.ExportFinished)
    @_while_running
    def _export_finished(self, message: m.ExportFinished) -> None:
        self.transport.set_detail("")
        title = "already exported (up to date)" if message.skipped else "exported"
        self.notify(str(message.path), title=title, timeout=10)

    @on(m.ExportFailed)
    @_while_running
    def _export_failed(self, message: m.ExportFailed) -> None:
        self.transport.set_detail("")
        self.notify(message.message, title="export failed", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker becomes a notification, not a dead app."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.transport.set_state(PlaybackState.FAILED)
            self.notify(f"{type(error).__name__}: {error}", title="error", severity="error")


def no_device_notice(error: str) -> str:
    """The fix for "no sound device", in the app's terms (the CLI's -o advice does not apply)."""
    why = error[error.index("(") :] if "(" in error else "(usual over SSH and in containers)"
    return (
        f"There is no audio output here {why}. Press e, or space, to export the article "
        "to an audio file instead. To listen here, start PipeWire or PulseAudio, or "
        "connect a sound device, and restart narrator."
    )


def run_app(
    library: str | None = None,
    *,
    engine: str | None = None,
    voice: str | None = None,
    speed: float | None = None,
    device: str | None = None,
    cell_width_policy: str | None = None,
    leave_at_once: bool = False,
) -> int:
    """`narrator` with no sub-command: open the app on `library` (default: the user's).

    `leave_at_once` (the command line's choice): when the app ends with a job
    still running (an export, a voice loading), end the process now instead of
    letting Python's exit wait on it (narrator.tui.threads.leave_now_if_busy).
    """
    app = NarratorApp(
        library=library,
        engine=engine,
        voice=voice,
        speed=speed,
        device=device,
        cell_width_policy=cell_width_policy,
    )
    app.run()
    code = int(app.return_code or 0)
    if leave_at_once:
        leave_now_if_busy(code)
    return code
