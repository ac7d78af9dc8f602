"""The preview: exactly what will be spoken, beside the article's own words.

Why two views: normalization rewrites the text (₹1,20,000 becomes words, GPU
becomes जीपीयू), and cleaning drops boilerplate. The listener should be able to
check both before pressing play. `t` cycles spoken → original → both side by side.

The spoken view has one passage per chunk (what the engine receives in one
call); the original view has one per sentence of the cleaned article, followed
by what cleaning removed. During playback the sentence being heard is marked in
both views (inside its chunk in the spoken view) and kept in the middle of the
view (read-along); before playback, the sentence the listener left the article
at is marked the same way, more faintly. Both views draw only the rows on
screen (ReadAlongText), so a 150 KB article shows at once.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from narrator.library import LibraryEntry, estimate_listening_s, format_chars, format_listen
from narrator.text.script import Chunk, Script
from narrator.tui.read_along import SpokenSentence, spoken_sentences
from narrator.tui.widgets.read_along_text import Mark, Passage, ReadAlongText

Mode = Literal["spoken", "original", "both"]
MODES: tuple[Mode, ...] = ("spoken", "original", "both")
SPEAKING = "speaking"
"""Mark of the sentence being heard."""
RESUME = "resume"
"""Mark of the sentence the listener left the article at (before play)."""


def chunk_passages(script: Script) -> list[Passage]:
    """The spoken view: one passage per chunk, a blank row between paragraphs."""
    if not script.chunks:
        return [Passage("Nothing to speak in this article.", "note")]
    return [
        Passage(c.text, "chunk", gap_before=i > 0 and script.chunks[i - 1].paragraph != c.paragraph)
        for i, c in enumerate(script.chunks)
    ]


def sentence_passages(script: Script) -> list[Passage]:
    """The original view: each sentence of the cleaned article, then what was removed."""
    passages = [
        Passage(
            s.text, "sentence", gap_before=i > 0 and script.sentences[i - 1].paragraph != s.paragraph
        )
        for i, s in enumerate(script.sentences)
    ]
    if script.removed:
        passages.append(Passage("हटाया गया · Removed before speaking", "heading", gap_before=True))
        passages.extend(Passage(f"{r.text}  ({r.reason})", "removed") for r in script.removed)
    return passages


class Preview(Vertical):
    """Title, warnings, and the spoken / original text with read-along marks."""

    mode: reactive[Mode] = reactive("spoken")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry: LibraryEntry | None = None
        self.script: Script | None = None
        self.speaking: int | None = None
        """Index of the chunk being heard (or marked to resume at), or None."""
        self.speaking_sentences: list[int] = []
        """The sentence being heard (or marked to resume at), as a one-item list."""
        self.mark = SPEAKING
        self.border_title = "पूर्वावलोकन · Preview"

    def compose(self) -> ComposeResult:
        yield Static("Choose an article on the left (Enter).", id="preview-title", markup=False)
        yield Static("", id="preview-meta", markup=False)
        yield Static("", id="preview-warning", markup=False)
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="preview-progress")
        with Horizontal(id="preview-views"):
            yield ReadAlongText(id="spoken", classes="pane")
            yield ReadAlongText(id="original", classes="pane")

    def on_mount(self) -> None:
        self.query_one("#preview-warning").display = False
        self.query_one("#preview-progress").display = False
        self._apply_mode()

    @property
    def spoken(self) -> ReadAlongText:
        return self.query_one("#spoken", ReadAlongText)

    @property
    def original(self) -> ReadAlongText:
        return self.query_one("#original", ReadAlongText)

    # -- content ------------------------------------------------------------------------

    def show_preparing(self, title: str, chars: int) -> None:
        """Say that an article is being prepared (a long one takes seconds), with a busy bar."""
        self.query_one("#preview-title", Static).update(title)
        self.query_one("#preview-meta", Static).update(
            f"preparing {format_chars(chars)} for speaking…"
        )
        self.query_one("#preview-progress").display = True

    def show(self, entry: LibraryEntry, script: Script) -> None:
        """Show an article's spoken chunks and its sentences (replaces what was shown)."""
        self.query_one("#preview-progress").display = False
        self.entry, self.script = entry, script
        self.speaking, self.speaking_sentences = None, []
        self.query_one("#preview-title", Static).update(entry.title)
        spoken_s = estimate_listening_s(script.spoken_text)
        meta = [entry.source_label, entry.date_label, f"{len(script.sentences)} sentences"]
        meta.append(format_listen(spoken_s))
        self.query_one("#preview-meta", Static).update(" · ".join(p for p in meta if p))
        self._set_warning(self._warning_for(script))
        self.spoken.set_passages(chunk_passages(script))
        self.original.set_passages(sentence_passages(script))

    def show_unreadable(self, source: str, message: str) -> None:
        """Say that an article could not be read (the old text is cleared)."""
        self.query_one("#preview-progress").display = False
        self.entry, self.script = None, None
        self.speaking, self.speaking_sentences = None, []
        self.query_one("#preview-title", Static).update(source)
        self.query_one("#preview-meta", Static).update("")
        self._set_warning(f"⚠ could not be read: {message}")
        self.spoken.set_passages([])
        self.original.set_passages([])

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
        self.spoken.display = self.mode in ("spoken", "both")
        self.original.display = self.mode in ("original", "both")
        self.set_class(self.mode == "both", "-both")
        labels = {"spoken": "spoken text", "original": "original text", "both": "spoken | original"}
        self.border_subtitle = f"{labels[self.mode]} · t toggles"
        self.call_after_refresh(self._keep_in_view)

    # -- read-along -----------------------------------------------------------------------

    def highlight(
        self, chunk: Chunk | None, span: SpokenSentence | None = None, *, mark: str = SPEAKING
    ) -> None:
        """Mark the sentence being heard (`span` of `chunk`) and scroll it into view.

        `span` None marks the chunk's first sentence; `mark` RESUME marks where
        the listener left the article instead of what plays now.
        """
        script = self.script
        if chunk is None or script is None:
            self.speaking, self.speaking_sentences = None, []
            self.spoken.set_mark(None)
            self.original.set_mark(None)
            return
        if span is None:
            span = spoken_sentences(chunk, script)[0]
        kind = "resume" if mark == RESUME else "speaking"
        self.speaking, self.speaking_sentences, self.mark = chunk.index, [span.sentence], mark
        self.spoken.set_mark(Mark(chunk.index, span.start, span.end, kind))
        if span.sentence < len(script.sentences):
            length = len(script.sentences[span.sentence].text)
            self.original.set_mark(Mark(span.sentence, 0, length, kind))
        self._keep_in_view()

    def mark_resume(self, sentence: int) -> None:
        """Mark the sentence playback will start at (where the listener left off)."""
        script = self.script
        if script is None or not script.chunks or not 0 < sentence < len(script.sentences):
            self.highlight(None)
            return
        chunk = script.chunks[script.chunk_for_sentence(sentence)]
        spans = spoken_sentences(chunk, script)
        span = next((s for s in spans if s.sentence == sentence), spans[0])
        self.highlight(chunk, span, mark=RESUME)

    def _keep_in_view(self) -> None:
        if self.speaking is not None and self.spoken.display:
            self.spoken.keep_in_view(self.speaking)
        if self.speaking_sentences and self.original.display:
            self.original.keep_in_view(self.speaking_sentences[0])

    def speaking_text(self) -> str:
        """The spoken text of the marked chunk ("" when nothing is marked)."""
        if self.script is None or self.speaking is None:
            return ""
        return self.script.chunks[self.speaking].text

    def marked_text(self) -> str:
        """The part of the marked chunk that is highlighted: the sentence being heard."""
        mark = self.spoken.mark
        if mark is None or not 0 <= mark.index < len(self.spoken.passages):
            return ""
        return self.spoken.passages[mark.index].text[mark.start : mark.end]
