"""normalize(): written Hindi news in, the exact Hindi a voice says out.

Sentences are from ../shared/articles or written the way Hindi news sites write.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.text.lexicon import Lexicon
from narrator.text.normalize import normalize

# What must never reach an engine: ASCII digits, Latin letters, symbols it skips.
UNSPEAKABLE = re.compile(r"[A-Za-z0-9%₹$£€¥&@#/+=°×*<>|\\_~^(){}\[\]\"“”‘’]")
DEV_WORD = re.compile(r"[\u0900-\u0963\u0970-\u097F]+")


def case(written: str, spoken: str):
    return pytest.param(written, spoken, id=written[:40])


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # from the shared articles
        case("NVIDIA ने UK में AI इंफ्रास्ट्रक्चर के लिए करीब £11 बिलियन का निवेश करने का ऐलान किया है।",
             "एनवीडिया ने यूके में एआई इंफ्रास्ट्रक्चर के लिए करीब ग्यारह बिलियन पाउंड का निवेश करने का ऐलान किया है।"),
        case("NVIDIA के शेयर की कीमत एक ही दिन में 16.9% गिर गई",
             "एनवीडिया के शेयर की कीमत एक ही दिन में सोलह दशमलव नौ प्रतिशत गिर गई"),
        case("इसमें 120,000 GPUs की तैनाती शामिल है।", "इसमें एक लाख बीस हज़ार जीपीयू की तैनाती शामिल है।"),
        case("मस्क ने कहा कि वह 2025 के पतन से पहले प्रस्तावित सुपरकंप्यूटर को चालू करना चाहते हैं।",
             "मस्क ने कहा कि वह दो हज़ार पच्चीस के पतन से पहले प्रस्तावित सुपरकंप्यूटर को चालू करना चाहते हैं।"),
        case("लगभग 20,000 एनवीडिया H100 ग्राफिक्स प्रोसेसिंग यूनिट (GPU) की आवश्यकता है",
             "लगभग बीस हज़ार एनवीडिया एच-हंड्रेड ग्राफिक्स प्रोसेसिंग यूनिट, जीपीयू, की आवश्यकता है"),
        case("उन्होंने यह भी कहा कि Grok3 मॉडल के लिए 100,000 एनवीडिया H100 चिप्स की आवश्यकता होगी।",
             "उन्होंने यह भी कहा कि ग्रोक-थ्री मॉडल के लिए एक लाख एनवीडिया एच-हंड्रेड चिप्स की आवश्यकता होगी।"),
        case("यह US-UK टेक्नोलॉजी सहयोग का भी मजबूत उदाहरण है।", "यह यूएस यूके टेक्नोलॉजी सहयोग का भी मजबूत उदाहरण है।"),
        case("इस निवेश को खुद NVIDIA के CEO Jensen Huang का समर्थन मिला है",
             "इस निवेश को खुद एनवीडिया के सीईओ जेन्सन हुआंग का समर्थन मिला है"),
        case("ElevenLabs के को-फाउंडर Mati Staniszewski ने X पर घोषणा की",
             "इलेवनलैब्स के को-फाउंडर माटी स्टानिशेव्स्की ने एक्स पर घोषणा की"),
        case("चीन की AI कंपनी DeepSeek द्वारा R1 मॉडल की रिलीज", "चीन की एआई कंपनी डीपसीक द्वारा आर-वन मॉडल की रिलीज"),
        case("Sam Altman और OpenAI जैसी कंपनियां", "सैम ऑल्टमैन और ओपनएआई जैसी कंपनियां"),
        case("इस अरबपति ने एक अन्य पोस्ट में \"SMC\" का उल्लेख किया",
             "इस अरबपति ने एक अन्य पोस्ट में एसएमसी का उल्लेख किया"),
        # money
        case("कीमत ₹1,20,000 है।", "कीमत एक लाख बीस हज़ार रुपये है।"),
        case("कंपनी ने ₹2.5 करोड़ जुटाए।", "कंपनी ने ढाई करोड़ रुपये जुटाए।"),
        case("टिकट Rs 500 का है।", "टिकट पाँच सौ रुपये का है।"),
        case("टिकट Rs. 500 का है।", "टिकट पाँच सौ रुपये का है।"),
        case("उसने $5 million दिए।", "उसने पाँच मिलियन डॉलर दिए।"),
        case("फंडिंग $1.5 billion और £2bn रही।", "फंडिंग डेढ़ बिलियन डॉलर और दो बिलियन पाउंड रही।"),
        case("कुल ₹500 करोड़ रुपये लगे।", "कुल पाँच सौ करोड़ रुपये लगे।"),
        case("बजट 100 USD है।", "बजट सौ डॉलर है।"),
        case("कीमत €20 और ₹10.50 है।", "कीमत बीस यूरो और दस रुपये पचास पैसे है।"),
        case("नेटवर्थ $240B है।", "नेटवर्थ दो सौ चालीस बिलियन डॉलर है।"),
        case("रु. 50 का नोट", "पचास रुपये का नोट"),
        # years, dates, times
        case("1990 के दशक में ऐसा हुआ।", "उन्नीस सौ नब्बे के दशक में ऐसा हुआ।"),
        case("यह 1990s में शुरू हुआ।", "यह उन्नीस सौ नब्बे के दशक में शुरू हुआ।"),
        case("यह 16 अक्टूबर 2024 को हुआ।", "यह सोलह अक्टूबर दो हज़ार चौबीस को हुआ।"),
        case("बैठक 2025-10-15 को होगी।", "बैठक पंद्रह अक्टूबर दो हज़ार पच्चीस को होगी।"),
        case("बैठक 15/10/2025 को होगी।", "बैठक पंद्रह अक्टूबर दो हज़ार पच्चीस को होगी।"),
        case("Oct 16, 2024 को घोषणा हुई।", "सोलह अक्टूबर दो हज़ार चौबीस को घोषणा हुई।"),
        case("16 October 2024 को घोषणा हुई।", "सोलह अक्टूबर दो हज़ार चौबीस को घोषणा हुई।"),
        case("बैठक 10:30 पर है।", "बैठक दस बजकर तीस मिनट पर है।"),
        case("कार्यक्रम 10:30 बजे शुरू होगा।", "कार्यक्रम साढ़े दस बजे शुरू होगा।"),
        case("लॉन्च 10:30 AM IST पर हुआ।", "लॉन्च सुबह दस बजकर तीस मिनट आईएसटी पर हुआ।"),
        case("शाम 6:45 PM पर।", "शाम छह बजकर पैंतालीस मिनट पर।"),
        # ordinals, ranges, negatives, percent, units
        case("टीम 11वें स्थान पर रही।", "टीम ग्यारहवें स्थान पर रही।"),
        case("वह 5वीं बार जीता।", "वह पाँचवीं बार जीता।"),
        case("वह 1st और 2nd रहा।", "वह पहला और दूसरा रहा।"),
        case("वह 4थी बार आई।", "वह चौथी बार आई।"),
        case("10-15 लोग आए।", "दस से पंद्रह लोग आए।"),
        case("वित्त वर्ष 2020-21 में।", "वित्त वर्ष दो हज़ार बीस-इक्कीस में।"),
        case("तापमान -5 डिग्री रहा।", "तापमान माइनस पाँच डिग्री रहा।"),
        case("तापमान 45°C तक पहुंचा।", "तापमान पैंतालीस डिग्री सेल्सियस तक पहुंचा।"),
        case("ब्याज दर 25% है।", "ब्याज दर पच्चीस प्रतिशत है।"),
        case("फोन में 8 GB रैम और 256GB स्टोरेज है।", "फोन में आठ गीगाबाइट रैम और दो सौ छप्पन गीगाबाइट स्टोरेज है।"),
        case("गति 120 km/h थी।", "गति एक सौ बीस किलोमीटर प्रति घंटा थी।"),
        case("संयंत्र 500 MW का है।", "संयंत्र पाँच सौ मेगावाट का है।"),
        case("चिप 3nm पर बनी और 2x तेज़ है।", "चिप तीन नैनोमीटर पर बनी और दो गुना तेज़ है।"),
        case("यह 2.5x तेज़ है।", "यह ढाई गुना तेज़ है।"),
        case("1/2 हिस्सा और 3/4 भाग", "आधा हिस्सा और तीन चौथाई भाग"),
        case("सेवा 24/7 चालू है", "सेवा चौबीसों घंटे चालू है"),
        # digits in other scripts and long strings
        case("१२३ लोग।", "एक सौ तेईस लोग।"),
        case("वर्ष २०२४ में १,२०,००० लोग आए।", "वर्ष दो हज़ार चौबीस में एक लाख बीस हज़ार लोग आए।"),
        case("आबादी 1,23,45,678 है।", "आबादी एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर है।"),
        case("नंबर 9876543210 पर कॉल करें", "नंबर नौ आठ सात छह पाँच चार तीन दो एक शून्य पर कॉल करें"),
        # model names, tokens
        case("GPT-4o और Llama 3.1", "जीपीटी-फ़ोर-ओ और लामा तीन दशमलव एक"),
        case("5G और 4K वीडियो", "फ़ाइव-जी और फ़ोर-के वीडियो"),
        case("COVID-19 के बाद", "कोविड उन्नीस के बाद"),
        case("B200 और A100 चिप", "बी-टू हंड्रेड और ए-हंड्रेड चिप"),
        # symbols and punctuation
        case("AT&T और Johnson & Johnson", "एटी एंड टी और जॉन्सन एंड जॉन्सन"),
        case("मुनाफा & घाटा", "मुनाफा और घाटा"),
        case("डॉ. सिंह ने कहा... “यह सही है।”", "डॉक्टर सिंह ने कहा, यह सही है।"),
        case("सेक्टर्स—जैसे विज़ुअल, कंप्यूट और ऑडियो—में", "सेक्टर्स, जैसे विज़ुअल, कंप्यूट और ऑडियो, में"),
        case("यह सच है.", "यह सच है।"),
        case("क्या यह सच है?", "क्या यह सच है?"),
        case("अलग-अलग सेक्टर्स", "अलग-अलग सेक्टर्स"),
        case("वह U.S. गया", "वह यूएस गया"),
        case("www.example.com पर देखें", "डब्ल्यू डब्ल्यू डब्ल्यू डॉट एक्संपल डॉट कॉम पर देखें"),
    ],
)  # fmt: skip
def test_sentence(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_every_shared_article_comes_out_speakable(shared_articles: list[Path]) -> None:
    for path in shared_articles:
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            spoken = normalize(line)
            assert not UNSPEAKABLE.search(spoken), (path.name, line, spoken)
            # every Devanagari word of the line is still said
            out_words = DEV_WORD.findall(spoken)
            in_words = DEV_WORD.findall(line)
            missing = [w for w in in_words if w not in out_words]
            assert not missing, (path.name, missing)


def test_user_lexicon_overrides_every_rule() -> None:
    lex = Lexicon({"NVIDIA": "एन्विडिया", "R1": "आर वन", "5G": "पाँच जी", "रोटी": "रो-टी"})
    spoken = normalize("NVIDIA ने R1 और 5G पर Nvidia की रोटी कहा", lexicon=lex)
    # "NVIDIA" is an acronym entry: exact case only; "Nvidia" falls to the built-in lexicon
    assert spoken == "एन्विडिया ने आर वन और पाँच जी पर एनवीडिया की रो-टी कहा"


@pytest.mark.parametrize("text", ["", "   ", "\n", "()", "-", "…", "核心价值", "🙂"])
def test_nothing_to_say_gives_empty_text(text: str) -> None:
    assert normalize(text) == ""


def test_output_has_single_spaces_and_no_space_before_punctuation() -> None:
    spoken = normalize("  यह   ( GPU )  है ,  और  2024 .  ")
    assert spoken == "यह, जीपीयू, है, और दो हज़ार चौबीस।"


# --------------------------------------------------------------------------
# properties

MIXED = st.text(
    alphabet=st.sampled_from(
        list("कखगघचजटडतदनपबमयरलवशसहािीुूेैोौंँ्ऀ़")
        + list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789०१२३४५६७८९")
        + list(" .,;:!?-–—/%₹$£€&@#+=°×()[]\"'“”।\n\t_*^~<>|\\")
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_never_raises_on_any_unicode(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    assert not re.search(r"[A-Za-z0-9%₹$£€]", out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_no_latin_digit_or_symbol_survives(text: str) -> None:
    out = normalize(text)
    assert not UNSPEAKABLE.search(out), out
    assert out == out.strip()
    assert "  " not in out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_devanagari_words_survive_in_order(text: str) -> None:
    """Each Devanagari word of the input is found in the output, in the same order
    (inside a longer word is allowed: 5वीं -> पाँचवीं keeps वीं). The documented
    exception: रु / रू before an amount is said रुपये, after the amount ("रू0")."""
    out = normalize(text)
    pos = 0
    for word in DEV_WORD.findall(text):
        if word in ("रु", "रू") and "रुपये" in out:
            continue
        found = out.find(word, pos)
        assert found >= 0, (word, text, out)
        pos = found + len(word)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # stacked Indian multipliers: the currency goes after both
        ("कुल कीमत ₹24.9 लाख करोड़ रही।", "कुल कीमत चौबीस दशमलव नौ लाख करोड़ रुपये रही।"),
        # a match result is not a range
        ("सीरीज़ 1-1 से बराबर कर ली।", "सीरीज़ एक-एक से बराबर कर ली।"),
        ("भारत ने 3-2 से जीता।", "भारत ने तीन-दो से जीता।"),
        ("दाम 20-30 से बढ़कर", "दाम बीस से तीस से बढ़कर"),
        # helpline and other identifying numbers are read digit by digit
        ("हेल्पलाइन नंबर 1916 पर कॉल करें।", "हेल्पलाइन नंबर एक नौ एक छह पर कॉल करें।"),
        ("वह नंबर 1 खिलाड़ी है।", "वह नंबर एक खिलाड़ी है।"),
        ("साल 1916 में", "साल उन्नीस सौ सोलह में"),
    ],
)
def test_news_number_shapes(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


# --- issue #11 classes 6-8 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # class 6: a quote between two words is a word boundary, never a fusion
        ("यह 'अच्छा'काम है", "यह अच्छा काम है"),
        ("वहाँ अंधेरा था”फिर उजाला हुआ", "वहाँ अंधेरा था फिर उजाला हुआ"),
        ("कार्डिनल ओ’ब्रायन ने कहा", "कार्डिनल ओ ब्रायन ने कहा"),
        # class 7: codes, names, addresses, hashtags
        ("4G नेटवर्क", "फ़ोर-जी नेटवर्क"),
        ("4जी और 5जी सेवा", "फ़ोर-जी और फ़ाइव-जी सेवा"),
        ("3-डी प्रिंटर और 3डी गेम्स", "थ्री-डी प्रिंटर और थ्री-डी गेम्स"),
        ("H100 और H200 चिप", "एच-हंड्रेड और एच-टू हंड्रेड चिप"),
        ("GB10 सुपरचिप", "जीबी-टेन सुपरचिप"),
        ("C2C बाज़ार", "सी-टू-सी बाज़ार"),
        ("Galaxy S24 फ़ोन", "गैलेक्सी एस-ट्वेंटी फ़ोर फ़ोन"),
        ("MP3 फ़ाइल", "एमपी-थ्री फ़ाइल"),
        ("NVMe SSD", "एनवीएमई एसएसडी"),
        ("Dr. Singh ने कहा", "डॉक्टर सिंह ने कहा"),
        ("डॉ.मनमोहन सिंह", "डॉक्टर मनमोहन सिंह"),
        ("Mrs. Sharma और Mr. Patel", "मिसेज़ शर्मा और मिस्टर पटेल"),
        ("Rahul Gupta और Priya Reddy", "राहुल गुप्ता और प्रिया रेड्डी"),
        ("www.bbc.co.uk पर", "डब्ल्यू डब्ल्यू डब्ल्यू डॉट बीबीसी डॉट को डॉट यूके पर"),
        ("bbc.com/hindi पर पढ़ें", "बीबीसी डॉट कॉम स्लैश हिंदी पर पढ़ें"),
        ("news@example.in पर लिखें", "न्यूज़ एट एक्संपल डॉट इन पर लिखें"),
        ("#100Women अभियान", "हैशटैग हंड्रेड-विमेन अभियान"),
        ("#MeToo आंदोलन", "हैशटैग मीटू आंदोलन"),
        ("वह #1 खिलाड़ी है", "वह नंबर एक खिलाड़ी है"),
        # class 8: sports and finance idioms
        ("भारत ने 287/6 रन बनाए", "भारत ने दो सौ सत्तासी रन पर छह विकेट बनाए"),
        ("स्कोर 45/3 है", "स्कोर पैंतालीस रन पर तीन विकेट है"),
        ("कोहली 78* पर खेल रहे हैं", "कोहली अठहत्तर नाबाद पर खेल रहे हैं"),
        ("उन्होंने 6-4, 7-6(8-6) से जीत दर्ज की",
         "उन्होंने छह-चार, सात-छह, टाईब्रेक आठ-छह से जीत दर्ज की"),
        ("मैच 6-3, 3-6, 7-5 पर ख़त्म हुआ", "मैच छह-तीन, तीन-छह, सात-पाँच पर ख़त्म हुआ"),
        ("वित्त वर्ष 2007-08 में", "वित्त वर्ष दो हज़ार सात-आठ में"),
        ("साल 1999-00 का बजट", "साल उन्नीस सौ निन्यानवे-दो हज़ार का बजट"),
        ("1st जनवरी से लागू", "पहली जनवरी से लागू"),
        ("1st January 2024 को", "पहली जनवरी दो हज़ार चौबीस को"),
        ("कमाई $30.0 मिलियन रही", "कमाई तीस मिलियन डॉलर रही"),
        ("बजट ₹2.50 करोड़ है", "बजट ढाई करोड़ रुपये है"),
        ("3/4 हिस्सा और 24/7 सेवा", "तीन चौथाई हिस्सा और चौबीसों घंटे सेवा"),
    ],
)  # fmt: skip
def test_codes_names_quotes_and_idioms(text: str, spoken: str) -> None:
    assert normalize(text) == spoken
