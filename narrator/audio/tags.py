"""Tags and chapter marks inside the audio file, written with `mutagen`.

Podcast apps and music players show the title, the voice (as artist), the source
(as album) and the date from these tags, and jump between an article's sections
with the chapter marks, so an exported file is usable on its own, without the
feed or the sidecars.

    mp3        ID3v2.3 (the version every player and podcast app reads):
               TIT2 TPE1 TALB TDRC(→TYER) TLAN=hin COMM, and one CHAP frame per
               chapter listed by a top-level, ordered CTOC
    flac, ogg  Vorbis comments: TITLE ARTIST ALBUM DATE LANGUAGE COMMENT, and the
               de-facto chapter comments CHAPTER001=HH:MM:SS.mmm / CHAPTER001NAME
    wav        an ID3 chunk (mutagen.wave) with the same frames as MP3; WAV has
               no better standard for these fields and the RIFF INFO chunk has
               no language or chapters

`write_tags` takes a path or a seekable file object: mastering
(`narrator.audio.master`) and `write_audio(..., tag=...)` call it on the finished
temp file before it is renamed into place, so the file appears already tagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from narrator.errors import InputError


@dataclass(frozen=True)
class Chapter:
    """A section of an episode: where it starts and ends, and what it is called."""

    title: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class EpisodeTags:
    """What the file says about itself.

    title     the article title
    artist    the voice, e.g. "Kokoro hf_alpha" (the one speaking)
    album     the source: the site or feed the article came from
    date      ISO date "YYYY-MM-DD" (or "YYYY", or "" when unknown)
    language  ISO 639-2 code of the speech ("hin" for Hindi)
    comment   free text: engine, licence, where it came from
    chapters  sections in time order (MP3: CHAP/CTOC; FLAC/OGG: CHAPTERnnn)
    """

    title: str
    artist: str = ""
    album: str = ""
    date: str = ""
    language: str = "hin"
    comment: str = ""
    chapters: Sequence[Chapter] = field(default_factory=tuple)


def write_tags(target: str | Path | BinaryIO, fmt: str, tags: EpisodeTags) -> None:
    """Write `tags` into the audio file `target` (a path or a seekable file object)."""
    path: Path | BinaryIO = Path(target) if isinstance(target, (str, Path)) else target
    if fmt == "mp3":
        _write_id3_mp3(path, tags)
    elif fmt == "wav":
        _write_id3_wav(path, tags)
    elif fmt == "flac":
        from mutagen.flac import FLAC

        _write_vorbis(FLAC(_rewound(path)), tags, path)
    elif fmt == "ogg":
        from mutagen.oggvorbis import OggVorbis

        _write_vorbis(OggVorbis(_rewound(path)), tags, path)
    else:
        raise InputError(f"cannot tag format {fmt!r}")


def _rewound(target: Path | BinaryIO) -> Path | BinaryIO:
    """mutagen reads from the current position of a file object: start at 0."""
    if not isinstance(target, Path):
        target.seek(0)
    return target


def _id3_frames(tags: EpisodeTags) -> list[object]:
    from mutagen.id3 import CHAP, COMM, CTOC, TALB, TDRC, TIT2, TLAN, TPE1, CTOCFlags

    utf8 = 3  # mutagen re-encodes as UTF-16 when it saves ID3v2.3
    frames: list[object] = [TIT2(encoding=utf8, text=[tags.title])]
    if tags.artist:
        frames.append(TPE1(encoding=utf8, text=[tags.artist]))
    if tags.album:
        frames.append(TALB(encoding=utf8, text=[tags.album]))
    if tags.date:
        frames.append(TDRC(encoding=utf8, text=[tags.date]))
    if tags.language:
        frames.append(TLAN(encoding=utf8, text=[tags.language]))
    if tags.comment:
        frames.append(
            COMM(encoding=utf8, lang=tags.language or "hin", desc="", text=[tags.comment])
        )
    ids: list[str] = []
    for i, chapter in enumerate(tags.chapters):
        element_id = f"chp{i}"
        ids.append(element_id)
        frames.append(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start_s * 1000),
                end_time=round(chapter.end_s * 1000),
                sub_frames=[TIT2(encoding=utf8, text=[chapter.title])],
            )
        )
    if ids:
        frames.append(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=utf8, text=["अध्याय"])],
            )
        )
    return frames


def _write_id3_mp3(path: Path | BinaryIO, tags: EpisodeTags) -> None:
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        id3 = ID3(_rewound(path))
        id3.clear()
    except ID3NoHeaderError:
        id3 = ID3()
    for frame in _id3_frames(tags):
        id3.add(frame)
    id3.save(_rewound(path), v2_version=3)


def _write_id3_wav(path: Path | BinaryIO, tags: EpisodeTags) -> None:
    from mutagen.id3 import ID3
    from mutagen.wave import WAVE

    wave = WAVE(_rewound(path))
    if wave.tags is None:
        wave.add_tags()
    id3 = cast(ID3, wave.tags)  # mutagen declares `tags = None` on the class
    id3.clear()
    for frame in _id3_frames(tags):
        id3.add(frame)
    wave.save(_rewound(path), v2_version=3)


def _timestamp(seconds: float) -> str:
    ms = round(max(0.0, seconds) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _write_vorbis(audio: object, tags: EpisodeTags, target: Path | BinaryIO) -> None:
    if audio.tags is None:  # type: ignore[attr-defined]
        audio.add_tags()  # type: ignore[attr-defined]
    comments = audio.tags  # type: ignore[attr-defined]
    comments.clear()
    fields = {
        "TITLE": tags.title,
        "ARTIST": tags.artist,
        "ALBUM": tags.album,
        "DATE": tags.date,
        "LANGUAGE": tags.language,
        "COMMENT": tags.comment,
    }
    for key, value in fields.items():
        if value:
            comments[key] = [value]
    for i, chapter in enumerate(tags.chapters, start=1):
        comments[f"CHAPTER{i:03d}"] = [_timestamp(chapter.start_s)]
        comments[f"CHAPTER{i:03d}NAME"] = [chapter.title]
    audio.save(_rewound(target))  # type: ignore[attr-defined]
