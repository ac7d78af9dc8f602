"""Written Hindi news -> the exact Hindi a voice should say.

    normalize("NVIDIA ने UK में £11 बिलियन का निवेश किया।")
    -> "एनवीडिया ने यूके में ग्यारह बिलियन पाउंड का निवेश किया।"

The passes, in order (each one only sees what the earlier ones left):

1. tidy the code points: compatibility forms of non-Devanagari characters folded
   (℃ -> °C, ½ -> 1/2, full-width letters), any script's digits -> 0-9;
2. the user's lexicon (it overrides everything after it);
3. the built-in tokens that mix letters and digits (5G, COVID-19, 24x7) and URLs;
4. numbers, money, dates, times, ordinals, units, model names (numbers.py);
5. acronyms and Latin-script words -> Devanagari (translit.py);
6. symbols -> words (% -> प्रतिशत, & -> और, + -> प्लस), brackets and dashes ->
   commas, quotes dropped, a final "." -> "।";
7. anything still not Devanagari or sentence punctuation is dropped, and the
   spacing tidied.

So the result has no ASCII digit, no Latin letter and no symbol an engine would
skip or misread; the Devanagari words of the input come out unchanged and in
order (the exceptions: lexicon entries, "1वें" -> "पहले", "रु." -> "रुपये",
and "बजे" after a time that is read "... बजकर ... मिनट").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from narrator.text.lexicon import Lexicon
from narrator.text.numbers import expand_numbers
from narrator.text.translit import builtin_lexicon, expand_urls, latin_word, latin_words

_DEV = "\u0900-\u0963\u0966-\u097F"  # Devanagari letters and signs (no dandas)
_DEV_WORD = rf"[{_DEV}\u200c\u200d]"
# Runs of characters outside the Devanagari block get NFKC (Devanagari keeps its
# NFC form untouched: NFKC would decompose क़ and change the words).
_NON_DEV_RUN = re.compile(r"[^\u0900-\u097F\s]+")
_DROP_FIRST = str.maketrans("", "", "™®©℠\u00ad\ufeff\u200b")
_GREEK = {
    "α": "अल्फ़ा", "β": "बीटा", "γ": "गामा", "δ": "डेल्टा", "ε": "एप्सिलॉन", "θ": "थीटा",
    "λ": "लैम्ब्डा", "μ": "म्यू", "π": "पाई", "σ": "सिग्मा", "Σ": "सिग्मा", "φ": "फ़ाई",
    "ω": "ओमेगा", "Ω": "ओमेगा", "Δ": "डेल्टा",
}  # fmt: skip
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")  # ० १ ٣ ... (any script's decimal digits)
_GREEK_RE = re.compile("[" + "".join(_GREEK) + "]")

_SYMBOL_WORDS = {
    "%": "प्रतिशत", "‰": "प्रति हज़ार", "&": "और", "@": "एट", "#": "हैशटैग", "+": "प्लस",
    "=": "बराबर", "×": "गुणा", "÷": "भाग", "±": "प्लस माइनस", "°": "डिग्री", "₹": "रुपये",
    "$": "डॉलर", "£": "पाउंड", "€": "यूरो", "¥": "येन", "§": "धारा", "№": "नंबर",
}  # fmt: skip
_SYMBOL_RE = re.compile("[" + re.escape("".join(_SYMBOL_WORDS)) + "]")
_QUOTES = re.compile(r"[\"'“”„‟‘’‚‛«»‹›`´]")
_BRACKETS = re.compile(r"[()\[\]{}]")
_DASHES = re.compile(r"\s*[—–―‒]\s*|\s+-\s+|\s*-{2,}\s*")
_ELLIPSIS = re.compile(r"\s*(?:…|\.{2,})\s*")
_FINAL_DOT = re.compile(r"\.(?=[\s\"'”’)\]]*$)")
_OTHER_PUNCT = str.maketrans({"॥": "।", "،": ",", "؛": ";", "؟": "?", "！": "!", "？": "?",
                              "｡": "।", "、": ",", "，": ","})  # fmt: skip
# Whatever is left that a voice cannot say: not Devanagari, not punctuation it uses.
_NOT_SPOKEN = re.compile(r"[^\u0900-\u0965\u0970-\u097F\u200c\u200d ।?!,;:\-]+")
_LONE_HYPHEN = re.compile(rf"(?<!{_DEV_WORD})-|-(?!{_DEV_WORD})")
_SPACES = re.compile(r"\s+")
# Titles before a name are said in full: "डॉ. सिंह" -> डॉक्टर सिंह (Latin "Dr." is in the lexicon).
_TITLE_WORDS = {"डॉ": "डॉक्टर", "प्रो": "प्रोफ़ेसर"}
_TITLES = re.compile(rf"(?<!{_DEV_WORD})(डॉ|प्रो)\.\s*(?={_DEV_WORD})")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([।?!,;:])")
_PUNCT_RUN = re.compile(r"([,;:])(?:\s*[,;:])+")
_SOFT_BEFORE_HARD = re.compile(r"[,;:]\s*([।?!])")
_HARD_THEN_SOFT = re.compile(r"([।?!])\s*[,;:]+")
_DANDA_RUN = re.compile(r"।(?:\s*।)+")
_SPACE_AFTER_PUNCT = re.compile(r"([।?!,;:])(?=[^\s।?!,;:])")
_LEADING = re.compile(r"^[\s,;:।?!-]+")


@lru_cache(maxsize=1)
def _builtin_tokens() -> Lexicon:
    """5G, 4K, COVID-19, C++: whole tokens the number and letter rules would misread."""
    return Lexicon(builtin_lexicon().tokens)


def _prepare_code_points(text: str) -> str:
    text = text.translate(_DROP_FIRST)
    text = _NON_DEV_RUN.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)
    text = text.replace("⁄", "/")
    if not text.isascii():
        text = _NON_ASCII_DIGIT.sub(_ascii_digit, text)
        text = _GREEK_RE.sub(lambda m: f" {_GREEK[m[0]]} ", text)
    return text


def _ascii_digit(m: re.Match[str]) -> str:
    c = m[0]
    d = unicodedata.decimal(c, None)
    return str(d) if d is not None else c


def _symbols(text: str) -> str:
    text = text.translate(_OTHER_PUNCT)
    text = _QUOTES.sub(" ", text)  # a quote between two words is a word boundary
    text = _ELLIPSIS.sub(", ", text)
    text = _DASHES.sub(", ", text)
    text = _BRACKETS.sub(", ", text)
    text = _SYMBOL_RE.sub(lambda m: f" {_SYMBOL_WORDS[m[0]]} ", text)
    text = _FINAL_DOT.sub("।", text)
    return text.replace(".", " ")


def _tidy(text: str) -> str:
    text = _NOT_SPOKEN.sub(" ", text)
    text = _LONE_HYPHEN.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _PUNCT_RUN.sub(r"\1", text)
    text = _SOFT_BEFORE_HARD.sub(r"\1", text)
    text = _HARD_THEN_SOFT.sub(r"\1", text)
    text = _DANDA_RUN.sub("।", text)
    text = _SPACE_AFTER_PUNCT.sub(r"\1 ", text)
    text = _LEADING.sub("", text)
    return text.strip()


def normalize(text: str, lexicon: Lexicon | None = None) -> str:
    """Spoken Hindi for one sentence or clause of cleaned article text.

    Never raises on any string; the result may be empty when nothing in `text`
    can be spoken (a lone symbol, another script).
    """
    if not text or text.isspace():
        return ""
    text = _prepare_code_points(text)
    if lexicon is not None:
        text = lexicon.apply(text)
    text = _builtin_tokens().apply(text)
    text = _TITLES.sub(lambda m: _TITLE_WORDS[m[1]] + " ", text)
    text = expand_urls(text)
    text = expand_numbers(text, spell=latin_word)
    text = latin_words(text)
    text = _symbols(text)
    return _tidy(text)
