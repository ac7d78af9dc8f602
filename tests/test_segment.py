"""Sentence splitting and chunking: where the voice pauses and what one call gets."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.text.clean import clean
from narrator.text.segment import FIRST_CHUNK_CHARS, MIN_CHUNK_CHARS, make_chunks, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def chunk(text: str, limit: int = 250, *, speak=lambda s: s, short_first: bool = False, fits=None):
    return make_chunks(
        text,
        split_sentences(text),
        speak=speak,
        fits=fits or (lambda s: len(s) <= limit),
        short_first=short_first,
    )


# Devanagari words: a letter or digit followed by letters, digits and marks (no danda).
WORD = re.compile(
    r"[\u0904-\u0939\u093d\u0950\u0958-\u0961\u0966-\u096f\u0971-\u097f][\u0900-\u0963\u0966-\u097f]*"
)


def words(text: str) -> list[str]:
    return WORD.findall(text)


# --- sentences ---------------------------------------------------------------


def test_splits_on_danda_question_exclamation_and_full_stop():
    text = "भारत ने मैच जीता। क्या बारिश होगी? शानदार जीत! Sensex गिरा. बाजार बंद है।"
    assert texts(text) == [
        "भारत ने मैच जीता।",
        "क्या बारिश होगी?",
        "शानदार जीत!",
        "Sensex गिरा.",
        "बाजार बंद है।",
    ]


def test_spans_are_exact_and_paragraphs_counted():
    text = "शीर्षक यहाँ है\n\nपहला वाक्य है।  दूसरा वाक्य है।\nतीसरी पंक्ति है।\n"
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("शीर्षक यहाँ है", 0),
        ("पहला वाक्य है।", 1),
        ("दूसरा वाक्य है।", 1),
        ("तीसरी पंक्ति है।", 2),
    ]


def test_heading_without_punctuation_is_its_own_sentence():
    text = "NVIDIA का ElevenLabs में निवेश\nइस निवेश को खुद CEO का समर्थन मिला है।"
    assert texts(text) == ["NVIDIA का ElevenLabs में निवेश", "इस निवेश को खुद CEO का समर्थन मिला है।"]


@pytest.mark.parametrize(
    "sentence",
    [
        "NVIDIA के शेयर की कीमत एक ही दिन में 16.9% गिर गई।",
        "शहर के 1,20,000 घरों में सुबह 10:30 बजे बिजली गई।",
        "कंपनी का नया मॉडल v2.5 अब उपलब्ध है।",
        "वेबसाइट example.com पर जानकारी दी गई है।",
        "डॉ. सुषमा नायर ने चेतावनी जारी की।",
        "श्री. रमेश और श्रीमती. गीता ने उद्घाटन किया।",
        "प्रो. वर्मा ने सं. को पत्र लिखा।",
        "Mr. Smith और Mrs. Jones भारत आए।",
        "Dr. Reddy's की दवा U.S. और U.K. में बिकेगी।",
        "कई देश, e.g. जापान, इस योजना में शामिल हैं।",
        "J. Robert Oppenheimer पर फिल्म बनी।",
        "के.एल. राहुल 38 रन बनाकर नाबाद लौटे।",
        "ए. पी. जे. अब्दुल कलाम को याद किया गया।",
        "Rs. 500 का नोट बंद हुआ था।",
    ],
)
def test_no_split_inside_numbers_or_after_abbreviations(sentence):
    assert texts(sentence) == [sentence]


def test_short_word_before_full_stop_still_ends_the_sentence():
    assert texts("वह यहीं है. फिर वह चला गया.") == ["वह यहीं है.", "फिर वह चला गया."]


def test_closing_quote_stays_with_its_sentence():
    text = '“आप सभी गलत हैं!” हाल ही में हुआंग ने जवाब दिया। उन्होंने कहा, "यह सही है।" फिर चले गए।'
    assert texts(text) == [
        "“आप सभी गलत हैं!”",
        "हाल ही में हुआंग ने जवाब दिया।",
        'उन्होंने कहा, "यह सही है।"',
        "फिर चले गए।",
    ]


def test_list_number_at_line_start_is_not_a_sentence_end():
    assert texts("1. पहला बिंदु यह है।\n2. दूसरा बिंदु यह है।") == [
        "1. पहला बिंदु यह है।",
        "2. दूसरा बिंदु यह है।",
    ]


# --- chunks ------------------------------------------------------------------


def test_short_sentences_of_a_paragraph_are_joined_up_to_the_limit():
    text = "पहला वाक्य छोटा है। दूसरा वाक्य भी छोटा है। तीसरा वाक्य भी है।\nनया अनुच्छेद यहाँ शुरू होता है।"
    chunks = chunk(text, 60)
    assert [c.text for c in chunks] == [
        "पहला वाक्य छोटा है। दूसरा वाक्य भी छोटा है।",
        "तीसरा वाक्य भी है।",
        "नया अनुच्छेद यहाँ शुरू होता है।",
    ]
    assert [c.ends_paragraph for c in chunks] == [False, True, True]
    assert [c.sentence for c in chunks] == [0, 2, 3]
    assert [c.paragraph for c in chunks] == [0, 0, 1]


def test_long_sentence_splits_at_the_comma_nearest_the_middle():
    text = (
        "हुआंग के अनुसार, DeepSeek R1 का उदय NVIDIA के लिए खतरा नहीं है, बल्कि AI के विकास को "
        "तेजी से आगे बढ़ाने में एक महत्वपूर्ण लाभ है, और NVIDIA के लिए यह मदद जैसा है।"
    )
    chunks = chunk(text, 120)
    assert [c.text for c in chunks] == [
        "हुआंग के अनुसार, DeepSeek R1 का उदय NVIDIA के लिए खतरा नहीं है,",
        "बल्कि AI के विकास को तेजी से आगे बढ़ाने में एक महत्वपूर्ण लाभ है, और NVIDIA के लिए यह मदद जैसा है।",
    ]
    assert [c.ends_sentence for c in chunks] == [False, True]


def test_without_punctuation_a_sentence_splits_before_a_conjunction():
    text = (
        "ट्यूरिंग टेस्ट पास करने का मतलब है कि मशीन इंसान जैसी बातचीत कर सके और सामने वाला "
        "व्यक्ति यह पहचान ही न पाए कि वह AI से बात कर रहा है।"
    )
    chunks = chunk(text, 90)
    assert len(chunks) == 2
    first_word = chunks[1].text.split()[0]
    assert first_word in {"और", "कि"}
    assert " ".join(c.text for c in chunks) == text


def test_hard_cut_is_at_a_word_boundary():
    text = " ".join(["समाचार"] * 40) + "।"
    chunks = chunk(text, 50)
    assert all(len(c.text) <= 50 for c in chunks)
    assert all(set(c.text.rstrip("।").split()) == {"समाचार"} for c in chunks)
    assert sum(len(c.text.rstrip("।").split()) for c in chunks) == 40


def test_a_word_longer_than_the_limit_is_cut_between_letters_not_inside_one():
    word = "प्रतिक्रियात्मकता" * 6  # conjuncts (्) and vowel signs throughout
    chunks = chunk(word, 20)
    assert "".join(c.text for c in chunks) == word
    for c in chunks:
        assert len(c.text) <= 20
        assert not c.text.startswith(("्", "ि", "ा", "ृ", "ं"))
        assert not c.text.endswith("्")


def test_limit_is_tested_on_the_spoken_text():
    text = "कीमत 5 रुपये है। कीमत 5 रुपये है। कीमत 5 रुपये है।"

    def speak(s: str) -> str:
        return s.replace("5", "पाँच सौ पचपन दशमलव पाँच")

    chunks = chunk(text, 50, speak=speak)
    assert all(len(c.text) <= 50 for c in chunks)
    assert all("5" not in c.text and "पाँच सौ" in c.text for c in chunks)
    assert len(chunks) == 3


def test_engine_fits_need_not_count_characters():
    text = "क ख ग घ, क ख ग घ, क ख ग घ, क ख ग घ, क ख ग घ। छोटा वाक्य है।"

    def fits(s: str) -> bool:  # an engine that counts something else (here: घ)
        return s.count("घ") <= 2

    chunks = chunk(text, fits=fits)
    assert all(fits(c.text) for c in chunks)
    assert sum(c.text.count("घ") for c in chunks) == 5
    assert chunks[-1].text.endswith("छोटा वाक्य है।")


def test_pure_punctuation_is_never_a_chunk_and_lends_its_span():
    text = "पहला वाक्य यहाँ पूरा होता है।\n—\nदूसरा वाक्य यहाँ पूरा होता है।"
    chunks = chunk(text)
    assert [c.text for c in chunks] == ["पहला वाक्य यहाँ पूरा होता है।", "दूसरा वाक्य यहाँ पूरा होता है।"]
    assert chunks[0].source_end == text.index("—") + 1


def test_tiny_chunk_is_merged_into_its_neighbour():
    text = "खेल\n\nभारत ने ऑस्ट्रेलिया को छह विकेट से हराया।"
    chunks = chunk(text)
    assert [c.text for c in chunks] == ["खेल। भारत ने ऑस्ट्रेलिया को छह विकेट से हराया।"]
    assert chunks[0].source_start == 0 and chunks[0].source_end == len(text)


def test_short_first_chunk_is_the_first_clause_then_chunks_grow():
    text = (
        "NVIDIA का ElevenLabs में निवेश: Jensen Huang का बड़ा कदम, 120,000 GPUs और AI Audio से "
        "बदलेगा डिजिटल दुनिया का अनुभव, और यह साझेदारी केवल एक बिज़नेस डील नहीं है बल्कि यह "
        "टेक्नोलॉजी सहयोग का भी मजबूत उदाहरण है। हाल ही में हुई स्टेट विज़िट के बाद इसे दोनों देशों "
        "के बीच रणनीतिक साझेदारी के रूप में भी देखा जा रहा है। इसमें हजारों GPUs की तैनाती शामिल है।"
    )
    eager = chunk(text, 250, short_first=True)
    assert len(eager[0].text) <= FIRST_CHUNK_CHARS
    assert eager[0].text == "NVIDIA का ElevenLabs में निवेश: Jensen Huang का बड़ा कदम,"
    assert len(eager[1].text) > len(eager[0].text)
    assert all(len(c.text) <= 250 for c in eager)
    plain = chunk(text, 250, short_first=False)
    assert len(plain[0].text) > FIRST_CHUNK_CHARS
    assert " ".join(c.text for c in eager) == " ".join(c.text for c in plain)


def test_chunks_cover_the_text_in_order(shared_articles):
    text = clean(shared_articles[0].read_text(encoding="utf-8")).text
    chunks = chunk(text, 150, short_first=True)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for before, after in itertools.pairwise(chunks):
        assert before.source_end <= after.source_start
    assert words(" ".join(c.text for c in chunks)) == words(text)
    assert all(MIN_CHUNK_CHARS <= len(c.text) <= 150 for c in chunks)
    for c in chunks:  # identity speak: the chunk is its source span, spaces aside
        assert " ".join(text[c.source_start : c.source_end].split()) == c.text


def test_empty_or_silent_text_has_no_chunks():
    assert chunk("") == []
    assert chunk("\n\n  \n") == []
    assert chunk("... — !!!") == []


# --- properties --------------------------------------------------------------

_newsy = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "भारत",
                "ने",
                "मैच",
                "जीता",
                "और",
                "कि",
                "लेकिन",
                "GPU",
                "16.9%",
                "1,20,000",
                "डॉ.",
                "U.S.",
                "₹500",
                "।",
                "?",
                "!",
                ".",
                ",",
                "—",
                "\n",
                "\n\n",
                "“",
                "”",
                "क्षेत्र",
                "प्रतिक्रिया",
            ]
        ),
        st.text(min_size=1, max_size=12),
    ),
    max_size=80,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(st.text(max_size=400), _newsy),
    limit=st.integers(min_value=12, max_value=300),
    short_first=st.booleans(),
)
def test_property_never_raises_never_empty_never_over_limit(text, limit, short_first):
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text and s.text == s.text.strip() and s.text
    chunks = make_chunks(
        text, sentences, speak=lambda s: s, fits=lambda s: len(s) <= limit, short_first=short_first
    )
    for c in chunks:
        assert c.text.strip() and len(c.text) <= limit and "\n" not in c.text
    for before, after in itertools.pairwise(chunks):
        assert before.source_end <= after.source_start


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(_newsy, st.text(max_size=300)), limit=st.integers(min_value=20, max_value=250))
def test_property_every_devanagari_word_of_the_cleaned_text_is_spoken_in_order(raw, limit):
    cleaned = clean(raw).text
    chunks = chunk(cleaned, limit, short_first=True)
    expected = words(cleaned)
    spoken = words(" ".join(c.text for c in chunks))
    if all(len(w) <= limit for w in expected):
        assert spoken == expected
    else:  # a single word longer than the limit had to be cut
        assert "".join(spoken) == "".join(expected)
