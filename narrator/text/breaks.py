"""Where lines and sentences really end in scraped text.

Two kinds of damage a scraper does to sentence boundaries, and their repair:

* a hard line break left inside a sentence where a link was cut out
  ("…जिनमें अभिनय करने वाले \\n\\n अपने सारे कपड़े…"): `rejoin_broken_lines`
  joins the two lines, so the sentence is one sentence again and no chunk ends
  inside it;
* two sentences glued with no space after the stop ("…हो गई है.जैक थौर्न…",
  "…देखा?डाउनलोड…", "…था.”इस नाटक…"): `split_glued_sentences` puts the space
  back, so the segmenter sees a sentence end and the voice pauses. A dot inside
  a number (24.5) or a domain (bbc.com) has no Devanagari letter after it and is
  left alone; after an abbreviation (डॉ.सिंह) the space is added but the
  segmenter still knows डॉ. ends no sentence.

A sentence that lost its stop as well ("…जा सकता हैइसके बाद…") is a fused word;
`split_fused_sentence_ends` finds those with the vocabulary (vocabulary.py).

Each rule reads the shape of the text (the word before a break, the character
after a stop), never one site's markup, so it carries over to other scrapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.text.vocabulary import is_word, zipf

__all__ = [
    "NON_FINAL",
    "SENTENCE_STARTERS",
    "fused_starter",
    "longer_word_inside",
    "rejoin_broken_lines",
    "split_fused_sentence_ends",
    "split_fused_words",
    "split_glued_sentences",
]

_LETTER = "\u0904-\u0939\u0958-\u0961\u0972-\u097f"  # Devanagari letters that start a word
_DEV = "\u0900-\u0963\u0971-\u097f"  # letters and signs (no dandas, no digits)
_TERMINATORS = "।॥?!…"
_CLOSERS = "\"'”’»)]"

# Words a Hindi sentence (or a headline) cannot end with: postpositions,
# conjunctions, relative and demonstrative words, participles that need a noun.
NON_FINAL = frozenset(
    """का की के को में से पर ने तक द्वारा लिए और या व एवं तथा कि लेकिन मगर परंतु किंतु
    जबकि क्योंकि ताकि बल्कि जो जिसे जिसने जिसका जिसकी जिसके जिसमें जिन्होंने जिनके जिनकी
    जिनका जिनमें जिन्हें जहां जहाँ जब अगर यदि भी ही यह ये वह वो इस उस इन उन एक हमें हम
    आप मैं उन्होंने उनके उनकी उनका इसके इसकी इसका उसके उसकी उसका अपने अपनी अपना वाले
    वाली वाला सबसे सभी कई हर अब फिर the a an of to and or in on for with by at from""".split()  # noqa: SIM905 - a word table reads better as text
)
# Words a sentence cannot start with: postpositions and auxiliaries.
_NON_INITIAL = frozenset(
    """ने का की के को में से पर तक है हैं था थे थी थीं हो हुआ हुई हुए गया गई गए गयी गये
    रहा रही रहे सकता सकती सकते चाहिए द्वारा वाले वाली वाला""".split()  # noqa: SIM905 - a word table reads better as text
)
_INNER_STOP = re.compile(rf"[{_DEV}][।॥?!.][\"'”’)]*\s+\S")
_WORD = re.compile(r"\S+")


def rejoin_broken_lines(text: str, keep_apart: Callable[[str], bool]) -> str:
    """Join a line to the next one where the break falls inside a sentence.

    `keep_apart(line)` is True for a line that stands alone whatever comes
    around it (a "Read Also" label, a date stamp, a credit): those are never
    joined. Blank lines between the two halves go too.
    """
    if "\n" not in text:
        return text
    out: list[str] = []
    last = -1  # index in `out` of the last line with text
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        if last >= 0 and _continues(out[last], line, keep_apart):
            out[last] = out[last].rstrip() + " " + line.lstrip()
            del out[last + 1 :]
            continue
        out.append(line)
        last = len(out) - 1
    return "\n".join(out)


def _continues(before: str, after: str, keep_apart: Callable[[str], bool]) -> bool:
    head, tail = before.strip(), after.strip()
    if head[-1] in _TERMINATORS or head.rstrip(_CLOSERS)[-1:] in (*_TERMINATORS, "."):
        return False
    if keep_apart(head) or keep_apart(tail):
        return False
    if head[-1] in ",;:-–—(\"'“‘":
        return True  # a clause or a quotation goes on
    words = head.split()
    last_word = words[-1].strip("\"'“”‘’").lower()
    first_word = tail.split()[0].strip("\"'“”‘’,;:।॥?!.")
    if last_word in NON_FINAL or first_word in _NON_INITIAL:
        return True
    # a line of prose (it holds a sentence end and goes on past it) that stops
    # without a stop of its own was cut, not finished
    return (
        head[-1] not in ")]"
        and len(words) >= 8
        and bool(_INNER_STOP.search(head))
        and bool(re.match(rf"[{_LETTER}A-Za-z0-9]", tail))
    )


# --- glued sentence ends ------------------------------------------------------

_GLUED = re.compile(
    rf"(?P<stop>[।॥?!…]+|(?<=[{_DEV}0-9])\.)(?P<quotes>[\"'”’“‘»«]*)(?=[{_LETTER}])"
)
_GLUED_LATIN = re.compile(rf"(?<=[{_DEV}])(?P<stop>[।॥?!.])(?P<quotes>[\"'”’]*)(?=[A-Z])")
_LIST_NUMBER = re.compile(rf"(?<=[{_DEV}])(?=\d{{1,2}}\.\s+[{_LETTER}A-Za-z])")


def split_glued_sentences(text: str) -> str:
    """Put the space back after a sentence end glued to the next word.

    A quote after the stop goes with the sentence it closes or the one it
    opens: curly quotes say which; a straight quote closes when an odd number
    of the same quote came before it on the line. A list number glued to the
    last word of the item before ("…मिलियन3. सेरेना…") starts a new line.
    """
    if not any(ch in text for ch in "।॥?!….") or not re.search(f"[{_LETTER}]", text):
        return text
    text = _LIST_NUMBER.sub("\n", text)
    text = _GLUED.sub(_space_after_stop, text)
    return _GLUED_LATIN.sub(_space_after_stop, text)


def _space_after_stop(m: re.Match[str]) -> str:
    stop, quotes = m["stop"], m["quotes"]
    if not quotes:
        return stop + " "
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    before = m.string[line_start : m.start()]
    closing = ""
    rest = quotes
    while rest:
        q = rest[0]
        if q in "”’»":
            closing, rest = closing + q, rest[1:]
            continue
        if q in "“‘«":
            break
        run = len(rest) - len(rest.lstrip(q))
        if before.count(q * run) % 2 == 1:
            closing, rest = closing + rest[:run], rest[run:]
            continue
        break
    return f"{stop}{closing} {rest}"


# --- fused words --------------------------------------------------------------

# Words that end a Hindi sentence (verb-final auxiliaries, negation, imperatives):
# glued to a following word they mark a sentence end that lost its stop.
_FINAL_WORDS = (  # noqa: SIM905 - a word table reads better as text
    "है हैं था थे थी थीं गया गई गए गयी गये होगा होगी होंगे होंगी सकता सकती सकते रहा रही "
    "रहे चाहिए नहीं करें कीजिए जाएगा जाएगी जाएंगे"
).split()
_FUSED_END = re.compile(
    rf"(?<![{_DEV}])(?P<end>{'|'.join(sorted(_FINAL_WORDS, key=len, reverse=True))})"
    rf"(?P<next>[{_LETTER}][{_DEV}]+)(?![{_DEV}])"
)


def split_fused_sentence_ends(text: str) -> str:
    """ "…जा सकता हैइसके बाद…" -> "…जा सकता है। इसके बाद…": a final word fused to the next sentence.

    Only where the fused string is no word and what follows the final word is
    one (हैरान, थीम and नहींके are left alone or read as written).
    """
    return _FUSED_END.sub(_split_fused_end, text)


_POSTPOSITIONS = frozenset(["ने", "का", "की", "के", "को", "में", "से", "पर", "तक", "ही", "भी"])


def _split_fused_end(m: re.Match[str]) -> str:
    word, end, after = m[0], m["end"], m["next"]
    if is_word(word, at_least=1.0) or after in _POSTPOSITIONS or not is_word(after, at_least=3.5):
        return word
    if longer_word_inside(word, len(end)):
        return word  # हैकरों, रहीमुल्ला: a longer word starts here (an inflection, a name)
    return f"{end}। {after}"


# Words that start sentences, found fused to the word before them ("शॉपिंगइस",
# "फ़ेसबुकऔर", "चलेगाहालांकि"): long enough, or (two letters) opening with a vowel
# letter right after a bare consonant, where no Hindi word has one.
SENTENCE_STARTERS = frozenset(
    """ये यह वह वो इस इसके इसकी इसका इसमें इससे इसी इसे इसलिए इन इनके इनकी इनका इनमें
    इन्हीं इन्हें इन्होंने उस उसके उसकी उसका उसमें उसने उसे उन उनके उनकी उनका उनमें उन्होंने
    उन्हें एक और अब लेकिन हालांकि हालाँकि वहीं यहीं वैसे जबकि मगर तो फिर आज कल साथ जब अगर
    यदि क्योंकि जहां जहाँ ख़ुद खुद मौजूदा दरअसल कुछ कई सभी पिछले पहले बाद तब""".split()  # noqa: SIM905
)
_VOWEL_LETTERS = "अआइईउऊएऐओऔ"
_CONSONANT = re.compile("[\u0915-\u0939\u0958-\u095f]\u093c?$")
_UNKNOWN_TOKEN = re.compile(f"[{_DEV}]{{4,}}")


def split_fused_words(text: str) -> str:
    """ "इन-ऐप शॉपिंगइस गेम में" -> "…शॉपिंग इस गेम में": a word fused to a sentence starter.

    Only a string that is no word, whose head is a known word and whose tail is a
    word that starts sentences (see SENTENCE_STARTERS), and where no longer
    known word starts at the same place.
    """
    return _UNKNOWN_TOKEN.sub(_split_fused_word, text)


def _split_fused_word(m: re.Match[str]) -> str:
    word = m[0]
    if is_word(word, at_least=1.0):
        return word
    cut = fused_starter(word)
    return word if cut is None else f"{word[:cut]} {word[cut:]}"


def fused_starter(
    word: str, *, also: frozenset[str] = frozenset(), any_starter: bool = False
) -> int | None:
    """Where a sentence starter (or a word of `also`) begins inside a fused word, if it does.

    any_starter  accept the two-letter starters anywhere (ये, वो); where a
                 headline is expected the context already vouches for the seam
    """
    best: tuple[float, int] | None = None
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        if not re.match(f"[{_LETTER}]", tail) or head.endswith("\u094d") or zipf(head) < 3.0:
            continue
        if tail in SENTENCE_STARTERS:
            short = len(tail) <= 2
            vowel_after_consonant = tail[0] in _VOWEL_LETTERS and _CONSONANT.search(head)
            if short and not any_starter and not vowel_after_consonant:
                continue
            score = min(zipf(head), zipf(tail)) + 1.0
        elif tail in also and zipf(tail) >= 4.0:
            score = min(zipf(head), zipf(tail))
        else:
            continue
        if longer_word_inside(word[:-1], k):
            continue
        if best is None or score > best[0]:
            best = (score, k)
    return best[1] if best else None


def longer_word_inside(word: str, start: int) -> bool:
    """True when `word` begins with a known word longer than its first `start` letters."""
    return any(is_word(word[:k]) for k in range(start + 1, len(word)))
