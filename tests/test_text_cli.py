"""`narrator text` and the whole text path: article in, spoken Hindi out."""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.articles import load_article
from narrator.cli import main
from narrator.text import prepare
from narrator.text.clean import clean

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "narrator" / "data" / "samples").glob("*.txt"))
WORD = re.compile(
    r"[\u0904-\u0939\u093d\u0950\u0958-\u0961\u0966-\u096f\u0971-\u097f][\u0900-\u0963\u0966-\u097f]*"
)
# What may reach a Hindi voice: Devanagari, spaces and the pause marks an engine reads as pauses.
SPOKEN = re.compile(r"^[\u0900-\u097f\u200c\u200d ,;:!?.\-—()]+$")


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        check=False,
        args=[sys.executable, "-m", "narrator", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def in_order(needles: list[str], haystack: str) -> list[str]:
    """The needles not found in order in the haystack (empty when all are)."""
    missing, pos = [], 0
    for needle in needles:
        found = haystack.find(needle, pos)
        if found < 0:
            missing.append(needle)
        else:
            pos = found + len(needle)
    return missing


# --- the command ------------------------------------------------------------------------


def test_prints_one_chunk_per_line_exactly_as_prepare_makes_them(capsys):
    path = SAMPLES[0]
    assert main(["text", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    article = load_article(path)
    assert lines == [c.text for c in prepare(article.body, title=article.title).chunks]
    assert all(line.strip() for line in lines)


def test_max_chars_limits_every_line(capsys):
    assert main(["text", str(SAMPLES[1]), "--max-chars", "60"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 5
    assert all(0 < len(line) <= 60 for line in lines)


def test_engine_limit_is_used(capsys):
    from narrator.engines.espeak import EspeakEngine
    from narrator.engines.xtts import XttsEngine

    assert main(["text", str(SAMPLES[1]), "--engine", "xtts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= XttsEngine.max_chars for line in lines)
    assert main(["text", str(SAMPLES[1]), "--engine", "espeak"]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert all(len(line) <= EspeakEngine.max_chars for line in wide)
    assert max(map(len, wide)) > XttsEngine.max_chars  # a larger limit makes larger chunks


def test_json_gives_chunks_with_their_spans(capsys):
    assert main(["text", str(SAMPLES[2]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cleaned, chunks = data["cleaned"], data["chunks"]
    assert chunks and data["title"]
    for before, after in itertools.pairwise(chunks):
        assert before["source_end"] <= after["source_start"]
    for chunk in chunks:
        assert chunk["source_text"] == cleaned[chunk["source_start"] : chunk["source_end"]]
        assert chunk["text"] and chunk["source_text"]
    assert chunks[-1]["ends_paragraph"]
    assert any("पढ़ें" in r["text"] or "Read Also" in r["text"] for r in data["removed"])
    assert all(r["reason"] for r in data["removed"])  # each removal says why


BAD_FILES = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "english": b"Only English here.",
    "only-boilerplate": "विज्ञापन\nRead Also\nटिप्पणी करें".encode(),
}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "no such file"),
        ("folder", "is a folder"),
        ("empty", "is empty"),
        ("binary", "not a text file"),
        ("english", "no Hindi"),
        ("only-boilerplate", "nothing to speak"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path, capsys, kind, message):
    source = tmp_path if kind == "folder" else tmp_path / f"{kind}.txt"
    if kind in BAD_FILES:
        source.write_bytes(BAD_FILES[kind])
    assert main(["text", str(source)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("narrator: error: ")
    assert message in captured.err


def test_too_small_max_chars_is_an_input_error(capsys):
    assert main(["text", str(SAMPLES[0]), "--max-chars", "3"]) == 2
    assert "--max-chars" in capsys.readouterr().err


# --- as a process: stdin, locale, errors ---------------------------------------------------


def test_subprocess_reads_stdin_and_writes_utf8_under_a_latin1_locale():
    data = SAMPLES[0].read_bytes()
    result = run_cli(
        "text", "-", stdin=data, env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "latin-1"}
    )
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    article = load_article(SAMPLES[0])
    assert lines == [c.text for c in prepare(article.body, title=article.title).chunks]


@pytest.mark.parametrize("kind", ["missing", "dead-url", "binary"])
def test_subprocess_bad_input_gives_one_line_and_no_traceback(tmp_path, kind):
    if kind == "missing":
        source = str(tmp_path / "nope.txt")
    elif kind == "binary":
        source = str(tmp_path / "blob.txt")
        Path(source).write_bytes(b"\x00\x01\x02\xff" * 100)
    else:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        source = f"http://127.0.0.1:{port}/news.html"
    result = run_cli("text", source)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("narrator: error: ")
    assert result.stdout == b""


# --- the whole text path over real scraped articles ------------------------------------------


def test_prepare_over_shared_articles_speaks_only_hindi_and_loses_no_word(shared_articles):
    boilerplate = ["Read Also", "चित्र स्रोत", "छवि स्रोत", "Midjourney", "डेटा सेंटर (2) सर्वर", "核心"]
    for path in shared_articles:
        article = load_article(path)
        script = prepare(article.body, title=article.title, max_chars=200)
        spoken = "\n".join(c.text for c in script.chunks)
        for chunk in script.chunks:
            assert SPOKEN.match(chunk.text), (path.name, chunk.text)
            assert not re.search(r"[A-Za-z0-9]", chunk.text)
            assert len(chunk.text) <= 200
        for noise in boilerplate:
            assert noise not in script.cleaned and noise not in spoken
        # every Devanagari word of the article proper is spoken, in order
        proper = clean(
            f"{article.title}\n\n{article.body}"
            if article.title not in article.body
            else article.body
        )
        assert in_order(WORD.findall(proper.text), spoken) == [], path.name


def test_nvidia_article_reads_like_a_newsreader(shared_articles):
    path = next(p for p in shared_articles if p.name == "nvidia-elevenlabs.txt")
    article = load_article(path)
    spoken = " ".join(c.text for c in prepare(article.body, title=article.title).chunks)
    for phrase in ("एनवीडिया", "इलेवनलैब्स", "एक लाख बीस हज़ार जीपीयू", "ग्यारह बिलियन पाउंड", "सीईओ"):
        assert phrase in spoken
    assert "Read Also" not in spoken


def test_bundled_samples_speak_only_hindi():
    for path in SAMPLES:
        article = load_article(path)
        script = prepare(article.body, title=article.title)
        for chunk in script.chunks:
            assert SPOKEN.match(chunk.text), (path.name, chunk.text)
        assert script.removed  # each sample carries boilerplate that must go


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "भारत",
                    "ने",
                    "16.9%",
                    "₹1,20,000",
                    "GPU",
                    "NVIDIA",
                    "2025-10-15",
                    "10:30",
                    "।",
                    "\n",
                    "और",
                    "डॉ.",
                    "U.S.",
                    "—",
                    "“",
                    "11वें",
                    "£11",
                    "बिलियन",
                    "Read Also",
                    "😀",
                    "核心",
                ]
            ),
            max_size=60,
        ).map(" ".join),
    ),
    limit=st.integers(min_value=40, max_value=300),
)
def test_property_prepare_never_raises_and_loses_no_devanagari_word(text, limit):
    script = prepare(text, max_chars=limit)
    spoken = "\n".join(c.text for c in script.chunks)
    for chunk in script.chunks:
        assert chunk.text.strip() and len(chunk.text) <= limit
    if all(len(w) < limit // 2 for w in WORD.findall(script.cleaned)):
        assert in_order(WORD.findall(script.cleaned), spoken) == []
