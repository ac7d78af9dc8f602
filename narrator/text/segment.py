"""Sentences and chunks: where the voice pauses, and what one synthesis call gets.

Two steps, both on the *cleaned* source text so every piece keeps its span:

* `split_sentences` finds sentence ends (। ॥ ? ! . and line breaks) without
  breaking numbers (16.9, 10:30, v2.5) or abbreviations (डॉ., Mr., U.S.).
* `make_chunks` turns sentences into engine-sized chunks: short sentences of one
  paragraph are joined while the engine's limit allows; an over-long sentence is
  cut at clause boundaries (, ; : — and conjunctions such as और, लेकिन, कि)
  before any hard cut at a word boundary. The first chunk is kept short so audio
  can start after one quick synthesis; the following ones grow to the limit.

Normalization (`speak`) runs on each source piece, and the limit (`fits`) is
tested on the spoken text, because that is what the engine receives.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narrator.text import dates
from narrator.text.script import Chunk, Sentence

__all__ = ["FIRST_CHUNK_CHARS", "MIN_CHUNK_CHARS", "ChunkBudget", "make_chunks", "split_sentences"]

ChunkBudget = Callable[[Sequence[Chunk]], int | None]
"""The most spoken characters the next chunk may hold, given the chunks planned
before it (None: only the engine's limit). Live narration plans with one
(narrator.stream.timeline.chunk_plan) so synthesis stays ahead of playback."""

# Chunks shorter than this (spoken characters) are merged into a neighbour when
# the limit allows: XTTS in particular invents words on tiny inputs.
MIN_CHUNK_CHARS = 12
# The first chunk aims at this many spoken characters (one clause) so the first
# synthesis is quick; each following chunk may be twice as long as the one
# before, up to the engine's limit.
FIRST_CHUNK_CHARS = 80
_BUDGET_OFF = 4000
# Source characters no engine takes in one call (their limits are 250-500
# spoken characters): a longer span is cut without being normalized first.
_NEVER_FITS = 2000
# No word is longer (URLs are cut to their host by the cleaner): a longer run
# with no space is a pasted blob, cut into pieces of this size.
_LONGEST_WORD = 100

# --- sentence boundaries ---------------------------------------------------

_TERMINATOR_RUN = re.compile(r"[।॥?!.…]+[\"'”’»›)\]}]*")
_SENTENCE_END_CHARS = "।॥?!.…"

# Latin abbreviations after which "." does not end a sentence (compared in lower case).
_LATIN_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "sh",
        "smt",
        "vs",
        "etc",
        "rs",
        "no",
        "nos",
        "pvt",
        "ltd",
        "inc",
        "co",
        "corp",
        "fig",
        "vol",
        "approx",
        "est",
        "dept",
        "govt",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "hon",
        "rev",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
    ]
)
# Devanagari abbreviations (डॉ. = डॉक्टर, सं. = संवाददाता/संपादक, पं. = पंडित ...).
_DEVANAGARI_ABBREVIATIONS = frozenset(
    ["डॉ", "डा", "श्री", "श्रीमती", "सुश्री", "प्रो", "सं", "कु", "स्व", "पं", "मो", "लि", "प्रा", "नं", "मि"]
)
_LATIN_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, e.g, a.m
_AKSARA = (
    r"[\u0904-\u0939\u0958-\u0961\u0972-\u097F]\u093C?[\u093E-\u094C\u0962\u0963]?[\u0900-\u0903]?"
)
# Latin letters as Hindi writes them in initials: "के.एल. राहुल", "एम. एस. धोनी".
_LETTER_NAMES = "डब्ल्यू|डबल्यू|एक्स|क्यू|ज़ेड|जेड|वाई|एच|एफ|एल|एम|एन|एस|आर|आई"
_INITIAL = rf"(?:{_LETTER_NAMES}|{_AKSARA})"
_DEVANAGARI_INITIAL = re.compile(rf"^{_INITIAL}$")
_DEVANAGARI_DOTTED = re.compile(rf"^(?:{_INITIAL}\.)+{_INITIAL}$")  # ए.पी.जे, के.एल
_TOKEN_EDGE = "\"'“”‘’«»()[]{}<>"


def split_sentences(text: str) -> list[Sentence]:
    """Split cleaned text into sentences with exact spans.

    Every non-empty line starts a new paragraph (scraped news puts one paragraph
    per line; blank lines between them change nothing), and a line never
    continues into the next one, so a heading without final punctuation is its
    own sentence. `text[s.start:s.end] == s.text` for every sentence.
    """
    sentences: list[Sentence] = []
    paragraph = -1
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        for start, end in _split_line(line):
            piece = line[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            s = line_start + start + lead
            sentences.append(Sentence(stripped, s, s + len(stripped), paragraph))
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    """Spans of the sentences within one line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINATOR_RUN.finditer(line):
        if _is_boundary(line, match):
            spans.append((start, match.end()))
            start = match.end()
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def _is_boundary(line: str, match: re.Match[str]) -> bool:
    run = match.group()
    marks = run.rstrip("\"'”’»›)]}")
    after = line[match.end() : match.end() + 1]
    if any(ch in "।॥?!" for ch in marks):
        return True
    followed_by_space = after == "" or after.isspace()
    if marks != ".":
        # an ellipsis ends a sentence only where a space follows it
        return followed_by_space
    if not followed_by_space:
        return False  # 16.9, v2.5, U.S, example.com, a dot glued to the next word
    token = _token_before(line, match.start())
    if not token:
        return True
    if token.isdigit() and not line[: match.start() - len(token)].strip():
        return False  # "1. " at the start of a line is a list marker
    if token.lower() in _LATIN_ABBREVIATIONS or token in _DEVANAGARI_ABBREVIATIONS:
        return False
    if _LATIN_DOTTED.match(token) or _DEVANAGARI_DOTTED.match(token):
        return False
    if len(token) == 1 and "A" <= token <= "Z":
        return False  # an initial: "J. Robert Oppenheimer"
    if _DEVANAGARI_INITIAL.match(token):
        # a run of initials such as "ए. पी. जे. अब्दुल कलाम"; a lone short word
        # ("है.") still ends its sentence
        prev = _token_before(line, match.start() - len(token) - 1).rstrip(".")
        before_prev = line[: match.start() - len(token)].rstrip()
        prev_is_initial = before_prev.endswith(".") and bool(_DEVANAGARI_INITIAL.match(prev))
        next_token = re.match(r"\s*(\S+)", line[match.end() :])
        next_is_initial = bool(
            next_token
            and next_token.group(1).endswith(".")
            and _DEVANAGARI_INITIAL.match(next_token.group(1)[:-1])
        )
        if prev_is_initial or next_is_initial:
            return False
    return True


def _token_before(line: str, end: int) -> str:
    """The word that ends at `end`, without surrounding quotes or brackets."""
    start = end
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:end].strip(_TOKEN_EDGE)


# --- chunks -------------------------------------------------------------------

# Clause ends: a comma, semicolon or colon before a space; a dash (not inside a
# number range such as 10–20); a spaced hyphen.
_CLAUSE_PUNCT = re.compile(r"[,;:،](?=\s)|(?<!\d)[—–](?!\d)|(?<=\s)-(?=\s)")
_CONJUNCTIONS = [
    "और",
    "तथा",
    "एवं",
    "लेकिन",
    "किंतु",
    "किन्तु",
    "परंतु",
    "परन्तु",
    "मगर",
    "कि",
    "या",
    "अथवा",
    "क्योंकि",
    "जबकि",
    "बल्कि",
    "ताकि",
    "इसलिए",
    "जो",
    "जिससे",
    "जिसके",
    "जिसकी",
    "जिसका",
    "जिसमें",
    "जिसने",
    "जिन्होंने",
    "जिनके",
    "जिनकी",
    "जहां",
    "जहाँ",
]
_CONJUNCTION = re.compile(
    r"(?<=\s)(?:" + "|".join(sorted(_CONJUNCTIONS, key=len, reverse=True)) + r")(?=[\s,])"
)
_SPACE_RUN = re.compile(r"\s+")
# A phrase end, where a live plan may cut when no clause boundary fits: after a
# postposition that closes a noun phrase (not का/की/के, which bind to the next noun).
_PHRASE_END = re.compile(r"(?<=\s)(?:ने|को|से|में|पर|तक|द्वारा)(?=[\s,])")
_TERMINAL = set(_SENTENCE_END_CHARS) | set(":;,—–-")


@dataclass
class _Piece:
    """A span of source text and its spoken form, the unit chunks are made of."""

    start: int
    end: int
    spoken: str
    sentence: int
    paragraph: int
    ends_sentence: bool = False
    ends_paragraph: bool = False


def make_chunks(
    text: str,
    sentences: list[Sentence],
    *,
    speak: Callable[[str], str],
    fits: Callable[[str], bool],
    short_first: bool = True,
    budget: ChunkBudget | None = None,
) -> list[Chunk]:
    """Group sentences into chunks an engine can speak in one call.

    speak  turns a piece of source text into the spoken text (normalization)
    fits   the engine's limit test on spoken text
    short_first  keep the first chunk to about one clause, then let chunks grow
    budget  overrides `short_first`: each chunk's size limit from those before it

    Every chunk's text is non-empty and passes `fits`; chunks are in source
    order and their spans do not overlap. A piece with nothing to say (bare
    punctuation) lends its span to a neighbour and is never emitted alone.
    """
    splitter = _Splitter(text, speak, fits)
    pieces: list[_Piece] = []
    for index, sentence in enumerate(sentences):
        last_of_paragraph = index + 1 == len(sentences) or (
            sentences[index + 1].paragraph != sentence.paragraph
        )
        parts = splitter.split(sentence.start, sentence.end)
        for n, (start, end, spoken) in enumerate(parts):
            is_last = n + 1 == len(parts)
            pieces.append(
                _Piece(
                    start,
                    end,
                    spoken,
                    index,
                    sentence.paragraph,
                    ends_sentence=is_last,
                    ends_paragraph=is_last and last_of_paragraph,
                )
            )
    pieces = _absorb_silent(pieces)
    groups = _group(pieces, splitter, short_first, budget)
    groups = _merge_tiny(groups, fits)
    return [_chunk(index, group) for index, group in enumerate(groups)]


def _chunk(index: int, group: list[_Piece]) -> Chunk:
    first, last = group[0], group[-1]
    return Chunk(
        index=index,
        text=_join(group),
        source_start=first.start,
        source_end=last.end,
        sentence=first.sentence,
        paragraph=first.paragraph,
        ends_sentence=last.ends_sentence,
        ends_paragraph=last.ends_paragraph,
    )


def _speakable(spoken: str) -> bool:
    """True when the text holds a letter or digit (something a voice can say)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in spoken)


def _tidy(spoken: str) -> str:
    return _SPACE_RUN.sub(" ", spoken).strip()


class _Splitter:
    """Cuts source spans so that their spoken text fits the engine's limit."""

    def __init__(self, text: str, speak: Callable[[str], str], fits: Callable[[str], bool]):
        self.text = text
        self.speak = speak
        self.fits = fits

    def spoken(self, start: int, end: int) -> str:
        spoken = _tidy(self.speak(self.text[start:end]))
        return spoken if _speakable(spoken) else ""

    def split(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Source span -> pieces (start, end, spoken) that each fit; recursive.

        A span longer than _NEVER_FITS is cut before it is normalized: no
        engine speaks that much in one call, and normalizing every half of a
        pasted 50,000-character blob on the way down would cost n log n.
        """
        if end - start > _LONGEST_WORD and not _SPACE_RUN.search(self.text, start, end):
            pieces = self._blob_pieces(start, end)
            if len(pieces) > 1:
                return [part for s, e in pieces for part in self.split(s, e)]
        if end - start > _NEVER_FITS:
            cut = self._clause_cut(start, end) or self._word_cut(start, end)
            if cut is not None:
                left = _strip_span(self.text, start, cut)
                right = _strip_span(self.text, cut, end)
                return self.split(*left) + self.split(*right)
        spoken = self.spoken(start, end)
        if not spoken or self.fits(spoken):
            return [(start, end, spoken)]
        cut = self._clause_cut(start, end) or self._word_cut(start, end)
        if cut is None:
            return self._split_spoken(start, end, spoken)
        left = _strip_span(self.text, start, cut)
        right = _strip_span(self.text, cut, end)
        return self.split(*left) + self.split(*right)

    def _blob_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """A run with no space longer than any word: cut into word-sized pieces, once.

        Each piece is then normalized once or twice, so a pasted blob costs time
        in proportion to its length.
        """
        pieces = []
        size = -(-(end - start) // -(-(end - start) // _LONGEST_WORD))  # equal pieces
        while end - start > size:
            cut = start + size
            while cut < end and not _grapheme_boundary(self.text, cut):
                cut += 1
            if cut >= end:
                break
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
        return pieces

    def _clause_cut(self, start: int, end: int) -> int | None:
        """The clause boundary nearest the middle (punctuation before conjunctions).

        Never one that would end a chunk inside a date, a number phrase or a
        name, or right before a postposition (see `_bad_cut`).
        """
        segment = self.text[start:end]
        middle = (end - start) / 2
        first = len(segment) - len(segment.lstrip())
        last = len(segment.rstrip())
        scored: list[tuple[float, int]] = []
        for penalty, positions in (
            (0.0, (m.end() for m in _CLAUSE_PUNCT.finditer(segment))),
            (0.15 * len(segment), (m.start() for m in _CONJUNCTION.finditer(segment))),
        ):
            for pos in positions:
                if not first < pos < last:
                    continue
                score = abs(pos - middle) + penalty
                if min(pos - first, last - pos) < MIN_CHUNK_CHARS:
                    score += len(segment)  # a tiny side only when nothing else
                scored.append((score, pos))
        scored.sort()
        good = (start + pos for _, pos in scored[:_CUTS_TRIED] if not _bad_cut(segment, pos))
        return next(good, None)

    def _word_cut(self, start: int, end: int) -> int | None:
        """A hard cut: the space nearest the middle (one that keeps a date, a number
        phrase, a name and a postposition whole, if there is one), else a grapheme
        boundary."""
        segment = self.text[start:end]
        middle = len(segment) / 2
        spaces = [m.start() for m in _SPACE_RUN.finditer(segment) if 0 < m.start() < len(segment)]
        if spaces:
            spaces.sort(key=lambda p: abs(p - middle))
            good = (p for p in spaces[:_CUTS_TRIED] if not _bad_cut(segment, p))
            return start + next(good, spaces[0])
        # the grapheme boundary nearest the middle, looking outwards from it
        centre = len(segment) // 2
        for offset in range(len(segment)):
            for pos in (centre - offset, centre + offset + 1):
                if 0 < pos < len(segment) and _grapheme_boundary(segment, pos):
                    return start + pos
        return None

    def _split_spoken(self, start: int, end: int, spoken: str) -> list[tuple[int, int, str]]:
        """Last resort when one source grapheme speaks longer than the limit.

        The spoken text itself is packed into parts that fit; they all keep
        the same source span. Characters that cannot fit even alone are dropped.
        """
        parts: list[str] = []
        current = ""
        for word in spoken.split(" "):
            candidate = f"{current} {word}".strip()
            if self.fits(candidate):
                current = candidate
                continue
            if current:
                parts.append(current)
            current = ""
            if self.fits(word):
                current = word
                continue
            for ch in word:
                if self.fits(current + ch):
                    current += ch
                else:
                    if current:
                        parts.append(current)
                    current = ch if self.fits(ch) else ""
        if current:
            parts.append(current)
        parts = [p for p in parts if _speakable(p)]
        return [(start, end, p) for p in parts] or [(start, end, "")]

    def budget_cut(
        self, piece: _Piece, budget: int, hard: bool = False
    ) -> tuple[_Piece, _Piece] | None:
        """Split a piece at the latest clause boundary whose head speaks within `budget`.

        Punctuation is tried before conjunctions, each from the end backwards.
        `hard` (a live chunk plan, whose budgets should hold): then after a
        phrase end, then at any space; a head of at least half the budget
        first; and when no head fits, the shortest one over the budget.
        """
        segment = self.text[piece.start : piece.end]
        punctuation = sorted((m.end() for m in _CLAUSE_PUNCT.finditer(segment)), reverse=True)
        conjunctions = sorted((m.start() for m in _CONJUNCTION.finditer(segment)), reverse=True)
        candidates = punctuation + conjunctions  # a comma is a better pause than "और"
        if hard:
            candidates += sorted((m.end() for m in _PHRASE_END.finditer(segment)), reverse=True)
            candidates += sorted((m.start() for m in _SPACE_RUN.finditer(segment)), reverse=True)
        passes: list[tuple[int, float, list[int]]] = [(MIN_CHUNK_CHARS, budget, candidates)]
        if hard:  # a head of half the budget or more; failing all, the shortest over it
            passes.insert(0, (max(budget // 2, MIN_CHUNK_CHARS), budget, candidates))
            passes.append((MIN_CHUNK_CHARS, math.inf, sorted(set(candidates))))
        for shortest, longest, positions in passes:
            for pos in positions:
                if _bad_cut(segment, pos):  # not inside a date, number or name; not before a postposition
                    continue
                head_span = _strip_span(self.text, piece.start, piece.start + pos)
                tail_span = _strip_span(self.text, piece.start + pos, piece.end)
                if head_span[0] >= head_span[1] or tail_span[0] >= tail_span[1]:
                    continue
                head, tail = self.spoken(*head_span), self.spoken(*tail_span)
                if not shortest <= len(head) <= longest:
                    continue
                if len(tail) < MIN_CHUNK_CHARS or not self.fits(head) or not self.fits(tail):
                    continue
                return (
                    _Piece(*head_span, head, piece.sentence, piece.paragraph),
                    _Piece(
                        *tail_span,
                        tail,
                        piece.sentence,
                        piece.paragraph,
                        ends_sentence=piece.ends_sentence,
                        ends_paragraph=piece.ends_paragraph,
                    ),
                )
        return None


# What may not follow a chunk's end: a postposition or an auxiliary belongs to
# the words before it ("…कंपनी, / ने कहा", "फ़ैसला सुनाया / है").
_NO_CUT_BEFORE = frozenset(
    ["ने", "का", "की", "के", "को", "में", "से", "पर", "तक", "है", "हैं", "था", "थे", "थी", "थीं", "हो", "हुआ", "हुई", "हुए", "गया", "गई", "गए", "रहा", "रही", "रहे", "द्वारा", "वाले", "वाली", "वाला"]
)
# Words of a number phrase: "12 मार्च, / 2019", "5 / लाख", "2.5 / करोड़ / रुपये".
_NUMBER_WORDS = frozenset(
    ["हज़ार", "हजार", "लाख", "करोड़", "करोड", "अरब", "खरब", "मिलियन", "बिलियन", "ट्रिलियन", "प्रतिशत", "फ़ीसदी", "फीसदी", "रुपये", "रुपए", "डॉलर", "पाउंड", "यूरो"]
)
# Titles before a name: "डॉ. / मनमोहन", "Mr / Patel".
_TITLES = frozenset(
    "डॉ श्री श्रीमती सुश्री प्रो पं स्व dr mr mrs ms prof sri shri".split()  # noqa: SIM905
)
# The best cut points tried against `_bad_cut` before settling for the best one:
# a run of numbers ("1, 2, 3, …") has no good cut, and trying them all is n log n.
_CUTS_TRIED = 64
_LATIN_INITIAL = re.compile(r"^[A-Z]$")
_EDGE = "\"'“”‘’()[],.;:!?।"
_WINDOW = 40


def _is_number_word(token: str) -> bool:
    return (
        any(ch.isdigit() for ch in token[:1] + token[-1:])
        or token in _NUMBER_WORDS
        or token[:1] in "₹$£€%"
        or dates.month_number(token) > 0
    )


def _bad_cut(segment: str, pos: int) -> bool:
    """Whether ending a chunk at `pos` would split a date, a number phrase, a name
    or a postposition from its noun. Looks at the one word either side only."""
    after = segment[pos : pos + _WINDOW].split(maxsplit=1)
    before = segment[max(0, pos - _WINDOW) : pos].rsplit(maxsplit=1)
    if not after or not before:
        return False
    right, left = after[0].strip(_EDGE), before[-1].strip(_EDGE)
    if right in _NO_CUT_BEFORE:
        return True
    if left and right and _is_number_word(left) and _is_number_word(right):
        return True
    if left.lower() in _TITLES:
        return True
    if before[-1].endswith(".") and (_DEVANAGARI_INITIAL.match(left) or _LATIN_INITIAL.match(left)):
        return True  # an initial: "के. एल. / राहुल", "J. / Robert"
    return left[:1].isupper() and left[1:].islower() and right[:1].isupper() and right[1:].islower()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _grapheme_boundary(segment: str, pos: int) -> bool:
    """Whether a cut before `segment[pos]` keeps letters and their marks together."""
    ch, prev = segment[pos], segment[pos - 1]
    if unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d":
        return False
    return prev not in "\u094d\u200c\u200d"  # after a virama the conjunct continues


def _absorb_silent(pieces: list[_Piece]) -> list[_Piece]:
    """Give the span of pieces with nothing to say to their neighbours."""
    out: list[_Piece] = []
    pending_start: int | None = None
    for piece in pieces:
        if not piece.spoken:
            if out:
                prev = out[-1]
                prev.end = max(prev.end, piece.end)
                if prev.paragraph == piece.paragraph:
                    prev.ends_sentence = prev.ends_sentence or piece.ends_sentence
                    prev.ends_paragraph = prev.ends_paragraph or piece.ends_paragraph
            elif pending_start is None:
                pending_start = piece.start
            continue
        if pending_start is not None:
            piece.start = pending_start
            pending_start = None
        out.append(piece)
    return out


def _join(pieces: list[_Piece]) -> str:
    """The spoken text of consecutive pieces; a heading gets a pause mark (।)."""
    parts = []
    for n, piece in enumerate(pieces):
        spoken = piece.spoken
        joined_to_next = n + 1 < len(pieces) and piece.ends_sentence
        if joined_to_next and unicodedata.category(spoken[-1])[0] in "LNM":
            spoken += "।"
        parts.append(spoken)
    return " ".join(parts)


def _group(
    pieces: list[_Piece], splitter: _Splitter, short_first: bool, plan: ChunkBudget | None = None
) -> list[list[_Piece]]:
    """Join consecutive pieces of one paragraph while the limit (and budget) allow."""
    budget: int | None = FIRST_CHUNK_CHARS if short_first else None
    groups: list[list[_Piece]] = []
    planned: list[Chunk] = []
    i = 0
    while i < len(pieces):
        if plan is not None:
            budget = plan(planned)
        piece = pieces[i]
        if budget is not None and len(piece.spoken) > budget:
            cut = splitter.budget_cut(piece, budget, hard=plan is not None)
            if cut is not None:
                pieces[i : i + 1] = list(cut)
                piece = cut[0]
        group = [piece]
        i += 1
        while i < len(pieces) and pieces[i].paragraph == piece.paragraph:
            joined = _join([*group, pieces[i]])
            if budget is not None and len(joined) > budget:
                break
            if not splitter.fits(joined):
                break
            group.append(pieces[i])
            i += 1
        groups.append(group)
        if plan is not None:
            planned.append(_chunk(len(planned), group))
        elif budget is not None:
            budget *= 2
            if budget > _BUDGET_OFF:
                budget = None
    return groups


def _merge_tiny(groups: list[list[_Piece]], fits: Callable[[str], bool]) -> list[list[_Piece]]:
    """Merge chunks shorter than MIN_CHUNK_CHARS into a neighbour when it fits.

    A neighbour in the same paragraph is preferred; across a paragraph break
    only when there is no other way.
    """
    changed = True
    while changed:
        changed = False
        for i, group in enumerate(groups):
            if len(_join(group)) >= MIN_CHUNK_CHARS:
                continue
            options = []
            for same_paragraph in (True, False):
                for j in (i - 1, i + 1):
                    if 0 <= j < len(groups):
                        if j < i:
                            same = groups[j][-1].paragraph == group[0].paragraph
                        else:
                            same = groups[j][0].paragraph == group[-1].paragraph
                        if same == same_paragraph:
                            options.append(j)
            for j in options:
                merged = groups[j] + group if j < i else group + groups[j]
                if fits(_join(merged)):
                    lo = min(i, j)
                    groups[lo : lo + 2] = [merged]
                    changed = True
                    break
            if changed:
                break
    return groups
