"""The terminal app driven by Textual's Pilot, as a listener would use it.

Real parts throughout: the real text pipeline, the real eSpeak NG voice, the
real streaming narrator playing into a real-time NullSink (4x speed), the real
exporter writing a file that is read back with soundfile.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import soundfile as sf
from textual.color import Color
from textual.widgets import RadioButton

from narrator.engines.registry import EngineChoice
from narrator.errors import DeviceError
from narrator.listener_state import FILE_NAME, ListenerState
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
        spoken = app.preview.spoken.passages
        assert [p.text for p in spoken] == [c.text for c in script.chunks]
        # The spoken text is normalized: no digit or % left; the original keeps them.
        assert not any(ch.isdigit() or ch == "%" for ch in script.spoken_text)
        assert "2%" in script.cleaned
        assert app.query_one("#spoken").display and not app.query_one("#original").display
        await pilot.press("t")
        assert app.preview.mode == "original"
        assert app.query_one("#original").display and not app.query_one("#spoken").display
        originals = [p.text for p in app.preview.original.passages if p.kind == "sentence"]
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
        removed = [p.text for p in app.preview.original.passages if p.kind == "removed"]
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
        assert app.preview.spoken.mark.index == app.preview.speaking
        # Read-along moves on to the next sentence as the audio does.
        await wait_for(pilot, lambda: min(app.preview.speaking_sentences) > max(first_sentences))
        assert app.transport.position_s > 0

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
        assert app.preview.spoken.mark is None and app.preview.original.mark is None


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
        rows = pane.passage_rows(app.preview.speaking)
        assert pane.scroll_y > 0
        assert rows.start in pane.visible_rows() and rows.stop - 1 in pane.visible_rows()
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
        assert "PulseAudio" in warnings[0] and "-o out.mp3" not in warnings[0]  # the fix, here
        assert app.transport.state != "playing"
        await pilot.press("space")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.press("space")
        await pilot.press("escape")
        assert len([n for n in notes(app) if "no sound device" in n]) == 1  # said once


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


# -- the listener is remembered ------------------------------------------------------------


async def test_voice_speed_and_place_are_remembered_per_article(tui_library, _isolated_listener_state):
    app = make_app(tui_library, state=ListenerState(_isolated_listener_state / FILE_NAME))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        first = app.preview.entry
        await pilot.press("plus", "plus")  # not playing: the speed changes at once
        assert app.session.settings.speed == 1.2
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: (app.preview.speaking_sentences or [0])[0] >= 3)
        left_at = app.preview.speaking_sentences[0]
        await pilot.press("q")
    assert app.return_code == 0

    saved = json.loads((_isolated_listener_state / FILE_NAME).read_text(encoding="utf-8"))
    remembered = saved["articles"][first.key]
    assert remembered["speed"] == 1.2 and remembered["sentence"] >= left_at

    # Started again with other command-line settings, the article opens where it was left.
    again = make_app(tui_library, voice="hi-male")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot, again)
        settings = again.session.settings
        assert (settings.engine, settings.voice, settings.speed) == ("espeak", "hi-female", 1.2)
        sentence = remembered["sentence"]
        assert again.preview.speaking_sentences == [sentence]  # marked before playing
        assert again.transport.position_s > 0
        await pilot.press("space")
        await wait_for(pilot, lambda: again.preview.mark == "speaking")
        script = again.session.play_script
        heard = script.chunks[again.preview.speaking]
        assert heard.source_start <= script.sentences[sentence].start < heard.source_end
        assert again.session.narrator.engine.speed == 1.2
        await pilot.press("s")


async def test_status_bar_and_picker_name_the_real_default_voice(tui_library):
    app = make_app(
        tui_library, engine=None, voice=None, describe_voice=lambda s: "auto → espeak · hi-female"
    )
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await wait_for(pilot, lambda: "auto → espeak · hi-female" in status(app))
        await pilot.press("v")
        picker = app.screen.query_one(VoicePicker)
        await wait_for(pilot, lambda: len(picker.voices) > 1)
        first = str(picker.query_one("#voices").get_option_at_index(0).prompt)
        assert first.startswith("✓ auto → espeak · hi-female")


def status(app: NarratorApp) -> str:
    return str(app.query_one("#status").render())


async def test_speed_keys_during_playback_go_on_at_the_new_speed(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.transport.state == "playing")
        old = app.session.narrator
        await pilot.press("minus", "minus", "minus")
        assert "0.7×" in status(app)
        await wait_for(pilot, lambda: app.session.narrator not in (None, old))
        await wait_for(pilot, lambda: app.transport.state == "playing")
        assert app.session.narrator.engine.speed == 0.7
        await pilot.press("s")


async def test_seek_ten_seconds_moves_the_clock_at_once_and_stays_right(tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    paragraphs = [f"यह अनुच्छेद संख्या {n} का पहला वाक्य है। और यह दूसरा।" for n in range(1, 30)]
    (folder / "long.txt").write_text("एक लंबा लेख\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    app = make_app(folder, sink_factory=null_sink_factory(1.0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.transport.state == "playing" and app.transport.position_s > 0.3)
        before = app.transport.position_s
        chunk_before = app.preview.speaking
        level = app.query_one("#level")
        app.action_seek(10)  # what → does, run here so nothing else happens in between
        assert app.transport.position_s >= before + 5  # the clock moved with the key
        assert max(level.readings) == 0  # the old audio's level is gone
        await wait_for(pilot, lambda: (app.preview.speaking or 0) > (chunk_before or 0))
        await wait_for(pilot, lambda: max(level.readings) > 0)  # the new audio's level
        after = app.transport.position_s
        assert after >= before + 5
        await pilot.press("left")
        assert app.transport.position_s < after
        await pilot.pause(0.5)
        assert abs(app.transport.position_s - app.session.narrator.position_s) < 1.0
        await pilot.press("s")


# -- never freezes -------------------------------------------------------------------------


def big_article(folder: Path, size_bytes: int = 150_000) -> Path:
    """A Hindi article of about `size_bytes` UTF-8 bytes, paragraphs numbered apart."""
    parts = [text.split("\n", 1)[1] for text in ARTICLES.values()]
    paragraphs, n = [], 0
    while len("\n\n".join(paragraphs).encode()) < size_bytes:
        n += 1
        paragraphs.append(f"अनुच्छेद {n}: " + parts[n % len(parts)].strip().replace("\n\n", " "))
    path = folder / "big.txt"
    path.write_text("एक बहुत लंबा लेख\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


async def prepare_while_watching(pilot, app: NarratorApp, name: str) -> list[float]:
    """Choose article `name` and return the gaps between UI heartbeats until it shows."""
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = app.set_interval(0.02, beat)
    index = next(i for i, e in enumerate(app.articles.shown) if e.path.name == name)
    app.articles.option_list.highlighted = index
    await pilot.press("enter")
    await pilot.press("t")  # keys work while it is being prepared
    assert app.preview.mode == "original"
    await wait_for(pilot, lambda: app.preview.entry.path.name == name, timeout=120)
    await pilot.pause(0.2)
    timer.stop()
    return gaps


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda folder: big_article(folder), id="150KB"),
        pytest.param(
            lambda folder: (folder / "line.txt").write_text(
                "बिना रुके\n\n" + "क" * 40_000 + "\n", encoding="utf-8"
            ),
            id="long-line-without-spaces",
        ),
    ],
)
async def test_a_huge_article_is_prepared_without_freezing(tui_library, make):
    make(tui_library)
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        name = "big.txt" if (tui_library / "big.txt").exists() else "line.txt"
        gaps = await prepare_while_watching(pilot, app, name)
        assert max(gaps) < 1.0, f"the UI stalled {max(gaps):.2f} s"
        script = app.preview.script
        assert [p.text for p in app.preview.spoken.passages] == [c.text for c in script.chunks]
        started = time.perf_counter()
        await pilot.press("q")
    assert time.perf_counter() - started < 1.0


async def test_preparing_shows_progress(tui_library):
    big_article(tui_library, 300_000)
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        shown: list[tuple[bool, str]] = []
        show_preparing = app.preview.show_preparing

        def watch(title: str, chars: int) -> None:  # what the screen says while it works
            show_preparing(title, chars)
            progress = app.query_one("#preview-progress")
            shown.append((progress.display, str(app.query_one("#preview-meta").render())))

        app.preview.show_preparing = watch
        index = next(i for i, e in enumerate(app.articles.shown) if e.path.name == "big.txt")
        app.articles.option_list.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.preview.entry.path.name == "big.txt", timeout=120)
        assert shown and shown[-1][0] and "preparing" in shown[-1][1] and "k chars" in shown[-1][1]
        assert not app.query_one("#preview-progress").display


# -- notices ---------------------------------------------------------------------------------


def toast_texts(app: NarratorApp) -> list[str]:
    """What each notification on screen shows, its wrapped lines joined back."""
    from textual.widgets._toast import Toast

    texts = []
    for toast in app.screen.query(Toast):
        lines = [strip.text.strip(" ▌") for strip in toast.render_lines(toast.region.reset_offset)]
        texts.append("".join(line for line in lines if line))
    return texts


async def test_a_long_notice_is_shown_whole(tui_library, tmp_path):
    deep = tmp_path / "एक-बहुत-लंबा-फ़ोल्डर-नाम" / ("subfolder-" * 6) / "[exports]"
    app = make_app(tui_library, export_dir=deep)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        await pilot.press("enter")  # Enter in the export dialog exports
        await wait_for(pilot, lambda: any(n.startswith("exported") for n in notes(app)))
        await pilot.pause(0.3)
        [path] = [p for p in deep.glob("*.mp3")]
        assert len(str(path)) > 80
        assert any(str(path) in text for text in toast_texts(app))


async def test_enter_in_the_export_dialog_exports_the_format_under_the_cursor(tui_library, tmp_path):
    out = tmp_path / "out"
    app = make_app(tui_library, export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.chosen_format() == "mp3"
        await pilot.press("right", "right")  # the cursor is the choice: FLAC
        assert dialog.chosen_format() == "flac"
        await pilot.press("enter")
        assert not isinstance(app.screen, ExportDialog)
        await wait_for(pilot, lambda: any(n.startswith("exported") for n in notes(app)))
        assert [p.suffix for p in out.glob("*.flac")] == [".flac"]


# -- read-along follows the sentence ---------------------------------------------------------


async def test_read_along_marks_the_sentence_not_the_whole_chunk(tui_library):
    from narrator.engines.speedlog import record_rtf

    record_rtf("espeak", 0.002)  # a voice measured fast: whole sentences after the first chunk
    app = make_app(tui_library, sink_factory=null_sink_factory(2.0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.preview.entry.path.name == "b-market.txt")
        await pilot.press("space")
        # the script spoken (chunks planned for the voice), which the preview then shows
        await wait_for(pilot, lambda: app.session.play_script is not None)
        script = app.session.play_script
        assert app.preview.script is script
        # the market article joins two sentences into one chunk
        joined = next(c for c in script.chunks if c.text.count("।") >= 2)
        await wait_for(pilot, lambda: app.preview.speaking == joined.index)
        first = app.preview.marked_text()
        assert first and len(first) < len(joined.text) and joined.text.startswith(first)
        assert first.rstrip().endswith("।")
        sentence = app.preview.speaking_sentences[0]
        assert app.preview.original.mark.index == sentence  # one sentence in the original
        # ...and the mark moves to the second sentence while the same chunk plays on
        await wait_for(pilot, lambda: app.preview.speaking_sentences[0] == sentence + 1
                       or app.preview.speaking != joined.index)
        assert app.preview.speaking == joined.index
        second = app.preview.marked_text()
        assert joined.text.rstrip().endswith(second.strip()) and second.strip() != first.strip()
        await pilot.press("s")


async def test_read_along_colour_is_not_the_warning_colour(tui_library):
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        warning = app.query_one("#preview-warning")
        assert warning.display
        await pilot.press("space")
        await wait_for(pilot, lambda: app.preview.speaking is not None)
        view = app.preview.spoken
        row = view.passage_rows(app.preview.speaking).start - round(view.scroll_offset.y)
        strip = view.render_line(row)
        marked = [seg for seg in strip if seg.text.strip() and seg.style and seg.style.bold]
        assert marked, "the sentence being heard is drawn bold on its own background"
        highlight = Color.from_rich_color(marked[0].style.bgcolor).hsl.h
        banner = Color.from_rich_color(warning.rich_style.bgcolor).hsl.h
        hue_apart = min(abs(highlight - banner), 1 - abs(highlight - banner))
        assert hue_apart > 0.2, "read-along and the warning banner look alike"
        await pilot.press("s")


async def test_only_articles_listened_to_are_remembered_and_the_end_means_start_over(
    tui_library, _isolated_listener_state
):
    path = _isolated_listener_state / FILE_NAME
    app = make_app(tui_library, sink_factory=null_sink_factory(8.0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("down", "enter")  # look at the market article, do not play it
        await wait_for(pilot, lambda: app.preview.entry.path.name == "b-market.txt")
        await pilot.press("down", "enter")  # the cricket article: play it to the end
        await wait_for(pilot, lambda: app.preview.entry.path.name == "c-cricket.txt")
        cricket = app.preview.entry.key
        await pilot.press("space")
        await wait_for(pilot, lambda: app.transport.state == "finished")
        await pilot.press("q")
    saved = json.loads(path.read_text(encoding="utf-8"))["articles"]
    assert list(saved) == [cricket]
    assert saved[cricket]["sentence"] == 0 and saved[cricket]["position_s"] == 0.0
