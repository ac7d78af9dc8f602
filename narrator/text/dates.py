"""Month names and calendar dates, the one table both the cleaner and the reader use.

The cleaner needs dates to recognise a stamp line ("प्रकाशित: 15 अक्टूबर 2024,
10:30 IST") and to give an article its publication date; the number reader
needs them to say "15 Oct 2024" as "पंद्रह अक्टूबर दो हज़ार चौबीस". Both look
month names up here, so a spelling added once (अक्तूबर, Sept) is known to both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

__all__ = [
    "EN_MONTHS",
    "EN_MONTH_PATTERN",
    "HI_MONTHS",
    "HI_MONTH_PATTERN",
    "MONTHS",
    "WEEKDAYS",
    "is_date_line",
    "month_number",
    "parse_date",
]

# The Hindi name a reader says for month 1..12.
MONTHS: tuple[str, ...] = (
    "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
    "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
)  # fmt: skip


def _table(rows: tuple[str, ...]) -> dict[str, int]:
    table: dict[str, int] = {}
    for number, names in enumerate(rows, start=1):
        for name in names.split():
            table[name] = number
    return table


# English month names and abbreviations (lower case) -> month number.
EN_MONTHS: dict[str, int] = _table(
    (
        "january jan", "february feb", "march mar", "april apr", "may", "june jun",
        "july jul", "august aug", "september sep sept", "october oct",
        "november nov", "december dec",
    )
)  # fmt: skip
# Hindi spellings seen in news (with and without nukta / anusvara variants).
HI_MONTHS: dict[str, int] = _table(
    (
        "जनवरी", "फ़रवरी फरवरी", "मार्च", "अप्रैल अप्रेल", "मई", "जून", "जुलाई",
        "अगस्त", "सितंबर सितम्बर", "अक्टूबर अक्तूबर", "नवंबर नवम्बर", "दिसंबर दिसम्बर",
    )
)  # fmt: skip


def _alternation(names: Iterable[str]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


# Regex fragments (no groups): an English month in any case, a Hindi month.
EN_MONTH_PATTERN = f"(?i:{_alternation(EN_MONTHS)})"
HI_MONTH_PATTERN = _alternation(HI_MONTHS)
_ANY_MONTH = f"{EN_MONTH_PATTERN}|{HI_MONTH_PATTERN}"

WEEKDAYS: tuple[str, ...] = (
    "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "बृहस्पतिवार", "शुक्रवार", "शनिवार", "रविवार",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)  # fmt: skip


def month_number(name: str) -> int:
    """1..12 for a month name in English (any case, "Oct." too) or Hindi; 0 if none."""
    return EN_MONTHS.get(name.lower().rstrip("."), 0) or HI_MONTHS.get(name, 0)


_DEV_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DATE_DMY = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*[ ,.-]?\s*({_ANY_MONTH})\.?,?\s*(\d{{4}})", re.IGNORECASE
)
_DATE_MDY = re.compile(
    rf"({_ANY_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.IGNORECASE
)
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.](\d{2})(?:\s*(am|pm|a\.m\.|p\.m\.))?(?!\d)", re.IGNORECASE)
_DATE_TOKENS = re.compile(
    f"{_ANY_MONTH}|{'|'.join(WEEKDAYS)}|\\b(?:am|pm|ist|gmt|utc|hrs|a\\.m|p\\.m)\\b|बजे|तारीख|"
    "दिनांक|समय|अपराह्न|पूर्वाह्न|सुबह|शाम|दोपहर|रात|\\d+(?:st|nd|rd|th)?|[\\s,./:|()\\-–—+]",
    re.IGNORECASE,
)


def parse_date(text: str) -> datetime | None:
    """The first calendar date written in `text` (with its time when one follows)."""
    text = text.translate(_DEV_DIGITS)
    found: list[tuple[int, datetime]] = []
    for pattern, order in (
        (_DATE_ISO, "ymd"),
        (_DATE_DMY, "dmy"),
        (_DATE_MDY, "mdy"),
        (_DATE_NUMERIC, "dmy"),
    ):
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["m"]
            month_num = int(month) if month.isdigit() else month_number(month)
            try:
                date = datetime(int(parts["y"]), month_num or 0, int(parts["d"]))
            except (TypeError, ValueError):
                continue
            time = _TIME.search(text, m.end(), m.end() + 25)
            if time:
                hour, minute = int(time.group(1)), int(time.group(2))
                suffix = (time.group(3) or "").lower().replace(".", "")
                if suffix == "pm" and hour < 12:
                    hour += 12
                elif suffix == "am" and hour == 12:
                    hour = 0
                if hour < 24 and minute < 60:
                    date = date.replace(hour=hour, minute=minute)
            found.append((m.start(), date))
            break
    return min(found, key=lambda f: f[0])[1] if found else None


def is_date_line(line: str) -> bool:
    """A line that is nothing but a date and/or time ("15 अक्टूबर 2024, 10:30 IST")."""
    if len(line) > 80 or not re.search(r"\d|[०-९]", line):
        return False
    digits = line.translate(_DEV_DIGITS)
    has_date = bool(
        _DATE_DMY.search(digits)
        or _DATE_MDY.search(digits)
        or _DATE_ISO.search(digits)
        or _DATE_NUMERIC.search(digits)
        or _TIME.search(digits)
    )
    return has_date and not _DATE_TOKENS.sub("", digits).strip()
