"""Promotion and calls to action: the page talking about itself, not the news.

Real articles end (and sometimes pause) with the outlet's own messages: get the
app, click here, follow us on Facebook and Twitter, subscribe. They come in many
wordings, often in brackets, and a scrape breaks them over several lines:

    (बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए यहां क्लिक करें. आप हमें फ़ेसबुक
    और ट्विटर पर भी फ़ॉलो कर सकते हैं.)

A sentence is a call to action by its shape: "click" after "here" or a purpose
("… के लिए"), follow / subscribe / join with a platform, "you can read / see
us on <platform>", an app with download / install. A news sentence that only
mentions clicking ("जैसे ही आप डाउनलोड बटन पर क्लिक करते हैं…") has none of
these shapes. A bracket holding such a sentence goes as one block, so no
fragment of it is left to be glued onto the article's last sentence; outside
brackets each such sentence goes whole. A bracketed note in which a news
service describes its own coverage goes the same way.

Run it after broken lines are rejoined (breaks.py): a block is then one line.
"""

from __future__ import annotations

import re

from narrator.text.script import Reason, Removal

__all__ = ["is_call_to_action", "remove_promo"]

_PLATFORM = re.compile(
    "फ़ेसबुक|फेसबुक|ट्विटर|इंस्टाग्राम|इन्स्टाग्राम|यूट्यूब|यू-ट्यूब|व्हाट्सऐप|व्हाट्सएप|"
    "व्हॉट्सऐप|वॉट्सऐप|टेलीग्राम|टेलिग्राम|लिंक्डइन|ऐप|पन्ने|पेज|चैनल|न्यूज़लेटर|न्यूजलेटर|"
    "पॉडकास्ट|(?i:facebook|twitter|instagram|youtube|whatsapp|telegram|linkedin|\\bapp\\b|"
    "newsletter|podcast|channel)"
)
_READER = re.compile(r"(?<![\u0900-\u097f])(?:आप|आपने|हमें|हमसे|हमारे|हमारा|हमारी)(?![\u0900-\u097f])")
_CLICK = re.compile(
    r"(?:यहां|यहाँ|यहा|इधर|नीचे|लिए|लिंक पर)\s+(?:\S+\s+){0,3}?क्लिक\s*(?:करें|कीजिए|करे|कर सकते)"
)
_FOLLOW = re.compile(
    r"(?:फ़ॉलो|फॉलो|सब्सक्राइब|सबस्क्राइब|जुड़|ज्वाइन|जॉइन|लाइक)\s*(?:भी\s+)?"
    r"(?:कर\s+सकते|करें|कीजिए|करे|सकते|रहें)"
)
_READ_ON = re.compile(r"(?:पढ़|देख|सुन|आ)\s+सकते")
_APP = re.compile(r"(?:ऐप|एप)(?:\s+\S+){0,3}?\s+(?:डाउनलोड|इंस्टॉल|इंस्टाल|देखा)")
_ENGLISH = re.compile(
    r"(?i:\b(?:click|tap) here\b|\bfollow us\b|\bdownload (?:our|the) app\b|"
    r"\bsubscribe to (?:our|the)\b|\bjoin us on\b)"
)
_OUTLET_NOTE = re.compile(
    r"(?=.*(?:माध्यमों|मीडिया))(?=.*(?:ख़बरों|खबरों|समाचारों))(?=.*(?:विश्लेषण|रिपोर्टिंग))"
)
_BRACKET = re.compile(r"\([^()\n]*(?:\)|$)|^[^()\n]*\)")
_SENTENCE = re.compile(r"[^।?!.]*(?:[।?!.]+[\"'”’]*|$)")


def is_call_to_action(sentence: str) -> bool:
    """True for a sentence that asks the reader to click, follow, subscribe or get the app."""
    if _ENGLISH.search(sentence) or _CLICK.search(sentence):
        return True
    platform = bool(_PLATFORM.search(sentence))
    if platform and _FOLLOW.search(sentence):
        return True
    if platform and _READ_ON.search(sentence) and _READER.search(sentence):
        return True
    return bool(_APP.search(sentence) and (_READER.search(sentence) or "करें" in sentence))


def remove_promo(text: str, removed: list[Removal]) -> str:
    """Take promotion blocks out of `text`; each goes whole and is listed in `removed`."""
    if (
        "(" not in text
        and not _PLATFORM.search(text)
        and "क्लिक" not in text
        and not _ENGLISH.search(text)
    ):
        return text
    return "\n".join(_clean_line(line, removed) for line in text.split("\n"))


def _clean_line(line: str, removed: list[Removal]) -> str:
    if not line.strip():
        return line

    def bracket(m: re.Match[str]) -> str:
        inside = m[0]
        if any(is_call_to_action(s) for s in _sentences(inside)) or _OUTLET_NOTE.match(inside):
            removed.append(Removal(inside.strip(), Reason.PROMO))
            return " "
        return inside

    before = len(removed)
    line = _BRACKET.sub(bracket, line)
    kept: list[str] = []
    for sentence in _sentences(line):
        if is_call_to_action(sentence):
            removed.append(Removal(sentence.strip(), Reason.PROMO))
        else:
            kept.append(sentence)
    if len(removed) == before:
        return line
    return re.sub(r" {2,}", " ", "".join(kept)).strip()


def _sentences(text: str) -> list[str]:
    return [m[0] for m in _SENTENCE.finditer(text) if m[0]]
