"""Promotion and calls to action are removed as whole blocks (issue #11, class 2)."""

from __future__ import annotations

import pytest

from narrator.text import prepare
from narrator.text.clean import clean
from narrator.text.promo import is_call_to_action

LAST = "उनके ख़िलाफ़ कार्रवाई होनी चाहिए."


@pytest.mark.parametrize(
    "block",
    [
        # the wordings real Hindi news sites use, as the scrape left them (line breaks inside)
        (
            "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए \n\n\n\nयहां क्लिक करें. आप हमें \n\n\n\nफ़ेसबुक और \n\n\n\n"
            "ट्विटर पर भी फ़ॉलो कर सकते हैं.)"
        ),
        (
            "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए आप यहां क्लिक कर सकते हैं. आप हमें फ़ेसबुक और ट्विटर पर "
            "फ़ॉलो भी कर सकते हैं.)"
        ),
        (
            "(क्या आपने बीबीसी हिन्दी का नया एंड्रॉएड मोबाइल ऐप देखा? डाउनलोड करने के लिए यहां \n\n\n\n"
            "क्लिक करें. आप ख़बरें पढ़ने और अपनी राय देने के लिए हमारे \n\n\n\nफेसबुक पन्ने पर भी आ सकते हैं "
            "और \n\n\n\nट्विटर पर फ़ॉलो भी कर सकते हैं.)"
        ),
        (
            "(बीबीसी हिंदी का ऐंड्रॉयड मोबाइल ऐप यहां डाउनलोड करें. आप बीबीसी हिंदी से फ़ेसबुक और ट्विटर पर "
            "भी जुड़ सकते हैं.)"
        ),
        (
            "(बीबीसी मॉनिटरिंग दुनिया भर के टेलीविजन, रेडियो, वेब और प्रिंट माध्यमों में प्रकाशित होने वाली "
            "ख़बरों का विश्लेषण करता है.)"
        ),
        # no brackets, or a closing bracket lost
        "आप हमें फ़ेसबुक और ट्विटर पर भी फ़ॉलो कर सकते हैं.",
        ("(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए यहां क्लिक करें. आप हमें फ़ेसबुक और ट्विटर पर भी फ़ॉलो कर सकते हैं."),
        "ताज़ा ख़बरों के लिए हमारा व्हाट्सऐप चैनल फ़ॉलो करें.",
        "हमारे यूट्यूब चैनल को सब्सक्राइब करें.",
        "Follow us on Twitter and Facebook.",
        "Click here to download the app.",
    ],
)
def test_a_promotion_block_goes_whole_and_the_article_ends_on_its_last_sentence(block: str) -> None:
    result = clean(f"{LAST}{block}")
    assert result.text == LAST
    assert result.removed and all(r.reason == "promo" for r in result.removed)
    spoken = prepare(f"{LAST}{block}", lexicon=None).chunks
    assert spoken[-1].text.endswith("।")  # never a fragment glued on with a comma


def test_promotion_in_the_middle_goes_and_the_sentences_around_it_stay() -> None:
    text = "पहला वाक्य यहाँ है. आप हमें फ़ेसबुक और ट्विटर पर फ़ॉलो भी कर सकते हैं. दूसरा वाक्य यहाँ है."
    assert clean(text).text == "पहला वाक्य यहाँ है. दूसरा वाक्य यहाँ है."


@pytest.mark.parametrize(
    "sentence",
    [
        # news about clicking, downloading and following is news
        "जैसे ही आप डाउनलोड बटन पर क्लिक करते हैं, आपकी मुसीबतों की शुरुआत हो जाती है.",
        "इसलिए क्लिक करने से पहले दो बार सोचें.",
        "साथ ही कहा जाता है कि फ्री वायरस चेक सॉफ़्टवेयर डाउनलोड कीजिए, सब ठीक हो जाएगा.",
        "ट्रंप को ट्विटर पर पाँच करोड़ लोग फ़ॉलो करते हैं.",
        "कंपनी ने अपना नया ऐप लॉन्च किया है.",
        "फ़ेसबुक ने भारत में नया फीचर लॉन्च किया है.",
        "उन्होंने लोगों से सोशल मीडिया पर अफवाहें शेयर न करने की अपील की.",
        "(इस फ़ैसले पर कंपनी ने कोई टिप्पणी नहीं की.)",
    ],
)
def test_a_news_sentence_that_mentions_clicks_or_apps_is_kept(sentence: str) -> None:
    assert not is_call_to_action(sentence)
    text = f"{LAST} {sentence}"
    assert clean(text).text == text
