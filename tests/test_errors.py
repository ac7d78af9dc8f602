"""One-line errors: the first line of any exception, never blank, never an IndexError."""

from __future__ import annotations

import numpy as np
import pytest

from narrator.errors import EngineError, one_line
from narrator.urls import is_url


def test_first_line_of_a_multiline_error() -> None:
    exc = RuntimeError("\n  [ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION\nstack line 1\nstack line 2")
    assert one_line(exc) == "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION"


@pytest.mark.parametrize("message", ["", "   ", "\n\n"])
def test_an_empty_message_gives_the_type_name(message: str) -> None:
    assert one_line(ValueError(message)) == "ValueError"
    assert one_line(OSError(message)) == "OSError"
    assert one_line(message) == ""  # text has no type to fall back on


def test_a_long_line_is_cut_with_an_ellipsis() -> None:
    line = one_line(ValueError("x" * 500))
    assert len(line) == 160 and line.endswith("…")
    assert one_line("short", limit=3) == "sh…"


def test_kokoro_failure_with_an_empty_message_is_one_line(monkeypatch) -> None:
    """ONNX Runtime raising with no message used to end in IndexError from splitlines()[0]."""
    from narrator.engines import kokoro_assets
    from narrator.engines.kokoro import KokoroEngine

    if not kokoro_assets.is_present():
        pytest.skip("Kokoro is not installed on this machine")

    class Failing:
        def run(self, *_args: object) -> list[np.ndarray]:
            raise RuntimeError()

    engine = KokoroEngine()
    engine._session = Failing()
    with pytest.raises(EngineError) as info:
        engine.synthesize("आज बारिश हुई।")
    assert str(info.value) == "Kokoro failed: RuntimeError"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.bbc.com/hindi/articles/c1", True),
        ("HTTP://example.com/feed.xml", True),
        ("http:/broken", False),
        ("ftp://example.com/a.txt", False),
        ("news/2025/http-article.txt", False),
        ("-", False),
        ("", False),
    ],
)
def test_one_rule_for_what_is_a_url(text: str, expected: bool) -> None:
    assert is_url(text) is expected


def test_every_path_or_url_argument_uses_that_rule() -> None:
    """Loading, export, the TUI's open dialog, the library and the feed ask the same function."""
    from narrator import articles, library, podcast
    from narrator.export import batch, job
    from narrator.tui.screens import open_dialog

    for module in (articles, library, podcast, batch, job, open_dialog):
        used = getattr(module, "is_url", None) or module._is_url
        assert used is is_url, module
