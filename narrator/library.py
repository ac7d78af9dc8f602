"""The user's article library: a folder of articles, seeded with the samples once.

Why its own module: the TUI, and anyone scripting narrator, wants the same list
(title, source, date, length, estimated listening time) and the same first-run
behaviour, without knowing about Textual. One unreadable file must never hide
the rest, so each file is loaded on its own and its problem is reported beside
the articles that did load.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from narrator.engines.speedlog import CHARS_PER_SECOND  # the one reading-speed constant
from narrator.paths import library_dir, samples_dir
from narrator.urls import is_url

if TYPE_CHECKING:
    from narrator.articles import Article

SEED_MARKER = ".narrator-seeded"
"""Written once the samples were copied, so samples the user deletes stay deleted."""


@dataclass(frozen=True)
class LibraryEntry:
    """One article as the library lists it.

    article   the loaded article (title, body, source, date, language)
    path      the file it came from (None for a URL opened from the dialog)
    chars     length of the body with whitespace runs collapsed
    listen_s  estimated listening time in seconds at `CHARS_PER_SECOND`
    """

    article: Article
    path: Path | None
    chars: int
    listen_s: float

    @property
    def title(self) -> str:
        title = self.article.title.strip()
        return title or (self.path.stem if self.path else self.source_label)

    @property
    def source_label(self) -> str:
        """Where it came from, short: the site for a URL, else the file name."""
        source = self.article.source
        if is_url(source):
            return urlparse(source).netloc.removeprefix("www.") or source
        if self.path is not None:
            return self.path.name
        return Path(source).name if source else ""

    @property
    def date_label(self) -> str:
        """The article's date as YYYY-MM-DD, or "" when it has none."""
        value = self.article.date
        return value.strftime("%Y-%m-%d") if value is not None else ""

    @property
    def key(self) -> str:
        """Stable identity in the list: where it came from, and the title (a feed
        file holds several articles)."""
        where = self.article.url or self.path or self.article.source
        return f"{where}\n{self.title}"


def estimate_listening_s(text: str, chars_per_s: float = CHARS_PER_SECOND) -> float:
    """Seconds it takes to hear `text` read aloud (spoken text gives the best estimate)."""
    return len(" ".join(text.split())) / chars_per_s


def format_clock(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on (progress and elapsed/total)."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_listen(seconds: float) -> str:
    """A rough listening time for a list: `<1 min`, `~4 min`, `~1 h 05 min`."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"~{minutes} min"
    return f"~{minutes // 60} h {minutes % 60:02d} min"


def format_chars(chars: int) -> str:
    """`850 chars`, `3.2k chars`."""
    return f"{chars} chars" if chars < 1000 else f"{chars / 1000:.1f}k chars"


def entry_for(article: Article, path: Path | None = None) -> LibraryEntry:
    """Describe a loaded article for the list."""
    body = article.body
    chars = len(" ".join(body.split()))
    return LibraryEntry(article, path, chars, estimate_listening_s(body))


def seed_library(folder: Path | None = None) -> Path:
    """Make sure the library exists; copy the bundled samples into it the first time.

    The samples are copied only once per folder (a marker file remembers it), and
    never over a file of the same name, so the user's own edits and deletions win.
    Copies are written to a temp name and renamed, so an interrupted first run
    leaves no half-written article.
    """
    folder = Path(folder) if folder is not None else library_dir()
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / SEED_MARKER
    if marker.exists():
        return folder
    source = samples_dir()
    for sample in sorted(source.glob("*")) if source.is_dir() else []:
        target = folder / sample.name
        if not sample.is_file() or target.exists():
            continue
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".seed-", suffix=sample.suffix)
        os.close(fd)
        shutil.copyfile(sample, tmp)
        os.replace(tmp, target)
    marker.write_text("samples copied; delete this file to copy them again\n", encoding="utf-8")
    return folder


def scan_library(folder: Path) -> tuple[list[LibraryEntry], list[str]]:
    """Load every article in `folder`: (entries, one line per file that failed).

    `narrator.articles.load_library` reads each file on its own (a feed file
    gives all its entries), so one broken file is reported and the rest appear.
    """
    from narrator.articles import load_library

    problems: list[str] = []
    articles = load_library(folder, skipped=problems)
    return [entry_for(a, a.path) for a in articles], problems


def open_library(
    folder: str | os.PathLike[str] | None = None,
) -> tuple[list[LibraryEntry], list[str]]:
    """The library the app shows: `folder`, or the user's library seeded on first use."""
    path = Path(folder).expanduser() if folder is not None else seed_library()
    return scan_library(path)
