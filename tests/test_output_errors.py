"""Where output cannot go: one-line errors, before synthesis, creating nothing, losing nothing.

Each case runs the real CLI as a user would. "Before synthesis" is checked by
what is (not) on disk and by the absence of the progress a synthesis prints.
A full disk is a real 256 kB tmpfs where mounting is allowed (root), and a
file-size limit (RLIMIT_FSIZE) everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures.export import run_cli, tmpfs, write_articles


def _one_line_error(run) -> str:  # type: ignore[no-untyped-def]
    assert run.returncode != 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "error:" in lines[0]
    return lines[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "articles", ["monsoon.txt"]) / "monsoon.txt"


# -- speak -o ----------------------------------------------------------------------------


def test_speak_output_under_a_file(article, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("मेरे नोट्स", encoding="utf-8")
    line = _one_line_error(
        run_cli("speak", str(article), "--engine", "espeak", "-o", str(blocker / "news.mp3"))
    )
    assert "which is a file" in line
    assert blocker.read_text(encoding="utf-8") == "मेरे नोट्स"


def test_speak_output_naming_a_folder(article, tmp_path):
    folder = tmp_path / "audio"
    folder.mkdir()
    line = _one_line_error(run_cli("speak", str(article), "--engine", "espeak", "-o", str(folder)))
    assert "is a folder" in line
    assert list(folder.iterdir()) == []


def test_speak_to_a_full_disk_leaves_nothing(article, small_disk):
    target = small_disk.folder / "news.mp3"
    run = run_cli(
        "speak", str(article), "--engine", "espeak", "-o", str(target),
        preexec_fn=small_disk.preexec(),
    )  # fmt: skip
    last = run.stderr.strip().splitlines()[-1]
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert last.startswith("narrator: error: cannot write") and (
        "disk is full" in last or "larger than this system allows" in last
    ), run.stderr
    assert list(small_disk.folder.iterdir()) == []  # no file, no temp file, no spool


# -- export --out -------------------------------------------------------------------------


def test_export_out_under_a_file(article, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    line = _one_line_error(
        run_cli("export", str(article), "--engine", "espeak", "--out", str(blocker / "sub"))
    )
    assert "which is a file" in line and blocker.read_bytes() == b"x"


def test_export_out_is_a_file(article, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    line = _one_line_error(
        run_cli("export", str(article), "--engine", "espeak", "--out", str(blocker))
    )
    assert "is a file, not a folder" in line


def test_export_into_a_folder_that_cannot_be_written(article, tmp_path):
    out = tmp_path / "locked"
    if os.geteuid() == 0:
        # root writes through chmod 000; a read-only file system stops it.
        with tmpfs(out, "64k", read_only=True):
            line = _one_line_error(
                run_cli("export", str(article), "--engine", "espeak", "--out", str(out))
            )
    else:
        out.mkdir()
        out.chmod(0)
        try:
            line = _one_line_error(
                run_cli("export", str(article), "--engine", "espeak", "--out", str(out))
            )
        finally:
            out.chmod(0o755)
    assert "cannot write" in line


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "aac"],
        ["--lufs", "3"],
        ["--jobs", "0"],
        ["--engine", "no-such-engine"],
        ["--speed", "9"],
        ["--voice", "no-such-voice"],
    ],
)
def test_invalid_arguments_never_create_the_out_folder(article, tmp_path, extra):
    out = tmp_path / "new" / "out"
    args = ["export", str(article), "--out", str(out)]
    if "--engine" not in extra:
        args += ["--engine", "espeak"]
    run = run_cli(*args, *extra)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "error:" in run.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "new").exists()


def test_no_readable_article_creates_nothing(tmp_path):
    out = tmp_path / "out"
    run = run_cli("export", str(tmp_path / "missing.txt"), "--engine", "espeak", "--out", str(out))
    assert run.returncode != 0 and "no such file" in run.stderr
    assert not out.exists()
