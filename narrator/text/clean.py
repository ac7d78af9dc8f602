"""Strip what a newsreader would not read aloud from scraped Hindi news.

Scraped articles carry the page around them: "यह भी पढ़ें" / "Read Also" link
lists, image-credit notes ("चित्र स्रोत नोट: ..."), picture captions, comment
boxes, share and follow buttons, promotion ("click here", "follow us", get the
app: promo.py), headlines of other stories (headlines.py), date stamps, the
unreadable tails of web addresses, HTML leftovers, and now and then a run of
another script glued to a Hindi sentence (machine translation residue). They
also break lines inside sentences and glue sentences together (breaks.py). The
rules here look at the *shape* of a line (a label followed by a colon, a short
line without a verb-final danda, a line that is nothing but a date) rather than
at any one site's markup, so they carry over to sites not seen before.

The one hard promise: a sentence of the article itself is never dropped. A line
that ends like a sentence (।, ?, !, or "." after Hindi words) is never taken for
a caption, a button or a link under a label, wherever it stands. Everything
removed is reported in `CleanResult.removed`, with the reason, so the preview
and `narrator text --json` can show it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from narrator.text.breaks import (
    rejoin_broken_lines,
    split_fused_sentence_ends,
    split_fused_words,
    split_glued_sentences,
)
from narrator.text.dates import is_date_line, parse_date
from narrator.text.headlines import drop_related_headlines
from narrator.text.promo import remove_promo
from narrator.text.script import Reason, Removal

__all__ = ["CleanResult", "Removal", "clean", "drop_hidden_html", "find_date_stamp", "parse_date"]


@dataclass
class CleanResult:
    """The cleaned article text and what was taken out of it.

    text     paragraphs separated by a blank line ("\\n\\n"), lines by "\\n"
    removed  the dropped lines and fragments with their reasons, in the order
             they were found
    """

    text: str
    removed: list[Removal] = field(default_factory=list)


# --- characters ------------------------------------------------------------

_DEVANAGARI = "\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff"
_HAS_DEVANAGARI = re.compile(f"[{_DEVANAGARI}]")
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\u180e\u034f]"
)
_JOINER = re.compile("[\u200c\u200d]")
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DOUBLE_QUOTES = re.compile("[“”„‟″〝〞＂]")
_SINGLE_QUOTES = re.compile("[‘’‚‛′]")
_GUILLEMETS = re.compile("[«»‹›]")  # quotes, or breadcrumb separators: judged per line first
_LATIN_APOSTROPHE = re.compile("(?<=[A-Za-z])[’'](?=[A-Za-z])")
_RANGE_DASH = re.compile("(?<=\\d) *[‒–―] *(?=\\d)")
_DASHES = re.compile(" *(?:[‒–―—]|--+) *")
_HYPHENS = re.compile("[‐‑−]")
_BULLET = re.compile("^\\s*[•●▪►▶◆■□○◦‣⁃·✓✔➤➜→*]+\\s+")
_MULTISPACE = re.compile(" {2,}")

# Text no reader sees: scripts, styles, <noscript> fallbacks (an unclosed one
# ends at the next block tag), frames.
_HTML_BLOCK = re.compile(
    r"<(script|style|noscript|iframe)\b[^>]*>.*?(?:</\1\s*>|(?=<(?:p|div|li|h[1-6]|br|/p|/div)\b)|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|p|li|h[1-6])\b[^<>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
# A tag whose ">" was lost ("<b class='x' भारी", "</i" at the end of a line).
_HTML_UNCLOSED_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>]+))?)*\s*/?(?=\s|<|$)",
    re.MULTILINE,
)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")

# Scripts a Hindi voice cannot read and that do not belong in a Hindi article:
# other Indic scripts, Arabic, Hebrew, Cyrillic, Thai..., and CJK with its
# punctuation. Latin stays (names, acronyms: normalization reads them).
_FOREIGN = (
    "\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u0980-\u0dff"
    "\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3000-\u303f"
    "\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f"
)
_FOREIGN_RUN = re.compile(f"[{_FOREIGN}](?:[\\s\\d,.!?;:'\"()\\-]*[{_FOREIGN}])*")
_FOREIGN_SENTENCE_END = re.compile("[。！？．]")

_URL = re.compile(r"(?<![\w.])(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
# A path a reader can say: one or two words ("/hindi", "/news/india"), not ids or queries.
_READABLE_PATH = re.compile(r"^/[A-Za-z]{1,15}(?:[-/][A-Za-z]{1,15})?/?$")
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:]?\s*\)|\[\s*\]")
_PIPE_DANDA = re.compile(f"(?<=[{_DEVANAGARI}])\\s*\\|(?=\\s|$)")
_SPACE_BEFORE_PUNCT = re.compile("\\s+([।॥,?!;:)])")
_TERMINAL = "।॥?!.…"


# --- line rules ------------------------------------------------------------


def _alternatives(words: str) -> str:
    return "|".join(
        sorted((w.strip() for w in words.split(";") if w.strip()), key=len, reverse=True)
    )


_SEP = "\\s*[:：|\\-–—»>]"
_END = "\\s*[:：.!|»>\\-–—]*\\s*$"

_READ_ALSO = _alternatives(
    "read also; also read; read more; more from; must read; recommended; recommended for you;"
    "related; related news; related stories; related articles; related posts; related topics;"
    "related videos; related links; you may also like; you might also like; also watch;"
    "यह भी पढ़ें; ये भी पढ़ें; इसे भी पढ़ें; यह भी पढ़े; ये भी पढ़े; इन्हें भी पढ़ें; और पढ़ें;"
    "और भी पढ़ें; ज़रूर पढ़ें; जरूर पढ़ें; संबंधित खबरें; संबंधित ख़बरें; संबंधित खबर;"
    "संबंधित लेख; संबंधित समाचार; सम्बंधित खबरें; सम्बंधित ख़बरें; सम्बन्धित खबरें;"
    "यह भी देखें; ये भी देखें; यह भी देखिए; ये भी देखिए; वीडियो भी देखें; टॉप स्टोरीज;"
    "लेटेस्ट न्यूज; लेटेस्ट न्यूज़; ताज़ा खबरें; ताजा खबरें; more stories; top stories;"
    "latest news; trending; trending now; ट्रेंडिंग"
)
_READ_ALSO_LINE = re.compile(f"^(?:{_READ_ALSO})(?:{_END}|{_SEP}\\s*\\S)", re.IGNORECASE)
_READ_ALSO_ALONE = re.compile(f"^(?:{_READ_ALSO}){_END}", re.IGNORECASE)

_COMMENTS = _alternatives(
    "discussion; discussions; join the conversation; join the discussion; comments; comment;"
    "leave a comment; leave a reply; post a comment; add a comment; write a comment;"
    "show comments; view comments; load more comments; be the first to comment;"
    "sign in to comment; log in to comment; टिप्पणी करें; टिप्पणी लिखें; टिप्पणियाँ;"
    "टिप्पणियां; कमेंट करें; कमेंट लिखें; कमेंट्स; कमेंट; अपनी राय दें;"
    "अपनी राय लिखें; अपनी प्रतिक्रिया दें; प्रतिक्रिया दें; चर्चा में शामिल हों"
)
_COMMENT_LINE = re.compile(f"^(?:\\d+\\s+)?(?:{_COMMENTS})(?:\\s*\\(\\d+\\))?{_END}", re.IGNORECASE)

_CHROME = _alternatives(
    "advertisement; advertisment; sponsored; ad; विज्ञापन; स्पॉन्सर्ड; "
    "story continues below advertisement; scroll to continue; continue reading;"
    "आगे पढ़ें; आगे की खबर; खबर जारी है; नीचे पढ़ें; listen to this article; इस खबर को सुनें;"
    "audio; ऑडियो सुनें; play; back to top"
)
_CHROME_LINE = re.compile(f"^(?:{_CHROME}){_END}", re.IGNORECASE)
_TAGS_LINE = re.compile(
    f"^(?:tags|tag|topics|keywords|टैग्स|टैग|विषय|कीवर्ड्स|श्रेणी|category){_SEP}", re.IGNORECASE
)
_READING_TIME = re.compile(
    r"^(?:\d+\s*(?:min|mins|minutes?|मिनट)\s*(?:read|में पढ़ें|की रीडिंग)|पढ़ने का समय\s*[:：]?.*|reading time\s*[:：].*)\s*$",
    re.IGNORECASE,
)
_AGO = re.compile(
    r"^(?:updated\s*|अपडेटेड\s*)?\d+\s*(?:seconds?|mins?|minutes?|hours?|hrs?|days?|weeks?|सेकंड|मिनट|घंटे|घंटा|दिन|हफ्ते|सप्ताह)\s*(?:ago|पहले)\s*$",
    re.IGNORECASE,
)

_STAMP_LABEL = _alternatives(
    "updated; last updated; updated on; updated at; published; first published; published on;"
    "published at; published by; posted; posted on; posted by; modified; last modified;"
    "edited by; written by; reported by; curated by; authored by; compiled by; author;"
    "अपडेटेड; अपडेट; अपडेट किया गया; लास्ट अपडेट; प्रकाशित; प्रकाशित तिथि; प्रकाशन तिथि;"
    "प्रकाशन; पब्लिश्ड; पब्लिश; अद्यतन; संशोधित; लेखक; लेखिका; रिपोर्ट; रिपोर्टर;"
    "संवाददाता; एडिटेड बाय; एडिटर; संपादक; संपादन; द्वारा; लिखा गया"
)
_STAMP_LABEL_SEP = re.compile(
    f"(?:^|[|,•·]\\s*)(?:{_STAMP_LABEL})\\s*(?:on|at|by)?\\s*[:：|]", re.IGNORECASE
)
_STAMP_LABEL_DATE = re.compile(
    f"^(?:{_STAMP_LABEL})\\s+(?:on\\s+|at\\s+)?(?=\\d|[{_DEVANAGARI}A-Za-z]+\\s+\\d)", re.IGNORECASE
)
_BYLINE = re.compile(r"^(?:[Bb]y|BY)\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}\s*$")

_CREDIT_WORD = _alternatives(
    "चित्र; छवि; फोटो; फ़ोटो; तस्वीर; तस्वीरें; इमेज; image; images; photo; photos; picture;"
    "pic; pics; img; photograph; video; वीडियो; फोटो/वीडियो; graphic; ग्राफिक"
)
_CREDIT_TAIL = _alternatives(
    "स्रोत; साभार; क्रेडिट; सौजन्य; सोर्स; source; credit; credits; courtesy; by"
)
_CREDIT_LINE = re.compile(
    f"^\\(?\\s*(?:{_CREDIT_WORD})\\s*(?:(?:{_CREDIT_TAIL})\\s*)?(?:नोट|note)?\\s*[:：|–—-]",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    "^\\(?\\s*(?:स्रोत|सोर्स|source|sources|साभार|courtesy|credit|credits|इनपुट|input|inputs)\\s*[:：-]",
    re.IGNORECASE,
)
_CREDIT_PHRASE = re.compile(
    "getty images|shutterstock|istock|pti photo|ani photo|file photo|file pic|फाइल फोटो|फ़ाइल फ़ोटो|"
    "फाइल फ़ोटो|फ़ाइल फोटो|फाइल तस्वीर|प्रतीकात्मक (?:तस्वीर|फोटो|फ़ोटो|चित्र|इमेज|छवि)|"
    "सांकेतिक (?:तस्वीर|फोटो|फ़ोटो|चित्र|इमेज)|representative (?:image|photo|picture|pic)|"
    "symbolic (?:image|photo|picture)|ai (?:द्वारा )?(?:उत्पन्न|निर्मित|जनित)|ai[- ]generated|"
    "generated by ai|midjourney",
    re.IGNORECASE,
)
_INLINE_CREDIT = re.compile(
    "\\(\\s*(?:(?:"
    + _CREDIT_PHRASE.pattern
    + ")[^()]{0,40}|(?:"
    + _CREDIT_WORD
    + ")\\s*(?:(?:"
    + _CREDIT_TAIL
    + ")\\s*)?[:：-][^()]{0,50}|(?:"
    + _CREDIT_WORD
    + "))\\s*\\)",
    re.IGNORECASE,
)
_NOTICE_LINE = re.compile(
    r"^\((?=[^()]*(?:सिंडीकेट|syndicat|फीड|feed|संपादित नहीं|not been edited|ऑटो-?जेनरेटेड|"
    r"auto-?generated|इनपुट|inputs?\b|एजेंसी|agency))[^()]{3,250}\)$"
    r"|^\((?:भाषा|एजेंसी|पीटीआई|एएनआई|आईएएनएस|वार्ता|यूएनआई|PTI|ANI|IANS|UNI|Reuters|AP|AFP)"
    r"(?:\s*[,/-]\s*[^()\s]+){0,3}\)$",
    re.IGNORECASE,
)
_COPYRIGHT_LINE = re.compile(
    r"^(?:©|\(c\)|copyright|कॉपीराइट|सर्वाधिकार सुरक्षित|all rights reserved)", re.IGNORECASE
)
_BREADCRUMB_SEP = re.compile(r"\s[›»>/]\s|\s?[›»]\s?")
_GALLERY_INDEX = re.compile(r"\(\s*\d{1,2}\s*\)")
_SLIDE_COUNTER = re.compile(
    r"^(?:(?:image|photo|slide|तस्वीर|फोटो)\s*)?\d{1,2}\s*(?:/|of|में से)\s*\d{1,2}$", re.IGNORECASE
)

_SHARE_EN = re.compile(
    r"\b(?:share|shares|tweet|follow|subscribe|click here|download|sign up|newsletter|whatsapp|"
    r"facebook|twitter|telegram|linkedin|instagram|youtube|google news|email|e-mail|print|"
    r"copy link|bookmark|like us|join us|notifications?)\b",
    re.IGNORECASE,
)
_SHARE_HI = re.compile(
    "शेयर (?:करें|कीजिए|करे)|फॉलो (?:करें|कीजिए|करे)|फ़ॉलो (?:करें|कीजिए|करे)|"
    "सब्सक्राइब (?:करें|कीजिए|करे)|क्लिक (?:करें|कीजिए)|डाउनलोड (?:करें|कीजिए)|"
    "लाइक (?:करें|कीजिए)|कॉपी (?:करें|कीजिए)|ज्वाइन (?:करें|कीजिए)|जॉइन (?:करें|कीजिए)|"
    "जुड़ें|जुड़िए|जुड़े रहें|हमें फॉलो|हमें फ़ॉलो|गूगल न्यूज़|गूगल न्यूज|व्हाट्सएप चैनल|"
    "नोटिफिकेशन (?:पाएं|पाने)|न्यूज़लेटर|फॉन्ट (?:छोटा|बड़ा)|फ़ॉन्ट (?:छोटा|बड़ा)|ऐप (?:डाउनलोड|इंस्टॉल)"
)
_PLATFORMS = frozenset(
    [
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "telegram",
        "linkedin",
        "instagram",
        "youtube",
        "email",
        "e-mail",
        "print",
        "copy",
        "link",
        "share",
        "reddit",
        "pinterest",
        "koo",
        "threads",
        "फेसबुक",
        "ट्विटर",
        "व्हाट्सएप",
        "टेलीग्राम",
        "इंस्टाग्राम",
        "यूट्यूब",
        "ईमेल",
        "प्रिंट",
        "शेयर",
    ]
)

# --- stamps ------------------------------------------------------------------


def _is_stamp_line(line: str) -> bool:
    """A publication stamp or byline: "प्रकाशित: 15 अक्टूबर 2024, 10:30 IST"."""
    if len(line) > 160 or line.rstrip().endswith("।"):
        return False
    if _STAMP_LABEL_SEP.search(line):
        return True
    label = _STAMP_LABEL_DATE.match(line)
    if label:
        rest = line[label.end() :]
        if is_date_line(rest) or _AGO.match(rest):
            return True
    return bool(_BYLINE.match(line)) or is_date_line(line) or bool(_AGO.match(line))


def find_date_stamp(text: str) -> datetime | None:
    """The publication date from a stamp line of the article, if it has one.

    Only stamp lines count ("Updated: ...", "प्रकाशित: ...", a line that is just
    a date): a date inside a sentence is news, not the publication date.
    """
    for line in text.splitlines():
        line = line.strip()
        if line and _is_stamp_line(line):
            date = parse_date(line)
            if date is not None:
                return date
    return None


# --- the cleaner -----------------------------------------------------------


def clean(text: str) -> CleanResult:
    """Remove boilerplate and normalize characters; keep every article sentence.

    Returns the cleaned text (paragraphs joined by a blank line) and the list
    of what was removed, each passage with its reason. The passes, in order:
    HTML and code points; hard-wrapped paragraphs unwrapped and lines broken
    inside a sentence joined; headlines of
    other stories at the start of a line; sentence ends glued to the next word
    given their space; promotion blocks; whole boilerplate lines; URLs, stray
    scripts and spacing within a line.
    """
    removed: list[Removal] = []
    text = _strip_html(text, removed)
    text = _normalize_code_points(text)
    text = "\n".join(_unwrap_hard_wrapped([line.strip() for line in text.split("\n")]))
    text = rejoin_broken_lines(text, keep_apart=_stands_alone)
    text = "\n".join(drop_related_headlines(text.split("\n"), removed))
    text = split_glued_sentences(text)
    text = split_fused_sentence_ends(text)
    text = split_fused_words(text)
    text = _normalize_punctuation(text)
    text = remove_promo(text, removed)
    lines = [line.strip() for line in text.split("\n")]
    lines = _drop_boilerplate(lines, removed)
    lines = [_clean_inline(line, removed) for line in lines]
    return CleanResult(_assemble(lines), removed)


def _strip_html(text: str, removed: list[Removal]) -> str:
    """HTML left in scraped text: scripts and styles go, tags become line breaks or nothing.

    An inline tag (<b>, <i>, <a>), closed or not, becomes nothing, so it never
    splits a sentence; only block tags (<p>, <br>, <li>, <h1>...) break a line.
    """
    if "<" in text:
        for m in _HTML_BLOCK.finditer(text):
            removed.append(Removal(m.group()[:200], Reason.HTML))
        text = _HTML_BLOCK.sub("", text)
        text = _HTML_COMMENT.sub("", text)
        text = _HTML_BREAK.sub("\n", text)
        text = _HTML_TAG.sub("", text)
        text = _HTML_UNCLOSED_TAG.sub("", text)
    if "&" in text:
        text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text


def drop_hidden_html(markup: str) -> str:
    """HTML without the text no reader sees (<script>, <style>, <noscript>, <iframe>)."""
    return _HTML_BLOCK.sub("", markup) if "<" in markup else markup


def _normalize_code_points(text: str) -> str:
    text = text.replace("\r\n", "\n")
    text = re.sub("[\r\u2028\u2029\x0b\x0c\x85]", "\n", text)
    text = unicodedata.normalize("NFC", text)
    # fullwidth ASCII (ＧＰＵ, １２３) to ASCII; fullwidth CJK punctuation stays foreign
    text = re.sub("[\uff01-\uff5e]", lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _INVISIBLE.sub("", text)
    text = _JOINER.sub(_keep_joiner, text)
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def _normalize_punctuation(text: str) -> str:
    """One form for each quote, dash and hyphen (after the quotes told which sentence they close)."""
    text = _LATIN_APOSTROPHE.sub("'", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    text = _SINGLE_QUOTES.sub('"', text)
    text = _HYPHENS.sub("-", text)
    text = _RANGE_DASH.sub("-", text)
    return _DASHES.sub(_dash, text)


def _keep_joiner(m: re.Match[str]) -> str:
    """ZWJ/ZWNJ shape Devanagari conjuncts (क्‍ष): keep them inside a word only."""
    s, i = m.string, m.start()
    before = s[i - 1] if i > 0 else ""
    after = s[i + 1] if i + 1 < len(s) else ""
    inside = _HAS_DEVANAGARI.match(before) and _HAS_DEVANAGARI.match(after)
    return m.group() if inside else ""


def _dash(m: re.Match[str]) -> str:
    """A dash between words is a pause: "सेक्टर्स—जैसे"; spaced or not, write it one way."""
    spaced = m.group() != m.group().strip()
    return " — " if spaced else "—"


def _key(line: str) -> str:
    return line.strip().strip("#*>•|").strip()


def _is_sentence(line: str) -> bool:
    """Ends like a sentence of prose: such a line is never a caption or a button.

    A full stop counts on a line of Hindi words (many sites end
    Hindi sentences with "."); "Photo: Reuters." does not.
    """
    end = line.rstrip("\"')]")
    if end.endswith(tuple("।॥?!")):
        return True
    return end.endswith(".") and len(end.split()) >= 2 and bool(_HAS_DEVANAGARI.search(end))


_KIND_REASON = {
    "read-also": Reason.READ_ALSO,
    "read-also-alone": Reason.READ_ALSO,
    "comments": Reason.COMMENTS,
    "chrome": Reason.CHROME,
    "credit": Reason.CREDIT,
    "stamp": Reason.STAMP,
    "caption": Reason.CAPTION,
    "share": Reason.SHARE,
}
# Kinds of line that stand alone: never joined to the line before or after.
_ALONE = frozenset(_KIND_REASON) - {"share"}


def _stands_alone(line: str) -> bool:
    return _line_rule(_normalize_punctuation(line), first=False) in _ALONE


def _line_rule(line: str, first: bool) -> str | None:
    """Which boilerplate rule a whole line falls under, if any."""
    key = _key(line)
    if not key:
        return None
    words = len(key.split())
    if _READ_ALSO_LINE.match(key):
        return "read-also-alone" if _READ_ALSO_ALONE.match(key) else "read-also"
    if _COMMENT_LINE.match(key):
        return "comments"
    if _CHROME_LINE.match(key) or _READING_TIME.match(key):
        return "chrome"
    if _TAGS_LINE.match(key) and len(key) <= 200 and not _is_sentence(key):
        return "chrome"
    if len(key) <= 200 and (
        _CREDIT_LINE.match(key) or (_SOURCE_LINE.match(key) and len(key) <= 100)
    ):
        return "credit"
    if _is_stamp_line(key):
        return "stamp"
    if _NOTICE_LINE.match(key) or _COPYRIGHT_LINE.match(key):
        return "chrome"
    if _is_sentence(key):
        return None
    if _is_breadcrumb(key) or _is_widget(key):
        return "chrome"
    if len(key) <= 90 and _CREDIT_PHRASE.search(key):
        return "credit"
    if _SLIDE_COUNTER.match(key):
        return "caption"
    if words <= 12 and len(key) <= 100:
        if not _HAS_DEVANAGARI.search(key) and _SHARE_EN.search(key):
            return "share"
        if _HAS_DEVANAGARI.search(key) and _SHARE_HI.search(key):
            return "share"
        tokens = {t.strip(".,|:/-•·").lower() for t in key.split()} - {""}
        if tokens and tokens <= _PLATFORMS:
            return "share"
    if not first and words <= 12 and len(key) <= 80 and _GALLERY_INDEX.search(key):
        return "caption"
    return None


def _is_breadcrumb(line: str) -> bool:
    """Navigation such as "हिंदी न्यूज़ › देश › राजनीति": short items between separators."""
    parts = [p.strip() for p in _BREADCRUMB_SEP.split(line)]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts) and len(line) <= 100


def _is_widget(line: str) -> bool:
    """Player and font controls: no Hindi, hardly a letter ("A+ A-", "00:00")."""
    if _HAS_DEVANAGARI.search(line) or len(line) > 20:
        return False
    return sum(ch.isalpha() for ch in line) < 4 and not any(ch.isdigit() for ch in line)


def _drop_boilerplate(lines: list[str], removed: list[Removal]) -> list[str]:
    """Drop whole boilerplate lines (blank lines stay, to keep paragraph breaks)."""
    kinds: list[str | None] = []
    first_content = next((i for i, line in enumerate(lines) if line), -1)
    for i, line in enumerate(lines):
        kinds.append(_line_rule(line, i == first_content) if line else None)

    content = [i for i, line in enumerate(lines) if line]
    total = sum(len(line) for line in lines) or 1
    drop = [kind is not None for kind in kinds]

    # A picture caption sits right beside its credit note: a short line that
    # does not end like a sentence, with at most one blank line between.
    for n, i in enumerate(content):
        if kinds[i] != "credit":
            continue
        for m in (n - 1, n + 1):
            if 0 <= m < len(content):
                j = content[m]
                if (
                    abs(j - i) <= 2
                    and j != first_content
                    and not drop[j]
                    and not _is_sentence(lines[j])
                    and len(lines[j]) <= 80
                    and len(lines[j].split()) <= 12
                ):
                    drop[j] = True
                    kinds[j] = "caption"

    # Tail markers: after "Read Also" / "Related" the page lists other stories,
    # after "Comments" / "Join the conversation" come readers' comments. What
    # follows a marker goes only when it does not read as a sentence: a
    # complete sentence is never dropped because of where it stands.
    for n, i in enumerate(content):
        if kinds[i] not in ("read-also-alone", "comments"):
            continue
        following = [j for j in content[n + 1 :] if not drop[j]]
        position = sum(len(line) for line in lines[:i]) / total
        links = [j for j in following if len(lines[j]) <= 150 and not _is_sentence(lines[j])]
        if (kinds[i] == "comments" and position > 0.6) or len(links) == len(following):
            for j in links:
                drop[j], kinds[j] = True, kinds[i]
            break
        # an inline "यह भी पढ़ें" box: the link lines under it, up to the first sentence
        for j in content[n + 1 :]:
            if _is_sentence(lines[j]) or len(lines[j]) > 150:
                break
            drop[j], kinds[j] = True, kinds[i]

    kept = []
    for line, dropped, kind in zip(lines, drop, kinds, strict=True):
        if dropped and line:
            removed.append(Removal(line, _KIND_REASON[kind or "chrome"]))
        else:
            kept.append(line)
    return kept


def _clean_inline(line: str, removed: list[Removal]) -> str:
    """Within a kept line: web addresses, credit parentheses, stray scripts, spacing."""
    if not line:
        return line
    line = _BULLET.sub("", line)
    if "/" in line or "www" in line.lower():
        line = _URL.sub(lambda m: _speakable_address(m, removed), line)
    for m in _INLINE_CREDIT.finditer(line):
        removed.append(Removal(m.group(), Reason.CREDIT))
    line = _INLINE_CREDIT.sub(" ", line)
    line = _GUILLEMETS.sub('"', line)
    line = _EMPTY_BRACKETS.sub(" ", line)
    line = _remove_foreign(line, removed)
    line = _PIPE_DANDA.sub("।", line)
    line = _MULTISPACE.sub(" ", line).strip()
    line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
    if line and not any(ch.isalnum() for ch in line):
        removed.append(Removal(line, Reason.PUNCTUATION))  # only punctuation left
        return ""
    return line


def _speakable_address(m: re.Match[str], removed: list[Removal]) -> str:
    """A web address as a newsreader says it: the host, and a short path of words.

    "https://www.bbc.com/hindi" keeps "www.bbc.com/hindi"; the scheme goes
    unsaid, and a path of ids and queries ("/news?id=1") is listed as removed.
    """
    url = m.group()
    trail = len(url) - len(url.rstrip(".,;:!?"))
    url, tail = url[: len(url) - trail], url[len(url) - trail :]
    address = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    split = re.match(r"([^/?#]*)(.*)", address, re.DOTALL)
    host, path = (split[1], split[2]) if split else (address, "")
    if path and not _READABLE_PATH.match(path):
        removed.append(Removal(path, Reason.ADDRESS))
        path = ""
    return f" {host}{path.rstrip('/')}{tail} " if host else f" {tail}"


def _remove_foreign(line: str, removed: list[Removal]) -> str:
    """Drop runs of another script; a Hindi sentence they ended gets its danda back."""
    if not re.search(f"[{_FOREIGN}]", line):
        return line
    out = []
    last = 0
    for m in _FOREIGN_RUN.finditer(line):
        removed.append(Removal(m.group(), Reason.FOREIGN_SCRIPT))
        head = line[last : m.start()]
        tail_start = m.end()
        # eat CJK sentence punctuation or a plain full stop right after the run
        ends_sentence = bool(_FOREIGN_SENTENCE_END.search(m.group()[-1:]))
        rest = line[tail_start:]
        stop = re.match(r"\s*[。！？．.!?।]", rest)
        if stop:
            ends_sentence = True
            tail_start += stop.end()
        at_end = not line[tail_start:].strip()
        out.append(head)
        if (ends_sentence or at_end) and _HAS_DEVANAGARI.search(head):
            stripped = "".join(out).rstrip()
            if stripped and stripped[-1] not in _TERMINAL:
                out = [stripped, "।", " "]
        else:
            out.append(" ")
        last = tail_start
    out.append(line[last:])
    return "".join(out)


def _unwrap_hard_wrapped(lines: list[str]) -> list[str]:
    """Join paragraphs that were hard-wrapped at a fixed width (e-mail, .md files).

    Wrapped lines are all about as long as the widest one, and most of them
    end mid-sentence; headings and one-paragraph-per-line text do not look so.
    """
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if len(block) >= 3:
            width = max(len(line) for line in block)
            body = block[:-1]
            open_ends = sum(1 for line in body if not line.endswith(tuple(_TERMINAL)))
            if (
                40 <= width <= 100
                and all(len(line) >= 0.7 * width for line in body)
                and open_ends * 2 >= len(body)
            ):
                out.append(" ".join(block))
                block.clear()
                return
        out.extend(block)
        block.clear()

    for line in lines:
        if line and not _stands_alone(line):
            block.append(line)
        else:
            flush()  # a blank line, or a label, stamp or credit: never part of a paragraph
            out.append(line)
    flush()
    return out


def _assemble(lines: list[str]) -> str:
    """Lines back to text: at most one blank line between paragraphs, none at the ends."""
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n ")
