"""Headlines of other stories that a scrape left between paragraphs, without a label.

News pages put links to related stories between paragraphs. A scraper keeps
their text and drops the markup, so the headline lands at the start of the next
paragraph, glued to its first word:

    …टाई ब्रेकर में मरे से हार गए.
    चैम्पियन जोकोविच ऑस्ट्रेलियन ओपन से बाहरवहीं महिला वर्ग में…

A listener hears "…से बाहरवहीं महिला…", one sentence of nonsense. The shapes
that give such a headline away, at the start of a line that follows a finished
paragraph:

* a fused word: a string that is no word but a known word plus a word that
  starts sentences ("बाहर|वहीं", "बच्चा|इसके") or one the article uses on
  its own elsewhere (vocabulary.py);
* a bracketed title glued to the next sentence: "(रेत के तूफान का खतरा)नाडिक्डिक…"
  (a bracketed aside followed by a space is the article's own);
* a title in quotes (a question, often) glued to the next sentence: "'भारत ने
  क्यों वीज़ा दिया?'लेकिन अखबार…" (but not a quote that the next words
  attribute: '"क्या आप तैयार हैं?"उन्होंने पूछा' is the article speaking; and
  not an unquoted question, which is a sentence of the paragraph glued to the next);
* a read-on label ("पढ़िए:") before a headline.

The headline goes (listed in `removed` as a related headline); the fused word is
split so the paragraph after it starts with its own first word. A heading on a
line of its own is not touched: in a well-formed article that is a section heading.
"""

from __future__ import annotations

import re

from narrator.text.breaks import NON_FINAL, fused_starter
from narrator.text.script import Reason, Removal
from narrator.text.vocabulary import zipf

__all__ = ["drop_related_headlines"]

_DEV = "\u0900-\u0963\u0971-\u097f"
_LETTER = "\u0904-\u0939\u0958-\u0961\u0972-\u097f"
_ENDED = tuple("।॥?!.…\"'”’)]")
_STOPS = re.compile("[।॥?!.]")
_MAX_HEAD_WORDS = 15

# The words after a quotation say who spoke: '"…?" उन्होंने पूछा' is the article's own text.
_SPEECH = re.compile(
    r"^(?!(?:लेकिन|मगर|हालांकि|हालाँकि|वहीं|इसके|इसलिए|जबकि|तो|फिर|अब|इस|ये|यह|दरअसल|एक)\s)"
    r"[^।.?!]{0,40}(?:कहा|कहते|कहती|कहना|पूछा|पूछते|पूछती|बताया|बोले|बोलीं|बोला|लिखा|जोड़ा)"
)
_LABEL = re.compile(r"^\(?\s*(?:(?:यह|ये|इसे) भी )?(?:पढ़िए|पढ़ें|पढ़े|देखिए|देखें)\s*[:：]\s*")
_BRACKETED = re.compile(rf"^\((?P<head>[^()\n]{{3,150}})\)(?=[\"'‘“]?[{_LETTER}])")
_GLUED_QUOTE = re.compile(
    rf"^(?P<head>[\"'‘“]+[^।.!?\n\"'‘’“”]{{3,120}}[?!]?[\"'’”]+)(?=[{_LETTER}])"
)
_TOKEN = re.compile(r"\S+")


def drop_related_headlines(lines: list[str], removed: list[Removal]) -> list[str]:
    """Remove related-story headlines from the starts of lines (see the module doc)."""
    vocabulary: frozenset[str] | None = None
    out: list[str] = []
    previous = ""
    for line in lines:
        stripped = line.strip()
        if stripped and previous.endswith(_ENDED):
            if vocabulary is None:
                vocabulary = frozenset(re.findall(f"[{_DEV}]+", "\n".join(lines)))
            line = _drop_head(stripped, vocabulary, removed)
        out.append(line)
        if line.strip():
            previous = line.strip()
    return out


def _drop_head(line: str, vocabulary: frozenset[str], removed: list[Removal]) -> str:
    label = _LABEL.match(line)
    if label:
        rest = line[label.end() :]
        end = rest.find(")")
        cut = _seam(rest, vocabulary)
        if 0 <= end and (cut is None or end < cut):
            return _remove(line, label.end() + end + 1, Reason.READ_ALSO, removed)
        if cut is not None:
            return _remove(line, label.end() + cut, Reason.READ_ALSO, removed)
        return line  # a label line of its own: the line rules judge it
    bracketed = _BRACKETED.match(line)
    if (
        bracketed
        and not _STOPS.search(bracketed["head"].rstrip("?!"))
        and _titled(bracketed["head"])
    ):
        return _remove(line, bracketed.end(), Reason.RELATED_HEADLINE, removed)
    question = _GLUED_QUOTE.match(line)
    if question and not _SPEECH.match(line[question.end() :]):
        return _remove(line, question.end(), Reason.RELATED_HEADLINE, removed)
    cut = _seam(line, vocabulary)
    if cut is not None:
        return _remove(line, cut, Reason.RELATED_HEADLINE, removed)
    return line


# A title ends on a noun or a verb; an aside ends on these ("…के अनुसार)").
_ASIDE_END = frozenset(["अनुसार", "मुताबिक़", "मुताबिक", "बावजूद", "दौरान", "बाद", "पहले", "साथ", "बारे"])


def _titled(head: str) -> bool:
    words = head.split()
    last = words[-1].strip("\"'“”‘’?!,") if words else ""
    return bool(last) and last not in NON_FINAL and last not in _ASIDE_END


def _remove(line: str, end: int, reason: Reason, removed: list[Removal]) -> str:
    head, rest = line[:end].strip(), line[end:].strip()
    if not re.search(f"[{_DEV}A-Za-z]", rest):
        return line  # nothing after it: a heading of its own, not a fused headline
    removed.append(Removal(head, reason))
    return rest


def _seam(line: str, vocabulary: frozenset[str]) -> int | None:
    """Where a headline fused to the next sentence ends: the start of its second word."""
    for n, m in enumerate(_TOKEN.finditer(line)):
        if n >= _MAX_HEAD_WORDS or _STOPS.search(m[0]):
            return None
        word = m[0].strip("\"'“”‘’,:;-—")
        if len(word) < 4 or not re.fullmatch(f"[{_DEV}]+", word) or zipf(word) >= 1.0:
            continue
        split = _split(word, vocabulary)
        if split is None:
            continue
        rest_words = len(line[m.start() :].split())
        if n >= 1 and rest_words >= 3 and _titled(line[: m.start()] + word[:split]):
            return m.start() + m[0].index(word) + split
    return None


def _split(word: str, vocabulary: frozenset[str]) -> int | None:
    """The split point of a fused word: a known word, then a word that starts
    sentences or one the article uses on its own elsewhere."""
    return fused_starter(word, also=vocabulary, any_starter=True)
