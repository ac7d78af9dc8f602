"""Snapshots of the main screens at 80x24 (the smallest terminal we promise).

Deterministic by construction: a fixed library written by the test, no clock in
the header, nothing playing, a fixed voice list for the picker (eSpeak's real
voices plus one voice that is not installed), a fixed answer for what `auto`
means, and the wcwidth cell widths (the default in tmux, xterm, GNOME Terminal). Update after an intended
change with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at
the SVGs.
"""

from __future__ import annotations

from narrator.engines.base import VoiceInfo
from narrator.engines.espeak import EspeakEngine
from narrator.tui.app import NarratorApp
from narrator.tui.voice_settings import VoiceSettings
from narrator.tui.widgets.voice_picker import VoicePicker
from tests.fixtures.tui import null_sink_factory, wait_for

SIZE = (80, 24)


def fixed_voices() -> list[VoiceInfo]:
    return [
        *EspeakEngine.list_voices(),
        VoiceInfo(
            name="default",
            engine="xtts",
            description="Coqui XTTS-v2, cloned Hindi voice",
            licence="CPML (non-commercial)",
            ready=False,
            pull_hint="narrator models pull xtts",
        ),
    ]


def fixed_description(settings: VoiceSettings) -> str:
    """What `auto` means, fixed (the real answer depends on the voices installed here)."""
    body = f"{settings.engine} · {settings.voice or 'hi-female'} · {settings.speed:.1f}×"
    return "auto → espeak · hi-female · 1.0×" if settings.engine == "auto" else body


def make_app(library) -> NarratorApp:
    return NarratorApp(
        library=library,
        engine="espeak",
        voice="hi-female",
        sink_factory=null_sink_factory(),
        voices=fixed_voices,
        describe_voice=fixed_description,
        export_dir="audio_out",
        cell_width_policy="wcwidth",
    )


async def until_previewed(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.preview.script is not None)
    await pilot.pause()


def test_library_and_preview(snap_compare, tui_library):
    assert snap_compare(make_app(tui_library), terminal_size=SIZE, run_before=until_previewed)


def test_preview_side_by_side(snap_compare, tui_library):
    async def both(pilot) -> None:
        await until_previewed(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: pilot.app.preview.entry.path.name == "b-market.txt")
        await pilot.press("t", "t")

    assert snap_compare(make_app(tui_library), terminal_size=SIZE, run_before=both)


def test_voice_picker(snap_compare, tui_library):
    async def picker(pilot) -> None:
        await until_previewed(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: len(pilot.app.screen.query_one(VoicePicker).voices) > 1)
        await pilot.pause()

    assert snap_compare(make_app(tui_library), terminal_size=SIZE, run_before=picker)


def test_help(snap_compare, tui_library):
    async def help_screen(pilot) -> None:
        await until_previewed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(tui_library), terminal_size=SIZE, run_before=help_screen)


def test_export_dialog(snap_compare, tui_library):
    async def export(pilot) -> None:
        await until_previewed(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(tui_library), terminal_size=SIZE, run_before=export)
