"""Tags and chapters, written in memory before the file appears, read back by mutagen."""

from __future__ import annotations

import mutagen
import numpy as np
import pytest
import soundfile as sf
from mutagen.id3 import ID3, CTOCFlags

from narrator.audio.files import write_audio
from narrator.audio.tags import Chapter, EpisodeTags, write_tags

SR = 24000
TAGS = EpisodeTags(
    title='शेयर बाज़ार & "सेंसेक्स" <रिकॉर्ड>',
    artist="kokoro hf_alpha",
    album="example.org",
    date="2024-10-16",
    comment="narrator: kokoro hf_alpha (Apache-2.0)",
    chapters=(
        Chapter("शेयर बाज़ार में तेज़ी", 0.0, 1.25),
        Chapter("विदेशी निवेशकों की वापसी", 1.25, 3.0),
    ),
)


def _write(tmp_path, fmt):
    audio = (0.2 * np.sin(np.arange(3 * SR) / 7)).astype(np.float32)
    return write_audio(
        tmp_path / f"ep.{fmt}", audio, SR, tag=lambda buf, f: write_tags(buf, f, TAGS)
    )


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_id3_fields_and_chapters(tmp_path, fmt):
    path = _write(tmp_path, fmt)
    tags = mutagen.File(path).tags
    assert isinstance(tags, ID3) and tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == TAGS.title
    assert str(tags["TPE1"]) == "kokoro hf_alpha"
    assert str(tags["TALB"]) == "example.org"
    assert str(tags["TDRC"]).startswith("2024")
    assert str(tags["TLAN"]) == "hin"
    assert "Apache-2.0" in str(tags.getall("COMM")[0])
    toc = tags.getall("CTOC")[0]
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert toc.child_element_ids == ["chp0", "chp1"]
    first, second = chaps["chp0"], chaps["chp1"]
    assert (first.start_time, first.end_time) == (0, 1250)
    assert (second.start_time, second.end_time) == (1250, 3000)
    assert str(second.sub_frames["TIT2"]) == "विदेशी निवेशकों की वापसी"
    # Tagging left the audio intact.
    assert sf.info(path).duration == pytest.approx(3.0, abs=0.01)


@pytest.mark.parametrize("fmt", ["flac", "ogg"])
def test_vorbis_comments_and_chapters(tmp_path, fmt):
    path = _write(tmp_path, fmt)
    tags = mutagen.File(path).tags
    assert tags["TITLE"] == [TAGS.title]
    assert tags["ARTIST"] == ["kokoro hf_alpha"]
    assert tags["ALBUM"] == ["example.org"]
    assert tags["DATE"] == ["2024-10-16"]
    assert tags["LANGUAGE"] == ["hin"]
    assert tags["CHAPTER001"] == ["00:00:00.000"]
    assert tags["CHAPTER002"] == ["00:00:01.250"]
    assert tags["CHAPTER002NAME"] == ["विदेशी निवेशकों की वापसी"]
    assert sf.info(path).duration == pytest.approx(3.0, abs=0.01)


def test_retagging_a_file_on_disk_replaces_old_tags(tmp_path):
    path = _write(tmp_path, "mp3")
    write_tags(path, "mp3", EpisodeTags(title="नया शीर्षक"))
    tags = mutagen.File(path).tags
    assert str(tags["TIT2"]) == "नया शीर्षक"
    assert not tags.getall("CHAP") and not tags.getall("TPE1")
