"""Latin script to Devanagari, so no Latin letter ever reaches a Hindi voice.

A Latin word is looked up, in this order:

1. the built-in lexicon (narrator/data/lexicon.toml): case-sensitive `[acronyms]`
   (ISRO -> इसरो, NASA -> नासा) and case-insensitive `[words]` (NVIDIA, Jensen,
   startup, October ...), with a plural "s" tried off the end;
2. acronyms: 2-6 capitals (optionally a plural "s"), or a word without vowels,
   spelled with Devanagari letter names: GPU -> जीपीयू, CEOs -> सीईओ;
3. camelCase and letter-case changes split into parts, each looked up again:
   ElevenLabs -> इलेवन + लैब्स, xAI -> एक्स + एआई;
4. a rule-based English-orthography reader (`phonetic`): digraphs, silent e,
   open/closed syllables, schwa before a final -er/-el/-en, anusvara before
   k/g/t/d/ch/j/b/p. It is an approximation, but always yields Devanagari.

The module loads its lexicon lazily, on the first word, so importing it is free.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LETTER_NAMES: dict[str, str] = {
    "A": "ए", "B": "बी", "C": "सी", "D": "डी", "E": "ई", "F": "एफ़", "G": "जी", "H": "एच",
    "I": "आई", "J": "जे", "K": "के", "L": "एल", "M": "एम", "N": "एन", "O": "ओ", "P": "पी",
    "Q": "क्यू", "R": "आर", "S": "एस", "T": "टी", "U": "यू", "V": "वी", "W": "डब्ल्यू",
    "X": "एक्स", "Y": "वाई", "Z": "ज़ेड",
}  # fmt: skip
LETTER_NAMES = {k: unicodedata.normalize("NFC", v) for k, v in LETTER_NAMES.items()}

_VOWEL_LETTERS = set("aeiouy")
BUILTIN_LEXICON = Path(__file__).resolve().parent.parent / "data" / "lexicon.toml"

# Latin letters with marks that do not decompose to a base letter under NFKD.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe",
                       "Œ": "OE", "ı": "i", "ð": "d", "Ð": "D"})  # fmt: skip


@dataclass(frozen=True)
class BuiltinLexicon:
    """The shipped pronunciations, split by how they match."""

    acronyms: dict[str, str]  # exact case
    words: dict[str, str]  # lower-cased keys
    tokens: dict[str, str]  # exact tokens mixing letters, digits, symbols: 5G, COVID-19


@lru_cache(maxsize=1)
def builtin_lexicon() -> BuiltinLexicon:
    """Parse narrator/data/lexicon.toml once (a few hundred entries, ~1 ms)."""
    data = tomllib.loads(BUILTIN_LEXICON.read_text(encoding="utf-8"))

    def table(name: str, lower: bool) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in data.get(name, {}).items():
            out[k.lower() if lower else k] = unicodedata.normalize("NFC", v)
        return out

    return BuiltinLexicon(table("acronyms", False), table("words", True), table("tokens", False))


def spell(letters: str) -> str:
    """Letter names run together, as Hindi news writes acronyms: GPU -> जीपीयू."""
    return "".join(LETTER_NAMES.get(c.upper(), "") for c in letters if c.isalpha())


def fold_latin(word: str) -> str:
    """Strip accents so 'Zürich' and 'Dvořák' reach the ASCII rules."""
    word = word.translate(_FOLD)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isascii())


_CAMEL = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


def latin_word(word: str) -> str:
    """One Latin word (no spaces) in Devanagari. Always non-empty for a word with a letter."""
    word = fold_latin(word)
    word = re.sub(r"['’]s$", "", word)  # Musk's -> Musk
    word = word.replace("'", "").replace("’", "")
    if not word:
        return ""
    lex = builtin_lexicon()
    if word in lex.acronyms:
        return lex.acronyms[word]
    low = word.lower()
    if word.isupper() and len(word) <= 2:
        return spell(word)  # US, UK, IT, AI: never the English word
    if low in lex.words:
        return lex.words[low]
    if word.isupper() or (word[:-1].isupper() and word[-1] == "s" and len(word) > 2):
        stem = word[:-1] if word[-1] == "s" and not word.isupper() else word
        if stem in lex.acronyms:
            return lex.acronyms[stem]
        if len(stem) <= 6:
            return spell(stem)
        return phonetic(low)
    if len(low) > 3 and low.endswith("s") and low[:-1] in lex.words:
        return _plural(lex.words[low[:-1]])
    parts = _CAMEL.findall(word)
    if len(parts) > 1 and "".join(parts) == word:
        return "".join(latin_word(p) for p in parts)
    if len(low) == 1:
        return spell(low)
    if not any(c in _VOWEL_LETTERS for c in low):
        return spell(low)  # Ltd, nth, bbc: no vowel to read
    return phonetic(low)


def _plural(stem_words: str) -> str:
    """chips, servers, videos: the Hindi loan plural, -्स after a consonant, -ज़ after a vowel."""
    last = stem_words[-1]
    if "\u093e" <= last <= "\u094c" or "\u0905" <= last <= "\u0914":
        return stem_words + "ज़"
    return stem_words + "्स"


# --------------------------------------------------------------------------
# the rule-based reader

# Vowel qualities -> (independent letter, sign after a consonant).
_V: dict[str, tuple[str, str]] = {
    "A": ("अ", ""), "AA": ("आ", "ा"), "I": ("इ", "ि"), "II": ("ई", "ी"), "U": ("उ", "ु"),
    "UU": ("ऊ", "ू"), "E": ("ए", "े"), "AE": ("ऐ", "ै"), "O": ("ओ", "ो"), "AW": ("ऑ", "ॉ"),
    "AI": ("आइ", "ाइ"), "AU": ("आउ", "ाउ"), "OY": ("ऑय", "ॉय"), "YU": ("यू", "्यू"),
}  # fmt: skip

# Consonant spellings, longest first -> Devanagari consonants (a cluster may be 2).
_CONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tch", ("च",)), ("sch", ("स", "क")), ("ch", ("च",)), ("sh", ("श",)), ("th", ("थ",)),
    ("ph", ("फ़",)), ("ck", ("क",)), ("qu", ("क", "व")), ("wh", ("व",)), ("dg", ("ज",)),
    ("x", ("क", "स")), ("j", ("ज",)), ("z", ("ज़",)), ("f", ("फ़",)), ("v", ("व",)),
    ("w", ("व",)), ("q", ("क",)), ("k", ("क",)), ("r", ("र",)), ("l", ("ल",)),
    ("m", ("म",)), ("n", ("न",)), ("p", ("प",)), ("b", ("ब",)), ("d", ("ड",)),
    ("t", ("ट",)), ("s", ("स",)), ("h", ("ह",)),
)  # fmt: skip

# Vowel spellings (more than one letter) -> quality.
_VOWEL_GROUPS: tuple[tuple[str, str], ...] = (
    ("eau", "O"), ("igh", "AI"), ("ai", "E"), ("ay", "E"), ("ee", "II"), ("ea", "II"),
    ("oo", "UU"), ("ou", "AU"), ("oa", "O"), ("oi", "OY"), ("oy", "OY"), ("au", "AW"),
    ("aw", "AW"), ("ew", "YU"), ("ei", "II"), ("ey", "E"), ("ie", "II"), ("ue", "UU"),
    ("ui", "UU"),
)  # fmt: skip

_ANUSVARA_BEFORE = {"क", "ग", "च", "ज", "ट", "ड", "थ", "ब", "प"}
_SOFT = set("eiy")


def _units(word: str) -> list[tuple[str, object]]:
    """Split a lower-case ASCII word into ('C', consonants) and ('V', letters) units."""
    out: list[tuple[str, object]] = []
    i, n = 0, len(word)
    while i < n:
        rest = word[i:]
        # suffixes read as a whole: -tion/-sion -> शन, -ture -> चर, -cial/-tial -> शल
        for suf, cons, vowel, tail in (("tion", "श", "A", "न"), ("sion", "श", "A", "न"),
                                       ("cian", "श", "A", "न"), ("tial", "श", "A", "ल"),
                                       ("cial", "श", "A", "ल"), ("ture", "च", "A", "र")):  # fmt: skip
            if rest.startswith(suf):
                out += [("C", (cons,)), ("Q", vowel), ("C", (tail,))]
                i += len(suf)
                break
        else:
            c = word[i]
            if c in "aeiou" or (c == "y" and out and out[-1][0] == "C"):
                for grp, quality in _VOWEL_GROUPS:
                    if rest.startswith(grp):
                        if grp == "ow" and i + 2 == n:
                            quality = "O"
                        out.append(("Q", quality))
                        i += len(grp)
                        break
                else:
                    if rest.startswith("ow"):
                        out.append(("Q", "O" if i + 2 == n else "AU"))
                        i += 2
                    else:
                        out.append(("V", c))
                        i += 1
                continue
            if c == "y":
                out.append(("C", ("य",)))
                i += 1
                continue
            if rest.startswith("gh"):
                if i == 0:
                    out.append(("C", ("ग",)))
                i += 2
                continue
            if c == "c":
                nxt = word[i + 1] if i + 1 < n else ""
                if nxt == "c":
                    i += 1
                    continue
                out.append(("C", ("स",) if nxt in _SOFT else ("क",)))
                i += 1
                continue
            if c == "g":
                nxt = word[i + 1] if i + 1 < n else ""
                if nxt == "g":
                    i += 1
                    continue
                soft = nxt in "ey" or (nxt == "i" and i > 0)
                out.append(("C", ("ज",) if soft else ("ग",)))
                i += 1
                continue
            if i == 0 and rest[:2] in ("kn", "wr", "ps"):
                i += 1
                continue
            for spelling, cons in _CONS:
                if rest.startswith(spelling):
                    # double letters are one sound in English: ll, ss, tt, pp ...
                    if out and out[-1] == ("C", cons) and len(spelling) == 1:
                        pass
                    else:
                        out.append(("C", cons))
                    i += len(spelling)
                    break
            else:
                i += 1  # unreachable for ASCII letters
    return out


def _quality(units: list[tuple[str, object]], k: int, first_vowel: bool) -> str:
    """The vowel sound of single letter units[k] from its neighbours."""
    letter = str(units[k][1])
    after = units[k + 1 :]
    cons_after = 0
    for kind, _ in after:
        if kind != "C":
            break
        cons_after += 1
    at_end = not after
    next_is_vowel = bool(after) and after[0][0] != "C"
    rest_letters = "".join(str(u[1]) if u[0] != "C" else "c" for u in after)
    # magic e: vowel + one consonant + final silent e ("time", "code", "game")
    magic = cons_after == 1 and len(after) == 2 and after[1] == ("V", "e")
    magic = magic or (cons_after == 1 and len(after) == 3 and after[1] == ("V", "e")
                      and after[2] == ("C", ("स",)))  # fmt: skip
    open_syll = cons_after == 1 and len(after) > 1 and not magic
    closed = cons_after >= 2 or (cons_after == 1 and len(after) == 1)
    r_next = cons_after >= 1 and after[0][1] == ("र",) and (cons_after >= 2 or len(after) == 1)
    final_weak = cons_after == 1 and len(after) == 1 and after[0][1] in (("र",), ("ल",), ("न",))
    del rest_letters
    if letter == "a":
        if at_end:
            return "AA"
        if r_next:
            return "AA"
        if magic:
            return "E"
        if cons_after >= 1 and after[0][1] == ("ल",) and (len(after) == 1 or cons_after >= 2):
            return "AW"
        if open_syll:
            return "E" if first_vowel else "AA"
        if closed:
            return "AE" if first_vowel else "A"
        return "AA"
    if letter == "e":
        if at_end:
            return "II"
        if magic:
            return "II"
        if r_next or (final_weak and not first_vowel):
            return "A"
        return "E"
    if letter == "i":
        if at_end:
            return "II"
        if magic:
            return "AI"
        if r_next:
            return "A"
        if next_is_vowel:
            return "I"
        return "I"
    if letter == "o":
        if at_end or magic:
            return "O"
        if r_next:
            return "AW"
        if open_syll:
            return "O"
        if not first_vowel and final_weak and after[0][1] == ("न",):
            return "A"
        return "AW"
    if letter == "u":
        if at_end:
            return "UU"
        if magic or (open_syll and (k == 0 or not first_vowel)):
            return "YU"
        if r_next:
            return "A"
        if open_syll:
            return "U"
        if next_is_vowel:
            return "U"
        return "A"
    if letter == "y":
        if at_end:
            return "AI" if first_vowel else "II"
        if magic or open_syll:
            return "AI"
        return "I"
    return "A"


_PLAIN_U_AFTER = {("स",), ("ट",), ("ड",), ("र",), ("ल",), ("ज",), ("च",), ("श",)}


def phonetic(word: str) -> str:
    """Read a lower-case English word the way Hindi writes English loanwords.

    Not a pronouncing dictionary: it gets common shapes right (server -> सर्वर,
    market -> मार्केट, time -> टाइम, bank -> बैंक) and anything else close
    enough to be understood; the lexicon fixes the rest.
    """
    word = "".join(c for c in word.lower() if "a" <= c <= "z")
    if not word:
        return ""
    units = _units(word)
    # silent final e (and -es after one consonant) when another vowel came before
    vowels = [k for k, u in enumerate(units) if u[0] != "C"]
    if len(vowels) > 1:
        last = vowels[-1]
        if units[last] == ("V", "e") and (
            last == len(units) - 1
            or (last == len(units) - 2 and units[-1] == ("C", ("स",)))
        ):
            units.pop(last)
    qualities: list[tuple[str, object]] = []
    seen_vowel = False
    for k, (kind, val) in enumerate(units):
        if kind == "V":
            q = _quality(units, k, not seen_vowel)
            if q == "YU" and k > 0 and units[k - 1][1] in _PLAIN_U_AFTER:
                q = "UU" if k + 1 == len(units) else "U"
            qualities.append(("Q", q))
            seen_vowel = True
        elif kind == "Q":
            qualities.append(("Q", val))
            seen_vowel = True
        else:
            qualities.append((kind, val))
    return _render(qualities) or spell(word)


def _render(units: list[tuple[str, object]]) -> str:
    out: list[str] = []
    n = len(units)
    for k, (kind, val) in enumerate(units):
        nxt = units[k + 1] if k + 1 < n else None
        prev = units[k - 1] if k > 0 else None
        if kind == "C":
            cons = tuple(val)  # type: ignore[arg-type]
            # n / m before a stop after a vowel: anusvara (bank -> बैंक, number -> नंबर)
            if cons in (("न",), ("म",)) and prev and prev[0] == "Q" and nxt and nxt[0] == "C" \
                    and tuple(nxt[1])[0] in _ANUSVARA_BEFORE:  # type: ignore[arg-type] # fmt: skip
                out.append("ं")
                continue
            for j, c in enumerate(cons):
                out.append(c)
                if j < len(cons) - 1:
                    out.append("्")
            if nxt and nxt[0] == "C":
                out.append("्")
            continue
        indep, sign = _V[str(val)]
        if prev and prev[0] == "C":
            out.append(sign)
        else:
            # vowel after a vowel: i + a -> इया glide (India -> इंडिया)
            if prev and prev[0] == "Q" and prev[1] in ("I", "II") and val in ("A", "AA"):
                out.append("या")
                continue
            out.append(indep)
    text = "".join(out)
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------
# running text

_LATIN_RUN = r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’][A-Za-z]+)?"
_DOTTED = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.){2,}(?![A-Za-z])")  # U.S., U.K.
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|in|io|ai|co|gov|edu|uk|info)\b")
_AMP_LATIN = re.compile(r"(?<=[A-Za-z])\s*&\s*(?=[A-Za-z])")
_COMPOUND = re.compile(rf"{_LATIN_RUN}(?:[-/]{_LATIN_RUN})*")


def _url(m: re.Match[str]) -> str:
    text = re.sub(r"(?i)^https?://", "", m[0]).rstrip("/.,")
    text = re.sub(r"(?i)^www\.", "डब्ल्यू डब्ल्यू डब्ल्यू डॉट ", text)
    pieces = re.split(r"([./@_-])", text)
    names = {".": "डॉट", "/": "स्लैश", "@": "एट", "_": "अंडरस्कोर", "-": "डैश"}
    out = []
    for p in pieces:
        if p in names:
            out.append(names[p])
        elif p:
            out.append(latin_words(p))
    return " " + " ".join(out) + " "


def latin_words(text: str) -> str:
    """Replace every Latin word in `text` (numbers already read) with Devanagari."""
    if not re.search(r"[A-Za-zÀ-ɏ]", text):
        return text
    text = _URL.sub(_url, text)
    text = _DOMAIN.sub(_url, text)
    text = _AMP_LATIN.sub(" एंड ", text)
    text = _DOTTED.sub(lambda m: " " + spell(m[0]) + " ", text)

    def compound(m: re.Match[str]) -> str:
        parts = re.split(r"[-/]", m[0])
        return " " + " ".join(w for w in (latin_word(p) for p in parts) if w) + " "

    return _COMPOUND.sub(compound, text)
