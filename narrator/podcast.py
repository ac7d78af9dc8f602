"""An RSS 2.0 podcast feed over a folder of exported episodes, ready for the directories.

The episodes are found through their sidecars (`narrator.export.sidecar`:
export writes the sidecar last, so a sidecar means a complete episode); the
audio file's size on disk is the enclosure length, which podcast apps check.

Built with feedgen and its iTunes extension, plus a small feedgen extension of
our own for what feedgen lacks: the Podcasting 2.0 namespace (channel
`<podcast:guid>`; per item `<podcast:transcript>` for the WebVTT and SRT
subtitles and `<podcast:chapters>`), and `<itunes:explicit>` as Apple now
documents it (`true`/`false`; feedgen only knows the old yes/no/clean).

What Apple Podcasts, Spotify and Podcast Index require (Apple's "A Podcaster's
Guide to RSS"): channel title, description, language, itunes:image (a JPEG or
PNG of 1400-3000 px, square), itunes:category, itunes:explicit; item title and
enclosure. Spotify and Apple also verify ownership through itunes:owner's
e-mail. So `narrator feed` takes the artwork (checked with Pillow), author,
owner, category and explicit flag, from options or from `feed.toml` in the
episode folder, and warns, naming the option, for each one that is missing.

A feed never dies on one bad episode: a sidecar with wrong types, or naming a
file outside the folder ("../", an absolute path, a symlink leading out), is
skipped with a one-line note naming the file, and the rest is published.
Characters XML cannot carry (control characters, U+FFFE/U+FFFF) are removed
from every text.

Stable on rebuild, so podcast apps never see duplicates:
- the item GUID comes from the article's identity and slug (not from the
  audio, so re-rendering an article with a better voice updates the episode
  rather than adding one), `isPermaLink="false"`;
- the channel's `podcast:guid` is the UUIDv5 of the feed URL without its
  scheme and trailing slashes in the Podcasting 2.0 namespace
  ead4c236-bf58-58c6-a2c6-a6b28d128cb6 (or the `guid` pinned in feed.toml,
  for a podcast that moved);
- items are ordered by date (newest first), then slug;
- pubDate is the article's date (IST where the article's time has no zone,
  see `narrator.export.dates`), else the time the episode was exported, else
  the audio file's mtime; lastBuildDate is the newest episode's date, so the
  same folder gives the same bytes.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from narrator.audio.files import (
    MIME_TYPES,
    atomic_write_bytes,
    check_output_file,
    disk_error,
    temp_path_for,
)
from narrator.errors import InputError
from narrator.export.dates import parse_episode_date
from narrator.export.names import sidecar_paths
from narrator.export.sidecar import EpisodeSidecar, NotASidecar, SidecarError
from narrator.urls import is_url

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
CHAPTERS_MIME = "application/json+chapters"
FEED_TOML = "feed.toml"
#: The Podcasting 2.0 namespace for `podcast:guid` (docs/tags/guid.md of the spec).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_GUID_NAMESPACE = uuid.UUID("6f1c1a4e-1f0b-5a8e-9c62-6e6172726174")  # fixed: item GUIDs never move
ARTWORK_MIN_PX = 1400
ARTWORK_MAX_PX = 3000

DEFAULT_TITLE = "हिंदी समाचार — narrator"
DEFAULT_DESCRIPTION = "हिंदी समाचार लेख, खुले TTS मॉडलों की आवाज़ में (narrator)।"

# XML 1.0 allows tab, newline, carriage return and U+0020 on, except the
# surrogates and U+FFFE/U+FFFF; DEL and the C1 controls are legal but never
# meant in a title, so they go too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters an XML document cannot carry."""
    return _NOT_XML.sub("", text)


# -- feedgen extension for the Podcasting 2.0 namespace and itunes:explicit --------


class PodcastIndexExtension(BaseExtension):
    """Channel part: the `podcast:` namespace, `podcast:guid`, `itunes:explicit`."""

    def __init__(self) -> None:
        self._guid = ""
        self._explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, feed):  # type: ignore[no-untyped-def]
        channel = feed[0]
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = str(self._explicit).lower()
        return feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item part: `podcast:transcript` (several), `podcast:chapters`, `itunes:explicit`."""

    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None
        self._explicit: bool | None = None

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

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, entry):  # type: ignore[no-untyped-def]
        for attrs in self._transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        if self._chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, **self._chapters)
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", entry).text = str(self._explicit).lower()
        return entry


# -- episodes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Episode:
    """An exported episode as the feed needs it (read from its sidecar)."""

    slug: str
    title: str
    description: str
    identity: str
    link: str
    audio: Path
    mime_type: str
    duration_s: float
    published: datetime
    subtitles: dict[str, Path] = field(default_factory=dict)
    chapters: Path | None = None

    @property
    def guid(self) -> str:
        key = self.identity + "\n" + self.slug
        return f"urn:uuid:{uuid.uuid5(_GUID_NAMESPACE, key)}"


def _published(sidecar: EpisodeSidecar, audio: Path) -> datetime:
    """The article's date; else when the episode was made (sidecar), else the file mtime.

    The sidecar's creation time comes before the mtime because copying or
    touching the files must not move an episode in the feed.
    """
    return (
        parse_episode_date(
            sidecar.date, language=sidecar.language, source=sidecar.link or sidecar.source
        )
        or parse_episode_date(sidecar.created, language="", source="")
        or datetime.fromtimestamp(int(audio.stat().st_mtime), tz=UTC)
    )


def _episode(folder: Path, sidecar: EpisodeSidecar) -> Episode:
    files = sidecar.files(folder)  # SidecarError for a name leading out of the folder
    audio = files.pop("audio")
    if not audio.is_file():
        raise SidecarError(f"its audio file {sidecar.audio!r} is missing")
    chapters = files.pop("chapters", None)
    fmt = (sidecar.format or audio.suffix.lstrip(".")).lower()
    return Episode(
        slug=sidecar.slug or audio.stem,
        title=sidecar.title or audio.stem,
        description=sidecar.description or sidecar.title,
        identity=sidecar.identity or sidecar.source,
        link=sidecar.link if is_url(sidecar.link) else "",
        audio=audio,
        mime_type=MIME_TYPES.get(fmt, "application/octet-stream"),
        duration_s=sidecar.duration_s,
        published=_published(sidecar, audio),
        subtitles={kind: path for kind, path in files.items() if path.is_file()},
        chapters=chapters if chapters is not None and chapters.is_file() else None,
    )


def load_episodes(folder: Path) -> tuple[list[Episode], list[str]]:
    """Episodes found in `folder` (stable order) and one-line notes on what was skipped."""
    episodes: list[Episode] = []
    notes: list[str] = []
    for path in sidecar_paths(folder):
        try:
            episodes.append(_episode(folder, EpisodeSidecar.read(path)))
        except NotASidecar:
            continue  # some other JSON file: not ours to judge
        except SidecarError as exc:
            notes.append(f"{path.name}: {exc}")
        except OSError as exc:
            notes.append(f"{path.name}: {exc.strerror or exc}")
    episodes.sort(key=lambda e: e.slug)
    episodes.sort(key=lambda e: e.published, reverse=True)
    return episodes, notes


# -- the channel ----------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """What the podcast says about itself (`narrator feed` options, feed.toml).

    base_url     where the episode folder is published (http/https, no query)
    image        artwork: a URL, or a local JPEG/PNG file (checked, and copied
                 into the folder when it is elsewhere)
    owner_name, owner_email  itunes:owner (directories verify ownership there)
    category     an Apple category, "News" or "News/Daily News"
    link         the podcast's website (default: base_url)
    guid         podcast:guid to keep (default: derived from the feed URL)
    """

    base_url: str
    title: str = DEFAULT_TITLE
    description: str = DEFAULT_DESCRIPTION
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    image: str = ""
    category: str = "News"
    explicit: bool = False
    language: str = "hi"
    link: str = ""
    guid: str = ""


_TOML_KEYS = {f.name for f in fields(Channel)}


def read_feed_toml(folder: Path) -> dict[str, object]:
    """The channel settings in `folder/feed.toml` ({} when there is none)."""
    path = folder / FEED_TOML
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - _TOML_KEYS)
    if unknown:
        raise InputError(
            f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_TOML_KEYS))})"
        )
    for key, value in data.items():
        wanted = bool if key == "explicit" else str
        if not isinstance(value, wanted):
            kind = "true or false" if wanted is bool else "text"
            raise InputError(f"{path}: {key} must be {kind}, got {value!r}")
    return data


def channel_for(folder: Path, **options: object) -> Channel:
    """The channel from `options` (None = not given), else feed.toml, else the defaults."""
    settings: dict[str, object] = dict(read_feed_toml(folder))
    image = settings.get("image")
    if isinstance(image, str) and image and "://" not in image:
        settings["image"] = str(folder / image)  # a file named in feed.toml sits beside it
    settings.update({k: v for k, v in options.items() if v is not None})
    if not settings.get("base_url"):
        raise InputError(
            f'--base-url is required (or base_url = "https://…" in {folder / FEED_TOML})'
        )
    return Channel(**settings)  # type: ignore[arg-type]


def check_channel(channel: Channel) -> None:
    """One-line InputErrors for channel settings no feed can carry."""
    check_base_url(channel.base_url)
    if channel.owner_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", channel.owner_email):
        raise InputError(f"--owner-email {channel.owner_email!r} is not an e-mail address")
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", channel.language):
        raise InputError(f"--language {channel.language!r} is not a language code like hi or hi-IN")


def check_base_url(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--base-url must be an http(s) URL, got {base_url!r}")
    if parts.query or parts.fragment or base_url.endswith(("?", "#")):
        raise InputError(
            f"--base-url {base_url!r} has a query or fragment: episode URLs are made by "
            "appending file names, so give the folder's URL alone"
        )


@dataclass(frozen=True)
class Artwork:
    """Podcast artwork that passed the directories' checks."""

    path: Path
    format: str
    size: int


def check_artwork(path: Path) -> Artwork:
    """A square JPEG or PNG of 1400-3000 px in RGB, checked with Pillow; else InputError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            fmt, (width, height), mode = image.format, image.size, image.mode
    except FileNotFoundError as exc:
        raise InputError(f"--image {path}: no such file") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(f"--image {path}: not an image Pillow can read") from exc
    if fmt not in ("JPEG", "PNG"):
        raise InputError(f"--image {path} is {fmt}: podcast directories take JPEG or PNG")
    expected = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}[fmt]
    if path.suffix.lower() not in expected:
        raise InputError(f"--image {path} is a {fmt} file: name it {path.stem}{expected[0]}")
    if width != height:
        raise InputError(f"--image {path} is {width}x{height} px: artwork must be square")
    if not ARTWORK_MIN_PX <= width <= ARTWORK_MAX_PX:
        raise InputError(
            f"--image {path} is {width}x{height} px: use {ARTWORK_MIN_PX} to "
            f"{ARTWORK_MAX_PX} px square"
        )
    if mode not in ("RGB", "RGBA", "P", "L", "LA"):
        raise InputError(f"--image {path} is in {mode} colour: directories want RGB")
    return Artwork(path, fmt, width)


def _artwork_url(folder: Path, channel: Channel, warnings: list[str], publish: bool) -> str:
    """The artwork's URL, after checking the image the feed will point to.

    A local image outside the folder is copied in when `publish` (`narrator
    feed`); a server (`publish=False`) never writes, so it leaves such artwork
    out of the feed with a warning.
    """
    image = channel.image
    if not image:
        return ""
    if is_url(image):
        if not urlsplit(image).path.lower().endswith((".jpg", ".jpeg", ".png")):
            raise InputError(f"--image must be a .jpg or .png, got {image!r}")
        local = folder / Path(urlsplit(image).path).name
        if local.is_file():
            check_artwork(local)
        else:
            warnings.append(
                f"artwork {image} is not in {folder}, so it was not checked: make sure it "
                f"is a square JPEG or PNG of {ARTWORK_MIN_PX}-{ARTWORK_MAX_PX} px"
            )
        return image
    art = check_artwork(Path(image).expanduser())
    published = folder / art.path.name
    if not (published.exists() and published.resolve() == art.path.resolve()):
        if not publish:
            warnings.append(f"artwork {art.path} is not in {folder}: left out of the feed")
            return ""
        tmp = temp_path_for(published)
        try:
            shutil.copyfile(art.path, tmp)
            tmp.replace(published)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise disk_error(exc, published) from exc
    return _url(channel.base_url, published)


def missing_fields(channel: Channel) -> list[str]:
    """Warnings for what podcast directories require or check and the channel lacks."""
    warnings: list[str] = []
    if not channel.image:
        warnings.append(
            "no artwork: Apple Podcasts, Spotify and Podcast Index reject a feed without "
            f"one (--image FILE.jpg, square {ARTWORK_MIN_PX}-{ARTWORK_MAX_PX} px)"
        )
    if not channel.owner_email:
        warnings.append(
            "no owner e-mail: Apple Podcasts and Spotify verify ownership through it "
            "(--owner-email)"
        )
    if not channel.owner_name:
        warnings.append("no owner name (--owner-name)")
    if not channel.author:
        warnings.append("no author: directories show it under the title (--author)")
    return warnings


# -- the feed ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedResult:
    """What `build_feed` wrote, and what the user should read.

    notes     one line per episode skipped (and why)
    warnings  one line per field the directories want and the channel lacks,
              and for artwork that could not be checked
    """

    path: Path
    episodes: list[Episode]
    notes: list[str]
    warnings: list[str] = field(default_factory=list)


def _url(base: str, path: Path) -> str:
    return f"{base.rstrip('/')}/{quote(path.name)}"


def _duration(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 `podcast:guid` of a feed URL (scheme and trailing slashes off)."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def feed_xml(episodes: list[Episode], channel: Channel, feed_name: str = "feed.xml") -> bytes:
    """The RSS document for `episodes` (already in feed order; channel.image a URL)."""
    check_channel(channel)
    base = channel.base_url
    feed_url = f"{base.rstrip('/')}/{quote(feed_name)}"
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(xml_text(channel.title) or DEFAULT_TITLE)
    fg.description(xml_text(channel.description) or DEFAULT_DESCRIPTION)
    # feedgen gives RSS <link> the last link set: the self link goes first.
    fg.link(href=feed_url, rel="self")
    fg.link(href=channel.link or base, rel="alternate")
    fg.language(channel.language)
    fg.generator("narrator")
    fg.podcast.itunes_summary(xml_text(channel.description) or DEFAULT_DESCRIPTION)
    fg.podcastindex.explicit(channel.explicit)
    fg.podcastindex.guid(channel.guid or podcast_guid(feed_url))
    cat, _, sub = channel.category.partition("/")
    try:
        fg.podcast.itunes_category(
            {"cat": cat.strip(), "sub": sub.strip()} if sub else {"cat": cat.strip()}
        )
    except ValueError as exc:
        raise InputError(
            f"--category {channel.category!r} is not an Apple Podcasts category "
            "(e.g. News, News/Daily News, Technology)"
        ) from exc
    if channel.author:
        fg.author({"name": xml_text(channel.author)})
        fg.podcast.itunes_author(xml_text(channel.author))
    if channel.owner_email:  # an owner without an e-mail is no use to a directory
        fg.podcast.itunes_owner(
            name=xml_text(channel.owner_name or channel.author or channel.title),
            email=xml_text(channel.owner_email),
        )
    if channel.image:
        fg.image(url=channel.image, title=xml_text(channel.title), link=channel.link or base)
        fg.podcast.itunes_image(channel.image)
    if episodes:
        fg.lastBuildDate(max(e.published for e in episodes))
    for ep in episodes:
        item = fg.add_entry(order="append")
        item.title(xml_text(ep.title) or ep.slug)
        item.description(xml_text(ep.description) or xml_text(ep.title) or ep.slug)
        item.guid(ep.guid, permalink=False)
        if ep.link:
            item.link(href=ep.link)
        item.pubDate(ep.published)
        item.enclosure(_url(base, ep.audio), str(ep.audio.stat().st_size), ep.mime_type)
        item.podcast.itunes_duration(_duration(ep.duration_s))
        item.podcastindex.explicit(channel.explicit)
        if "vtt" in ep.subtitles:
            item.podcastindex.transcript(
                _url(base, ep.subtitles["vtt"]), "text/vtt", channel.language, "captions"
            )
        if "srt" in ep.subtitles:
            item.podcastindex.transcript(
                _url(base, ep.subtitles["srt"]),
                "application/x-subrip",
                channel.language,
                "captions",
            )
        if ep.chapters is not None:
            item.podcastindex.chapters(_url(base, ep.chapters))
    return fg.rss_str(pretty=True)


@dataclass(frozen=True)
class FolderFeed:
    """The feed of a folder of episodes, before it is written anywhere."""

    xml: bytes
    episodes: list[Episode]
    notes: list[str]
    warnings: list[str]


def folder_feed(
    folder: str | Path, channel: Channel, feed_name: str = "feed.xml", *, publish: bool = True
) -> FolderFeed:
    """The feed of the episodes in `folder`: what `narrator feed` writes and `narrator serve`
    serves. `publish=False` never writes into the folder (see `_artwork_url`)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of exported episodes")
    check_channel(channel)
    episodes, notes = load_episodes(folder)
    if not episodes:
        raise InputError(f"no episodes in {folder}: run `narrator export ... --out {folder}` first")
    warnings = missing_fields(channel)
    image_url = _artwork_url(folder, channel, warnings, publish)
    xml = feed_xml(episodes, replace(channel, image=image_url), feed_name)
    return FolderFeed(xml, episodes, notes, warnings)


def build_feed(
    folder: str | Path, channel: Channel, output: str | Path | None = None
) -> FeedResult:
    """Write the feed of the episodes in `folder` to `output` (default folder/feed.xml)."""
    folder = Path(folder)
    out = Path(output) if output is not None else folder / "feed.xml"
    check_output_file(out, "-o", audio=False)
    feed = folder_feed(folder, channel, out.name)
    try:
        atomic_write_bytes(out, feed.xml)
    except OSError as exc:
        raise disk_error(exc, out) from exc
    return FeedResult(out, feed.episodes, feed.notes, feed.warnings)
