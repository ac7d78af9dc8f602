"""Articles in: files, stdin, web pages and feeds, whatever their encoding.

Everything a user can point narrator at becomes an `Article` whose text is NFC
Unicode: UTF-8 with or without a BOM, UTF-16 (BOM or not), a legacy 8-bit file,
or UTF-8 that was once read as Windows-1252 and saved again (mojibake, repaired
with ftfy). Anything that cannot be narrated (a missing path, a folder, an empty
or binary file, a page with no Hindi) raises `InputError` with a one-line reason.

Web pages go through trafilatura (main text, title, date); feeds through
feedparser. Both import lazily: plain files need neither.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from narrator.errors import InputError
from narrator.text.clean import clean, drop_hidden_html, find_date_stamp
from narrator.text.dates import parse_date
from narrator.text.segment import split_sentences
from narrator.urls import is_url as _is_url

if TYPE_CHECKING:
    import lxml.html

__all__ = [
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "LIBRARY_SUFFIXES",
    "TEXT_SUFFIXES",
    "Article",
    "decode_bytes",
    "load_article",
    "load_feed",
    "load_library",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
LIBRARY_SUFFIXES = TEXT_SUFFIXES - {""} | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES

MAX_BYTES = 20 * 1024 * 1024  # an article is never this big; a mistaken path might be
FETCH_TIMEOUT_S = 20
_USER_AGENT = "Mozilla/5.0 (compatible; narrator/0.1; +https://github.com/narrator)"
_HAS_DEVANAGARI = re.compile("[\u0900-\u097f]")
_TITLE_MAX_CHARS = 150


@dataclass
class Article:
    """One article ready for the text path.

    title     the headline ("" only when the text has nothing that could be one)
    body      the article text without its headline (cleaning happens later)
    source    what the user gave: a path, a URL, or "-" for stdin
    date      publication date when the page, feed or a stamp line says it
    language  BCP-47 code of the text
    path      the file it came from, if any
    url       the page it came from, if any
    guid      the feed entry's id (<guid>/<id>), for an article from a feed
    feed      the feed it was listed in, for an article from a feed
    """

    title: str
    body: str
    source: str
    date: datetime | None = None
    language: str = "hi"
    path: Path | None = None
    url: str | None = None
    guid: str | None = None
    feed: str | None = None

    @property
    def name(self) -> str:
        """A short label for lists: the title, else the file name."""
        if self.title:
            return self.title
        if self.path is not None:
            return self.path.stem
        return self.source


# --- bytes to text -----------------------------------------------------------

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or .docx/.epub)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"ID3": "an MP3 file",
    b"RIFF": "a RIFF (WAV/AVI) file",
    b"OggS": "an Ogg file",
    b"fLaC": "a FLAC file",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def has_hindi(text: str) -> bool:
    """True when `text` has Devanagari letters: what "Hindi input" means everywhere."""
    return bool(_HAS_DEVANAGARI.search(text))


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Bytes of a text file -> NFC text, whatever the encoding; InputError if not text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name} is {kind}, not a text article")
    text = _decode(data, name)
    text = _repair(text)
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    )
    if text and bad > max(3, len(text) // 50):
        raise InputError(f"{name} is not a text file (binary data)")
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in data:
        guess = _guess_utf16(data)
        if guess is None:
            raise InputError(f"{name} is not a text file (binary data)")
        return guess
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _guess_utf16(data)
    if guess is not None:
        return guess
    # Mostly UTF-8 with a few 8-bit bytes pasted in (a "café" saved by an old
    # editor): keep the UTF-8 and read only the stray bytes as Windows-1252.
    # A file that is 8-bit throughout is read as Windows-1252 (or Latin-1).
    stray = _count_invalid_utf8(data)
    if stray * 20 < len(data):
        return data.decode("utf-8", errors=_CP1252_BYTES)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable bytes are read as Windows-1252 (else Latin-1)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="strict") if _cp1252_ok(bad) else bad.decode(
        "latin-1"
    ), error.end


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


_CP1252_BYTES = "narrator-cp1252-bytes"
codecs.register_error(_CP1252_BYTES, _cp1252_bytes)


def _count_invalid_utf8(data: bytes) -> int:
    """Roughly how many bytes are not UTF-8 (each bad sequence reads as one U+FFFD)."""
    return data.decode("utf-8", errors="replace").count("\ufffd")
    """Roughly how many bytes are not UTF-8 (each bad sequence reads as one U+FFFD)."""
    return data.decode("utf-8", errors="replace").count("\ufffd")


def _plausible(ch: str) -> bool:
    return (
        ch.isspace()
        or " " <= ch <= "~"
        or "\u0900" <= ch <= "\u097f"
        or "\u2000" <= ch <= "\u206f"
        or ch in "₹£€"
        or ("\u00a0" <= ch <= "\u00ff")
    )


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose text reads like Hindi or English."""
    if len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        score = sum(1 for ch in text if _plausible(ch)) / len(text)
        if best is None or score > best[0]:
            best = (score, text)
    return best[1] if best and best[0] >= 0.9 else None


def _repair(text: str) -> str:
    """Fix mojibake ("à¤¨à¤®..." -> "नम...") and end in NFC.

    ftfy does the repair, but importing it costs ~40 ms, a tenth of a `narrator
    text` run. Text with none of the characters its fixes act on (UTF-8 read
    as Windows-1252 always leaves a letter in U+00C0-U+00FF; control and C1
    characters, surrogates, ligatures, U+FFFD) needs only its line breaks made
    "\\n" and NFC, which is what ftfy would return for it.
    """
    if _FTFY_ACTS_ON.search(text):
        import ftfy

        config = ftfy.TextFixerConfig(
            unescape_html=False,
            uncurl_quotes=False,
            fix_character_width=False,
            fix_line_breaks=True,
            explain=False,
        )
        text = ftfy.fix_text(text, config=config)
    else:
        text = _LINE_BREAKS.sub("\n", text)
    return unicodedata.normalize("NFC", text)


_FTFY_ACTS_ON = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\ud800-\udfff\u206a-\u206f\ufb00-\ufb06"
    "\ufeff\ufff9-\ufffd]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")


# --- loading -----------------------------------------------------------------


def load_article(source: str | Path) -> Article:
    """Load one article from a path, "-" (stdin) or an http(s) URL.

    A feed (RSS/Atom) gives its first entry; use `load_feed` for all of them.
    """
    if isinstance(source, str) and source == "-":
        data = _read_stdin()
        return _article_from_bytes(data, source="-", kind=_sniff(data), path=None)
    if isinstance(source, str) and _is_url(source):
        data, content_type = _fetch(source)
        kind = _sniff(data, content_type)
        if kind == "feed":
            return _first(load_feed_bytes(data, source), source)
        return _article_from_bytes(data, source=source, kind=kind, path=None, url=source)
    path = Path(source).expanduser()
    data = _read_file(path)
    kind = _kind_from_suffix(path) or _sniff(data)
    if kind == "feed":
        return _first(load_feed_bytes(data, str(source)), str(source))
    return _article_from_bytes(data, source=str(source), kind=kind, path=path)


def load_feed(source: str | Path) -> list[Article]:
    """Every Hindi entry of an RSS/Atom feed (a path or a URL), in feed order."""
    if isinstance(source, str) and _is_url(source):
        data, _ = _fetch(source)
    else:
        data = _read_file(Path(source).expanduser())
    return load_feed_bytes(data, str(source))


def load_library(folder: str | Path, *, skipped: list[str] | None = None) -> list[Article]:
    """All articles in a folder (not its sub-folders), sorted by file name.

    Files that cannot be read are left out; when `skipped` is given, one line
    per such file ("name: reason") is appended to it so the caller can show it.
    Feed files contribute all their entries.
    """
    root = Path(folder).expanduser()
    if not root.exists():
        raise InputError(f"no such folder: {root}")
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    articles: list[Article] = []
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(f"cannot read folder {root}: {exc.strerror or exc}") from exc
    for path in entries:
        if path.name.startswith(".") or path.suffix.lower() not in LIBRARY_SUFFIXES:
            continue
        if not path.is_file():
            continue
        try:
            if _kind_from_suffix(path) == "feed" or (
                path.suffix.lower() == ".xml" and _sniff(_read_file(path)) == "feed"
            ):
                articles.extend(load_feed(path))
            else:
                articles.append(load_article(path))
        except InputError as exc:
            if skipped is not None:
                skipped.append(f"{path.name}: {exc}")
    return articles


def _first(articles: list[Article], source: str) -> Article:
    if not articles:
        raise InputError(f"{source} has no Hindi articles")
    return articles[0]


def _read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None:
        raise InputError("no standard input to read the article from")
    if stream.isatty():
        raise InputError(
            "standard input is a terminal: pipe an article in, e.g. `cat news.txt | narrator text -`"
        )
    buffer = getattr(stream, "buffer", None)
    data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
    if not data.strip():
        raise InputError("standard input is empty")
    return data


def _read_file(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not an article (use --library for a folder)")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path} is too large for an article ({size // 1_000_000} MB)")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"cannot read {path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"{path} is empty")
    return data


def _fetch(url: str) -> tuple[bytes, str]:
    """Download a page or feed: (bytes, content type). One-line InputError on failure."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            data = response.read(MAX_BYTES + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise InputError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = getattr(reason, "strerror", None) or str(reason)
        raise InputError(f"could not fetch {url}: {_one_line(text)}") from exc
    except (TimeoutError, OSError, ValueError) as exc:
        detail = _one_line(str(exc)) or type(exc).__name__
        raise InputError(f"could not fetch {url}: {detail}") from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"{url} is too large for an article")
    if not data.strip():
        raise InputError(f"{url} returned an empty page")
    return data, content_type


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _kind_from_suffix(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in (".rss", ".atom"):
        return "feed"
    if suffix in (".txt", ".text"):
        return "text"
    return None  # .xml and no suffix: look at the content


def _sniff(data: bytes, content_type: str = "") -> str:
    """Guess text / markdown / html / feed from the first bytes (and a content type)."""
    content_type = content_type.lower()
    head = data[:2048]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
            break
    if b"\x00" in head:
        head = head.replace(b"\x00", b"")
    head_l = head.lower().lstrip()
    if (
        "rss" in content_type
        or "atom" in content_type
        or re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head_l)
    ):
        return "feed"
    if "html" in content_type or re.match(rb"(<!doctype html|<html|<head|<body|<!--)", head_l):
        return "html"
    if "xml" in content_type and head_l[:1] == b"<":
        return "feed"
    if re.match(rb"(---\s*\n|#{1,6} )", head_l):
        return "markdown"
    return "text"


def _article_from_bytes(
    data: bytes, *, source: str, kind: str, path: Path | None, url: str | None = None
) -> Article:
    name = source if source != "-" else "standard input"
    text = decode_bytes(data, name)
    if not text.strip():
        raise InputError(f"{name} is empty")
    if kind == "html":
        title, body, date = _from_html(text, url)
    elif kind == "markdown":
        title, body, date = _from_markdown(text)
    else:
        title, body, date = _from_text(text)
    if not _HAS_DEVANAGARI.search(title + body):
        raise InputError(f"{name} has no Hindi text (no Devanagari letters)")
    return Article(title=title, body=body, source=source, date=date, path=path, url=url)


# --- formats -------------------------------------------------------------------


def _looks_like_heading(line: str) -> bool:
    """A headline: short, one line, not ending like a sentence with a danda or full stop."""
    line = line.strip()
    return (
        0 < len(line) <= _TITLE_MAX_CHARS
        and not line.endswith(("।", "॥", ".", ",", ":", ";"))
        and len(line.split()) <= 25
        and bool(_HAS_DEVANAGARI.search(line) or re.search("[A-Za-z]", line))
        and bool(clean(line).text)
    )


def _from_text(text: str) -> tuple[str, str, datetime | None]:
    """Plain text: a heading first line is the title; a stamp line gives the date."""
    date = find_date_stamp(text)
    lines = text.strip().split("\n")
    first = lines[0].strip()
    rest = "\n".join(lines[1:]).strip()
    if rest and _looks_like_heading(first):
        return first, rest, date
    body = text.strip()
    return _title_from_body(body), body, date


def _title_from_body(body: str) -> str:
    """No headline: the first sentence (cut at a word) stands in for one.

    It is a prefix of the body, so the text path does not speak it twice.
    """
    for sentence in split_sentences(body)[:3]:
        if not clean(sentence.text).text:
            continue  # boilerplate such as a stamp line
        if sentence.start != len(body) - len(body.lstrip()):
            return ""
        title = sentence.text
        if len(title) > _TITLE_MAX_CHARS:
            cut = title.rfind(" ", 0, _TITLE_MAX_CHARS)
            title = title[: cut if cut > 0 else _TITLE_MAX_CHARS].rstrip(" ,;:—-")
        return title
    return ""


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
_MD_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_|~~)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MD_CODE = re.compile(r"`+([^`]*)`+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _md_inline(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(lambda m: m.group(1) or m.group(2), line)
    line = _MD_CODE.sub(r"\1", line)
    for _ in range(3):  # nested emphasis
        line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def _from_markdown(text: str) -> tuple[str, str, datetime | None]:
    """Markdown: front matter or the first heading gives the title; markup is removed."""
    title = ""
    date = None
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip().lower() == "title" and value:
                title = value
            elif key.strip().lower() in ("date", "published", "updated") and value and date is None:
                date = _parse_iso(value) or parse_date(value)
        text = text[match.end() :]
    out: list[str] = []
    in_fence = False
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence or _MD_REF.match(raw) or (_MD_TABLE_RULE.match(raw) and "|" in raw):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _MD_SETEXT.match(raw) and out and out[-1].strip():
            continue  # underline of the heading just written
        if _MD_RULE.match(raw):
            out.append("")
            continue
        heading_match = _MD_HEADING.match(raw)
        line = heading_match.group(2) if heading_match else raw
        heading = bool(heading_match) or bool(raw.strip() and _MD_SETEXT.match(nxt))
        line = _MD_QUOTE.sub("", line)
        line = _MD_LIST.sub("", line)
        if line.strip().startswith("|"):
            line = ", ".join(c.strip() for c in line.strip().strip("|").split("|") if c.strip())
        line = _md_inline(line).strip()
        if heading and not title and line and not any(o.strip() for o in out):
            title = line  # the document opens with a heading: that is the headline
            continue
        out.append(line)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    if date is None:
        date = find_date_stamp(body)
    if not title:
        title = _title_from_body(body)
    return title, body, date


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _from_html(text: str, url: str | None) -> tuple[str, str, datetime | None]:
    """A web page: trafilatura finds the article, its title and its date."""
    import trafilatura

    doc = None
    text = drop_hidden_html(text)  # <noscript> fallbacks are not article text
    try:
        doc = trafilatura.bare_extraction(
            text, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken markup
        doc = None
    title = ""
    date = None
    body = ""
    if doc is not None:
        title = _one_line(getattr(doc, "title", "") or "")
        date = _parse_iso(getattr(doc, "date", "") or "")
        body = (getattr(doc, "text", "") or "").strip()
    if not body:
        title_html, body = _html_to_text(text, whole_page=True)
        title = title or title_html
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    if date is None:
        date = find_date_stamp(body)
    if not title:
        title = _title_from_body(body)
    return title, body, date


def html_fragment_to_text(fragment: str) -> str:
    """HTML (a feed entry, a page without a main article) -> text with line breaks."""
    return _html_to_text(fragment, whole_page=False)[1]


def _html_to_text(markup: str, *, whole_page: bool) -> tuple[str, str]:
    import lxml.html

    if not markup.strip():
        return "", ""
    if "<" not in markup:
        return "", markup.strip()
    try:
        tree = lxml.html.fromstring(markup)
    except Exception:  # noqa: BLE001 - lxml's parser errors are not one class
        return "", clean(markup).text
    for bad in tree.xpath("//script|//style|//noscript|//nav|//footer|//header|//form"):
        if bad.getparent() is not None:
            bad.drop_tree()
    _collapse_source_whitespace(tree)
    title = ""
    if whole_page:
        h1 = tree.xpath("//h1")
        head_title = tree.xpath("//title")
        node = h1[0] if h1 else (head_title[0] if head_title else None)
        if node is not None:
            title = _one_line(node.text_content())
            if h1:
                h1[0].drop_tree()
        for t in tree.xpath("//title"):
            t.drop_tree()
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter(
        "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"
    ):
        block.tail = "\n\n" + (block.tail or "")
    text = tree.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return title, body


def _collapse_source_whitespace(tree: lxml.html.HtmlElement) -> None:
    """A line break in HTML source is a space: only <br> and block elements break lines.

    Without this, markup wrapped as "मुंबई में\\n<b>भारी</b>" splits a sentence
    in two. Text inside <pre> keeps its lines.
    """
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        in_pre = any(a.tag == "pre" for a in element.iterancestors())
        if element.text and not (in_pre or element.tag == "pre"):
            element.text = _SOURCE_WHITESPACE.sub(" ", element.text)
        if element.tail and not in_pre:
            element.tail = _SOURCE_WHITESPACE.sub(" ", element.tail)


_SOURCE_WHITESPACE = re.compile(r"\s+")


def load_feed_bytes(data: bytes, source: str) -> list[Article]:
    """Parse feed bytes into articles (entries without Hindi are skipped)."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(getattr(parsed, "entries", []) or [])
    if not entries:
        if getattr(parsed, "bozo", False):
            reason = _one_line(str(getattr(parsed, "bozo_exception", "")))
            raise InputError(f"{source} is not a valid RSS/Atom feed ({reason})")
        raise InputError(f"{source} is a feed with no entries")
    articles: list[Article] = []
    for entry in entries:
        title = _one_line(html_fragment_to_text(entry.get("title", "") or ""))
        content = entry.get("content") or []
        markup = content[0].get("value", "") if content else entry.get("summary", "")
        body = html_fragment_to_text(markup or "")
        if title and body.startswith(title):
            body = body[len(title) :].lstrip()
        if not _HAS_DEVANAGARI.search(title + body):
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = datetime(*stamp[:6]) if stamp else None
        link = entry.get("link") or None
        articles.append(
            Article(
                title=unicodedata.normalize("NFC", title),
                body=unicodedata.normalize("NFC", body),
                source=link or source,
                date=date,
                url=link,
                guid=entry.get("id") or None,
                feed=source,
            )
        )
    if not articles:
        raise InputError(f"{source} has no entries with Hindi text")
    return articles
