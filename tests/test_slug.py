"""File names from titles: readable Hindi, nothing unsafe, bounded, unique."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from narrator.slug import MAX_BYTES, slugify, unique_slug

RESERVED = set('/\\:*?"<>|')


def test_devanagari_title_stays_readable():
    assert (
        slugify("भारत की अर्थव्यवस्था: 2024 में ₹5 लाख करोड़!") == "भारत-की-अर्थव्यवस्था-2024-में-5-लाख-करोड़"
    )


def test_path_traversal_and_reserved_characters_are_gone():
    for title in ["../../etc/passwd", 'a/b\\c:d*e?f"g<h>i|j', "..", "/", "\x00\x1f"]:
        slug = slugify(title)
        assert not RESERVED & set(slug)
        assert ".." not in slug and not slug.startswith(".")
    assert slugify("../../etc/passwd") == "etc-passwd"


def test_empty_or_symbol_only_titles_fall_back():
    assert slugify("") == "article"
    assert slugify("   …!!! ।।") == "article"


def test_windows_device_names_are_avoided():
    assert slugify("CON").lower() != "con"
    assert slugify("nul").lower() != "nul"


def test_long_titles_are_cut_without_splitting_a_syllable():
    slug = slugify("क्षत्रिय " * 30)
    assert len(slug.encode("utf-8")) <= MAX_BYTES
    assert unicodedata.category(slug[-1])[0] != "M" or slug[-2] not in "\u094d"
    assert slug.endswith("क्षत्रिय")


def test_unique_within_folder_ignoring_case():
    assert unique_slug("khabar", {"khabar"}) == "khabar-2"
    assert unique_slug("Khabar", {"khabar", "khabar-2"}) == "Khabar-3"
    assert unique_slug("नई", set()) == "नई"
    long = slugify("समाचार " * 30)
    suffixed = unique_slug(long, {long.casefold()})
    assert suffixed.endswith("-2") and len(suffixed.encode()) <= MAX_BYTES


@given(st.text(max_size=300))
def test_any_title_gives_a_safe_bounded_nonempty_name(title):
    slug = slugify(title)
    assert slug
    assert len(slug.encode("utf-8")) <= MAX_BYTES
    assert not RESERVED & set(slug)
    assert "." not in slug and not any(unicodedata.category(c) == "Cc" for c in slug)
    assert slug == unicodedata.normalize("NFC", slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def test_grouped_numbers_stay_one_word() -> None:
    assert slugify("जुटाए 2,000 GPU और 1,20,000 रुपये") == "जुटाए-2000-GPU-और-120000-रुपये"
