"""An RSS 2.0 podcast feed over a folder of exported episodes.

The episodes are found through their JSON sidecars (`narrator export` writes the
sidecar last, so a sidecar means a complete episode); the audio file's size on
disk is the enclosure length, which podcast apps check.

Built with feedgen and its iTunes extension, plus a small feedgen extension of
our own for the Podcasting 2.0 namespace (feedgen has none): per item one
`<podcast:transcript>` for the WebVTT and one for the SRT subtitles, and
`<podcast:chapters>` for the JSON chapters file beside the episode.

Stable on rebuild, so podcast apps never see duplicates:
- the GUID is derived from the article's source and slug (not from the audio,
  so re-rendering an article with a better voice updates the episode rather
  than adding a new one), `isPermaLink="false"`;
- items are ordered by date (newest first), then slug;
- pubDate is the article's date, else the time the episode was exported (from
  its sidecar), else the audio file's mtime;
- lastBuildDate is the newest episode's date, so the same folder gives the
  same bytes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from narrator.audio.files import MIME_TYPES, atomic_write_bytes
from narrator.errors import InputError

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CHAPTERS_MIME = "application/json+chapters"
SIDECAR_MARK = "narrator_episode"
_GUID_NAMESPACE = uuid.UUID("6f1c1a4e-1f0b-5a8e-9c62-6e6172726174")  # fixed: GUIDs never move

DEFAULT_TITLE = "हिंदी समाचार — narrator"
DEFAULT_DESCRIPTION = "हिंदी समाचार लेख, खुले TTS मॉडलों की आवाज़ में (narrator)।"


# -- feedgen extension for the Podcasting 2.0 namespace -------------------------


class PodcastIndexExtension(BaseExtension):
    """Channel part: declares the `podcast:` namespace."""

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item part: `podcast:transcript` (several) and `podcast:chapters`."""

    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def transcript(self, url: str, type: str, language: str = "", rel: str = "") -> None:
        """Add a transcript link (`type` is its MIME type, `rel="captions"` for timed text)."""
        attrs = {"url": url, "type": type}
        if language:
            attrs["language"] = language
        if rel:
            attrs["rel"] = rel
        self._transcripts.append(attrs)

    def chapters(self, url: str, type: str = CHAPTERS_MIME) -> None:
        """Link the episode's JSON chapters file."""
        self._chapters = {"url": url, "type": type}

    def extend_rss(self, entry):  # type: ignore[no-untyped-def]
        for attrs in self._transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        if self._chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, **self._chapters)
        return entry


# -- episodes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Episode:
    """An exported episode as the feed needs it (read from its sidecar)."""

    slug: str
    title: str
    description: str
    source: str
    audio: Path
    mime_type: str
    duration_s: float
    published: datetime
    subtitles: dict[str, Path] = field(default_factory=dict)
    chapters: Path | None = None

    @property
    def guid(self) -> str:
        key = self.source + "\n" + self.slug
        return f"urn:uuid:{uuid.uuid5(_GUID_NAMESPACE, key)}"


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published(meta: dict, audio: Path) -> datetime:
    """The article's date; else when the episode was made (sidecar), else the file mtime.

    The sidecar's creation time comes before the mtime because copying or
    touching the files must not move an episode in the feed.
    """
    return (
        _parse_date(meta.get("date"))
        or _parse_date(meta.get("created"))
        or datetime.fromtimestamp(int(audio.stat().st_mtime), tz=UTC)
    )


def load_episodes(folder: Path) -> tuple[list[Episode], list[str]]:
    """Episodes found in `folder` (stable order) and one-line notes on what was skipped."""
    episodes: list[Episode] = []
    notes: list[str] = []
    for sidecar in sorted(folder.glob("*.json")):
        if sidecar.name.endswith(".chapters.json") or sidecar.name.startswith("."):
            continue
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            notes.append(f"{sidecar.name}: unreadable sidecar ({exc.__class__.__name__})")
            continue
        if not isinstance(meta, dict) or SIDECAR_MARK not in meta:
            continue
        audio = folder / str(meta.get("audio", ""))
        if not meta.get("audio") or not audio.is_file():
            notes.append(f"{sidecar.name}: its audio file {meta.get('audio')!r} is missing")
            continue
        fmt = str(meta.get("format") or audio.suffix.lstrip(".")).lower()
        subtitles = {
            kind: folder / name
            for kind, name in (meta.get("subtitles") or {}).items()
            if name and (folder / name).is_file()
        }
        chapters = folder / meta["chapters"] if meta.get("chapters") else None
        episodes.append(
            Episode(
                slug=str(meta.get("slug") or audio.stem),
                title=str(meta.get("title") or audio.stem),
                description=str(meta.get("description") or meta.get("title") or ""),
                source=str(meta.get("source") or ""),
                audio=audio,
                mime_type=MIME_TYPES.get(fmt, "application/octet-stream"),
                duration_s=float(meta.get("duration_s") or 0.0),
                published=_published(meta, audio),
                subtitles=subtitles,
                chapters=chapters if chapters is not None and chapters.is_file() else None,
            )
        )
    episodes.sort(key=lambda e: e.slug)
    episodes.sort(key=lambda e: e.published, reverse=True)
    return episodes, notes


# -- the feed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """What the podcast says about itself (`narrator feed` options)."""

    base_url: str
    title: str = DEFAULT_TITLE
    description: str = DEFAULT_DESCRIPTION
    author: str = ""
    image: str = ""
    category: str = "News"
    explicit: bool = False
    language: str = "hi"


@dataclass(frozen=True)
class FeedResult:
    """What `build_feed` wrote."""

    path: Path
    episodes: list[Episode]
    notes: list[str]


def _url(base: str, path: Path) -> str:
    return f"{base.rstrip('/')}/{quote(path.name)}"


def _duration(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def _check_channel(channel: Channel) -> None:
    parts = urlsplit(channel.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--base-url must be an http(s) URL, got {channel.base_url!r}")
    if channel.image:
        image = urlsplit(channel.image)
        if image.scheme not in ("http", "https") or not image.path.lower().endswith(
            (".jpg", ".jpeg", ".png")
        ):
            raise InputError(
                f"--image must be an http(s) URL of a .jpg or .png, got {channel.image!r}"
            )


def feed_xml(episodes: list[Episode], channel: Channel, feed_name: str = "feed.xml") -> bytes:
    """The RSS document for `episodes` (already in feed order)."""
    _check_channel(channel)
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(channel.title)
    fg.description(channel.description)
    # feedgen gives RSS <link> the last link set: the self link goes first.
    fg.link(href=f"{channel.base_url.rstrip('/')}/{quote(feed_name)}", rel="self")
    fg.link(href=channel.base_url, rel="alternate")
    fg.language(channel.language)
    fg.generator("narrator")
    fg.podcast.itunes_summary(channel.description)
    fg.podcast.itunes_explicit("yes" if channel.explicit else "no")
    cat, _, sub = channel.category.partition("/")
    fg.podcast.itunes_category(
        {"cat": cat.strip(), "sub": sub.strip()} if sub else {"cat": cat.strip()}
    )
    if channel.author:
        fg.author({"name": channel.author})
        fg.podcast.itunes_author(channel.author)
    if channel.image:
        fg.image(url=channel.image, title=channel.title, link=channel.base_url)
        fg.podcast.itunes_image(channel.image)
    if episodes:
        fg.lastBuildDate(max(e.published for e in episodes))
    for ep in episodes:
        item = fg.add_entry(order="append")
        item.title(ep.title)
        item.description(ep.description)
        item.guid(ep.guid, permalink=False)
        item.pubDate(ep.published)
        item.enclosure(_url(channel.base_url, ep.audio), str(ep.audio.stat().st_size), ep.mime_type)
        item.podcast.itunes_duration(_duration(ep.duration_s))
        if "vtt" in ep.subtitles:
            item.podcastindex.transcript(
                _url(channel.base_url, ep.subtitles["vtt"]),
                "text/vtt",
                channel.language,
                "captions",
            )
        if "srt" in ep.subtitles:
            item.podcastindex.transcript(
                _url(channel.base_url, ep.subtitles["srt"]),
                "application/x-subrip",
                channel.language,
                "captions",
            )
        if ep.chapters is not None:
            item.podcastindex.chapters(_url(channel.base_url, ep.chapters))
    return fg.rss_str(pretty=True)


def build_feed(
    folder: str | Path, channel: Channel, output: str | Path | None = None
) -> FeedResult:
    """Write the feed of the episodes in `folder` to `output` (default folder/feed.xml)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of exported episodes")
    episodes, notes = load_episodes(folder)
    if not episodes:
        raise InputError(f"no episodes in {folder}: run `narrator export ... --out {folder}` first")
    out = Path(output) if output is not None else folder / "feed.xml"
    atomic_write_bytes(out, feed_xml(episodes, channel, out.name))
    return FeedResult(out, episodes, notes)
