"""Numbers as a Hindi news reader says them.

Two layers:

* word functions (`cardinal`, `read_integer`, `read_decimal`, `ordinal`,
  `read_date`, `read_time`, ...) that turn a value into spoken Hindi;
* `expand_numbers(text)`, an ordered list of regex passes that finds numbers in
  running text -- money, dates, times, ranges, fractions, ordinals, units,
  model names such as "H100" -- and replaces each with those words.

Why hand-written: Hindi 0-99 is an irregular table (no rule makes 67 from 60 and 7),
but above 99 the Indian system is a short recursion (सौ, हज़ार, लाख, करोड़, अरब,
खरब). The ready-made normalizers get the news-specific classes wrong (Indian digit
grouping, %, currency after a multiplier, ordinals); see NORMALIZATION.md.

Choices a listener hears (documented there too):
* negatives read "माइनस" (what Hindi weather and market reports say), not "ऋण";
* years and plain four-digit numbers 1100-1999 read as hundreds (1990 ->
  उन्नीस सौ नब्बे, 1500 -> पंद्रह सौ); with a comma (1,500) they read in thousands;
* exactly 100 reads "सौ" (H100 -> एच सौ, 100% -> सौ प्रतिशत);
* x.5 before लाख/करोड़/बिलियन... reads डेढ़ / ढाई / साढ़े N;
* digits after a decimal point, ungrouped strings of more than nine digits and
  strings with a leading zero read digit by digit;
* letters in model names read in Hindi digits: R1 -> आर एक, GPT-4 -> जीपीटी चार
  (a user lexicon entry can say "आर वन" instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.text.dates import EN_MONTH_PATTERN, HI_MONTH_PATTERN, MONTHS, month_number

# --------------------------------------------------------------------------
# word tables

ONES: tuple[str, ...] = (
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरेपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उनासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानवे", "बानवे", "तिरानवे", "चौरानवे", "पचानवे", "छियानवे", "सत्तानवे", "अट्ठानवे", "निन्यानवे",
)  # fmt: skip
assert len(ONES) == 100

# Indian scale, largest first; खरब takes any count above it (100 खरब, ...).
SCALE: tuple[tuple[int, str], ...] = (
    (10**11, "खरब"),
    (10**9, "अरब"),
    (10**7, "करोड़"),
    (10**5, "लाख"),
    (1000, "हज़ार"),
    (100, "सौ"),
)

MINUS = "माइनस"
POINT = "दशमलव"

# Ordinals that are not "<cardinal>वाँ": stems take ा / े / ी.
_IRREGULAR_ORDINAL = {1: "पहल", 2: "दूसर", 3: "तीसर", 4: "चौथ", 6: "छठ"}
_ORD_ENDING = {"a": "ा", "e": "े", "i": "ी"}
_REGULAR_ENDING = {"a": "वाँ", "e": "वें", "i": "वीं"}

# --------------------------------------------------------------------------
# word functions


def cardinal(n: int) -> str:
    """An integer in words, Indian system: 12345678 -> एक करोड़ तेईस लाख ..."""
    if n < 0:
        return f"{MINUS} {cardinal(-n)}"
    if n < 100:
        return ONES[n]
    if n == 100:
        return "सौ"
    return _cardinal(n)


def _cardinal(n: int) -> str:
    if n < 100:
        return ONES[n]
    parts: list[str] = []
    for value, word in SCALE:
        count, n = divmod(n, value)
        if count:
            parts.append(f"{_cardinal(count)} {word}")
    if n:
        parts.append(ONES[n])
    return " ".join(parts)


def digits(s: str) -> str:
    """Digit by digit: '0091' -> शून्य शून्य नौ एक (phone numbers, codes, decimals)."""
    return " ".join(ONES[int(c)] for c in s if c.isdigit())


def read_integer(s: str) -> str:
    """A written integer (commas allowed, either grouping) as it is read aloud.

    Leading zeros and ungrouped strings of more than nine digits are read digit
    by digit (codes, phone numbers); 1100-1999 without a comma read as hundreds
    (years: 1990 -> उन्नीस सौ नब्बे).
    """
    grouped = "," in s
    d = s.replace(",", "")
    if not d.isdigit():
        return digits(d)
    if len(d) > 1 and d[0] == "0":
        return digits(d)
    if len(d) > 9 and not grouped or len(d) > 15:
        return digits(d)
    n = int(d)
    if not grouped and 1100 <= n <= 1999:
        hundreds, rest = divmod(n, 100)
        return f"{ONES[hundreds]} सौ" + (f" {ONES[rest]}" if rest else "")
    return cardinal(n)


def read_decimal(int_part: str, frac: str) -> str:
    """16.9 -> सोलह दशमलव नौ; the fraction digit by digit (3.14 -> तीन दशमलव एक चार)."""
    head = read_integer(int_part) if int_part else ""
    tail = f"{POINT} {digits(frac)}"
    return f"{head} {tail}".strip()


def half_form(int_part: str) -> str | None:
    """x.5 before a multiplier as said in Hindi: 1.5 -> डेढ़, 2.5 -> ढाई, 3.5 -> साढ़े तीन."""
    d = int_part.replace(",", "")
    if not d.isdigit() or len(d) > 9:
        return None
    n = int(d)
    if n == 1:
        return "डेढ़"
    if n == 2:
        return "ढाई"
    if n >= 3:
        return f"साढ़े {read_integer(int_part)}"
    return None


def read_number(s: str, *, before_multiplier: bool = False) -> str:
    """Any plain number token: '1,20,000', '16.9', '-5', '2.5' (+ multiplier)."""
    sign = ""
    if s[:1] in "-−":
        sign, s = MINUS + " ", s[1:]
    elif s[:1] == "+":
        sign, s = "प्लस ", s[1:]
    if "." in s:
        int_part, _, frac = s.partition(".")
        if not frac.strip("0"):
            return sign + read_integer(int_part or "0")  # 30.0 -> तीस: the zeros say nothing
        if before_multiplier:
            frac = frac.rstrip("0")  # 2.50 करोड़ -> ढाई करोड़
        if before_multiplier and frac == "5":
            half = half_form(int_part)
            if half:
                return sign + half
        return sign + read_decimal(int_part, frac)
    return sign + read_integer(s)


def ordinal(n: int, form: str = "a") -> str:
    """Ordinal in the form of its suffix: a=masc. (पाँचवाँ), e=oblique (पाँचवें), i=fem. (पाँचवीं)."""
    if n in _IRREGULAR_ORDINAL:
        return _IRREGULAR_ORDINAL[n] + _ORD_ENDING[form]
    return cardinal(n) + _REGULAR_ENDING[form]


def read_date(day: int, month: int, year: int | None, month_name: str | None = None) -> str:
    """15 October 2025 -> पंद्रह अक्टूबर दो हज़ार पच्चीस (month_name: a Hindi spelling to keep)."""
    words = f"{cardinal(day)} {month_name or MONTHS[month - 1]}"
    if year is not None:
        words += " " + read_integer(str(year))
    return words


_PERIODS = ("सुबह", "दोपहर", "शाम", "रात")


def _period(hour24: int) -> str:
    if 4 <= hour24 < 12:
        return "सुबह"
    if 12 <= hour24 < 16:
        return "दोपहर"
    if 16 <= hour24 < 20:
        return "शाम"
    return "रात"


def read_time(hour: int, minute: int, second: int | None = None, *, ampm: str | None = None,
              baje: bool = False) -> str:  # fmt: skip
    """10:30 -> दस बजकर तीस मिनट; with AM/PM or a 24-hour hour, a period word first
    (18:30 -> शाम छह बजकर तीस मिनट). Before "बजे" the quarter hours read the
    way people say them: 10:30 बजे -> साढ़े दस बजे, 10:15 -> सवा दस, 10:45 -> पौने ग्यारह.
    """
    prefix = ""
    if ampm:
        h24 = hour % 12 + (12 if ampm == "pm" else 0)
        prefix = _period(h24) + " "
    elif hour > 12 or hour == 0:
        prefix = _period(hour) + " "
    h12 = hour % 12 or 12
    if second is None and minute == 0:
        return f"{prefix}{cardinal(h12)} बजे"
    if baje and second is None:
        if minute == 30:
            if h12 == 1:
                return f"{prefix}डेढ़ बजे"
            if h12 == 2:
                return f"{prefix}ढाई बजे"
            return f"{prefix}साढ़े {cardinal(h12)} बजे"
        if minute == 15:
            return f"{prefix}सवा {cardinal(h12)} बजे"
        if minute == 45:
            nxt = h12 % 12 + 1
            return f"{prefix}पौने {cardinal(nxt)} बजे"
    words = f"{prefix}{cardinal(h12)} बजकर {cardinal(minute)} मिनट"
    if second is not None:
        words += f" {cardinal(second)} सेकंड"
    return words


# Digits in product and technology codes are read in English, as Hindi
# newsreaders do: H100 -> एच-हंड्रेड, 4G -> फ़ोर-जी, RTX 4090 -> फ़ोर्टी नाइंटी.
EN_ONES: tuple[str, ...] = (
    "ज़ीरो", "वन", "टू", "थ्री", "फ़ोर", "फ़ाइव", "सिक्स", "सेवन", "एट", "नाइन",
    "टेन", "इलेवन", "ट्वेल्व", "थर्टीन", "फ़ोर्टीन", "फ़िफ़्टीन", "सिक्सटीन", "सेवनटीन",
    "एटीन", "नाइनटीन",
)  # fmt: skip
EN_TENS: tuple[str, ...] = (
    "", "", "ट्वेंटी", "थर्टी", "फ़ोर्टी", "फ़िफ़्टी", "सिक्सटी", "सेवेंटी", "एटी", "नाइंटी",
)  # fmt: skip


def _english_below_100(n: int) -> str:
    if n < 20:
        return EN_ONES[n]
    tens, ones = divmod(n, 10)
    return EN_TENS[tens] + (f" {EN_ONES[ones]}" if ones else "")


def _english_pair(n: int) -> str:
    """The second half of a number read in pairs: 05 -> ओ फ़ाइव, 90 -> नाइंटी."""
    return f"ओ {EN_ONES[n]}" if n < 10 else _english_below_100(n)


def english_number(written: str) -> str:
    """A code's digits the English way: 100 -> हंड्रेड, 24 -> ट्वेंटी फ़ोर,
    4090 -> फ़ोर्टी नाइंटी, 737 -> सेवन थर्टी सेवन, 4.5 -> फ़ोर पॉइंट फ़ाइव;
    a leading zero or more than four digits: digit by digit."""
    whole, dot, frac = written.partition(".")
    if dot:
        tail = " ".join(EN_ONES[int(c)] for c in frac if c.isdigit())
        return f"{english_number(whole)} पॉइंट {tail}".strip()
    if not whole.isdigit():
        return ""
    n = int(whole)
    if (len(whole) > 1 and whole[0] == "0") or len(whole) > 4:
        return " ".join(EN_ONES[int(c)] for c in whole)
    if n < 100:
        return _english_below_100(n)
    if n % 1000 == 0:
        return f"{EN_ONES[n // 1000]} थाउज़ेंड"
    if n % 100 == 0:
        hundreds = n // 100
        return "हंड्रेड" if hundreds == 1 else f"{_english_below_100(hundreds)} हंड्रेड"
    if n < 1000:
        return f"{EN_ONES[n // 100]} {_english_pair(n % 100)}"
    return f"{_english_below_100(n // 100)} {_english_pair(n % 100)}"


_FRACTIONS = {(1, 2): "आधा", (1, 4): "एक चौथाई", (3, 4): "तीन चौथाई", (1, 3): "एक तिहाई",
              (2, 3): "दो तिहाई"}  # fmt: skip


def read_fraction(a: int, b: int) -> str:
    """1/2 -> आधा, 3/4 -> तीन चौथाई, other a/b -> 'a बटा b'."""
    if (a, b) in _FRACTIONS:
        return _FRACTIONS[(a, b)]
    return f"{cardinal(a)} बटा {cardinal(b)}"


# --------------------------------------------------------------------------
# currency, multipliers and units

# (words, subunit) per currency; the symbol or code may stand before or after.
_CURRENCY = {
    "inr": ("रुपये", "पैसे"),
    "usd": ("डॉलर", "सेंट"),
    "gbp": ("पाउंड", "पेंस"),
    "eur": ("यूरो", "सेंट"),
    "jpy": ("येन", ""),
    "cny": ("युआन", ""),
}
_CURRENCY_SIGN = {
    "₹": "inr", "rs": "inr", "rs.": "inr", "inr": "inr", "रु": "inr", "रु.": "inr",
    "रू": "inr", "रू.": "inr", "$": "usd", "us$": "usd", "usd": "usd", "£": "gbp",
    "gbp": "gbp", "€": "eur", "eur": "eur", "¥": "jpy", "jpy": "jpy", "cny": "cny",
    "rmb": "cny",
}  # fmt: skip
_CUR_BEFORE = r"(?P<cur>₹|(?i:rs\.?|inr|us\$|usd|gbp|eur|jpy|cny|rmb)|रु\.?|रू\.?|\$|£|€|¥)"
_CUR_AFTER = r"(?P<cur2>₹|(?i:rs\.?|inr|usd|gbp|eur)|\$|£|€)"
# Currency words already written after an amount: not added a second time.
_CUR_WORD = (r"(?P<curword>रुपये|रुपए|रुपया|रुपयों|डॉलर|डालर|पाउंड|पौंड|यूरो|येन|युआन"
             r"|(?i:dollars?|rupees?|pounds?|euros?))")  # fmt: skip

# Multiplier words and abbreviations after a number -> how they are said.
_MULT = {
    "हज़ार": "हज़ार", "हजार": "हजार", "लाख": "लाख", "करोड़": "करोड़", "करोड": "करोड",
    "अरब": "अरब", "खरब": "खरब", "बिलियन": "बिलियन", "मिलियन": "मिलियन",
    "ट्रिलियन": "ट्रिलियन", "thousand": "हज़ार", "lakh": "लाख", "lakhs": "लाख",
    "lac": "लाख", "lacs": "लाख", "crore": "करोड़", "crores": "करोड़", "cr": "करोड़",
    "million": "मिलियन", "mn": "मिलियन", "m": "मिलियन", "billion": "बिलियन",
    "bn": "बिलियन", "b": "बिलियन", "trillion": "ट्रिलियन", "tn": "ट्रिलियन",
    "t": "ट्रिलियन", "k": "हज़ार",
}  # fmt: skip
_MULT_WORDS = r"हज़ार|हजार|लाख|करोड़|करोड|अरब|खरब|बिलियन|मिलियन|ट्रिलियन"
# "24.9 लाख करोड़": Indian news stacks multipliers; the currency goes after both.
_MULT_COMPOUND = rf"(?:{_MULT_WORDS})(?:\s(?:{_MULT_WORDS}))?"
_MULT_LATIN = r"(?i:thousand|lakhs?|lacs?|crores?|cr|million|mn|billion|bn|trillion|tn)"
# One-letter multipliers only when glued to the number ($5m, £2bn, 10K).
_MULT_LETTER = r"[kKmMbBT]"

# Units written after a number (case-sensitive), longest first.
UNITS: dict[str, str] = {
    "km/h": "किलोमीटर प्रति घंटा", "km/hr": "किलोमीटर प्रति घंटा",
    "kmph": "किलोमीटर प्रति घंटा", "kmh": "किलोमीटर प्रति घंटा", "mph": "मील प्रति घंटा",
    "m/s": "मीटर प्रति सेकंड", "GB/s": "गीगाबाइट प्रति सेकंड", "TB/s": "टेराबाइट प्रति सेकंड",
    "Gbps": "गीगाबिट प्रति सेकंड", "Mbps": "मेगाबिट प्रति सेकंड", "Kbps": "किलोबिट प्रति सेकंड",
    "kbps": "किलोबिट प्रति सेकंड", "Tbps": "टेराबिट प्रति सेकंड",
    "kWh": "किलोवाट घंटा", "MWh": "मेगावाट घंटा", "GWh": "गीगावाट घंटा", "TWh": "टेरावाट घंटा",
    "mAh": "मिलीएम्पियर घंटा", "°C": "डिग्री सेल्सियस", "°F": "डिग्री फ़ारेनहाइट",
    "°": "डिग्री", "GHz": "गीगाहर्ट्ज़", "MHz": "मेगाहर्ट्ज़", "kHz": "किलोहर्ट्ज़",
    "Hz": "हर्ट्ज़", "PB": "पेटाबाइट", "TB": "टेराबाइट", "GB": "गीगाबाइट", "MB": "मेगाबाइट",
    "KB": "किलोबाइट", "kB": "किलोबाइट", "TW": "टेरावाट", "GW": "गीगावाट", "MW": "मेगावाट",
    "kW": "किलोवाट", "KW": "किलोवाट", "W": "वाट", "kV": "किलोवोल्ट", "V": "वोल्ट",
    "km": "किलोमीटर", "cm": "सेंटीमीटर", "mm": "मिलीमीटर", "nm": "नैनोमीटर",
    "m": "मीटर", "ft": "फ़ुट", "kg": "किलोग्राम", "mg": "मिलीग्राम", "g": "ग्राम",
    "ml": "मिलीलीटर", "mL": "मिलीलीटर", "L": "लीटर", "ltr": "लीटर",
    "ms": "मिलीसेकंड", "sec": "सेकंड", "min": "मिनट", "hrs": "घंटे", "hr": "घंटे",
    "TFLOPS": "टेराफ़्लॉप्स", "PFLOPS": "पेटाफ़्लॉप्स", "EFLOPS": "एक्साफ़्लॉप्स",
    "FLOPS": "फ़्लॉप्स", "fps": "फ़्रेम प्रति सेकंड", "MP": "मेगापिक्सल", "px": "पिक्सल",
    "x": "गुना", "X": "गुना", "bn": "बिलियन", "mn": "मिलियन", "cr": "करोड़",
    "K": "हज़ार", "k": "हज़ार", "M": "मिलियन", "B": "बिलियन",
}  # fmt: skip
# Multiplier letters and "x" only when glued to the number: "5 M" / "5 x" are not units.
_GLUED_ONLY = {"x", "X", "K", "k", "M", "B"}

# --------------------------------------------------------------------------
# patterns

# A character that continues a word in either script (Devanagari signs included,
# which Python's \w does not count).
W = r"\w\u0900-\u0963\u0966-\u097F\u200c\u200d"
_NUM = r"\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"
_NB = rf"(?<![{W}.,])"  # number starts here: not inside a word or another number
_NE = r"(?![\d]|[.,]\d)"  # number ends here

_ISO_DATE = re.compile(rf"{_NB}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?![\d])")
_DMY_DATE = re.compile(rf"{_NB}(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?![\d])")
_EN_MONTH = EN_MONTH_PATTERN
_HI_MONTH = HI_MONTH_PATTERN
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![{W}])(?P<mon>{_EN_MONTH}|{_HI_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,\s*|\s+)(?P<year>\d{{4}})(?![\d])"
)
_DAY_MONTH = re.compile(
    rf"{_NB}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<mon>{_EN_MONTH})\.?(?![A-Za-z])"
    rf"(?:,?\s+(?P<year>\d{{4}})(?![\d]))?"
)
_TIME = re.compile(
    rf"{_NB}(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?(?![\d])"
    r"(?:\s*(?P<ampm>(?i:a\.m\.|p\.m\.|am|pm)(?![A-Za-z])))?"
    r"(?P<baje>\s*बजे)?"
)
_HOUR_AMPM = re.compile(
    rf"{_NB}(?P<h>\d{{1,2}})\s*(?P<ampm>(?i:a\.m\.|p\.m\.|am|pm))(?![A-Za-z])(?P<baje>\s*बजे)?"
)
_MONEY_BEFORE = re.compile(
    rf"(?<![A-Za-z]){_CUR_BEFORE}\s?(?P<sign>[-−])?(?P<num>{_NUM})"
    rf"(?:(?P<mletter>{_MULT_LETTER})(?![A-Za-z])|\s?(?P<mult>{_MULT_COMPOUND}|{_MULT_LATIN})(?![{W}]))?"
    rf"(?:\s?{_CUR_WORD}(?![{W}]))?"
)
_MONEY_AFTER = re.compile(
    rf"{_NB}(?P<num>{_NUM})"
    rf"(?:(?P<mletter>{_MULT_LETTER})(?![A-Za-z])|\s?(?P<mult>{_MULT_COMPOUND}|{_MULT_LATIN})(?![{W}]))?"
    rf"\s?{_CUR_AFTER}(?![A-Za-z])"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ -]?\d[\d -]{7,14}\d|\d{5}[ -]\d{5}|\d{3,4}-\d{3,4}-\d{4})(?![\d])"
)
_ID_NUMBER = re.compile(
    r"(?P<pre>(?:नंबर|नम्बर|हेल्पलाइन|टोल[- ]फ़्री|टोल[- ]फ्री|(?i:helpline|toll[- ]free|number|no\.))\s*:?\s*)"
    r"(?P<num>\d{3,}(?:[ -]\d+)*)(?![\d,.]\d)"
)
_VERSION = re.compile(rf"{_NB}\d+(?:\.\d+){{2,}}(?![\d])")
_TIMES = re.compile(rf"{_NB}(\d+(?:\.\d+)?)\s*[x×X]\s*(\d+(?:\.\d+)?)(?![\d])")
_TIMES_PREFIX = re.compile(r"(?<![A-Za-z\d])[x×](\d+)(?![\w])")
_RANGE = re.compile(
    rf"{_NB}(?P<a>{_NUM})(?P<dash>\s?[-–—]\s?|\s+to\s+)(?P<b>{_NUM}){_NE}"
    rf"(?P<score>\s+से(?![{W}]))?"
)
_MIXED_FRACTION = re.compile(rf"{_NB}(\d+)\s+1/2(?![\d/])")
_FRACTION = re.compile(
    rf"{_NB}(\d{{1,4}})\s?[/⁄]\s?(\d{{1,4}})(?![\d/])(?P<runs>\s?रन(?![\u0900-\u0963\u0971-\u097f]))?"
)
# Regular suffixes may stand after a space ("5 वीं"); the irregular ones only glued
# ("1ला", "4थी"), because ला / ले / थे / थी ... are also words of their own.
_ORD_HI = re.compile(
    rf"{_NB}(\d+)(?:\s?(?P<reg>वाँ|वां|वें|वीं)|(?P<irr>वे|वी|ला|ले|ली|रा|रे|री|था|थे|थी|ठा|ठे|ठी))(?![{W}])"
)
_IRREGULAR_SUFFIX = {"ल": (1,), "र": (2, 3), "थ": (4,), "ठ": (6,)}
_ORD_EN = re.compile(rf"{_NB}(\d+)(st|nd|rd|th)(?![A-Za-z])")
_DECADE = re.compile(rf"{_NB}(\d{{2,4}})['’]?s(?![A-Za-z])(?P<post>\s+(?:में|से|तक|के|की|का|पर|को))?")
_APPROX = re.compile(r"[~≈]\s*(?=\d)")
_HASH_NUM = re.compile(r"#\s?(?=\d+(?![\dA-Za-z]))")  # "#1" is a rank; "#100Women" a hashtag
# A cricket score (287/6: runs for wickets) and a not-out innings (78*).
_NOT_OUT = re.compile(rf"{_NB}(\d{{1,3}})\*(?![\w*])")
# Tennis sets: "6-4, 7-6(8-6)" (a list of sets, or one set with its tie-break).
_SET = r"[0-7]-[0-7](?:\s?\(\d{1,2}-\d{1,2}\))?"
_TENNIS = re.compile(
    rf"(?<![\d.,\-]){_SET}(?:\s?,\s?{_SET})+(?![\d\-])|(?<![\d.,\-])[0-7]-[0-7]\s?\(\d{{1,2}}-\d{{1,2}}\)"
)
_TIE_BREAK = re.compile(r"([0-7])-([0-7])(?:\s?\((\d{1,2})-(\d{1,2})\))?")
# Digits glued to Latin letters written in Devanagari: 3-डी, 4जी, 5के.
_DEV_LETTER_CODE = re.compile(
    rf"{_NB}(\d{{1,4}})-?(?P<letters>(?:एक्स|डब्ल्यू|क्यू|ज़ेड|जेड|वाई|एच|एफ़|एफ|एल|एम|एन|एस|आर|आई|डी|जी|के|बी|सी|टी|पी|ए)+)"
    r"(?![\u0900-\u0963\u0971-\u097f])"
)
# A day written as an ordinal before a month: "1st जनवरी" is पहली जनवरी.
_ORD_DAY_MONTH = re.compile(
    rf"{_NB}(\d{{1,2}})(?:st|nd|rd|th)\s*(?=(?:{EN_MONTH_PATTERN}|{HI_MONTH_PATTERN})(?![A-Za-z]))"
)
_NO_NUM = re.compile(r"(?<![A-Za-z])(?:No|no|NO)\.\s?(?=\d)")
_UNIT = re.compile(
    rf"(?<![A-Za-z\d.,])(?P<num>\d+(?:[,.]\d+)*)(?P<sp>\s?)(?P<unit>{'|'.join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))})"
    r"(?![A-Za-z0-9])"
)
_MIXED = re.compile(
    r"(?<![\w])([A-Za-z]+(?:-?\d+(?:\.\d+)?[A-Za-z]*)+|\d+[A-Za-z]+(?:\d+[A-Za-z]*)*)(?![\w])"
)
_PLAIN = re.compile(rf"(?:(?<![{W}.,])[-−+])?{_NB}(?:{_NUM}){_NE}")
# x.5 reads डेढ़ / ढाई / साढ़े before these (2.5 करोड़, 1.5 million, 2.5 गुना)
_MULT_AHEAD = re.compile(rf"\s?(?:{_MULT_WORDS}|गुना|{_MULT_LATIN})(?![{W}])")
_ANY_DIGIT = re.compile(r"\d+")


def _pad(words: str) -> str:
    return f" {words} "


def _currency_words(code: str, num: str, sign: str | None, mult: str | None,
                    written: str | None = None) -> str:  # fmt: skip
    unit, sub = _CURRENCY[code]
    if written and not written.isascii():
        unit, sub = written, ""  # "$5 अरब डॉलर": keep the word the writer chose
    minus = f"{MINUS} " if sign else ""
    if mult:
        return f"{minus}{read_number(num, before_multiplier=True)} {mult} {unit}"
    int_part, dot, frac = num.partition(".")
    if dot and len(frac) == 2 and sub:
        head = read_integer(int_part)
        if frac == "00":
            return f"{minus}{head} {unit}"
        return f"{minus}{head} {unit} {cardinal(int(frac))} {sub}"
    return f"{minus}{read_number(num)} {unit}"


def _money(m: re.Match[str]) -> str:
    gd = m.groupdict()
    sign_key = (gd.get("cur") or gd.get("cur2") or "").lower()
    code = _CURRENCY_SIGN.get(sign_key, "usd")
    mult_raw = gd.get("mletter") or gd.get("mult")
    mult = None
    if mult_raw:
        mult = _MULT.get(mult_raw.lower() if mult_raw.isascii() else mult_raw, mult_raw)
    return _pad(_currency_words(code, gd["num"], gd.get("sign"), mult, gd.get("curword")))


def _date_iso(m: re.Match[str]) -> str:
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return _pad(read_date(d, mo, y))
    return m[0]


def _date_dmy(m: re.Match[str]) -> str:
    d, mo, y = int(m[1]), int(m[3]), m[4]
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m[0]
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if m[2] == "." and len(y) == 2:
        return m[0]  # 1.5.25 is more likely a version than a date
    return _pad(read_date(d, mo, year))


def _date_mdy(m: re.Match[str]) -> str:
    mo, d = month_number(m["mon"]), int(m["day"])
    if not mo or not 1 <= d <= 31:
        return m[0]
    written = None if m["mon"].isascii() else m["mon"]
    return _pad(read_date(d, mo, int(m["year"]), written))


def _date_dm(m: re.Match[str]) -> str:
    mo, d = month_number(m["mon"]), int(m["day"])
    if not mo or not 1 <= d <= 31:
        return m[0]
    return _pad(read_date(d, mo, int(m["year"]) if m["year"] else None))


def _ampm(raw: str | None) -> str | None:
    if not raw:
        return None
    return "pm" if raw.lower().startswith("p") else "am"


def _time(m: re.Match[str]) -> str:
    h, mi = int(m["h"]), int(m["m"])
    s = int(m["s"]) if m["s"] else None
    if h > 23 or mi > 59 or (s is not None and s > 59):
        return m[0]
    ampm = _ampm(m["ampm"])
    if ampm and not 1 <= h <= 12:
        ampm = None
    words = read_time(h, mi, s, ampm=ampm, baje=bool(m["baje"]))
    return _pad(_drop_repeated_period(m, words))


def _hour_ampm(m: re.Match[str]) -> str:
    h = int(m["h"])
    if not 1 <= h <= 12:
        return m[0]
    return _pad(_drop_repeated_period(m, read_time(h, 0, ampm=_ampm(m["ampm"]))))


def _drop_repeated_period(m: re.Match[str], words: str) -> str:
    """"शाम 6:45 PM": the writer already said शाम; do not say it twice."""
    first, _, rest = words.partition(" ")
    if first in _PERIODS and m.string[: m.start()].rstrip().endswith(first):
        return rest
    return words


def _phone(m: re.Match[str]) -> str:
    text = m[0]
    plus = "प्लस " if text.startswith("+") else ""
    groups = [g for g in re.split(r"[ -]+", text.lstrip("+")) if g]
    return _pad(plus + ", ".join(digits(g) for g in groups))


def _id_number(m: re.Match[str]) -> str:
    groups = [g for g in re.split(r"[ -]+", m["num"]) if g]
    return m["pre"] + _pad(", ".join(digits(g) for g in groups))


def _version(m: re.Match[str]) -> str:
    return _pad(" डॉट ".join(read_integer(p) for p in m[0].split(".")))


def _times(m: re.Match[str]) -> str:
    return _pad(f"{read_number(m[1])} गुणा {read_number(m[2])}")


def _range(m: re.Match[str]) -> str:
    a, b = m["a"], m["b"]
    if m["score"]:
        if a.isdigit() and b.isdigit() and int(a) <= 20 and int(b) <= 20:
            # a result, not a range: "1-1 से बराबर" -> एक-एक से, "3-2 से जीता" -> तीन-दो से
            return _pad(f"{cardinal(int(a))}-{cardinal(int(b))} से")
        return _pad(f"{read_number(a)} से {read_number(b)}") + m["score"].lstrip()
    if "-" in m["dash"] and m["dash"].strip() == "-" and len(a) == 4 and len(b) == 2 \
            and a.isdigit() and b.isdigit() and (int(a) + 1) % 100 == int(b):  # fmt: skip
        # fiscal / season years: 2020-21 -> दो हज़ार बीस-इक्कीस; 1999-00 -> ...-दो हज़ार
        tail = read_integer(str(int(a) + 1)) if b == "00" else cardinal(int(b))
        return _pad(f"{read_integer(a)}-{tail}")
    return _pad(f"{read_number(a)} से {read_number(b)}")


def _mixed_fraction(m: re.Match[str]) -> str:
    return _pad(half_form(m[1]) or read_integer(m[1]))


def _fraction_words(a: int, b: int, m: re.Match[str]) -> str:
    if b == 0:
        return _pad(f"{read_integer(m[1])} बटा {read_integer(m[2])}")
    return _pad(read_fraction(a, b))


def _fraction(m: re.Match[str]) -> str:
    a, b = int(m[1]), int(m[2])
    runs = m["runs"] or ""
    if (a, b) == (24, 7):
        return " चौबीसों घंटे " + runs
    if (a, b) == (9, 11):
        return " नाइन इलेवन " + runs
    if 10 <= a <= 999 and b <= 10 and a > b:  # a cricket score: runs for wickets
        return _pad(f"{cardinal(a)} रन पर {cardinal(b)} विकेट")
    return _fraction_words(a, b, m) + runs


def _ordinal_hi(m: re.Match[str]) -> str:
    n = int(m[1]) if len(m[1]) <= 9 else None
    suffix = m["reg"] or m["irr"]
    if n is None or (m["irr"] and n not in _IRREGULAR_SUFFIX.get(suffix[0], (n,))):
        return _pad(read_integer(m[1])) + suffix  # not an ordinal: "5थे" is a typo, not "fifth"
    form = "i" if suffix.startswith(("वी", "ली", "री", "थी", "ठी")) else (
        "e" if suffix.endswith(("े", "ें")) else "a")  # fmt: skip
    if n in _IRREGULAR_ORDINAL:
        return _pad(ordinal(n, form))
    # keep the suffix as written (वां / वाँ): only the digits change
    return _pad(cardinal(n) + suffix)


def _ordinal_day(m: re.Match[str]) -> str:
    """"1st जनवरी" -> पहली जनवरी (the date is feminine); other days read as in any date."""
    day = int(m[1])
    return _pad("पहली" if day == 1 else cardinal(day))


def _tennis(m: re.Match[str]) -> str:
    """"6-4, 7-6(8-6)" -> छह-चार, सात-छह, टाईब्रेक आठ-छह: set scores, not ranges."""

    def one(s: re.Match[str]) -> str:
        words = f"{cardinal(int(s[1]))}-{cardinal(int(s[2]))}"
        if s[3]:
            words += f", टाईब्रेक {cardinal(int(s[3]))}-{cardinal(int(s[4]))}"
        return words

    return _pad(_TIE_BREAK.sub(one, m[0]))


def _ordinal_en(m: re.Match[str]) -> str:
    if len(m[1]) > 9:
        return _pad(read_integer(m[1]))
    return _pad(ordinal(int(m[1]), "a"))


def _decade(m: re.Match[str]) -> str:
    n = m[1]
    if len(n) == 3 or (len(n) == 4 and not n.endswith("0")) or (len(n) == 2 and not n.endswith("0")):
        return m[0]
    post = m["post"] or ""
    return _pad(f"{read_integer(n)} {'के' if post else 'का'} दशक{post}")


def _unit(m: re.Match[str]) -> str:
    unit = m["unit"]
    if unit in _GLUED_ONLY and m["sp"]:
        return m[0]
    return f"{m['num']} {UNITS[unit]} "


def _plain(m: re.Match[str]) -> str:
    text = m[0]
    ahead = _MULT_AHEAD.match(m.string, m.end())
    return _pad(read_number(text, before_multiplier=ahead is not None))


def _stray_digits(m: re.Match[str]) -> str:
    return _pad(read_integer(m[0]) if len(m[0]) <= 15 else digits(m[0]))


def _make_mixed(spell: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    """H100 -> एच-हंड्रेड, Grok3 -> ग्रोक-थ्री, GPT-4o -> जीपीटी-फ़ोर-ओ: a code's
    letters through `spell`, its digits in English, the parts joined by hyphens."""

    def mixed(m: re.Match[str]) -> str:
        parts = re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", m[0])
        words = [english_number(p) if p[0].isdigit() else spell(p) for p in parts]
        return _pad("-".join(w for w in words if w))

    return mixed


def expand_numbers(text: str, spell: Callable[[str], str]) -> str:
    """Replace every number in `text` with spoken Hindi; `spell` reads the letters
    of a mixed token such as "H100" (translit.latin_word). Order matters: the most
    specific shapes (dates, times, money, ranges) go before plain numbers."""
    if not any(c.isdigit() for c in text):
        return text
    text = _APPROX.sub("लगभग ", text)
    text = _HASH_NUM.sub("नंबर ", text)
    text = _TENNIS.sub(_tennis, text)
    text = _NO_NUM.sub("नंबर ", text)
    text = _PHONE.sub(_phone, text)
    text = _ID_NUMBER.sub(_id_number, text)
    text = _ISO_DATE.sub(_date_iso, text)
    text = _DMY_DATE.sub(_date_dmy, text)
    text = _MONTH_DAY_YEAR.sub(_date_mdy, text)
    text = _ORD_DAY_MONTH.sub(_ordinal_day, text)
    text = _DAY_MONTH.sub(_date_dm, text)
    text = _TIME.sub(_time, text)
    text = _HOUR_AMPM.sub(_hour_ampm, text)
    text = _MONEY_BEFORE.sub(_money, text)
    text = _MONEY_AFTER.sub(_money, text)
    text = _VERSION.sub(_version, text)
    text = _DECADE.sub(_decade, text)
    text = _ORD_EN.sub(_ordinal_en, text)
    text = _ORD_HI.sub(_ordinal_hi, text)
    text = _TIMES.sub(_times, text)
    text = _TIMES_PREFIX.sub(lambda m: _pad(f"{read_integer(m[1])} गुना"), text)
    text = _MIXED_FRACTION.sub(_mixed_fraction, text)
    text = _FRACTION.sub(_fraction, text)
    text = _UNIT.sub(_unit, text)
    text = _RANGE.sub(_range, text)
    text = _MIXED.sub(_make_mixed(spell), text)
    text = _DEV_LETTER_CODE.sub(lambda m: _pad(f"{english_number(m[1])}-{m['letters']}"), text)
    text = _NOT_OUT.sub(lambda m: _pad(f"{read_integer(m[1])} नाबाद"), text)
    text = _PLAIN.sub(_plain, text)
    return _ANY_DIGIT.sub(_stray_digits, text)
