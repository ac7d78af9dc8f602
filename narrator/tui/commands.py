"""Command palette entries (ctrl+p) for the main actions.

Each entry runs the same app action as its key, so the palette is a way to find
a feature (and its key), never a second implementation of it.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title shown in the palette, app action, help line)
COMMANDS: list[tuple[str, str, str]] = [
    ("Play / pause", "toggle_play", "Start, pause or resume narration of the open article (space)"),
    ("Stop", "stop", "Stop narration at once (s)"),
    ("Next sentence", "next_sentence", "Skip to the next sentence (n)"),
    ("Previous sentence", "previous_sentence", "Go back one sentence (p)"),
    ("Forward 10 seconds", "seek(10)", "Skip ahead about ten seconds (→)"),
    ("Back 10 seconds", "seek(-10)", "Go back about ten seconds (←)"),
    ("Speak faster", "speed(1)", "Raise the speaking rate by 0.1× (+)"),
    ("Speak slower", "speed(-1)", "Lower the speaking rate by 0.1× (-)"),
    ("Next paragraph", "next_paragraph", "Skip to the next paragraph (])"),
    ("Previous paragraph", "previous_paragraph", "Go back to the previous paragraph ([)"),
    ("Export audio", "export", "Write the open article to MP3/WAV/FLAC/OGG (e)"),
    ("Choose voice and speed", "choose_voice", "Engine, voice and speaking rate (v)"),
    ("Open file or URL", "open", "Narrate an article that is not in the library (o)"),
    ("Filter articles", "filter", "Type to narrow the library list (/)"),
    ("Toggle original / spoken text", "toggle_view", "Cycle spoken, original, side by side (t)"),
    ("Reload library", "reload_library", "Scan the library folder again"),
    ("Help: keys", "help", "Every key binding (?)"),
]


class NarratorCommands(Provider):
    """The main actions of the narrator app, searchable by name."""

    async def discover(self) -> Hits:
        for title, action, help_text in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    help=help_text,
                )
