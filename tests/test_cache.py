"""The chunk cache: replays cost no synthesis, it is safe across processes, bounded, robust."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import numpy as np
import pytest

from narrator.cache import ChunkCache
from narrator.engines.espeak import EspeakEngine

BODY = "आज शेयर बाज़ार में तेज़ी रही। सेंसेक्स पाँच सौ अंक चढ़ा।\nविशेषज्ञों का कहना है कि यह रुझान कुछ दिन चलेगा।"


class CountingEspeak(EspeakEngine):
    """The real engine, counting how often it is asked to synthesize."""

    calls = 0

    def synthesize(self, text: str) -> np.ndarray:
        self.calls += 1
        return super().synthesize(text)


@pytest.fixture
def espeak() -> CountingEspeak:
    return CountingEspeak()


def test_put_get_roundtrip_keyed_by_voice_settings(tmp_path, espeak):
    cache = ChunkCache(tmp_path)
    audio = espeak.synthesize("नमस्ते")
    assert cache.get(espeak, "नमस्ते") is None
    cache.put(espeak, "नमस्ते", audio)
    got = cache.get(espeak, "नमस्ते")
    assert got is not None and got.dtype == np.float32
    assert np.array_equal(got, audio)
    path = cache.path_for(espeak, "नमस्ते")
    assert path.suffix == ".npy" and path.parent.parent == tmp_path  # fan-out folder
    assert cache.get(EspeakEngine(speed=1.5), "नमस्ते") is None  # another speed: another key
    assert cache.get(EspeakEngine(voice="hi-male"), "नमस्ते") is None
    assert cache.get(espeak, "नमस्ते!") is None


def test_default_folder_is_under_the_user_cache_dir(espeak):
    from narrator.paths import cache_dir

    cache = ChunkCache()
    assert cache.folder == cache_dir() / "chunks"


def test_second_render_costs_no_synthesis(tmp_path, espeak):
    # imported here so the writer processes below start without the text stack
    from narrator.stream import render_script
    from narrator.text import prepare

    script = prepare(BODY, fits=espeak.fits)
    cache = ChunkCache(tmp_path)
    first = render_script(espeak, script, cache=cache)
    calls = espeak.calls
    assert calls == len(script.chunks)
    second = render_script(espeak, script, cache=cache)
    assert espeak.calls == calls
    assert second.synth_s == 0.0
    assert all(p.cached for p in second.pieces)
    assert np.array_equal(first.audio, second.audio)


def _writer(folder: str, rounds: int, seed: int) -> int:
    """Run in another process: write and read the same keys over and over."""
    cache = ChunkCache(Path(folder), max_bytes=10 * 1024 * 1024)
    audio = np.linspace(-0.5, 0.5, 20000, dtype=np.float32)
    bad = 0
    for i in range(rounds):
        cache.put("engine|same", "एक ही चंक", audio)
        cache.put("engine|same", f"अलग {seed} {i % 3}", audio * 0.5)
        got = cache.get("engine|same", "एक ही चंक")
        if got is None or not np.array_equal(got, audio):
            bad += 1
    return bad


def test_two_processes_writing_the_same_key_are_safe(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        results = pool.starmap(_writer, [(str(tmp_path), 40, n) for n in range(3)])
    assert results == [0, 0, 0]  # every read saw a whole entry
    cache = ChunkCache(tmp_path)
    assert np.array_equal(
        cache.get("engine|same", "एक ही चंक"), np.linspace(-0.5, 0.5, 20000, dtype=np.float32)
    )
    assert not list(tmp_path.glob("*/.tmp-*"))  # no temp file left behind


def test_eviction_keeps_under_max_bytes_and_spares_recent_entries(tmp_path):
    entry = np.zeros(10000, dtype=np.float32)  # ~40 kB each
    cache = ChunkCache(tmp_path, max_bytes=200_000)
    for i in range(4):
        cache.put("e", f"old {i}", entry)
    past = time.time() - 100
    for i in range(4):  # make them clearly older than what comes next
        os.utime(cache.path_for("e", f"old {i}"), (past + i, past + i))
    assert cache.get("e", "old 0") is not None  # used again: now the most recent
    for i in range(3):
        cache.put("e", f"new {i}", entry)
    assert cache.size_bytes() <= 200_000
    assert cache.get("e", "old 0") is not None
    assert cache.get("e", "old 1") is None  # least recently used went first
    assert cache.get("e", "new 2") is not None
    for i in range(3, 20):
        cache.put("e", f"new {i}", entry)
        assert cache.size_bytes() <= 200_000


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong-type"])
def test_a_corrupt_entry_is_a_miss_and_is_removed(tmp_path, damage):
    cache = ChunkCache(tmp_path)
    audio = np.linspace(-1, 1, 5000, dtype=np.float32)
    cache.put("e", "टूटा", audio)
    path = cache.path_for("e", "टूटा")
    if damage == "garbage":
        path.write_bytes(b"not a numpy file at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    else:
        np.save(path, np.zeros((3, 3), dtype=np.int16))
    assert cache.get("e", "टूटा") is None
    assert not path.exists()
    cache.put("e", "टूटा", audio)
    assert np.array_equal(cache.get("e", "टूटा"), audio)


@pytest.mark.parametrize("damage", ["bit-flip", "nan-with-checksum", "plain-npy", "overlong"])
def test_entries_are_checked_by_content(tmp_path, damage):
    from narrator.cache import encode_entry

    cache = ChunkCache(tmp_path)
    audio = np.linspace(-0.5, 0.5, 5000, dtype=np.float32)
    cache.put("e", "जाँच", audio)
    path = cache.path_for("e", "जाँच")
    raw = bytearray(path.read_bytes())
    if damage == "bit-flip":
        raw[len(raw) - 38 - 4 * 2500 + 3] ^= 0x40  # one exponent bit of one sample
        path.write_bytes(bytes(raw))
        assert np.load(path).shape == (5000,)  # still a valid .npy: only the checksum knows
    elif damage == "nan-with-checksum":
        path.write_bytes(encode_entry(np.full(5000, np.nan, dtype=np.float32)))
    elif damage == "plain-npy":
        np.save(path, audio)  # no checksum: an old or foreign entry
    else:
        path.write_bytes(bytes(raw[:-38]) + b"\0\0\0\0" + bytes(raw[-38:]))
    assert cache.get("e", "जाँच") is None
    assert cache.rejected == 1 and not path.exists()


def test_audio_that_is_not_finite_is_never_stored(tmp_path):
    cache = ChunkCache(tmp_path)
    cache.put("e", "खराब", np.array([0.1, np.nan, 0.2], dtype=np.float32))
    cache.put("e", "तेज़", np.array([0.1, 3.0], dtype=np.float32))
    assert not cache.path_for("e", "खराब").exists() and not cache.path_for("e", "तेज़").exists()
