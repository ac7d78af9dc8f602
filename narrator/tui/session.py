"""The app's model: the open article, the voice, the loaded engine and the narrator.

Why a plain class and not more code in the App: everything slow (loading an
article or a URL, loading a voice, synthesis, export) is a method here that a
thread worker calls, and everything it has to tell the screen is a message from
`narrator.tui.messages` handed to `post` (the App's thread-safe `post_message`).
So the App stays a thin composition, and this class reads top to bottom as the
data path: article → script → engine → narrator → sink.

The quick controls (pause, stop, skip, seek) are called on the UI thread; they
only flip flags in the streaming narrator, so they return at once.

The session also remembers the listener (narrator.listener_state): for each
article, the voice, speed and sentence it was left at.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from narrator.engines.base import BaseEngine
from narrator.engines.registry import EngineChoice, resolve_engine
from narrator.errors import DeviceError, NarratorError
from narrator.library import LibraryEntry, entry_for, open_library
from narrator.listener_state import ListenerState, Listening
from narrator.stream_events import NarrationEvent as StreamEvent
from narrator.stream_events import PlaybackState
from narrator.tui.messages import (
    ArticlePrepared,
    ArticlePreparing,
    ArticleUnreadable,
    EngineLoading,
    ExportFailed,
    ExportFinished,
    ExportProgress,
    LibraryLoaded,
    NarrationEvent,
    NoSoundDevice,
    Notice,
    PlaybackStarted,
    Problem,
    VoiceDescribed,
)
from narrator.tui.voice_settings import VoiceSettings, describe_voice
from narrator.urls import is_url

if TYPE_CHECKING:
    from narrator.audio.playback import Sink
    from narrator.cache import ChunkCache
    from narrator.export import Progress as ExportProgressReport
    from narrator.stream import StreamingNarrator
    from narrator.text import Script

EngineFactory = Callable[[VoiceSettings, str], EngineChoice]
"""(settings, purpose "live" | "export") -> a loaded engine and notices."""

SinkFactory = Callable[[int], "Sink"]
"""sample rate -> an audio sink (narrator.audio.playback.Sink); DeviceError if none."""


def default_engine_factory(
    settings: VoiceSettings, purpose: str, device: str = "auto"
) -> EngineChoice:
    """The registry's choice, exactly as `narrator speak --engine … --voice …` makes it."""
    return resolve_engine(
        settings.engine, voice=settings.voice, speed=settings.speed, purpose=purpose, device=device
    )


def default_sink_factory(sample_rate: int) -> Sink:
    from narrator.audio.playback import open_sink

    return open_sink(sample_rate)


class Session:
    """State shared by the app's workers; see the module docstring for the threading."""

    def __init__(
        self,
        post: Callable[[Message], object],
        *,
        settings: VoiceSettings | None = None,
        engine_factory: EngineFactory | None = None,
        sink_factory: SinkFactory = default_sink_factory,
        cache: ChunkCache | None = None,
        use_cache: bool = True,
        device: str = "auto",
        state: ListenerState | None = None,
        describe: Callable[[VoiceSettings], str] | None = None,
    ) -> None:
        self.post = post
        self.settings = settings or VoiceSettings()
        self.device = device
        self.engine_factory = engine_factory or partial(default_engine_factory, device=device)
        self.sink_factory = sink_factory
        self.state = state
        self._describe = describe or partial(describe_voice, device=device)
        self.resume_sentence = 0
        """Where play starts: the sentence the listener left the open article at."""
        self._listened = False
        """Whether the open article was played (or was remembered before): only then is
        it worth remembering; merely looking at an article pins nothing."""
        self._cache = cache
        self._use_cache = use_cache
        self.entry: LibraryEntry | None = None
        self.script: Script | None = None  # the preview's script (default chunking)
        self.play_script: Script | None = None  # the script the narrator speaks
        self.narrator: StreamingNarrator | None = None
        self.sink: Sink | None = None
        self._engine: BaseEngine | None = None
        self._engine_key: tuple[VoiceSettings, str] | None = None
        self._lock = threading.RLock()
        self._generation = 0
        self._preparing = 0

    # -- library and articles (worker threads) ---------------------------------------------

    def load_library(self, folder: str | Path | None) -> None:
        """Scan (and on first use seed) the library; posts LibraryLoaded or Problem."""
        try:
            entries, problems = open_library(folder)
        except NarratorError as exc:
            self.post(Problem(str(exc), title="library"))
            entries, problems = [], []
        self.post(LibraryLoaded(entries, problems))

    def prepare(self, entry: LibraryEntry) -> None:
        """Turn a listed article into its script for the preview (worker thread).

        Posts ArticlePreparing at once (a long article takes a while), then
        ArticlePrepared with where the listener left it, unless another article
        was chosen meanwhile: only the newest choice reaches the screen.
        """
        with self._lock:
            self._preparing += 1
            ticket = self._preparing
        self.post(ArticlePreparing(entry.title, entry.chars))
        try:
            script = self._prepare_script(entry)
        except NarratorError as exc:
            if ticket == self._preparing:
                self.post(ArticleUnreadable(entry.title, str(exc)))
            return
        resume = self.state.recall(entry.key) if self.state is not None else None
        with self._lock:
            if ticket != self._preparing:
                return
            self.entry, self.script = entry, script
            self.resume_sentence = 0
            self._listened = resume is not None
            if resume is not None and resume.sentence < len(script.sentences):
                self.resume_sentence = resume.sentence
        self.post(ArticlePrepared(entry, script, resume))

    def open_source(self, source: str) -> None:
        """Load a file or URL from the open dialog, then prepare it."""
        from narrator.articles import load_article

        try:
            article = load_article(source)
        except (NarratorError, OSError) as exc:
            self.post(ArticleUnreadable(source, str(exc)))
            return
        path = Path(source) if not is_url(source) else None
        self.prepare(entry_for(article, path))

    @staticmethod
    def _prepare_script(entry: LibraryEntry, engine: BaseEngine | None = None) -> Script:
        """The preview's script (no engine: default chunks) or the one `engine` speaks
        live: its limit, and chunks planned so its first sound comes within a second."""
        from narrator.stream import live_chunk_plan
        from narrator.text import prepare

        article = entry.article
        if engine is None:
            return prepare(article.body, title=article.title or "")
        return prepare(
            article.body, title=article.title or "", fits=engine.fits, budget=live_chunk_plan(engine)
        )

    # -- the engine ----------------------------------------------------------------------

    def engine_for(self, purpose: str = "live") -> BaseEngine:
        """The engine for the current settings, loaded once and reused (worker thread)."""
        key = (self.settings, purpose)
        with self._lock:
            if self._engine is not None and self._engine_key == key:
                return self._engine
        self.post(EngineLoading(self.settings.label))
        choice = self.engine_factory(self.settings, purpose)
        for notice in choice.notices:
            self.post(Notice(notice))
        with self._lock:
            old, self._engine, self._engine_key = self._engine, choice.engine, key
        if old is not None and old is not choice.engine:
            old.close()
        return choice.engine

    def engine_label(self, engine: BaseEngine) -> str:
        """The loaded voice as the status line shows it: `auto → kokoro · hf_alpha · 1.0×`."""
        voice = engine.voice or "default"
        body = f"{engine.name} · {voice} · {self.settings.speed:.1f}×"
        return f"auto → {body}" if self.settings.engine == "auto" else body

    def voice_label(self, settings: VoiceSettings) -> str:
        """What `settings` mean here (`auto → kokoro · hf_alpha · 1.0×`), no model loaded."""
        try:
            return self._describe(settings)
        except NarratorError as exc:
            return f"{settings.label} ({exc})"

    def describe(self) -> None:
        """Post what the current settings mean here, before any voice is loaded (worker)."""
        settings = self.settings
        label = self.voice_label(settings)
        if settings == self.settings:
            self.post(VoiceDescribed(label))

    @property
    def cache(self) -> ChunkCache | None:
        if self._use_cache and self._cache is None:
            from narrator.cache import ChunkCache

            self._cache = ChunkCache()
        return self._cache

    # -- playback ------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        """True while a narrator exists and has not stopped, finished or failed."""
        narrator = self.narrator
        return narrator is not None and not PlaybackState(narrator.state).silent

    def play(
        self, is_cancelled: Callable[[], bool] = lambda: False, start_sentence: int | None = None
    ) -> None:
        """Load the voice, open the sound device and start narrating (worker thread).

        `start_sentence` is where to begin (after a voice change: where the
        listener was); None begins where the listener left the article.

        Posts PlaybackStarted, or NoSoundDevice / Problem. The narrator runs on
        its own threads; its events come back through `_on_event`.
        """
        from narrator.stream import StreamingNarrator

        entry = self.entry
        if entry is None:
            self.post(Problem("open an article first (Enter on the list, or o)"))
            return
        self.stop()
        try:
            engine = self.engine_for("live")
            if is_cancelled():
                return
            script = self._prepare_script(entry, engine)
            sink = self.sink_factory(engine.sample_rate)
        except DeviceError as exc:
            self.post(NoSoundDevice(str(exc)))
            return
        except NarratorError as exc:
            self.post(Problem(str(exc)))
            return
        with self._lock:  # start under the lock: a stop() now waits, then stops it
            if is_cancelled():
                sink.close()
                return
            self._listened = True
            self._generation += 1
            generation = self._generation
            self.play_script, self.sink = script, sink
            self.narrator = narrator = StreamingNarrator(
                engine,
                script,
                sink,
                cache=self.cache,
                on_event=lambda event: self._on_event(generation, event),
            )
            self.post(PlaybackStarted(script, self.engine_label(engine)))
            start = self.resume_sentence if start_sentence is None else start_sentence
            narrator.start()
            if start:
                narrator.seek_sentence(start)

    def _on_event(self, generation: int, event: object) -> None:
        """Forward one narrator event to the app, unless it is from a stopped narrator."""
        if generation == self._generation and isinstance(event, StreamEvent):
            self.post(NarrationEvent(event))

    def toggle_pause(self) -> None:
        if self.narrator is not None:
            self.narrator.toggle_pause()

    def stop(self, wait: float | None = None) -> None:
        """Stop at once: silence the sink now, end the narrator's threads in the background.

        The narrator's own `stop()` joins its producer, which may be inside one
        engine call (seconds, for a neural voice); that wait happens on a helper
        thread so the UI never blocks. Events from the stopped narrator are
        dropped (the generation moved on). `wait` seconds: join the helper (exit).
        """
        with self._lock:
            narrator, self.narrator = self.narrator, None
            sink, self.sink = self.sink, None
            self._generation += 1
        if sink is not None:
            sink.stop()

        def finish() -> None:
            if narrator is not None:
                narrator.stop()
            if sink is not None:
                sink.close()

        if narrator is None:
            finish()
            return
        helper = threading.Thread(target=finish, name="narrator-stop", daemon=True)
        helper.start()
        if wait:
            helper.join(wait)

    @property
    def sentence(self) -> int | None:
        """The sentence being heard (or just sought to); None when nothing plays."""
        narrator = self.narrator
        return narrator.heard_sentence if narrator is not None else None

    def seek_seconds(self, delta_s: float) -> float | None:
        """Jump `delta_s` seconds (±10 s keys); returns where playback goes, so the
        screen can move its clock at once instead of after the next progress report."""
        narrator = self.narrator
        if narrator is None:
            return None
        target = max(0.0, min(narrator.position_s + delta_s, narrator.total_s_estimate))
        narrator.seek_seconds(delta_s)
        return target

    def remember(self, sentence: int, position_s: float) -> None:
        """Keep where the open article is being heard, in the current voice (listener.json).

        Only for an article the listener has played (now or before).
        """
        entry = self.entry
        if entry is None or self.state is None or not self._listened:
            return
        settings = self.settings
        self.state.remember(
            entry.key,
            Listening(settings.engine, settings.voice, settings.speed, sentence, position_s),
        )
        self.resume_sentence = sentence

    def next_sentence(self) -> None:
        if self.narrator is not None:
            self.narrator.next_sentence()

    def previous_sentence(self) -> None:
        if self.narrator is not None:
            self.narrator.previous_sentence()

    def seek_paragraph(self, delta: int) -> None:
        """Jump to the start of the next (+1) or previous (-1) paragraph (Script.paragraph_chunk)."""
        if self.narrator is not None:
            self.narrator.seek_paragraph(delta)

    # -- export --------------------------------------------------------------------------

    def export(self, fmt: str, out_dir: Path) -> None:
        """Export the open article as a finished episode into `out_dir` (worker thread).

        The same path as `narrator export` (narrator.export.export_article):
        loudness-normalized, tagged audio with subtitles and a sidecar, every
        file written atomically. It loads its own engine instance (purpose
        "export": `auto` may choose a better, slower voice than live playback), so
        it never shares a model with playback running at the same time; the chunk
        cache makes what was already heard free.
        """
        from narrator.export import ArticleJob, ExportSettings, export_article

        entry = self.entry
        if entry is None:
            self.post(ExportFailed("open an article first"))
            return
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            engine = self.engine_factory(self.settings, "export").engine
        except (NarratorError, OSError) as exc:
            self.post(ExportFailed(str(exc)))
            return
        job = ArticleJob.from_article(entry.article)  # the same job as `narrator export`
        settings = ExportSettings(out_dir=out_dir, fmt=fmt)

        def progress(report: ExportProgressReport) -> None:
            if report.total:
                self.post(ExportProgress(report.done, report.total))

        try:
            result = export_article(engine, job, settings, cache=self.cache, progress=progress)
        finally:
            if engine is not self._engine:
                engine.close()
        if result.status == "failed" or result.audio is None:
            self.post(ExportFailed(result.error or "export failed"))
        else:
            self.post(ExportFinished(result.audio, skipped=result.status == "skipped"))

    def close(self) -> None:
        """Stop playback and free the engine (on app exit, which must take under a second)."""
        self.stop(wait=0.3)
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()
