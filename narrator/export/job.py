"""What one article to export is: `ArticleJob`, built by one rule from an Article.

Why one constructor: the command line and the TUI used to build jobs each their
own way (a full timestamp in one, a bare date in the other; a resolved path in
one, the path as typed in the other), so an episode made by one looked stale to
the other and was made again. Every front end (CLI, TUI, a Ray cluster) now
calls `ArticleJob.from_article`, so the same article is the same job.

Identity: what makes an article "the same article" on the next run, the key its
file name (slug) and podcast GUID hang on. It is the source when the source
names the article, else something derived from the article itself:

    a file                     its absolute, resolved path
    a web page                 its URL
    a feed entry with <link>   the link
    ... without, with <guid>   "guid:" + the guid
    anything else              "sha256:" + hash of title, date and text
    (stdin, an entry with neither)

So two different articles piped through stdin are two episodes, not one
overwriting the other; an edited file is still the same article (the content
hash in its sidecar says it must be made again, under the same name and GUID).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from narrator.articles import Article
from narrator.export.dates import article_date_text
from narrator.urls import is_url


def text_hash(title: str, date: str, body: str) -> str:
    """sha256 hex of an article's own words (title, date, text)."""
    blob = f"{title.strip()}\n{date}\n{body.strip()}".encode()
    return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class ArticleJob:
    """One article to export into a folder: plain data, picklable for workers and Ray.

    title     the headline
    body      the article text (cleaning happens when it is prepared)
    source    where it came from: an absolute path, a URL, "-" for stdin, or
              the feed that listed it (for a feed entry without a link)
    identity  what makes it the same article next time (module notes)
    date      publication time, ISO 8601 with its offset, or a bare day
              "YYYY-MM-DD" ("" when unknown; see narrator.export.dates)
    language  BCP-47 code of the text
    link      its web page (http/https), "" for files and stdin
    index     position in the batch (results come back in this order)
    slug      file stem in the out folder; "" until `claim_slugs` assigns it
    """

    title: str
    body: str
    source: str
    identity: str
    date: str = ""
    language: str = "hi"
    link: str = ""
    index: int = 0
    slug: str = ""

    @classmethod
    def from_article(cls, article: Article, index: int = 0) -> ArticleJob:
        """The job for `article`: the one rule every front end uses."""
        title = str(article.title or "")
        body = str(article.body or "")
        language = str(article.language or "hi")
        link = article.url if article.url and is_url(article.url) else ""
        date = article_date_text(
            article.date,
            language=language,
            source=link or str(article.source or ""),
            from_feed=article.feed is not None,
        )
        if article.path is not None:
            source = str(Path(article.path).expanduser().resolve())
            identity = source
        elif link:
            source = identity = link
        else:
            source = str(article.source or "-")
            identity = (
                f"guid:{article.guid}" if article.guid else f"sha256:{text_hash(title, date, body)}"
            )
        return cls(
            title=title,
            body=body,
            source=source,
            identity=identity,
            date=date,
            language=language,
            link=link,
            index=index,
        )

    def with_slug(self, slug: str) -> ArticleJob:
        return dataclasses.replace(self, slug=slug)

    def with_index(self, index: int) -> ArticleJob:
        return dataclasses.replace(self, index=index)
