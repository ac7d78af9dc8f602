"""Headlines of other stories left between paragraphs, without a label (issue #11, class 3)."""

from __future__ import annotations

import pytest

from narrator.text.clean import clean

BEFORE = "पिछले साल उन्होंने यह खिताब जीता था और वे फिर से फ़ाइनल में पहुंचे थे."


@pytest.mark.parametrize(
    ("headline", "paragraph"),
    [
        # fused to the next paragraph's first word
        ("चैम्पियन जोकोविच ऑस्ट्रेलियन ओपन से बाहर", "वहीं महिला वर्ग में सेरेना जीत गईं."),
        ("तीन लोग मिलकर पैदा करेंगे एक बच्चा", "इसके अंतर्गत कई लोगों की जांच की गई."),
        ("मृत पति के शुक्राणु रखने की गुहार", "एक विचार यह है कि फ़ोन से नुकसान होता है."),
        ("चेन्नई टेस्ट का स्कोर देखिए", "ये टेस्ट मैच दोनों कप्तानों के लिए अहम है."),
        ("कैसी है स्तन के बगैर ज़िंदगी- आपबीती पढ़िए", "लेकिन जल्द ही ऐसी जांच आम हो जाएगी."),
        # a question or a title in brackets, glued on
        ("'भारत ने क्यों वीज़ा दिया?'", "लेकिन अखबार ने लिखा है कि दीवारें ऊंची हैं."),
        ("(रेत के तूफान का खतरा)", "नाडिक्डिक अटोल मार्शल आईज़लैंड का एक हिस्सा है."),
        # a read-on label before it
        ("(पढ़िए : फ़ीफ़ा टिकट मामले में गिरफ़्तारी)", "मौजूदा विश्व कप में कई विवाद हुए हैं."),
        ("पढ़िए: 'अग्निपथ' के रीमेक पर करण जौहर)", "वो कहते हैं कि टीवी पर फ़िल्में चलती हैं."),
        ("पढ़िए: दूसरी पारी में ऋषि कपूर", "ख़ुद अमिताभ बच्चन ने अपनी फ़िल्म की बात की."),
    ],
)
def test_a_related_headline_at_a_paragraph_start_goes_and_the_paragraph_stays(
    headline: str, paragraph: str
) -> None:
    result = clean(f"{BEFORE}\n\n{headline}{paragraph}")
    assert result.text == f"{BEFORE}\n\n{paragraph}"
    assert [r.text for r in result.removed] == [headline.strip()]
    assert result.removed[0].reason in ("related-headline", "read-also")


@pytest.mark.parametrize(
    "paragraph",
    [
        # real paragraphs: long words that are words, names, a quote its speaker follows
        "प्रधानमंत्री ने कहा कि अर्थव्यवस्था मज़बूत है.",
        "रामनाथ कोविंद ने समारोह में हिस्सा लिया.",
        '"क्या आप तैयार हैं?"उन्होंने पूछा और सब हंस पड़े.',
        "(सरकारी आंकड़ों के अनुसार) सरकार ने जांच शुरू की.",
        "(सरकारी आंकड़ों के अनुसार)सरकार ने जांच शुरू की.",  # glued, but it holds no title
        "बाजार पर असर",  # a heading of its own line
    ],
)
def test_a_real_paragraph_is_not_taken_for_a_headline(paragraph: str) -> None:
    text = f"{BEFORE}\n\n{paragraph}"
    result = clean(text)
    assert result.text.split() == text.replace('?"', '?" ').split()  # the glued quote is spaced
    assert not result.removed


def test_a_headline_in_the_middle_of_a_paragraph_is_not_guessed_at() -> None:
    # only a line start after a finished paragraph is a place for a related headline;
    # elsewhere nothing goes, and a word fused to a sentence starter is only split
    result = clean("उन्होंने कहा कि देश में बाहरवहीं के लोग आए और खिताब जीता.")
    assert result.text == "उन्होंने कहा कि देश में बाहर वहीं के लोग आए और खिताब जीता."
    assert not result.removed


@pytest.mark.parametrize(
    ("written", "split"),
    [
        ("इन-ऐप शॉपिंगइस गेम में", "इन-ऐप शॉपिंग इस गेम में"),
        ("हमें फ़ेसबुकऔर ट्विटर पर", "हमें फ़ेसबुक और ट्विटर पर"),
        ("यह चलेगाहालांकि देर होगी", "यह चलेगा हालांकि देर होगी"),
        # real words, names and inflections stay whole
        ("कार्डिनल ओब्राइन आए", "कार्डिनल ओब्राइन आए"),
        ("कई वाकये हुए", "कई वाकये हुए"),
        ("प्रधानमंत्रियों की बैठक", "प्रधानमंत्रियों की बैठक"),
        ("रुपये दिए", "रुपये दिए"),
    ],
)
def test_a_word_fused_to_a_sentence_starter_is_split(written: str, split: str) -> None:
    assert clean(written).text == split
