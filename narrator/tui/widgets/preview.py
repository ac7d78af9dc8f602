"""The preview: exactly what will be spoken, beside the article's own words.

Why two views: normalization rewrites the text (₹1,20,000 becomes words, GPU
becomes जीपीयू), and cleaning drops boilerplate. The listener should be able to
check both before pressing play. `t` cycles spoken → original → both side by side.

The spoken view has one line per chunk (what the engine receives in one call);
the original view has one line per sentence of the cleaned article, followed by
what cleaning removed. During playback the chunk being heard, and the sentences
it speaks, are highlighted and kept in the middle of the view (read-along).
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from narrator.library import LibraryEntry, estimate_listening_s, format_listen
from narrator.text.script import Chunk, Script

Mode = Literal["spoken", "original", "both"]
MODES: tuple[Mode, ...] = ("spoken", "original", "both")
SPEAKING = "-speaking"


class Preview(Vertical):
    """Title, warnings, and the spoken / original text with read-along highlight."""

    mode: reactive[Mode] = reactive("spoken")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry: LibraryEntry | None = None
        self.script: Script | None = None
        self.speaking: int | None = None
        """Index of the chunk being heard, or None."""
        self.speaking_sentences: list[int] = []
        self._chunk_lines: list[Static] = []
        self._sentence_lines: list[Static] = []
        self.border_title = "पूर्वावलोकन · Preview"

    def compose(self) -> ComposeResult:
        yield Static("Choose an article on the left (Enter).", id="preview-title", markup=False)
        yield Static("", id="preview-meta", markup=False)
        yield Static("", id="preview-warning", markup=False)
        with Horizontal(id="preview-views"):
            yield VerticalScroll(id="spoken", classes="pane")
            yield VerticalScroll(id="original", classes="pane")

    def on_mount(self) -> None:
        self.query_one("#preview-warning").display = False
        self._apply_mode()

    # -- content ------------------------------------------------------------------------

    def show(self, entry: LibraryEntry, script: Script) -> None:
        """Show an article's spoken chunks and its sentences (replaces what was shown)."""
        self.entry, self.script = entry, script
        self.speaking, self.speaking_sentences = None, []
        self.query_one("#preview-title", Static).update(entry.title)
        spoken_s = estimate_listening_s(script.spoken_text)
        meta = [entry.source_label, entry.date_label, f"{len(script.sentences)} sentences"]
        meta.append(format_listen(spoken_s))
        self.query_one("#preview-meta", Static).update(" · ".join(p for p in meta if p))
        self._set_warning(self._warning_for(script))
        self._chunk_lines = [
            Static(
                chunk.text, markup=False, classes=self._line_classes("chunk", chunk.paragraph, prev)
            )
            for chunk, prev in zip(script.chunks, [None, *script.chunks])
        ]
        self._sentence_lines = [
            Static(s.text, markup=False, classes=self._line_classes("sentence", s.paragraph, prev))
            for s, prev in zip(script.sentences, [None, *script.sentences])
        ]
        removed: list[Static] = []
        if script.removed:
            removed.append(Static("हटाया गया · Removed before speaking", classes="removed-heading"))
            removed.extend(
                Static(f"{r.text}  ({r.reason})", markup=False, classes="removed")
                for r in script.removed
            )
        spoken = self.query_one("#spoken", VerticalScroll)
        original = self.query_one("#original", VerticalScroll)
        spoken.remove_children()
        original.remove_children()
        if not script.chunks:
            spoken.mount(Static("Nothing to speak in this article.", classes="empty"))
        spoken.mount_all(self._chunk_lines)
        original.mount_all([*self._sentence_lines, *removed])
        spoken.scroll_home(animate=False)
        original.scroll_home(animate=False)

    def show_unreadable(self, source: str, message: str) -> None:
        """Say that an article could not be read (the old text is cleared)."""
        self.entry, self.script = None, None
        self.speaking, self.speaking_sentences = None, []
        self._chunk_lines, self._sentence_lines = [], []
        self.query_one("#preview-title", Static).update(source)
        self.query_one("#preview-meta", Static).update("")
        self._set_warning(f"⚠ could not be read: {message}")
        self.query_one("#spoken", VerticalScroll).remove_children()
        self.query_one("#original", VerticalScroll).remove_children()

    @staticmethod
    def _line_classes(kind: str, paragraph: int, prev: object | None) -> str:
        new_paragraph = prev is not None and getattr(prev, "paragraph", paragraph) != paragraph
        return f"{kind} -paragraph-start" if new_paragraph else kind

    @staticmethod
    def _warning_for(script: Script) -> str:
        if not script.chunks:
            return "⚠ nothing to speak: the article has no readable text"
        if not script.removed:
            return ""
        n = len(script.removed)
        first = script.removed[0].text.strip().replace("\n", " ")
        first = first if len(first) <= 40 else first[:39] + "…"
        what = "passage" if n == 1 else "passages"
        return f"⚠ {n} {what} removed before speaking (“{first}”) — t shows them"

    def _set_warning(self, text: str) -> None:
        warning = self.query_one("#preview-warning", Static)
        warning.update(text)
        warning.display = bool(text)

    # -- view mode ------------------------------------------------------------------------

    def cycle_mode(self) -> Mode:
        """spoken → original → both → spoken; returns the new mode."""
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        return self.mode

    def watch_mode(self) -> None:
        if self.is_mounted:
            self._apply_mode()

    def _apply_mode(self) -> None:
        self.query_one("#spoken").display = self.mode in ("spoken", "both")
        self.query_one("#original").display = self.mode in ("original", "both")
        self.set_class(self.mode == "both", "-both")
        labels = {"spoken": "spoken text", "original": "original text", "both": "spoken | original"}
        self.border_subtitle = f"{labels[self.mode]} · t toggles"
        self._keep_in_view()

    # -- read-along -----------------------------------------------------------------------

    def highlight(self, chunk: Chunk | None) -> None:
        """Mark the chunk being heard (and its sentences) and scroll it into view."""
        for index in [self.speaking] if self.speaking is not None else []:
            if index < len(self._chunk_lines):
                self._chunk_lines[index].remove_class(SPEAKING)
        for index in self.speaking_sentences:
            if index < len(self._sentence_lines):
                self._sentence_lines[index].remove_class(SPEAKING)
        if chunk is None or self.script is None:
            self.speaking, self.speaking_sentences = None, []
            return
        self.speaking = chunk.index
        self.speaking_sentences = [
            i
            for i, s in enumerate(self.script.sentences)
            if s.start < chunk.source_end and chunk.source_start < s.end
        ] or [chunk.sentence]
        if chunk.index < len(self._chunk_lines):
            self._chunk_lines[chunk.index].add_class(SPEAKING)
        for index in self.speaking_sentences:
            if index < len(self._sentence_lines):
                self._sentence_lines[index].add_class(SPEAKING)
        self._keep_in_view()

    def _keep_in_view(self) -> None:
        targets = []
        if self.speaking is not None and self.speaking < len(self._chunk_lines):
            targets.append(("#spoken", self._chunk_lines[self.speaking]))
        if self.speaking_sentences and self.speaking_sentences[0] < len(self._sentence_lines):
            targets.append(("#original", self._sentence_lines[self.speaking_sentences[0]]))
        for pane_id, line in targets:
            pane = self.query_one(pane_id, VerticalScroll)
            if pane.display and line.is_mounted:
                pane.scroll_to_center(line, animate=False)

    def speaking_text(self) -> str:
        """The spoken text of the highlighted chunk ("" when nothing plays)."""
        if self.script is None or self.speaking is None:
            return ""
        return self.script.chunks[self.speaking].text
