"""Cleaning scraped Hindi news: boilerplate goes, every article sentence stays."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from narrator.text.clean import clean, find_date_stamp, parse_date

WORD = re.compile(
    r"[\u0904-\u0939\u093d\u0950\u0958-\u0961\u0966-\u096f\u0971-\u097f][\u0900-\u0963\u0966-\u097f]*"
)

BODY = (
    "मौसम विभाग ने बुधवार को मुंबई के लिए ऑरेंज अलर्ट जारी किया।\n\n"
    "विभाग के अनुसार, अगले दो दिनों तक भारी बारिश हो सकती है।"
)


def cleaned(text: str) -> str:
    return clean(text).text


def assert_only_body_left(noise_before: str = "", noise_after: str = "") -> None:
    result = clean(noise_before + BODY + noise_after)
    assert result.text == BODY
    assert result.removed  # the preview can show what went


# --- boilerplate, one rule at a time ------------------------------------------------


@pytest.mark.parametrize(
    "tail", ["Read Also", "Also Read:", "यह भी पढ़ें", "ये भी पढ़ें:", "Related", "संबंधित खबरें"]
)
def test_trailing_read_also_marker_and_its_links_go(tail):
    links = "\nदिल्ली में प्रदूषण बढ़ा, AQI 300 के पार\nISRO ने लॉन्च किया नया उपग्रह"
    assert_only_body_left(noise_after=f"\n\n{tail}{links}")


def test_inline_read_also_line_goes_but_following_paragraph_stays():
    text = (
        "पहला अनुच्छेद यहाँ है।\n\nयह भी पढ़ें: दिल्ली में प्रदूषण बढ़ा\n\n"
        "दूसरा अनुच्छेद लंबा है और इसमें खबर का बाकी हिस्सा है जो पाठक को पढ़ना चाहिए। "
        "इसमें कई वाक्य हैं ताकि यह किसी लिंक जैसा न लगे, बल्कि लेख का असली हिस्सा लगे, "
        "जैसा कि समाचारों में होता है।"
    )
    out = cleaned(text)
    assert "प्रदूषण" not in out
    assert out.startswith("पहला अनुच्छेद यहाँ है।") and out.endswith("जैसा कि समाचारों में होता है।")


@pytest.mark.parametrize(
    "credit",
    [
        "चित्र स्रोत नोट: चित्र AI द्वारा उत्पन्न, चित्र अधिकार सेवा प्रदाता Midjourney",
        "छवि स्रोत नोट: छवि AI द्वारा उत्पन्न, छवि लाइसेंस प्रदाता Midjourney",
        "Image source: Getty Images",
        "फोटो: PTI",
        "फ़ोटो साभार: सोशल मीडिया",
        "Photo credit: Reuters",
        "(फाइल फोटो)",
        "प्रतीकात्मक तस्वीर",
        "तस्वीर: ट्विटर",
    ],
)
def test_image_credit_lines_go(credit):
    assert_only_body_left(noise_before=f"{credit}\n\n")


def test_caption_beside_a_credit_goes_and_a_gallery_caption_goes():
    text = (
        "पहला अनुच्छेद यहाँ है।\n\nडेटा सेंटर (2) सर्वर\n\n"
        "छवि स्रोत नोट: छवि AI द्वारा उत्पन्न\n\nदूसरा अनुच्छेद यहाँ है।\n\n"
        "शतक के बाद बल्ला उठाते विराट कोहली\nफोटो: BCCI/X\n\nतीसरा अनुच्छेद यहाँ है।"
    )
    assert cleaned(text) == "पहला अनुच्छेद यहाँ है।\n\nदूसरा अनुच्छेद यहाँ है।\n\nतीसरा अनुच्छेद यहाँ है।"


def test_a_heading_is_kept():
    text = "बाजार पर असर\n\nशेयर बाजार में गिरावट\n\nसेंसेक्स 800 अंक गिरकर बंद हुआ।"
    assert cleaned(text) == text


@pytest.mark.parametrize(
    "box",
    [
        "Discussion\nJoin the conversation\nRahul: bahut badhiya lekh hai, dhanyavaad",
        "टिप्पणी करें",
        "Comments (12)",
        "12 Comments",
        "अपनी राय दें",
    ],
)
def test_comment_box_goes(box):
    assert_only_body_left(noise_after=f"\n\n{box}")


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "WhatsApp | Facebook | X | Email",
        "हमें Facebook, Twitter और Instagram पर फॉलो करें",
        "Follow us on Google News",
        "इस खबर को शेयर करें: WhatsApp | Facebook",
        "ताज़ा खबरों के लिए हमारे चैनल को सब्सक्राइब करें",
        "Advertisement",
        "विज्ञापन",
        "Tags: NVIDIA, AI, GPU",
    ],
)
def test_share_follow_subscribe_and_ad_lines_go(line):
    assert_only_body_left(noise_before=f"{line}\n\n")


@pytest.mark.parametrize(
    "stamp",
    [
        "प्रकाशित: 15 अक्टूबर 2024, 10:30 IST",
        "Updated: Oct 15, 2024, 06:15 PM IST",
        "Published on 2025-10-15",
        "अपडेटेड: 16 अक्टूबर 2024",
        "15 अक्टूबर 2024, 10:30 IST",
        "Edited By: Rahul Sharma | Updated: Oct 15, 2024",
        "By Priya Singh",
        "लेखक: प्रिया सिंह",
        "2 घंटे पहले",
        "3 min read",
    ],
)
def test_date_stamps_and_bylines_go(stamp):
    assert_only_body_left(noise_before=f"{stamp}\n\n")


def test_addresses_are_kept_to_be_read_and_html_leftovers_go():
    # issue #11 class 7: a web address is spoken (its host), never silently dropped;
    # the unreadable path and the script are listed as removed
    text = (
        "<p>ज़्यादा जानकारी के लिए https://example.com/news?id=1 देखें या news@example.com पर "
        "लिखें।</p><script>var ad = 1;</script><br/>बाजार&nbsp;बंद &amp; शांत है।"
    )
    result = clean(text)
    assert result.text == (
        "ज़्यादा जानकारी के लिए example.com देखें या news@example.com पर लिखें।\n\nबाजार बंद & शांत है।"
    )
    assert ("/news?id=1", "address") in [(r.text, r.reason) for r in result.removed]
    assert any(r.reason == "html" and "var ad" in r.text for r in result.removed)


def test_chinese_run_glued_to_a_hindi_sentence_goes_and_the_sentence_ends_with_danda():
    text = "हुआंग का यह बयान बाजार को एक “विश्वास की गोली” देता है, और यह फिर से NVIDIA के AI युग में核心价值和长期发展潜力的强调。"
    result = clean(text)
    assert result.text == (
        'हुआंग का यह बयान बाजार को एक "विश्वास की गोली" देता है, और यह फिर से NVIDIA के AI युग में।'
    )
    assert "核心价值和长期发展潜力的强调。" in [r.text for r in result.removed]


def test_foreign_run_inside_a_sentence_goes_and_the_sentence_continues():
    text = "यह इसके क्षेत्र में आगे के突破 और नवाचार को बढ़ावा देगा। Привет मित्र, 안녕 दोस्त।"
    assert cleaned(text) == "यह इसके क्षेत्र में आगे के और नवाचार को बढ़ावा देगा। मित्र, दोस्त।"


def test_a_line_only_in_another_script_goes():
    assert_only_body_left(noise_after="\n\n人工智能的发展潜力。")


# --- characters ----------------------------------------------------------------------


def test_quotes_dashes_and_spaces_are_normalized():
    text = "उन्होंने कहा: “यह ‘बड़ा’ कदम है”\u00a0 —  सेक्टर्स–जैसे 10–20 GPU, Reddy’s\tलैब।"
    assert cleaned(text) == 'उन्होंने कहा: "यह "बड़ा" कदम है" — सेक्टर्स—जैसे 10-20 GPU, Reddy\'s लैब।'


def test_zero_width_chars_go_but_joiners_inside_devanagari_stay():
    zwj_word = "क्\u200dष"  # a joiner that shapes the conjunct
    text = f"यह\u200b शब्द {zwj_word} है\u200d और \ufeffयह भी\u00ad है।"
    assert cleaned(text) == f"यह शब्द {zwj_word} है और यह भी है।"


def test_paragraphs_and_line_breaks_are_kept_blank_runs_collapsed():
    text = "\n\n  पहला अनुच्छेद है।  \r\nउसी की दूसरी पंक्ति है।\n\n\n\nदूसरा अनुच्छेद है।\n\n"
    assert cleaned(text) == "पहला अनुच्छेद है।\nउसी की दूसरी पंक्ति है।\n\nदूसरा अनुच्छेद है।"


def test_pipe_used_as_danda_becomes_a_danda():
    assert cleaned("भारत ने मैच जीता | टीम खुश है |") == "भारत ने मैच जीता। टीम खुश है।"


def test_hard_wrapped_paragraph_is_unwrapped():
    text = (
        "भारतीय क्रिकेट टीम ने रविवार को खेले गए दूसरे वनडे मुकाबले में\n"
        "ऑस्ट्रेलिया को छह विकेट से हराकर तीन मैचों की सीरीज़ बराबर कर\n"
        "ली और अब तीसरा मुकाबला सिडनी में खेला जाएगा जो निर्णायक होगा।\n"
        "टीम खुश है।"
    )
    assert cleaned(text) == " ".join(text.split("\n"))


# --- never drop the article's own sentences -------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "फोटो खींचने के शौकीन लोगों के लिए यह फोन अच्छा विकल्प है।",
        "पुलिस ने घटनास्थल की फोटो और वीडियो जांच के लिए भेजे।",
        "तस्वीर साफ है कि सरकार इस मुद्दे पर पीछे नहीं हटेगी।",
        "छवि सुधारने के लिए कंपनी ने नया अभियान शुरू किया।",
        "कंपनी ने अपने शेयर वापस खरीदने की घोषणा की।",
        "शेयर बाजार में आज भारी गिरावट दर्ज की गई।",
        "उन्होंने इस पर टिप्पणी करने से इनकार कर दिया।",
        "रिपोर्ट के अनुसार, कंपनी का मुनाफा 20% बढ़ा।",
        "प्रकाशित रिपोर्ट में कहा गया कि निवेश बढ़ेगा।",
        "मंत्री ने लोगों से सोशल मीडिया पर अफवाहें शेयर न करने की अपील की।",
        "स्रोत बताते हैं कि बैठक अगले हफ्ते होगी।",
        "AI द्वारा उत्पन्न तस्वीरों को लेकर नए नियम बनाए जा रहे हैं।",
        "ऐप अपडेट होने के बाद नए फीचर मिलेंगे।",
        "संबंधित विभाग ने जांच के आदेश दिए हैं।",
        "Facebook ने भारत में नया फीचर लॉन्च किया है।",
        "लेखक ने अपनी नई किताब में गांव की कहानी लिखी है।",
        "क्या आप इस खबर को शेयर करेंगे?",
    ],
)
def test_real_sentences_with_boilerplate_words_are_kept(sentence):
    text = f"{BODY}\n\n{sentence}\n\nआखिरी अनुच्छेद यहाँ है।"
    assert cleaned(text) == text


def test_shared_articles_keep_every_sentence_and_lose_their_boilerplate(shared_articles):
    lines_dropped = {
        "huang-deepseek-r1.txt": ["चित्र स्रोत नोट"],
        "nvidia-elevenlabs.txt": ["Read Also"],
        "xai-supercomputer.txt": ["डेटा सेंटर (2) सर्वर", "छवि स्रोत नोट"],
    }
    glued = {"huang-deepseek-r1.txt": ["核心价值"], "xai-supercomputer.txt": ["突破"]}
    for path in shared_articles:
        raw = path.read_text(encoding="utf-8")
        out = clean(raw).text
        for noise in lines_dropped.get(path.name, []) + glued.get(path.name, []):
            assert noise not in out, (path.name, noise)
        kept = [
            line
            for line in raw.splitlines()
            if not any(n in line for n in lines_dropped.get(path.name, []))
        ]
        # every Devanagari word of the article proper, in order
        assert WORD.findall(out) == WORD.findall("\n".join(kept)), path.name
        assert not re.search("[\u3000-\u9fff]", out)


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("प्रकाशित: 15 अक्टूबर 2024, 10:30 IST", datetime(2024, 10, 15, 10, 30)),
        ("Updated: Oct 15, 2025, 06:15 PM IST", datetime(2025, 10, 15, 18, 15)),
        ("2025-10-15", datetime(2025, 10, 15)),
        ("१६ सितंबर २०२४", datetime(2024, 9, 16)),
        ("15/08/2024", datetime(2024, 8, 15)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_date_stamp_comes_from_a_stamp_line_not_from_the_news():
    text = "शीर्षक\n\nप्रकाशित: 16 अक्टूबर 2024, 10:30 IST\n\nचुनाव 5 नवंबर 2024 को होंगे।"
    assert find_date_stamp(text) == datetime(2024, 10, 16, 10, 30)
    assert find_date_stamp("चुनाव 5 नवंबर 2024 को होंगे।") is None


def test_a_page_from_an_unseen_site_keeps_only_the_article():
    page = (
        "हिंदी न्यूज़ › देश › मौसम\n"
        "नई दिल्ली | Updated: 15 Oct 2024 10:30 AM IST\n"
        "Written By: Rahul Sharma\n"
        "Follow Us\n"
        "A+ A-\n"
        "Listen to this article\n"
        "00:00 / 02:15\n\n"
        f"{BODY}\n\n"
        "(भाषा इनपुट के साथ)\n"
        "(इस खबर को टीम ने संपादित नहीं किया है. यह सिंडीकेट फीड से सीधे प्रकाशित की गई है।)\n"
        "Download App\n"
        "फॉन्ट छोटा करें\n"
        "Copyright © 2024 Example Media. All rights reserved."
    )
    result = clean(page)
    assert result.text == BODY
    assert len(result.removed) >= 11


def test_an_opinion_heading_late_in_the_article_keeps_what_follows():
    text = f"{BODY}\n\n{BODY}\n\nटिप्पणी\n\nसंपादक की राय में यह फैसला देर से आया, लेकिन सही दिशा में है।"
    assert cleaned(text) == text


# --- issue #11 class 4: rules keyed on a label or a position never swallow real text ---------


def test_a_read_also_line_followed_by_short_paragraphs_keeps_their_sentences():
    text = (
        f"{BODY}\n\nयह भी पढ़ें\n\nदिल्ली में प्रदूषण बढ़ा\n\n"
        "बारिश से फ़सल को फ़ायदा होगा।\n\nकिसान खुश हैं।"
    )
    result = clean(text)
    assert result.text == f"{BODY}\n\nबारिश से फ़सल को फ़ायदा होगा।\n\nकिसान खुश हैं।"
    assert [(r.text, r.reason) for r in result.removed] == [
        ("यह भी पढ़ें", "read-also"),
        ("दिल्ली में प्रदूषण बढ़ा", "read-also"),
    ]


def test_a_comments_heading_late_in_the_text_drops_comments_but_no_sentence():
    text = (
        f"{BODY}\n\n{BODY}\n\nComments (3)\n\nRahul: bahut badhiya lekh\n\n"
        "मौसम विभाग ने शाम को एक और चेतावनी जारी की।"
    )
    result = clean(text)
    assert result.text == f"{BODY}\n\n{BODY}\n\nमौसम विभाग ने शाम को एक और चेतावनी जारी की।"
    assert {r.reason for r in result.removed} == {"comments"}


@pytest.mark.parametrize(
    ("noise", "reason"),
    [
        ("Read Also", "read-also"),
        ("टिप्पणी करें", "comments"),
        ("विज्ञापन", "chrome"),
        ("फोटो: PTI", "credit"),
        ("प्रकाशित: 15 अक्टूबर 2024, 10:30 IST", "stamp"),
        ("Share this article", "share"),
    ],
)
def test_every_removed_passage_says_why(noise, reason):
    result = clean(f"{noise}\n\n{BODY}")
    assert result.text == BODY
    assert [(r.text, r.reason) for r in result.removed] == [(noise, reason)]


# --- issue #11 class 9: HTML in pasted text --------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>मुंबई में <b>भारी <i>बारिश</i></b> हुई।</p>",
        "<p>मुंबई में <b>भारी <i>बारिश</b> हुई।</p>",  # tags closed in the wrong order
        "<p>मुंबई में <b class='x'>भारी <i>बारिश हुई।</p>",  # never closed
        "मुंबई में <b>भारी <i class=x बारिश हुई।",  # a tag that lost its ">"
        "<p>मुंबई में भारी बारिश हुई।<noscript>कृपया जावास्क्रिप्ट चालू करें</noscript></p>",
        "<p>मुंबई में भारी बारिश हुई।<noscript>कृपया जावास्क्रिप्ट चालू करें",  # unclosed noscript
    ],
)
def test_inline_tags_never_split_a_sentence_and_noscript_is_not_spoken(html):
    assert clean(html).text == "मुंबई में भारी बारिश हुई।"
