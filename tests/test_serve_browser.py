"""The web player in a real headless browser: Debian's chromium driven by
Playwright for Python (`executable_path`; Playwright's own browser download is
not used). A real uvicorn server on 127.0.0.1 serves eSpeak episodes; the test
plays one, watches the read-along highlight move, clicks a later sentence and
checks that playback jumps there; then it narrates a library article live."""

from __future__ import annotations

import shutil

import pytest

from tests.serve_support import espeak_app, running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/apt-ensure.sh chromium)"
)

BROWSER_ARGS = [
    "--autoplay-policy=no-user-gesture-required",
    "--no-sandbox",  # tests run as root in CI containers
    "--mute-audio",
]


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _state(page) -> dict:
    return page.evaluate(
        """() => {
            const audio = document.getElementById('audio');
            const items = [...document.querySelectorAll('#transcript li')];
            const current = items.findIndex((li) => li.classList.contains('current'));
            return {time: audio.currentTime, paused: audio.paused, current,
                    starts: items.map((li) => Number(li.dataset.start)),
                    error: audio.error && audio.error.code};
        }"""
    )


def test_read_along_follows_playback_and_a_click_seeks(espeak_episodes, browser, hindi_articles):
    _, folder = espeak_episodes
    app = espeak_app(folder, library=hindi_articles)
    with running(app) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(url + "/")
        page.wait_for_selector("#episodes button", timeout=10_000)
        page.click("#episodes li:first-child button")
        page.wait_for_function(
            "document.querySelectorAll('#transcript li[data-start]').length > 2", timeout=10_000
        )
        page.wait_for_function(
            "() => { const a = document.getElementById('audio'); return a.currentTime > 0.2; }",
            timeout=15_000,
        )
        first = _state(page)
        assert first["error"] is None and not first["paused"]
        assert first["current"] == 0
        # the highlight moves on to the next sentence as the audio plays
        page.wait_for_function(
            "document.querySelector('#transcript li.current') !== "
            "document.querySelector('#transcript li:first-child')",
            timeout=20_000,
        )
        moved = _state(page)
        assert moved["current"] >= 1
        assert moved["starts"][moved["current"]] <= moved["time"] + 0.05

        # clicking a later sentence seeks there and keeps playing
        target = len(moved["starts"]) - 2
        page.click(f"#transcript li:nth-child({target + 1})")
        page.wait_for_timeout(600)
        jumped = _state(page)
        start = jumped["starts"][target]
        assert start > moved["time"] + 1.0
        assert start - 0.05 <= jumped["time"] <= start + 2.0
        assert jumped["current"] == target and not jumped["paused"]

        # speed control changes the playback rate
        page.select_option("#speed", "1.5")
        assert page.evaluate("document.getElementById('audio').playbackRate") == 1.5


def test_live_narration_plays_in_the_browser(browser, hindi_articles):
    """With an API key too: the page opened with ?key= passes it on to every request."""
    app = espeak_app(library=hindi_articles, api_key="phone-key-1")
    with running(app) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url + "/?key=phone-key-1")
        page.wait_for_selector("#articles button", timeout=10_000)
        page.click("#articles li:first-child button")
        page.wait_for_function(
            "document.getElementById('audio').currentTime > 1.0", timeout=20_000
        )
        state = _state(page)
        assert state["error"] is None and not state["paused"]
        assert page.locator("#transcript li").count() >= 3  # the article's sentences
        assert "पहली आवाज़" in page.inner_text("#status")
