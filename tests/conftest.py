"""Shared test set-up: user folders go to a temp dir; fixture modules are plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

# Fixture modules contributed per area (tests/fixtures/*.py).
pytest_plugins: list[str] = ["tests.fixtures.coqui_models", "tests.fixtures.export", "tests.fixtures.tui"]

SHARED_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Cache, config and library go to temp folders; model data stays the real one."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("NARRATOR_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("NARRATOR_LIBRARY_DIR", str(base / "library"))


@pytest.fixture(scope="session")
def shared_articles() -> list[Path]:
    """The real scraped articles in ../shared/articles (tests only, never shipped)."""
    paths = sorted(SHARED_ARTICLES.glob("*.txt"))
    if not paths:
        pytest.skip("../shared/articles is not beside this checkout")
    return paths
