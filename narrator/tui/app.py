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

from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState, get_current_worker

from narrator.engines.base import VoiceInfo
from narrator.tui import messages as m
from narrator.tui.commands import NarratorCommands
from narrator.tui.screens.export_dialog import ExportDialog, ExportRequest
from narrator.tui.screens.help import HelpScreen
from narrator.tui.screens.open_dialog import OpenDialog
from narrator.tui.screens.voice_dialog import VoiceDialog
from narrator.tui.session import EngineFactory, Session, SinkFactory
from narrator.tui.voice_settings import VoiceSettings
from narrator.tui.widgets.article_list import ArticleList
from narrator.tui.widgets.preview import Preview
from narrator.tui.widgets.transport import Transport
from narrator.tui.widgets.voice_picker import VoicePicker


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
        Binding("right_square_bracket", "next_paragraph", "Next paragraph", show=False),
        Binding("left_square_bracket", "previous_paragraph", "Previous paragraph", show=False),
        Binding("e", "export", "Export", tooltip="Export the open article to an audio file"),
        Binding("v", "choose_voice", "Voice", tooltip="Choose engine, voice and speed"),
        Binding("o", "open", "Open file or URL", show=False),
        Binding("slash", "filter", "Filter articles", show=False),
        Binding("t", "toggle_view", "Text view", show=False, tooltip="Spoken / original / both"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit_app", "Quit"),
    ]

    def __init__(
        self,
        library: str | Path | None = None,
        *,
        engine: str = "auto",
        voice: str | None = None,
        speed: float = 1.0,
        engine_factory: EngineFactory | None = None,
        sink_factory: SinkFactory | None = None,
        voices: Callable[[], list[VoiceInfo]] | None = None,
        export_dir: str | Path | None = None,
        cache: Any | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.export_dir = Path(export_dir) if export_dir else Path.cwd() / "audio_out"
        self.export_format = "mp3"
        self.list_voices = voices or _all_voices
        self.no_sound_device = False
        kwargs: dict[str, Any] = {"cache": cache}
        if engine_factory is not None:
            kwargs["engine_factory"] = engine_factory
        if sink_factory is not None:
            kwargs["sink_factory"] = sink_factory
        self.session = Session(
            self.post_message, settings=VoiceSettings(engine, voice, speed), **kwargs
        )

    def compose(self) -> ComposeResult:
        yield Header(icon="♪")
        with Horizontal(id="main"):
            yield ArticleList(id="library")
            yield Preview(id="preview")
        yield Transport(id="transport")
        yield Footer()

    def on_mount(self) -> None:
        self.transport.set_voice(self.session.settings.label)
        self.query_one("#articles").focus()
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
    """Actions blocked while a dialog is open (ctrl+q, Textual's own quit, always works)."""

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

        self.transport.set_state("loading")
        self._in_thread(play, "play")

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "play")
        self.session.stop()
        self.transport.set_state("stopped")
        self.transport.set_detail("")
        self.preview.highlight(None)

    async def action_quit_app(self) -> None:
        await self.action_quit()

    def action_next_sentence(self) -> None:
        self.session.next_sentence()

    def action_previous_sentence(self) -> None:
        self.session.previous_sentence()

    def action_next_paragraph(self) -> None:
        self.session.seek_paragraph(+1)

    def action_previous_paragraph(self) -> None:
        self.session.seek_paragraph(-1)

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
        self.push_screen(VoiceDialog(self.session.settings, self.list_voices), self._voice_chosen)

    def _voice_chosen(self, settings: VoiceSettings | None) -> None:
        if settings is None or settings == self.session.settings:
            return
        was_playing, sentence = self.session.playing, self.session.sentence
        if was_playing:
            self.action_stop()
        self.session.settings = settings
        self.transport.set_voice(settings.label)
        self.notify(f"voice: {settings.label}")
        if was_playing:
            self._play(start_sentence=sentence)

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

    @on(m.ArticlePrepared)
    @_while_running
    def _article_prepared(self, message: m.ArticlePrepared) -> None:
        self.preview.show(message.entry, message.script)
        if all(e.key != message.entry.key for e in self.articles.entries):
            self.articles.add_entry(message.entry)  # opened from a file or URL
        self.articles.select_key(message.entry.key)
        self.transport.set_position(0.0, message.entry.listen_s)

    @on(m.ArticleUnreadable)
    @_while_running
    def _article_unreadable(self, message: m.ArticleUnreadable) -> None:
        self.preview.show_unreadable(message.source, message.message)
        self.notify(message.message, title="could not read the article", severity="error")

    @on(m.Problem)
    @_while_running
    def _problem(self, message: m.Problem) -> None:
        self.transport.set_state("idle")
        self.notify(message.message, title=message.title, severity="error", timeout=8)

    @on(m.Notice)
    @_while_running
    def _notice(self, message: m.Notice) -> None:
        self.notify(message.message, timeout=6)

    @on(m.EngineLoading)
    @_while_running
    def _engine_loading(self, message: m.EngineLoading) -> None:
        self.transport.set_state("loading")
        self.transport.set_voice(message.label)

    @on(m.PlaybackStarted)
    @_while_running
    def _playback_started(self, message: m.PlaybackStarted) -> None:
        entry = self.session.entry
        if entry is not None and message.script.chunks != getattr(
            self.preview.script, "chunks", None
        ):
            self.preview.show(entry, message.script)  # the engine's own chunking
        self.transport.set_voice(message.label)

    @on(m.ChunkPlaying)
    @_while_running
    def _chunk_playing(self, message: m.ChunkPlaying) -> None:
        self.preview.highlight(message.chunk)

    @on(m.PositionChanged)
    @_while_running
    def _position(self, message: m.PositionChanged) -> None:
        self.transport.set_position(message.position_s, message.total_s)

    @on(m.LevelChanged)
    @_while_running
    def _level(self, message: m.LevelChanged) -> None:
        self.transport.set_level(message.rms)

    @on(m.SynthesisAdvanced)
    @_while_running
    def _synthesis(self, message: m.SynthesisAdvanced) -> None:
        rtf = message.rtf
        speed = f" · RTF {rtf:.2f}" if rtf and rtf >= 0.1 else (f" · RTF {rtf:.3f}" if rtf else "")
        self.transport.set_detail(f"made {message.done}/{message.total}{speed}")

    @on(m.BufferingStarted)
    @_while_running
    def _buffering(self, message: m.BufferingStarted) -> None:
        self.transport.set_detail(f"the voice needs ~{message.expected_wait_s:.0f} s head start")

    @on(m.UnderrunHappened)
    @_while_running
    def _underrun(self, message: m.UnderrunHappened) -> None:
        self.transport.set_detail(f"waited {message.wait_s:.1f} s for synthesis")

    @on(m.PlayerStateChanged)
    @_while_running
    def _state(self, message: m.PlayerStateChanged) -> None:
        self.transport.set_state(message.state)
        if message.state in ("stopped", "finished", "failed", "idle"):
            self.preview.highlight(None)

    @on(m.PlaybackFinished)
    @_while_running
    def _finished(self, message: m.PlaybackFinished) -> None:
        self.transport.set_state("finished")
        self.preview.highlight(None)
        if message.underruns:
            self.notify(
                f"finished; playback waited {message.underruns}× for synthesis "
                f"({message.total_wait_s:.1f} s). Export plays without waits (e)."
            )

    @on(m.PlaybackFailed)
    @_while_running
    def _failed(self, message: m.PlaybackFailed) -> None:
        self.transport.set_state("failed")
        self.notify(message.message, title="playback failed", severity="error", timeout=10)

    @on(m.NoSoundDevice)
    @_while_running
    def _no_device(self, message: m.NoSoundDevice) -> None:
        self.transport.set_state("idle")
        if not self.no_sound_device:
            self.notify(
                "Nothing can be played here. Press e (or space again) to export the "
                "article to an audio file instead.",
                title=f"no sound device: {message.message.split(';')[0]}",
                severity="warning",
                timeout=10,
            )
        self.no_sound_device = True

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
            self.transport.set_state("failed")
            self.notify(f"{type(error).__name__}: {error}", title="error", severity="error")


def run_app(
    library: str | None = None,
    *,
    engine: str = "auto",
    voice: str | None = None,
    speed: float = 1.0,
) -> int:
    """`narrator` with no sub-command: open the app on `library` (default: the user's)."""
    app = NarratorApp(library=library, engine=engine, voice=voice, speed=speed)
    app.run()
    return int(app.return_code or 0)
