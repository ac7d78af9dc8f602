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
