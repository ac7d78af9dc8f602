"""Loading articles: files in any encoding, Markdown, HTML, feeds, URLs, stdin, folders."""

from __future__ import annotations

import codecs
import http.server
import io
import os
import socket
import sys
import threading
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrator.articles import Article, decode_bytes, load_article, load_feed, load_library
from narrator.errors import InputError

TITLE = "केरल में मानसून ने दी दस्तक"
BODY = (
    "मौसम विभाग ने बुधवार को बताया कि मानसून तय समय से दो दिन पहले केरल पहुंच गया है।\n\n"
    "विभाग के अनुसार, इस साल देश में सामान्य से 6% अधिक बारिश होने की संभावना है।"
)
ARTICLE = f"{TITLE}\n\n{BODY}\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        ARTICLE.encode("utf-8"),
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        ARTICLE.encode("utf-16"),  # with the platform's BOM
        ARTICLE.encode("utf-16-le"),  # no BOM at all
        ARTICLE.encode("utf-16-be"),
        ARTICLE.replace("\n", "\r\n").encode("utf-8"),  # Windows line ends
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16", "utf16le", "utf16be", "crlf"],
)
def test_every_encoding_reads_back_the_same_article(tmp_path, encoded):
    article = load_article(write(tmp_path, "news.txt", encoded))
    assert article.title == TITLE
    assert article.body == BODY
    assert "\ufeff" not in article.body


def test_mojibake_is_repaired(tmp_path):
    import ftfy.bad_codecs  # noqa: F401 - registers the codec that makes the mojibake

    # UTF-8 read as Windows-1252 and saved again as UTF-8: "à¤®à¥Œà¤¸à¤®..."
    mojibake = ARTICLE.encode("utf-8").decode("sloppy-windows-1252")
    assert "à¤" in mojibake
    article = load_article(write(tmp_path, "news.txt", mojibake.encode("utf-8")))
    assert (article.title, article.body) == (TITLE, BODY)


def test_stray_legacy_8bit_bytes_do_not_spoil_the_utf8_text(tmp_path):
    text = ARTICLE.replace("बताया", "café में बताया")
    data = text.encode("utf-8").replace("é".encode(), b"\xe9")  # one cp1252 byte
    article = load_article(write(tmp_path, "news.txt", data))
    assert "café में बताया" in article.body
    assert article.title == TITLE


def test_a_whole_legacy_8bit_file_is_decoded_and_then_has_no_hindi(tmp_path):
    data = "“Monsoon” reaches Kerala – café owners rejoice".encode("cp1252")
    assert decode_bytes(data) == "“Monsoon” reaches Kerala – café owners rejoice"
    with pytest.raises(InputError, match="no Hindi"):
        load_article(write(tmp_path, "news.txt", data))


def test_text_ends_as_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "café ") + "क़ानून " + BODY
    article = load_article(write(tmp_path, "news.txt", decomposed))
    assert unicodedata.is_normalized("NFC", article.body)
    assert "café" in article.body


# --- bad input: one line, InputError ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n\t ", "is empty"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("random.bin", bytes(range(256)) * 8, "not a text file"),
        ("english.txt", b"Monsoon reaches Kerala two days early.", "no Hindi"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_bad_files_raise_a_one_line_input_error(tmp_path, name, data, message):
    with pytest.raises(InputError, match=message) as info:
        load_article(write(tmp_path, name, data))
    assert "\n" not in str(info.value)


def test_missing_path_and_folder_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        load_article(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_raises_input_error(tmp_path):
    path = write(tmp_path, "secret.txt", ARTICLE)
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            load_article(path)
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_the_system_cannot_read_raises_input_error():
    with pytest.raises(InputError, match="cannot read") as info:
        load_article("/proc/self/mem")  # exists, but reading it from the start fails
    assert "\n" not in str(info.value)


# --- titles and dates ---------------------------------------------------------------


def test_first_sentence_stands_in_for_a_missing_title_and_is_a_prefix_of_the_body(tmp_path):
    text = "“आप सभी गलत हैं!” हाल ही में, NVIDIA के प्रमुख ने जवाब दिया।\nदूसरा अनुच्छेद है।"
    article = load_article(write(tmp_path, "news.txt", text))
    assert article.title == "“आप सभी गलत हैं!”"
    assert article.body.startswith(article.title)


def test_a_sentence_is_not_taken_for_a_heading(tmp_path):
    text = "मौसम विभाग ने बुधवार को ऑरेंज अलर्ट जारी किया।\nविभाग के अनुसार भारी बारिश होगी।"
    article = load_article(write(tmp_path, "news.txt", text))
    assert article.body == text
    assert article.title == "मौसम विभाग ने बुधवार को ऑरेंज अलर्ट जारी किया।"


def test_date_comes_from_the_stamp_line(tmp_path):
    text = f"{TITLE}\nप्रकाशित: 16 अक्टूबर 2024, 10:30 IST\n\n{BODY}"
    assert load_article(write(tmp_path, "news.txt", text)).date == datetime(2024, 10, 16, 10, 30)
    assert load_article(write(tmp_path, "plain.txt", ARTICLE)).date is None


def test_markdown_heading_front_matter_and_markup(tmp_path):
    text = (
        '---\ntitle: "मानसून अपडेट"\ndate: 2025-10-15\n---\n\n'
        "# केरल में मानसून ने दी दस्तक\n\n"
        "मौसम **विभाग** ने [बुधवार](https://imd.gov.in) को _बताया_ कि मानसून आ गया है।\n\n"
        "![बादल](cloud.png)\n\n"
        "## आगे क्या\n\n"
        "- पहला बिंदु है।\n- दूसरा बिंदु है।\n\n> विभाग ने कहा कि `अलर्ट` जारी है।\n\n"
        "```\ncode block\n```\n"
    )
    article = load_article(write(tmp_path, "news.md", text))
    assert article.title == "मानसून अपडेट"
    assert article.date == datetime(2025, 10, 15)
    assert article.body == (
        "केरल में मानसून ने दी दस्तक\n\nमौसम विभाग ने बुधवार को बताया कि मानसून आ गया है।\n\n"
        "आगे क्या\n\nपहला बिंदु है।\nदूसरा बिंदु है।\n\nविभाग ने कहा कि अलर्ट जारी है।"
    )


def test_markdown_first_heading_is_the_title(tmp_path):
    article = load_article(write(tmp_path, "news.md", f"# {TITLE}\n\n{BODY}\n"))
    assert (article.title, article.body) == (TITLE, BODY)


# --- HTML -------------------------------------------------------------------------------

PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{TITLE} | समाचार</title>
<meta property="article:published_time" content="2024-10-16T10:30:00+05:30"></head>
<body><nav><a href="/">होम</a> | <a href="/desh">देश</a></nav>
<article><h1>{TITLE}</h1>
<p>मौसम विभाग ने बुधवार को बताया कि मानसून तय समय से दो दिन पहले केरल पहुंच गया है।</p>
<p>विभाग के अनुसार, इस साल देश में सामान्य से 6% अधिक बारिश होने की संभावना है।</p>
<script>var tracking = "नहीं पढ़ना";</script></article>
<footer>कॉपीराइट 2024 समाचार</footer></body></html>
"""


def test_local_html_file_gives_title_date_and_main_text(tmp_path):
    article = load_article(write(tmp_path, "page.html", PAGE))
    assert article.title == TITLE
    assert article.date is not None and article.date.date() == datetime(2024, 10, 16).date()
    assert "मानसून तय समय से दो दिन पहले" in article.body
    assert "6% अधिक बारिश" in article.body
    for noise in ("होम", "tracking", "नहीं पढ़ना", "कॉपीराइट", TITLE):
        assert noise not in article.body


# --- feeds --------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>समाचार</title><link>https://example.in/</link><description>ताज़ा खबरें</description>
<item><title>केरल में मानसून ने दी दस्तक</title><link>https://example.in/monsoon</link>
<pubDate>Wed, 16 Oct 2024 10:30:00 +0530</pubDate>
<content:encoded><![CDATA[<p>मौसम विभाग ने बुधवार को बताया कि मानसून आ गया है।</p><p>अगले दो दिन भारी बारिश होगी।</p>]]></content:encoded>
</item>
<item><title>English only story</title><link>https://example.in/en</link><description>Nothing in Hindi here.</description></item>
<item><title>भारत ने मैच जीता</title><link>https://example.in/cricket</link>
<description>&lt;p&gt;भारत ने ऑस्ट्रेलिया को छह विकेट से हराया।&lt;/p&gt;</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>समाचार</title><id>urn:x</id><updated>2025-10-15T12:00:00Z</updated>
<entry><title>नई तकनीक</title><id>urn:1</id><updated>2025-10-15T12:00:00Z</updated>
<link href="https://example.in/tech"/><content type="html">&lt;p&gt;कंपनी ने नया मॉडल जारी किया।&lt;/p&gt;</content></entry>
</feed>
"""


def test_rss_feed_gives_its_hindi_entries_in_order(tmp_path):
    articles = load_feed(write(tmp_path, "feed.xml", RSS))
    assert [a.title for a in articles] == ["केरल में मानसून ने दी दस्तक", "भारत ने मैच जीता"]
    first = articles[0]
    assert (
        first.body == "मौसम विभाग ने बुधवार को बताया कि मानसून आ गया है।\n\nअगले दो दिन भारी बारिश होगी।"
    )
    assert first.date == datetime(2024, 10, 16, 5, 0)  # feedparser gives UTC
    assert first.url == "https://example.in/monsoon"
    assert articles[1].body == "भारत ने ऑस्ट्रेलिया को छह विकेट से हराया।"
    # a feed given to load_article yields its first entry
    assert load_article(tmp_path / "feed.xml").title == first.title


def test_atom_feed(tmp_path):
    (article,) = load_feed(write(tmp_path, "feed.atom", ATOM))
    assert (article.title, article.body) == ("नई तकनीक", "कंपनी ने नया मॉडल जारी किया।")
    assert article.date == datetime(2025, 10, 15, 12, 0)


def test_broken_feed_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="feed"):
        load_feed(write(tmp_path, "feed.rss", "<rss><channel><title>x</title></channel></rss>"))


# --- URLs ----------------------------------------------------------------------------------


@pytest.fixture
def news_server():
    """A local web server with a page, a text file and a feed (no network needed)."""
    pages = {
        "/news.html": ("text/html; charset=utf-8", PAGE.encode("utf-8")),
        "/news.txt": ("text/plain; charset=utf-8", ARTICLE.encode("utf-8")),
        "/feed": ("application/rss+xml", RSS.encode("utf-8")),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in pages:
                self.send_error(404, "Not Found")
                return
            content_type, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_page_text_and_feed(news_server):
    page = load_article(f"{news_server}/news.html")
    assert page.title == TITLE and "6% अधिक बारिश" in page.body
    assert page.url == f"{news_server}/news.html"
    text = load_article(f"{news_server}/news.txt")
    assert (text.title, text.body) == (TITLE, BODY)
    assert load_feed(f"{news_server}/feed")[0].title == "केरल में मानसून ने दी दस्तक"


def test_missing_page_and_dead_url_give_one_line_errors(news_server):
    with pytest.raises(InputError, match="HTTP 404") as info:
        load_article(f"{news_server}/gone.html")
    assert "\n" not in str(info.value)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="could not fetch") as info:
        load_article(f"http://127.0.0.1:{port}/news.html")
    assert "\n" not in str(info.value)


# --- stdin and libraries ----------------------------------------------------------------------


def test_stdin(monkeypatch):
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(codecs.BOM_UTF8 + ARTICLE.encode()))
    )
    article = load_article("-")
    assert (article.title, article.body, article.source) == (TITLE, BODY, "-")


def test_empty_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError, match="empty"):
        load_article("-")


def test_library_loads_sorted_and_reports_what_it_skipped(tmp_path):
    write(tmp_path, "b-monsoon.txt", ARTICLE)
    write(tmp_path, "a-page.html", PAGE)
    write(tmp_path, "c-feed.xml", RSS)
    write(tmp_path, "d-empty.txt", b"")
    write(tmp_path, "e-english.md", "# Monsoon\n\nRain in Kerala.")
    write(tmp_path, "notes.json", "{}")  # not an article type: ignored silently
    write(tmp_path, ".hidden.txt", ARTICLE)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "inner.txt", ARTICLE)
    skipped: list[str] = []
    articles = load_library(tmp_path, skipped=skipped)
    assert [a.title for a in articles] == [TITLE, TITLE, TITLE, "भारत ने मैच जीता"]
    assert [a.path.name if a.path else a.url for a in articles] == [
        "a-page.html",
        "b-monsoon.txt",
        "https://example.in/monsoon",
        "https://example.in/cricket",
    ]
    assert all(isinstance(a, Article) for a in articles)
    assert articles[0].path == tmp_path / "a-page.html"
    assert skipped == [
        "d-empty.txt: " + f"{tmp_path / 'd-empty.txt'} is empty",
        "e-english.md: " + f"{tmp_path / 'e-english.md'} has no Hindi text (no Devanagari letters)",
    ]


def test_library_that_is_not_a_folder(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        load_library(tmp_path / "missing")
    with pytest.raises(InputError, match="not a folder"):
        load_library(write(tmp_path, "x.txt", ARTICLE))


def test_bundled_samples_load_with_title_and_date():
    folder = Path(__file__).resolve().parents[1] / "narrator" / "data" / "samples"
    skipped: list[str] = []
    articles = load_library(folder, skipped=skipped)
    assert len(articles) >= 3 and not skipped
    for article in articles:
        assert article.title and article.date is not None
        assert 120 <= len(article.body.split()) <= 260


# --- issue #11 class 9: inline tags and <noscript> in pages and feeds ----------------------

_WRAPPED_PARAGRAPH = (
    "<p>मुंबई में\n<b>भारी\n<i>बारिश</i></b>\nहुई। लोग घरों में रहे और\n<a href='/x'>स्कूल</a>\nबंद रहे।</p>"
)


def _spoken(article: Article) -> list[str]:
    from narrator.text import prepare

    return [c.text for c in prepare(article.body, title=article.title, lexicon=None).chunks]


def test_a_page_whose_markup_wraps_inside_a_sentence_reads_it_whole(tmp_path):
    page = (
        "<html><head><title>मौसम</title></head><body><article><h1>मौसम</h1>"
        f"{_WRAPPED_PARAGRAPH}<noscript>कृपया जावास्क्रिप्ट चालू करें</noscript>"
        "<p>दूसरा अनुच्छेद भी लंबा है और इसमें पूरी खबर का बाकी हिस्सा लिखा गया है।</p></article></body></html>"
    )
    spoken = " ".join(_spoken(load_article(write(tmp_path, "news.html", page))))
    assert "मुंबई में भारी बारिश हुई। लोग घरों में रहे और स्कूल बंद रहे।" in spoken
    assert "जावास्क्रिप्ट" not in spoken


def test_a_feed_entry_with_inline_markup_reads_its_sentence_whole(tmp_path):
    entry = _WRAPPED_PARAGRAPH.replace("<", "&lt;").replace(">", "&gt;")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>मौसम की खबर</title><description>{entry}</description></item></channel></rss>"
    )
    article = load_article(write(tmp_path, "news.rss", feed))
    assert article.body == "मुंबई में भारी बारिश हुई। लोग घरों में रहे और स्कूल बंद रहे।"


_CLEAN_TEXT = st.lists(
    st.sampled_from(
        list("कखगघचजटडतदनपबमयरलवशसहािीुूेैोौंँ़्।॥ ABCabcxyz0123456789.,;:!?-—–'\"“”‘’()%₹$£€")
        + ["\n", "\r\n", "\r", "\u2028", "\u2029", "\t"]
    ),
    max_size=200,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_CLEAN_TEXT)
def test_text_ftfy_would_leave_alone_is_repaired_the_same_without_it(text):
    """_repair skips importing ftfy for text it would not change (speed); same result."""
    import ftfy

    from narrator.articles import _repair

    config = ftfy.TextFixerConfig(
        unescape_html=False, uncurl_quotes=False, fix_character_width=False, explain=False
    )
    assert _repair(text) == unicodedata.normalize("NFC", ftfy.fix_text(text, config=config))
