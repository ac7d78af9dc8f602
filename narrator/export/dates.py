"""When an article was published, with its time zone: the one rule for episode dates.

Why a rule at all: article dates arrive without a zone more often than with
one. A stamp line "प्रकाशित: 2025-10-19 22:40 IST" is parsed to a naive 22:40;
an Indian site's page gives a bare date. Read as UTC, that episode would be
published five and a half hours late (22:40 IST is 17:10 UTC), and a feed
would sort it after a later story. So:

- a date with a zone keeps it;
- a naive date from a feed entry is UTC (feedparser converts every feed date
  to UTC before it drops the zone);
- any other naive date of a Hindi article, or of an Indian (.in) site, is
  Indian Standard Time, +05:30: Hindi news is written for Indian readers and
  its times are IST whether or not the page says so;
- anything else without a zone is UTC.

A bare date (a page that gives only the day; a naive midnight, which is what a
day without a time is parsed to) stays a bare date "YYYY-MM-DD": the time is
not known, and inventing 00:00 would put the episode on the previous day for
anyone west of India. Read back, it means noon in its zone, which is the same
calendar day everywhere from UTC-11 to UTC+11.

Export stores the result in ISO 8601 (with the offset when there is a time), so
the feed, the tags and the TUI read the same instant; `parse_episode_date`
reads a sidecar's date back (old sidecars without an offset get the same rule).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit

IST = timezone(timedelta(hours=5, minutes=30), "IST")


def _indian(language: str, source: str) -> bool:
    host = (urlsplit(source).hostname or "") if "://" in source else ""
    return language.lower().startswith("hi") or host.endswith(".in")


def zoned(
    value: datetime | date | None,
    *,
    language: str = "hi",
    source: str = "",
    from_feed: bool = False,
) -> datetime | None:
    """`value` as an aware datetime by the rule above (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value
    if from_feed:
        return value.replace(tzinfo=UTC)
    return value.replace(tzinfo=IST if _indian(language, source) else UTC)


def article_date_text(
    value: datetime | date | None,
    *,
    language: str = "hi",
    source: str = "",
    from_feed: bool = False,
) -> str:
    """How a job and a sidecar store an article's date ("" when unknown).

    "YYYY-MM-DD" for a bare day, else ISO 8601 with the offset of the rule.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime) or (
        not from_feed
        and value.tzinfo is None
        and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
    ):
        return value.strftime("%Y-%m-%d")
    when = zoned(value, language=language, source=source, from_feed=from_feed)
    return when.isoformat() if when is not None else ""


def parse_episode_date(text: object, *, language: str = "hi", source: str = "") -> datetime | None:
    """A sidecar's date string back as an aware datetime (None when absent or invalid)."""
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip().replace("Z", "+00:00")
    try:
        if len(raw) == 10:  # a bare day: noon, the same date in (almost) every zone
            return zoned(
                datetime.combine(date.fromisoformat(raw), time(12)),
                language=language,
                source=source,
            )
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return zoned(parsed, language=language, source=source)
