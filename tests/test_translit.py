"""Latin script -> Devanagari: acronyms, the built-in lexicon, and the rule-based
reader that catches every other English word so no Latin letter reaches a voice."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrator.text.translit import (
    LETTER_NAMES,
    builtin_lexicon,
    latin_word,
    latin_words,
    phonetic,
    spell,
)

DEVANAGARI_ONLY = re.compile(r"^[\u0900-\u097F]+$")


def test_every_letter_has_a_hindi_name() -> None:
    assert set(LETTER_NAMES) == set(string.ascii_uppercase)
    assert all(DEVANAGARI_ONLY.match(v) for v in LETTER_NAMES.values())


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("GPU", "जीपीयू"), ("GPUs", "जीपीयू"), ("AI", "एआई"), ("CEO", "सीईओ"), ("CEOs", "सीईओ"),
        ("UK", "यूके"), ("US", "यूएस"), ("USA", "यूएसए"), ("SMC", "एसएमसी"), ("IST", "आईएसटी"),
        ("IT", "आईटी"), ("TV", "टीवी"), ("WWW", "डब्ल्यूडब्ल्यूडब्ल्यू"), ("XYZ", "एक्सवाईज़ेड"),
        ("X", "एक्स"),
    ],
)  # fmt: skip
def test_acronyms_are_spelled_with_letter_names(word: str, spoken: str) -> None:
    assert latin_word(word) == spoken


@pytest.mark.parametrize(
    ("word", "spoken"),
    [("ISRO", "इसरो"), ("NASA", "नासा"), ("NATO", "नाटो"), ("UNESCO", "यूनेस्को"), ("SEBI", "सेबी"),
     ("COVID", "कोविड")],
)  # fmt: skip
def test_word_acronyms_are_said_as_words(word: str, spoken: str) -> None:
    assert latin_word(word) == spoken


def test_case_decides_between_acronym_and_word() -> None:
    assert latin_word("US") == "यूएस"
    assert latin_word("IT") == "आईटी"
    assert latin_word("it") == "इट"
    assert latin_word("NEWS") == "न्यूज़"  # a capitalised headline word, not N-E-W-S


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("NVIDIA", "एनवीडिया"), ("Nvidia", "एनवीडिया"), ("ElevenLabs", "इलेवनलैब्स"),
        ("OpenAI", "ओपनएआई"), ("DeepSeek", "डीपसीक"), ("Midjourney", "मिडजर्नी"),
        ("Blackwell", "ब्लैकवेल"), ("Grok", "ग्रोक"), ("Reuters", "रॉयटर्स"), ("xAI", "एक्सएआई"),
        ("Jensen", "जेन्सन"), ("Huang", "हुआंग"), ("Staniszewski", "स्टानिशेव्स्की"),
        ("Altman", "ऑल्टमैन"), ("Musk", "मस्क"), ("October", "अक्टूबर"), ("Monday", "सोमवार"),
        ("startup", "स्टार्टअप"), ("startups", "स्टार्टअप्स"), ("chips", "चिप्स"),
        ("videos", "वीडियोज़"), ("Musk's", "मस्क"),
    ],
)  # fmt: skip
def test_builtin_lexicon(word: str, spoken: str) -> None:
    assert latin_word(word) == spoken


def test_camel_case_parts_are_read_separately() -> None:
    # not in the lexicon as a whole: each part is looked up
    assert latin_word("NvidiaAI") == "एनवीडियाएआई"
    assert latin_word("iPad") == "आईपैड"
    assert latin_word("SuperMicro") == "सुपरमाइक्रो"


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("market", "मार्केट"), ("server", "सर्वर"), ("cloud", "क्लाउड"), ("bank", "बैंक"),
        ("time", "टाइम"), ("code", "कोड"), ("game", "गेम"), ("smart", "स्मार्ट"), ("speech", "स्पीच"),
        ("nation", "नेशन"), ("king", "किंग"), ("digital", "डिजिटल"), ("update", "अप्डेट"),
        ("data", "डेटा"), ("chip", "चिप"), ("number", "नंबर"), ("computer", "कंप्यूटर"),
        ("future", "फ़्यूचर"), ("human", "ह्यूमन"), ("token", "टोकन"), ("cyber", "साइबर"),
        ("system", "सिस्टम"), ("city", "सिटी"), ("type", "टाइप"), ("water", "वॉटर"),
        ("picture", "पिक्चर"), ("mission", "मिशन"), ("vision", "विज़न"), ("phone", "फ़ोन"),
        ("night", "नाइट"), ("school", "स्कूल"), ("church", "चर्च"), ("book", "बुक"),
        ("free", "फ़्री"), ("town", "टाउन"), ("show", "शो"), ("india", "इंडिया"), ("world", "वर्ल्ड"),
        ("first", "फ़र्स्ट"), ("turn", "टर्न"), ("doctor", "डॉक्टर"), ("apple", "ऐपल"),
        ("table", "टेबल"), ("simple", "सिंपल"), ("services", "सर्विसेज़"), ("success", "सक्सेस"),
        ("johnson", "जॉन्सन"), ("sunny", "सनी"), ("micro", "माइक्रो"), ("games", "गेम्स"),
    ],
)  # fmt: skip
def test_rule_based_reader_on_common_english(word: str, spoken: str) -> None:
    assert phonetic(word) == spoken


def test_accents_and_words_without_vowels() -> None:
    assert latin_word("Zürich") == "ज़्यूरिच"
    assert latin_word("nth") == "एनटीएच"


def test_running_text_hyphens_dots_and_ampersand() -> None:
    assert latin_words("US-UK सहयोग").split() == ["यूएस", "यूके", "सहयोग"]
    assert latin_words("U.S. में").split() == ["यूएस", "में"]
    assert latin_words("AI/ML").split() == ["एआई", "एमएल"]
    assert latin_words("Johnson & Johnson").split() == ["जॉन्सन", "एंड", "जॉन्सन"]
    assert latin_words("पहले से हिंदी") == "पहले से हिंदी"


def test_lexicon_values_are_all_devanagari() -> None:
    lex = builtin_lexicon()
    assert len(lex.words) + len(lex.acronyms) + len(lex.tokens) > 300
    for table in (lex.words, lex.acronyms):
        for key, value in table.items():
            assert re.fullmatch(r"[\u0900-\u097F -]+", value), (key, value)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"[A-Za-z]{1,25}", fullmatch=True))
def test_any_latin_word_becomes_devanagari(word: str) -> None:
    spoken = latin_word(word)
    assert spoken and DEVANAGARI_ONLY.match(spoken), (word, spoken)


def test_spell_ignores_non_letters() -> None:
    assert spell("A-I") == "एआई"
