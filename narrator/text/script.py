"""The data types of the text path: what will be spoken, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    """Why the cleaner took a passage out (shown by `narrator text --json` and the TUI)."""

    HTML = "html"  # <script>, <style>, <noscript>: never text a reader sees
    READ_ALSO = "read-also"  # "यह भी पढ़ें" / "Read Also" and the links under it
    RELATED_HEADLINE = "related-headline"  # a linked headline of another story, no label
    PROMO = "promo"  # app downloads, "follow us", "click here", subscribe
    COMMENTS = "comments"  # a comment box and readers' comments
    CHROME = "chrome"  # page furniture: ads, tags, notices, breadcrumbs, player controls
    CREDIT = "credit"  # picture credits
    CAPTION = "caption"  # picture captions and gallery counters
    STAMP = "stamp"  # date stamps and bylines
    SHARE = "share"  # share and follow buttons
    ADDRESS = "address"  # the unreadable tail of a web address (path, query); the host is read
    FOREIGN_SCRIPT = "foreign-script"  # a run of a script a Hindi voice cannot read
    PUNCTUATION = "punctuation"  # a line left with nothing but punctuation


@dataclass(frozen=True)
class Removal:
    """One passage the cleaner removed, and the rule that removed it."""

    text: str
    reason: Reason


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading) of the cleaned article.

    `start`/`end` index the cleaned text, so the UI can highlight it and
    subtitles can quote it.
    """

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Chunk:
    """One unit of synthesis: what the engine receives in one call.

    text          the spoken (normalized) Hindi sent to the engine; never empty
    source_start  span of the cleaned article text this chunk speaks
    source_end
    sentence      index of the sentence this chunk belongs to (its first one
                  when several short sentences were joined)
    paragraph     paragraph index, for the longer pause between paragraphs
    ends_sentence True when the chunk ends at a sentence end (pause after it)
    ends_paragraph True when the chunk ends a paragraph (longer pause)
    """

    index: int
    text: str
    source_start: int
    source_end: int
    sentence: int
    paragraph: int
    ends_sentence: bool = True
    ends_paragraph: bool = False


@dataclass
class Script:
    """An article made ready to speak: cleaned text, its sentences and chunks.

    `removed` lists what cleaning dropped (boilerplate, stray scripts), each
    with its reason, so the preview can warn the user about it.
    """

    title: str
    cleaned: str
    sentences: list[Sentence]
    chunks: list[Chunk]
    removed: list[Removal] = field(default_factory=list)

    @property
    def spoken_text(self) -> str:
        return "\n".join(c.text for c in self.chunks)

    # -- where sentences and paragraphs start, in chunk positions -------------
    # Positions index `chunks` (equal to `Chunk.index` in a script from
    # prepare()). A chunk may hold several short sentences; `Chunk.sentence` is
    # its first, so a sentence that starts inside a chunk is reached by playing
    # that chunk from its start.

    @property
    def sentence_count(self) -> int:
        """Sentences in the article (from the chunks when `sentences` is empty)."""
        if self.sentences:
            return len(self.sentences)
        return self.chunks[-1].sentence + 1 if self.chunks else 0

    def sentence_starts(self) -> list[tuple[int, int]]:
        """(sentence index, position of the chunk it starts), one per chunk that starts one."""
        starts: list[tuple[int, int]] = []
        for position, chunk in enumerate(self.chunks):
            if not starts or chunk.sentence != starts[-1][0]:
                starts.append((chunk.sentence, position))
        return starts

    def chunk_for_sentence(self, sentence: int) -> int:
        """Position of the chunk to play from to hear sentence `sentence` (0-based).

        The first chunk of that sentence, or of the chunk that holds it when it
        shares a chunk with the sentences before it; 0 for an empty script.
        """
        best = 0
        for first_sentence, position in self.sentence_starts():
            if first_sentence > sentence:
                break
            best = position
        return best

    def next_sentence_chunk(self, sentence: int) -> int | None:
        """Position of the first chunk that starts a sentence after `sentence`, if any."""
        for first_sentence, position in self.sentence_starts():
            if first_sentence > sentence:
                return position
        return None

    def previous_sentence_chunk(self, sentence: int) -> int:
        """Position of the last chunk that starts a sentence before `sentence` (else the first)."""
        best = 0
        for first_sentence, position in self.sentence_starts():
            if first_sentence >= sentence:
                break
            best = position
        return best

    def paragraph_chunk(self, position: int, delta: int) -> int | None:
        """Where the next (+1) or previous (-1) paragraph starts, from the chunk at `position`.

        Going back from inside a paragraph goes to its own start first, as a
        media player's "previous" does. None when there is no next paragraph.
        """
        if not self.chunks:
            return None
        position = max(0, min(position, len(self.chunks) - 1))
        current = self.chunks[position].paragraph
        starts = [
            i for i, c in enumerate(self.chunks) if i == 0 or self.chunks[i - 1].paragraph != c.paragraph
        ]
        if delta > 0:
            return next((i for i in starts if self.chunks[i].paragraph > current), None)
        own = max(i for i in starts if i <= position)
        earlier = [i for i in starts if i < own]
        return own if own < position or not earlier else earlier[-1]

    def sentences_in(self, chunk: Chunk) -> list[int]:
        """Indexes of the sentences `chunk` speaks (at least its own), in order."""
        found = [
            i
            for i, s in enumerate(self.sentences)
            if s.start < chunk.source_end and chunk.source_start < s.end
        ]
        return found or [chunk.sentence]

    def sentence_at(self, position: int, fraction: float) -> int:
        """The sentence heard `fraction` (0..1) of the way through the chunk at `position`.

        A chunk of several short sentences is read in one synthesis; assuming an
        even pace over its source text, the fraction of its audio played maps to
        a place in its span of `cleaned`, and so to the sentence there. Exact for
        chunks of one sentence (their `sentence`).
        """
        chunk = self.chunks[position]
        span = chunk.source_end - chunk.source_start
        if not self.sentences or span <= 0:
            return chunk.sentence
        at = chunk.source_start + min(max(fraction, 0.0), 1.0) * span
        heard = chunk.sentence
        for i in range(chunk.sentence, len(self.sentences)):
            if self.sentences[i].start > at or self.sentences[i].start >= chunk.source_end:
                break
            heard = i
        return heard
