"""Sentence ends and line breaks a scraper damaged (issue #11, classes 1 and 5).

Class 1: a stop glued to the next sentence (".X", "?X", "।X", ".”X") becomes a
sentence end again, with a pause; numbers, abbreviations, initials and domains
keep their dot. Class 5: a line break left inside a sentence is rejoined, so no
chunk ends inside a date, a number phrase or a name, or before a postposition.
"""

from __future__ import annotations

import pytest

from narrator.text import prepare
from narrator.text.breaks import (
    rejoin_broken_lines,
    split_fused_sentence_ends,
    split_glued_sentences,
)
from narrator.text.clean import clean
from narrator.text.segment import split_sentences


def spoken(text: str, max_chars: int = 250) -> list[str]:
    return [c.text for c in prepare(text, lexicon=None, max_chars=max_chars).chunks]


# --- class 1: glued sentence ends ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "repaired"),
    [
        ("बहस तेज़ हो गई है.जैक थौर्न के नाटक", "बहस तेज़ हो गई है. जैक थौर्न के नाटक"),
        ("क्या आपने देखा?डाउनलोड करें", "क्या आपने देखा? डाउनलोड करें"),
        ("मैच जीता।टीम खुश है", "मैच जीता। टीम खुश है"),
        ("कमाल है!अब आगे", "कमाल है! अब आगे"),
        ("व्यावहारिक दृश्य था.”इस नाटक", "व्यावहारिक दृश्य था.” इस नाटक"),  # the quote closes
        ("उन्होंने कहा, 'यह ठीक है.'अब वे", "उन्होंने कहा, 'यह ठीक है.' अब वे"),  # odd: closes
        ("बात खत्म हुई.'नेचर' जरनल में", "बात खत्म हुई. 'नेचर' जरनल में"),  # even: opens
        ("ऐसा हुआ नहीं.“हम", "ऐसा हुआ नहीं. “हम"),  # a curly opening quote
        ("साल 2014.इसके बाद", "साल 2014. इसके बाद"),  # a year ends the sentence
        ("कंपनी ने कहा.NVIDIA ने", "कंपनी ने कहा. NVIDIA ने"),
        # left alone: numbers, domains, ellipses inside a word, Latin abbreviations
        ("दर 24.5 प्रतिशत", "दर 24.5 प्रतिशत"),
        ("bbc.com पर", "bbc.com पर"),
        ("U.S.A में", "U.S.A में"),
    ],
)
def test_glued_stop_gets_its_space(written: str, repaired: str) -> None:
    assert split_glued_sentences(written) == repaired


@pytest.mark.parametrize(
    ("written", "sentences"),
    [
        ("वे घर गए.फिर सो गए.", ["वे घर गए.", "फिर सो गए."]),
        ("डॉ.मनमोहन सिंह आए.वे बोले.", ["डॉ. मनमोहन सिंह आए.", "वे बोले."]),  # abbreviation
        ("खिलाड़ी के.एल.राहुल ने रन बनाए.", ["खिलाड़ी के. एल. राहुल ने रन बनाए."]),  # initials
        ("कीमत 24.5 रुपये है.यह ज़्यादा है.", ["कीमत 24.5 रुपये है.", "यह ज़्यादा है."]),
    ],
)
def test_glued_stop_becomes_a_sentence_end_but_not_after_abbreviations(written, sentences):
    text = clean(written).text
    assert [s.text for s in split_sentences(text)] == sentences


def test_the_voice_pauses_at_a_glued_stop() -> None:
    chunks = spoken("इनमें से कुछ कैंसर के इलाज में इस्तेमाल किए जाते हैं.वैज्ञानिकों का कहना है कि यह अच्छा है.")
    assert (
        " ".join(chunks)
        == "इनमें से कुछ कैंसर के इलाज में इस्तेमाल किए जाते हैं। वैज्ञानिकों का कहना है कि यह अच्छा है।"
    )


def test_a_glued_list_number_starts_its_own_item() -> None:
    # "$5.2 मिलियन3. सेरेना": the multiplier stays with its amount, the 3 with its item
    text = "1. रोजर फ़ेडरर $7.2 मिलियन2. सेरेना विलियम्स $5.2 मिलियन3. नोवाक जोकोविच $4 मिलियन"
    chunks = spoken(text)
    joined = " ".join(chunks)
    assert "पाँच दशमलव दो मिलियन डॉलर" in joined
    assert "डॉलर मिलियन" not in joined
    assert "तीन नोवाक जोकोविच" in joined


@pytest.mark.parametrize(
    ("written", "repaired"),
    [
        ("ऐसा किया जा सकता हैइसके बाद सब बदला", "ऐसा किया जा सकता है। इसके बाद सब बदला"),
        ("यह मुमकिन नहींतत्काल कदम उठाए गए", "यह मुमकिन नहीं। तत्काल कदम उठाए गए"),
        ("जीत उनकी होगीलेकिन रास्ता कठिन है", "जीत उनकी होगी। लेकिन रास्ता कठिन है"),
        # a real word, an inflection, a name or a postposition after it: left alone
        ("वह हैरान है", "वह हैरान है"),
        ("हैदराबाद में", "हैदराबाद में"),
        ("हैकरों ने हमला किया", "हैकरों ने हमला किया"),
        ("रहीमुल्ला ने कहा", "रहीमुल्ला ने कहा"),
        ("छात्र हैने वेगर", "छात्र हैने वेगर"),
        ("वे करेंगे", "वे करेंगे"),
    ],
)
def test_a_final_word_fused_to_the_next_sentence_is_split(written: str, repaired: str) -> None:
    assert split_fused_sentence_ends(written) == repaired


# --- class 5: broken lines ---------------------------------------------------------------


def _never(_: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("written", "joined"),
    [
        # the line before ends with a word that cannot end a sentence
        (
            "जिनमें अभिनय करने वाले \n\n\n\n अपने सारे कपड़े उतार देते हैं।",
            "जिनमें अभिनय करने वाले अपने सारे कपड़े उतार देते हैं।",
        ),
        (
            "इस नाटक के कलाकारों को डर था कि\n\n निर्वस्त्र दृश्य फूहड़ न लगे।",
            "इस नाटक के कलाकारों को डर था कि निर्वस्त्र दृश्य फूहड़ न लगे।",
        ),
        ("अदालत ने 12 मार्च,\n2019 को फ़ैसला दिया।", "अदालत ने 12 मार्च, 2019 को फ़ैसला दिया।"),
        # the next line starts with a word that cannot start one
        ("संविधान पीठ ने अपना फ़ैसला सुनाया\nहै।", "संविधान पीठ ने अपना फ़ैसला सुनाया है।"),
        (
            "टाटा समूह की सबसे बड़ी कंपनी\nने कहा कि भर्ती होगी।",
            "टाटा समूह की सबसे बड़ी कंपनी ने कहा कि भर्ती होगी।",
        ),
        # a line of prose cut before its end
        (
            (
                "उनमें से कुछ संगठन यहाँ हैं. लेकिन अमेरिकी अंतरिक्ष एजेंसी के वैज्ञानिक और पूर्व क्रिकेटर\n\n\n"
                "इमरान ख़ान साथ आए।"
            ),
            (
                "उनमें से कुछ संगठन यहाँ हैं. लेकिन अमेरिकी अंतरिक्ष एजेंसी के वैज्ञानिक और पूर्व क्रिकेटर "
                "इमरान ख़ान साथ आए।"
            ),
        ),
        # not joined: a finished sentence, a heading, a bracket, a list
        ("पहला वाक्य पूरा है।\nदूसरा वाक्य।", "पहला वाक्य पूरा है।\nदूसरा वाक्य।"),
        ("बाजार पर असर\n\nशेयर बाजार में गिरावट", "बाजार पर असर\n\nशेयर बाजार में गिरावट"),
        ("(हेयान का खतरा)\nएनज़ेड सिटी की वेबसाइट", "(हेयान का खतरा)\nएनज़ेड सिटी की वेबसाइट"),
    ],
)
def test_a_line_broken_inside_a_sentence_is_rejoined(written: str, joined: str) -> None:
    assert rejoin_broken_lines(written, keep_apart=_never) == joined


def test_label_lines_are_never_joined_to_their_neighbours() -> None:
    text = "पहला अनुच्छेद यहाँ है और\n\nयह भी पढ़ें: दिल्ली में प्रदूषण\n\nदूसरा अनुच्छेद है।"
    out = clean(text)
    assert "प्रदूषण" not in out.text
    assert [r.reason for r in out.removed] == ["read-also"]


@pytest.mark.parametrize(
    ("written", "max_chars", "whole"),
    [
        (("अदालत ने इस मामले में लंबी सुनवाई के बाद 12 मार्च, 2019 को अपना अंतिम फ़ैसला सुनाया "
         "और सभी आरोपियों को बरी कर दिया गया था।"), 60, "बारह मार्च, दो हज़ार उन्नीस"),
        (("सुप्रीम कोर्ट की पांच जजों की संविधान पीठ ने आज इस बेहद अहम और लंबे समय से लंबित मामले में "
         "अपना फ़ैसला सुनाया\nहै।"), 70, "फ़ैसला सुनाया है"),
        (("इस बारे में टाटा समूह की सबसे बड़ी सॉफ़्टवेयर कंपनी,\nने कहा कि वह जल्द ही नई भर्तियां "
         "शुरू करेगी।"), 50, "कंपनी, ने कहा"),
        (("सरकार ने इस साल किसानों के लिए 2.5 लाख करोड़ रुपये की योजना का ऐलान किया और इसका "
         "स्वागत हुआ।"), 45, "ढाई लाख करोड़ रुपये"),
        ("इस सम्मेलन में कई देशों के नेता आए थे और डॉ. मनमोहन सिंह ने भी इसमें हिस्सा लिया था।",
         40, "डॉक्टर मनमोहन सिंह"),
        ("The company's chief executive officer Jensen Huang spoke at length to the press today.",
         40, "जेन्सन हुआंग"),
        ("भारतीय टीम के विकेटकीपर बल्लेबाज़ के. एल. राहुल ने आज शानदार शतक लगाया।", 40, "के एल राहुल"),
    ],
)  # fmt: skip
def test_no_chunk_ends_inside_a_date_a_number_a_name_or_before_a_postposition(
    written: str, max_chars: int, whole: str
) -> None:
    chunks = prepare(written, lexicon=None, max_chars=max_chars, short_first_chunk=False).chunks
    assert len(chunks) > 1  # the limit forces cuts
    assert any(whole in c.text for c in chunks), [c.text for c in chunks]
