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
from typing import Any

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
    if len(word) <= 6 and sum(c.isupper() for c in word) >= 2 and sum(c.islower() for c in word) <= 1:
        return spell(word)  # NVMe, PCIe, IoT: an acronym with one small letter
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
#
# A word becomes a list of units: consonants ("C", Devanagari consonants, doubled?),
# vowel letters still to be judged ("V", letter) and vowels already known ("Q",
# quality). Each vowel letter is then judged from what follows it (open or closed
# syllable, r after it, magic e, end of word) and the units are written out with
# vowel signs, halants between consonants and anusvara before stops.

# Vowel qualities -> (independent letter, sign after a consonant).
_V: dict[str, tuple[str, str]] = {
    "A": ("अ", ""), "AA": ("आ", "ा"), "I": ("इ", "ि"), "II": ("ई", "ी"), "U": ("उ", "ु"),
    "UU": ("ऊ", "ू"), "E": ("ए", "े"), "AE": ("ऐ", "ै"), "O": ("ओ", "ो"), "AW": ("ऑ", "ॉ"),
    "AI": ("आइ", "ाइ"), "AU": ("आउ", "ाउ"), "OY": ("ऑय", "ॉय"), "YU": ("यू", "्यू"),
}  # fmt: skip

# Consonant spellings of more than one letter -> Devanagari consonants.
_DIGRAPHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tch", ("च",)), ("sch", ("स", "क")), ("ch", ("च",)), ("sh", ("श",)), ("th", ("थ",)),
    ("ph", ("फ़",)), ("ck", ("क",)), ("qu", ("क", "व")), ("wh", ("व",)), ("dg", ("ज",)),
)  # fmt: skip
_SINGLE: dict[str, tuple[str, ...]] = {
    "b": ("ब",), "d": ("ड",), "f": ("फ़",), "h": ("ह",), "j": ("ज",), "k": ("क",), "l": ("ल",),
    "m": ("म",), "n": ("न",), "p": ("प",), "q": ("क",), "r": ("र",), "s": ("स",), "t": ("ट",),
    "v": ("व",), "w": ("व",), "x": ("क", "स"), "z": ("ज़",),
}  # fmt: skip
# Vowel spellings of more than one letter -> quality (longest first).
_VOWEL_GROUPS: tuple[tuple[str, str], ...] = (
    ("eau", "O"), ("iew", "YU"), ("igh", "AI"), ("ai", "E"), ("ay", "E"), ("ee", "II"),
    ("ea", "II"), ("oo", "UU"), ("ou", "AU"), ("oa", "O"), ("oi", "OY"), ("oy", "OY"),
    ("au", "AW"), ("aw", "AW"), ("ew", "YU"), ("ei", "II"), ("ey", "E"), ("ie", "II"),
    ("ue", "UU"), ("ui", "UU"),
)  # fmt: skip
# Suffixes read as a whole: -tion -> शन, -ture -> चर ...
_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ssion", "श", "न"), ("tion", "श", "न"), ("sion", "श", "न"), ("cian", "श", "न"),
    ("tial", "श", "ल"), ("cial", "श", "ल"), ("ture", "च", "र"),
)  # fmt: skip

_ANUSVARA_BEFORE = {"क", "ग", "च", "ज", "ट", "ड", "थ", "ब", "प"}
_WEAK_FINAL = {("र",), ("ल",), ("न",), ("म",)}
_PLAIN_U_AFTER = {("स",), ("ट",), ("ड",), ("र",), ("ल",), ("ज",), ("च",), ("श",)}
_VOWELS = "aeiou"
_MAX_WORD = 30
_SIBILANT = {("स",), ("ज",), ("श",), ("च",), ("ज़",), ("क", "स")}
_STOPS = {("प",), ("ब",), ("ट",), ("ड",), ("क",), ("ग",), ("फ़",), ("थ",)}

Unit = list[Any]  # [kind, value, doubled, spelling]


def _units(word: str) -> list[Unit]:
    """Split a lower-case ASCII word into consonant and vowel units."""
    out: list[Unit] = []
    i, n = 0, len(word)

    def is_vowel_at(j: int) -> bool:
        return 0 <= j < n and (word[j] in _VOWELS or (word[j] == "y" and j > 0 and word[j - 1] not in _VOWELS))

    while i < n:
        rest = word[i:]
        c = word[i]
        suffix = next((s for s in _SUFFIXES if rest.startswith(s[0])), None)
        if suffix and i > 0:
            cons = "ज़" if suffix[0] == "sion" and word[i - 1] in _VOWELS else suffix[1]
            out += [["C", (cons,), False], ["Q", "A", False], ["C", (suffix[2],), False]]
            i += len(suffix[0])
            continue
        if rest == "le" and i > 0 and word[i - 1] not in _VOWELS + "l":
            out += [["Q", "A", False], ["C", ("ल",), False]]  # apple, table, google
            break
        if i == 0 and rest[:3] in ("com", "con") and n > 4 and word[3] not in _VOWELS + "y":
            out += [["C", ("क",), False], ["Q", "A", False]]  # computer, control, company
            i += 2
            continue
        if rest in ("que", "gue") and i > 0:
            out.append(["C", _SINGLE["k"] if c == "q" else ("ग",), False])
            break
        if is_vowel_at(i):
            if rest.startswith("ear") and i + 3 < n and not is_vowel_at(i + 3):
                out.append(["Q", "A", False])  # learn, earth, search
                i += 2
                continue
            if rest.startswith("oo") and rest[2:3] == "k":
                out.append(["Q", "U", False])  # book, look
                i += 2
                continue
            group = next((g for g in _VOWEL_GROUPS if rest.startswith(g[0])), None)
            if group:
                out.append(["Q", group[1], False])
                i += len(group[0])
            elif rest.startswith("ow"):
                out.append(["Q", "O" if i + 2 == n else "AU", False])
                i += 2
            else:
                out.append(["V", c, False])
                i += 1
            continue
        if c == "y":
            out.append(["C", ("य",), False])
            i += 1
            continue
        if rest.startswith("gh"):
            if i == 0:
                out.append(["C", ("ग",), False])
            i += 2
            continue
        if i == 0 and rest[:2] in ("kn", "wr", "ps"):
            i += 1
            continue
        if c == "h" and i > 0 and word[i - 1] in _VOWELS and i + 1 < n and not is_vowel_at(i + 1):
            i += 1  # John, Johnson: h after a vowel before a consonant is silent
            continue
        if i == 0 and c == "x":
            out.append(["C", ("ज़",), False])
            i += 1
            continue
        digraph = next((d for d in _DIGRAPHS if rest.startswith(d[0])), None)
        if digraph:
            out.append(["C", digraph[1], digraph[0] == "ck", "w" if digraph[0] in ("qu", "wh") else ""])
            i += len(digraph[0])
            continue
        nxt = word[i + 1] if i + 1 < n else ""
        doubled = nxt == c
        after = word[i + 2] if doubled and i + 2 < n else nxt
        if c == "c":
            if doubled and after in ("e", "i", "y"):
                out += [["C", ("क",), False], ["C", ("स",), False]]  # success, access
            else:
                out.append(["C", ("स",) if after and after in "eiy" else ("क",), doubled])
        elif c == "g":
            soft = bool(after) and (after in "ey" or (after == "i" and i > 0)) and not doubled
            out.append(["C", ("ज",) if soft else ("ग",), doubled])
        else:
            out.append(["C", _SINGLE.get(c, ("",)), doubled, c])
        i += 2 if doubled else 1
    return out


def _quality(units: list[Unit], k: int, first: bool) -> str:
    """The sound of vowel letter units[k], judged from the units after it."""
    letter = units[k][1]
    after = units[k + 1 :]
    prev = units[k - 1] if k > 0 else None
    at_end = not after
    cons = []
    for u in after:
        if u[0] != "C":
            break
        cons.append(u)
    vowel_follows = len(after) > len(cons)
    single = len(cons) == 1 and not cons[0][2] and len(cons[0][1]) == 1
    magic = single and len(after) >= 2 and after[1][:2] == ["V", "e"] and (
        len(after) == 2 or (len(after) == 3 and after[2][1] in (("स",), ("ड",))
                            and not (after[2][1] == ("स",) and cons[0][1] in _SIBILANT)))  # fmt: skip
    open_syll = single and vowel_follows and not magic
    # consonant + r/l before a vowel also leaves the syllable open for i, y, o (micro, hybrid)
    cluster_open = (len(cons) == 2 and not cons[0][2] and cons[0][1] in _STOPS
                    and cons[1][1] in (("र",), ("ल",)) and vowel_follows)  # fmt: skip
    r_next = bool(cons) and cons[0][1] == ("र",) and not cons[0][2] and (len(cons) >= 2 or not vowel_follows)
    weak_final = len(after) == 1 and single and tuple(cons[0][1]) in _WEAK_FINAL
    after_w = prev is not None and prev[0] == "C" and len(prev) > 3 and prev[3] == "w"
    if not cons and vowel_follows:
        return {"a": "AA", "e": "I", "i": "I", "o": "O", "u": "U", "y": "AI"}[letter]
    if letter == "a":
        if at_end or r_next:
            return "AA"
        if magic:
            return "E"
        if after_w:
            return "AW"  # water, wash, quality
        if first and cons and cons[0][1] == ("ल",) and (len(cons) >= 2 or cons[0][2] or not vowel_follows):
            return "AW"  # all, call, salt
        if open_syll:
            return "E" if first else "AA"
        return "AE" if first else "A"
    if letter == "e":
        if at_end or magic:
            return "II"
        if r_next or (weak_final and not first):
            return "A"  # server, model, token
        return "E"
    if letter == "i":
        if at_end:
            return "II"
        if magic or cluster_open:
            return "AI"
        if r_next:
            return "A"  # first, bird
        if len(after) == 2 and len(cons) == 2 and cons[0][1] in (("न",), ("ल",)) and cons[1][1] == ("ड",):
            return "AI"  # mind, kind, wild, child
        return "I"
    if letter == "o":
        if at_end or magic or open_syll or cluster_open:
            return "O"
        if r_next:
            if after_w or (not first and weak_final):
                return "A"  # word, work; doctor, sensor
            return "AW"  # sport, order
        if not first and weak_final and cons[0][1] != ("ल",):
            return "A"  # Jackson, carbon, seldom (but control, protocol)
        return "AW"
    if letter == "u":
        if at_end:
            return "UU"
        if magic or open_syll:
            return "YU"
        if r_next:
            return "A"  # turn, church
        if prev is not None and prev[1] in (("प",), ("ब",), ("फ़",)) and cons and (
                cons[0][1] == ("श",) or (cons[0][1] == ("ल",) and cons[0][2])):  # fmt: skip
            return "U"  # push, pull, full
        return "A"  # musk, cut, up
    # y as a vowel
    if at_end:
        return "AI" if first else "II"
    if magic or open_syll or cluster_open:
        return "AI"
    return "I"


def phonetic(word: str) -> str:
    """Read a lower-case English word the way Hindi writes English loanwords.

    Not a pronouncing dictionary: it gets the common shapes right (server ->
    सर्वर, market -> मार्केट, time -> टाइम, bank -> बैंक) and anything else close
    enough to be understood; the lexicon fixes the rest. Always returns
    Devanagari for a word with at least one letter.
    """
    word = "".join(c for c in word.lower() if "a" <= c <= "z")
    if not word:
        return ""
    if len(word) > _MAX_WORD:
        # no English word is this long: read it in pieces (keeps the work linear)
        return "".join(phonetic(word[i : i + _MAX_WORD]) for i in range(0, len(word), _MAX_WORD))
    units = _units(word)
    vowel_idx = [k for k, u in enumerate(units) if u[0] != "C"]
    seen = False
    for k in vowel_idx:
        u = units[k]
        if u[0] == "V":
            q = _quality(units, k, not seen)
            prev = units[k - 1] if k > 0 else None
            if q == "YU" and prev is not None and prev[0] == "C" and tuple(prev[1]) in _PLAIN_U_AFTER:
                q = "UU" if k + 1 == len(units) else "U"  # super, student: no y-glide after s t d r l j
            u[1], u[0] = q, "Q"
        seen = True
    # -es after a hissing sound is a syllable: services -> सर्विसेज़
    if len(vowel_idx) > 1 and word.endswith("es") and len(units) >= 3 and units[-2][0] == "Q" \
            and units[-3][0] == "C" and tuple(units[-3][1]) in _SIBILANT:  # fmt: skip
        units[-2][1] = "E"
        units[-1] = ["C", ("ज़",), False]
        vowel_idx = []
    _silence_final_e(word, units, vowel_idx)
    return _render(units) or spell(word)


def _silence_final_e(word: str, units: list[Unit], vowel_idx: list[int]) -> None:
    """Mark a final e silent: time, games, based (but "started": the -ed after t/d is said)."""
    if len(vowel_idx) < 2 or not word.endswith(("e", "es", "ed")) or word.endswith(("ee", "ees", "eed")):
        return
    last = vowel_idx[-1]
    if units[last][1] not in ("II", "E", "A"):
        return
    tail = units[last + 1 :]
    before = units[last - 1]
    if not tail:
        units[last][0] = "S"
    elif len(tail) == 1 and before[0] == "C":
        ending = tail[0][1]
        if ending == ("स",) or (ending == ("ड",) and before[1][-1] not in "टड"):
            units[last][0] = "S"


def _render(units: list[Unit]) -> str:
    live = [u for u in units if u[0] != "S"]
    out: list[str] = []
    prev: Unit | None = None
    for k, u in enumerate(live):
        nxt = live[k + 1] if k + 1 < len(live) else None
        if u[0] == "C":
            cons = u[1]
            if cons in (("न",), ("म",)) and prev is not None and prev[0] == "Q" and nxt is not None \
                    and nxt[0] == "C" and nxt[1][0] in _ANUSVARA_BEFORE:  # fmt: skip
                out.append("ं")  # bank -> बैंक, number -> नंबर
            else:
                out.append("्".join(cons))
                if nxt is not None and nxt[0] == "C":
                    out.append("्")
        else:
            indep, sign = _V[u[1]]
            if prev is not None and prev[0] == "C":
                out.append(sign)
            elif prev is not None and prev[1] in ("I", "II"):
                out.append("य" + sign)  # glide: India -> इंडिया, video -> विडियो
            else:
                out.append(indep)
        prev = u
    return unicodedata.normalize("NFC", "".join(out))


# --------------------------------------------------------------------------
# running text

_LATIN_RUN = r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’][A-Za-z]+)?"
_DOTTED = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.){2,}(?![A-Za-z])")  # U.S., U.K.
# Possessive quantifiers and a start-of-token lookbehind keep these linear on
# pathological input ("a.a.a.a..." thousands long).
_URL = re.compile(r"(?i)(?<![\w/])(?:https?://|www\.)\S++|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")
_DOMAIN = re.compile(r"(?i)(?<![\w.@-])[a-z0-9-]++(?:\.[a-z0-9-]++)++(?:/[a-z]++)*+/?")
# How the end of an address is said: "डॉट इन", "डॉट को डॉट यूके".
_TLD_WORDS = {"com": "कॉम", "org": "ऑर्ग", "net": "नेट", "in": "इन", "io": "आईओ", "ai": "एआई",
              "co": "को", "gov": "गव", "edu": "एड्यू", "uk": "यूके", "info": "इन्फ़ो",
              "news": "न्यूज़", "app": "ऐप", "dev": "डेव"}  # fmt: skip
_TLDS = set(_TLD_WORDS)
_AMP_LATIN = re.compile(r"(?<=[A-Za-z])\s*&\s*(?=[A-Za-z])")
_COMPOUND = re.compile(rf"{_LATIN_RUN}(?:[-/]{_LATIN_RUN})*")


def _url(m: re.Match[str]) -> str:
    text = re.sub(r"(?i)^https?://", "", m[0]).rstrip("/.,")
    text = re.sub(r"(?i)^www\.", "डब्ल्यू डब्ल्यू डब्ल्यू डॉट ", text)
    pieces = re.split(r"([./@_-])", text)
    names = {".": "डॉट", "/": "स्लैश", "@": "एट", "_": "अंडरस्कोर", "-": "डैश"}
    out = []
    last_dot = max((i for i, p in enumerate(pieces) if p == "."), default=len(pieces))
    for i, p in enumerate(pieces):
        if p in names:
            out.append(names[p])
        elif i > last_dot - 4 and i > 0 and pieces[i - 1] == "." and p.lower() in _TLD_WORDS:
            out.append(_TLD_WORDS[p.lower()])
        elif p:
            out.append(latin_words(p))
    return " " + " ".join(out) + " "


def expand_urls(text: str) -> str:
    """Web and mail addresses read out: example.com -> एग्ज़ाम्पल डॉट कॉम."""
    if "." not in text:
        return text
    text = _URL.sub(_url, text)
    return _DOMAIN.sub(_domain, text)


def _domain(m: re.Match[str]) -> str:
    """example.com is an address; 16.9 or U.S. (already read or spelled) are not."""
    host = m[0].split("/", 1)[0]
    last = host.rsplit(".", 1)[-1].lower()
    if last in _TLDS and re.search(r"[A-Za-z]", host.rsplit(".", 1)[0]):
        return _url(m)
    return m[0]


def latin_words(text: str) -> str:
    """Replace every Latin word in `text` (numbers already read) with Devanagari."""
    if not re.search(r"[A-Za-zÀ-ɏ]", text):
        return text
    text = _AMP_LATIN.sub(" एंड ", text)
    text = _DOTTED.sub(lambda m: " " + spell(m[0]) + " ", text)

    def compound(m: re.Match[str]) -> str:
        parts = re.split(r"[-/]", m[0])
        return " " + " ".join(w for w in (latin_word(p) for p in parts) if w) + " "

    return _COMPOUND.sub(compound, text)
