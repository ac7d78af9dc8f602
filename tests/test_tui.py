"""The terminal app driven by Textual's Pilot, as a listener would use it.

Real parts throughout: the real text pipeline, the real eSpeak NG voice, the
real streaming narrator playing into a real-time NullSink (4x speed), the real
exporter writing a file that is read back with soundfile.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf
from textual.widgets import RadioButton

from narrator.engines.registry import EngineChoice
from narrator.errors import DeviceError
from narrator.tui.app import NarratorApp
from narrator.tui.screens.export_dialog import ExportDialog
from narrator.tui.screens.help import HelpScreen
from narrator.tui.screens.voice_dialog import VoiceDialog
from narrator.tui.widgets.article_list import ArticleList
from narrator.tui.widgets.voice_picker import VoicePicker
from tests.fixtures.tui import ARTICLES, null_sink_factory, wait_for

pytestmark = pytest.mark.asyncio

SIZE = (100, 30)


def make_app(library: Path, **kwargs) -> NarratorApp:
    kwargs.setdefault("engine", "espeak")
    kwargs.setdefault("voice", "hi-female")
    kwargs.setdefault("sink_factory", null_sink_factory(4.0))
    return NarratorApp(library=library, **kwargs)


async def ready(pilot, app: NarratorApp) -> None:
    """Wait until the library is listed and the first article is in the preview."""
    await wait_for(pilot, lambda: app.preview.script is not None)


def notes(app: NarratorApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


# -- library and preview -----------------------------------------------------------------


async def test_library_lists_articles_with_length_and_listening_time(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        articles = app.query_one(ArticleList)
        assert [e.path.name for e in articles.shown] == sorted(ARTICLES)
        first = str(articles.option_list.get_option_at_index(0).prompt)
        assert "मानसून की पहली बारिश" in first
        assert "a-monsoon.txt" in first and "chars" in first and "min" in first


async def test_typing_in_the_filter_narrows_the_list(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        articles = app.query_one(ArticleList)
        await pilot.press("slash")
        assert articles.filter_input.has_focus
        await pilot.press(*"market")
        assert [e.path.name for e in articles.shown] == ["b-market.txt"]
        assert articles.border_subtitle == "1/3"
        await pilot.press("escape")
        assert len(articles.shown) == 3
        assert articles.option_list.has_focus


async def test_choosing_an_article_previews_spoken_and_original_text(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.preview.entry.path.name == "b-market.txt")
        script = app.preview.script
        spoken = app.preview.query(".chunk")
        assert [str(line.render()) for line in spoken] == [c.text for c in script.chunks]
        # The spoken text is normalized: no digit or % left; the original keeps them.
        assert not any(ch.isdigit() or ch == "%" for ch in script.spoken_text)
        assert "2%" in script.cleaned
        assert app.query_one("#spoken").display and not app.query_one("#original").display
        await pilot.press("t")
        assert app.preview.mode == "original"
        assert app.query_one("#original").display and not app.query_one("#spoken").display
        originals = [str(line.render()) for line in app.preview.query(".sentence")]
        assert any("2%" in text for text in originals)
        await pilot.press("t")
        assert app.query_one("#original").display and app.query_one("#spoken").display


async def test_preview_warns_about_removed_boilerplate(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        assert app.preview.entry.path.name == "a-monsoon.txt"
        warning = app.query_one("#preview-warning")
        assert warning.display
        assert "removed" in str(warning.render())
        assert "यह भी पढ़ें" not in app.preview.script.spoken_text
        removed = [str(w.render()) for w in app.preview.query(".removed")]
        assert any("यह भी पढ़ें" in text for text in removed)


async def test_unreadable_file_in_the_library_is_a_notification_not_a_crash(tui_library):
    (tui_library / "broken.txt").write_bytes(b"")
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        assert any("broken.txt" in note for note in notes(app))
        assert len(app.query_one(ArticleList).entries) == 3


# -- playback with read-along -----------------------------------------------------------


async def test_play_highlights_sentences_in_turn_then_pause_and_stop(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        first_sentences = app.preview.speaking_sentences
        assert app.transport.state == "playing"
        line = app.preview.query(".chunk")[app.preview.speaking]
        assert line.has_class("-speaking")
        # Read-along moves on to the next sentence as the audio does.
        await wait_for(pilot, lambda: min(app.preview.speaking_sentences) > max(first_sentences))
        assert app.transport.position_s > 0
        assert not line.has_class("-speaking")

        await pilot.press("space")
        await wait_for(pilot, lambda: app.transport.state == "paused")
        await pilot.pause(0.2)
        held = app.session.narrator.position_s
        await pilot.pause(0.5)
        assert app.session.narrator.position_s == pytest.approx(held, abs=1e-6)

        await pilot.press("space")
        await wait_for(pilot, lambda: app.transport.state == "playing")
        await pilot.press("s")
        assert app.transport.state == "stopped"
        assert app.session.narrator is None
        assert app.preview.speaking is None
        assert not app.preview.query(".-speaking")


async def test_next_sentence_key_skips_ahead(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        start = app.session.sentence
        await pilot.press("n")
        await wait_for(pilot, lambda: (app.session.sentence or 0) > start)
        await pilot.press("s")


async def test_read_along_keeps_the_spoken_sentence_in_view(tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    paragraphs = [f"यह अनुच्छेद संख्या {n} का पहला वाक्य है। और यह दूसरा।" for n in range(1, 16)]
    (folder / "long.txt").write_text(
        "एक लंबा लेख\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        pane = app.query_one("#spoken")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        for _ in range(10):  # ] jumps a paragraph ahead
            await pilot.press("right_square_bracket")
            await pilot.pause(0.05)
        await wait_for(pilot, lambda: (app.preview.speaking or 0) >= 8)
        await pilot.pause(0.1)
        line = app.preview.query(".chunk")[app.preview.speaking]
        assert pane.scroll_y > 0
        assert pane.region.contains_region(line.region)
        await pilot.press("left_square_bracket")
        await pilot.press("s")


async def test_no_sound_device_says_so_once_and_offers_export(tui_library):
    def no_device(sample_rate: int):
        raise DeviceError("no sound device found; write to a file with -o out.mp3")

    app = make_app(tui_library, sink_factory=no_device)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.no_sound_device)
        warnings = [n for n in notes(app) if "no sound device" in n]
        assert len(warnings) == 1 and "export" in warnings[0]
        assert app.transport.state != "playing"
        await pilot.press("space")
        assert isinstance(app.screen, ExportDialog)


# -- export -----------------------------------------------------------------------------


async def test_export_from_the_ui_writes_an_audio_file(tui_library, tmp_path):
    out = tmp_path / "out"
    app = make_app(tui_library, export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.click(app.screen.query(RadioButton)[1])  # WAV
        assert app.screen.chosen_format() == "wav"
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: any(n.startswith("exported") for n in notes(app)))
        files = sorted(out.glob("*.wav"))
        assert len(files) == 1
        assert str(files[0]) in " ".join(notes(app))
        audio, rate = sf.read(files[0])
        assert rate > 0 and len(audio) / rate > 3.0
        assert abs(audio).max() > 0.01


# -- voices -----------------------------------------------------------------------------


async def test_voice_that_is_not_ready_shows_the_pull_command(tui_library, tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_DATA_DIR", str(tmp_path / "no-models"))
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("v")
        assert isinstance(app.screen, VoiceDialog)
        picker = app.screen.query_one(VoicePicker)
        await wait_for(pilot, lambda: len(picker.voices) > 1, timeout=60)
        missing = [i for i, v in enumerate(picker.voices) if not v.ready]
        if not missing:
            pytest.skip("every voice is installed here")
        voice = picker.voices[missing[0]]
        picker.query_one("#voices").highlighted = missing[0]
        await pilot.press("enter")
        assert isinstance(app.screen, VoiceDialog)  # still choosing
        assert any("narrator models pull" in n and voice.engine in n for n in notes(app))
        await pilot.press("escape")
        assert app.session.settings.engine == "espeak"


async def test_choosing_a_voice_while_playing_goes_on_in_the_new_voice(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        old = app.session.narrator
        await pilot.press("v")
        picker = app.screen.query_one(VoicePicker)
        await wait_for(pilot, lambda: len(picker.voices) > 1, timeout=60)
        await pilot.press("e")  # a letter in a dialog never stacks another dialog
        assert isinstance(app.screen, VoiceDialog)
        male = next(i for i, v in enumerate(picker.voices) if v.name == "hi-male")
        picker.query_one("#voices").highlighted = male
        await pilot.press("plus", "plus")
        await pilot.press("enter")
        assert not isinstance(app.screen, VoiceDialog)
        settings = app.session.settings
        assert (settings.engine, settings.voice, settings.speed) == ("espeak", "hi-male", 1.2)
        await wait_for(pilot, lambda: app.session.narrator not in (None, old))
        engine = app.session.narrator.engine
        assert (engine.voice, engine.speed) == ("hi-male", 1.2)
        await wait_for(pilot, lambda: app.transport.state == "playing")
        assert "hi-male" in str(app.query_one("#status").render())
        await pilot.press("s")


# -- dialogs and help -------------------------------------------------------------------


async def test_open_dialog_opens_a_file_outside_the_library(tui_library, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(ARTICLES["c-cricket.txt"], encoding="utf-8")
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("o")
        field = app.screen.query_one("#open-source")
        field.value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        assert "no such file" in str(app.screen.query_one("#open-hint").render())
        field.value = str(outside)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.preview.entry.path == outside)
        assert "भारत ने रोमांचक मुकाबले" in app.preview.entry.title


async def test_help_screen_lists_every_binding(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {key.strip() for _, key, _ in app.screen.rows}
        for expected in ["space", "s", "n", "p", "[", "]", "e", "v", "o", "/", "t", "?", "q"]:
            assert expected in keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_export(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))


async def test_engine_failure_is_a_notification(tui_library):
    from narrator.errors import ModelMissingError

    def missing(settings, purpose) -> EngineChoice:
        raise ModelMissingError("xtts needs its weights: run narrator models pull xtts")

    app = make_app(tui_library, engine_factory=missing)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: any("models pull xtts" in n for n in notes(app)))
        assert app.transport.state == "idle"
        assert app.is_running
