"""The article library: first-run seeding, listing with metadata, broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator import library
from narrator.library import (
    SEED_MARKER,
    estimate_listening_s,
    format_clock,
    format_listen,
    open_library,
    scan_library,
    seed_library,
)


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the bundled samples folder, so these tests do not depend on
    which samples ship (the real folder is checked separately below)."""
    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "one.txt").write_text("पहला लेख\n\nयह पहला लेख है।\n", encoding="utf-8")
    (folder / "two.md").write_text("# दूसरा लेख\n\nयह दूसरा लेख है।\n", encoding="utf-8")
    monkeypatch.setattr(library, "samples_dir", lambda: folder)
    return folder


def test_first_use_copies_the_samples_once(samples: Path, tmp_path: Path):
    lib = seed_library(tmp_path / "lib")
    assert sorted(p.name for p in lib.iterdir() if not p.name.startswith(".")) == [
        "one.txt",
        "two.md",
    ]
    assert (lib / SEED_MARKER).exists()
    # The user deletes a sample and edits another: seeding again restores nothing.
    (lib / "one.txt").unlink()
    (lib / "two.md").write_text("# मेरा लेख\n\nमैंने बदला।\n", encoding="utf-8")
    seed_library(lib)
    assert not (lib / "one.txt").exists()
    assert "मैंने बदला" in (lib / "two.md").read_text(encoding="utf-8")
    assert not [p for p in lib.iterdir() if p.name.startswith(".seed-")]


def test_seeding_never_overwrites_a_file_of_the_same_name(samples: Path, tmp_path: Path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "one.txt").write_text("मेरा अपना लेख\n\nयह मेरा है।\n", encoding="utf-8")
    seed_library(lib)
    assert "मेरा अपना" in (lib / "one.txt").read_text(encoding="utf-8")
    assert (lib / "two.md").exists()


def test_default_library_is_seeded_under_the_library_dir(samples: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_LIBRARY_DIR", str(tmp_path / "user-lib"))
    entries, problems = open_library()
    assert problems == []
    assert sorted(e.title for e in entries) == ["दूसरा लेख", "पहला लेख"]
    assert (tmp_path / "user-lib" / "one.txt").exists()


def test_listing_has_title_source_length_and_listening_time(tmp_path: Path):
    (tmp_path / "news.txt").write_text(
        "बजट में किसानों के लिए नई योजना\n\n" + "सरकार ने नई योजना की घोषणा की। " * 20,
        encoding="utf-8",
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    entries, problems = scan_library(tmp_path)
    assert [e.title for e in entries] == ["बजट में किसानों के लिए नई योजना"]
    entry = entries[0]
    assert entry.source_label == "news.txt"
    assert entry.chars > 500
    assert entry.listen_s == pytest.approx(entry.chars / library.CHARS_PER_SECOND)
    assert len(problems) == 1 and problems[0].startswith("empty.txt: ")


def test_missing_library_folder_is_a_clear_error(tmp_path: Path):
    from narrator.errors import InputError

    with pytest.raises(InputError, match="no such folder"):
        open_library(tmp_path / "nowhere")


def test_bundled_samples_list_without_problems(tmp_path: Path):
    entries, problems = scan_library(seed_library(tmp_path / "lib"))
    assert problems == []
    if not entries:
        pytest.skip("no samples bundled yet")
    assert all(e.title and e.chars > 0 for e in entries)


def test_time_formats():
    assert estimate_listening_s("क ख  ग") == pytest.approx(5 / 14.0)
    assert format_clock(0) == "0:00"
    assert format_clock(75.4) == "1:15"
    assert format_clock(3725) == "1:02:05"
    assert format_listen(20) == "<1 min"
    assert format_listen(250) == "~4 min"
    assert format_listen(3900) == "~1 h 05 min"
