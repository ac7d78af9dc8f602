"""Readable, safe file names from article titles.

Devanagari is kept, not transliterated: the listeners read Hindi, a Hindi title
transliterated to ASCII ("bharat-ki-arthvyavastha") is harder for them to read
than the title itself, and every current file system, zip tool and web server
handles UTF-8 names (feed URLs percent-encode them). Names are NFC so the same
title always gives the same bytes (macOS would otherwise store NFD).

What a slug guarantees:
- only letters, combining marks and digits of any script, joined by "-"
  (so no "/", "\\", ":", "*", "?", '"', "<", ">", "|", control characters,
  dots or whitespace: no path traversal, no hidden files, no reserved names)
- at most `MAX_BYTES` (120) bytes of UTF-8, about 40 Devanagari letters (each
  is 3 bytes): enough for a readable headline, and with ".chapters.json" and
  the temp-file decoration still far below the 255-byte name limit of file
  systems; cut between words when one is near, and never between a consonant
  and its vowel sign or virama
- never empty ("article" when nothing usable is left)
- unique within a folder (`unique_slug` adds -2, -3, …), compared without case
  so two names never collide on a case-insensitive file system
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

MAX_BYTES = 120
FALLBACK = "article"

# Windows device names: a file called "con.mp3" cannot be created there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def slugify(title: str, max_bytes: int = MAX_BYTES) -> str:
    """A safe, readable file stem for `title` (without uniqueness)."""
    text = unicodedata.normalize("NFC", title or "")
    # "2,000" / "1,20,000" is one number: keep it one word ("2000"), not "2-000".
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        # Letters, digits and combining marks (matras, virama, nukta) stay;
        # ZWJ/ZWNJ shape conjuncts in Devanagari, so they stay inside a word.
        if category[0] in "LN" or category in ("Mn", "Mc") or ch in "\u200c\u200d":
            if category[0] == "M" and not current:
                continue  # a mark with nothing to attach to
            current.append(ch)
        else:
            if current:
                words.append("".join(current))
                current = []
    if current:
        words.append("".join(current))
    words = [w.strip("\u200c\u200d") for w in words]
    slug = "-".join(w for w in words if w)
    slug = _truncate(slug, max_bytes).strip("-")
    if not slug:
        return FALLBACK
    if slug.lower() in _RESERVED:
        slug = f"{slug}-{FALLBACK}"
    return slug


def _truncate(slug: str, max_bytes: int) -> str:
    if len(slug.encode("utf-8")) <= max_bytes:
        return slug
    cut = 0
    size = 0
    for i, ch in enumerate(slug):
        size += len(ch.encode("utf-8"))
        if size > max_bytes:
            break
        cut = i + 1
    # Do not split a syllable: back up while the next character is a mark
    # (it would be left without its consonant) or the last one is a joiner.
    while 0 < cut < len(slug) and (
        unicodedata.category(slug[cut])[0] == "M" or slug[cut - 1] in "\u200c\u200d\u094d"
    ):
        cut -= 1
    head = slug[:cut]
    # Prefer ending at a word boundary when one is in the last third.
    dash = head.rfind("-")
    if dash >= len(head) * 2 // 3:
        head = head[:dash]
    return head


def unique_slug(base: str, taken: Container[str], max_bytes: int = MAX_BYTES) -> str:
    """`base`, or `base-2`, `base-3`, … : the first whose casefold is not in `taken`.

    `taken` holds casefolded stems already used in the folder (or this batch).
    The suffix is fitted inside `max_bytes` by shortening `base`.
    """
    if base.casefold() not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        stem = _truncate(base, max_bytes - len(suffix)).rstrip("-") or FALLBACK
        candidate = f"{stem}{suffix}"
        if candidate.casefold() not in taken:
            return candidate
        n += 1
