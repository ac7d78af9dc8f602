"""What narrator remembers for the listener: per article, the voice, speed and place.

Why a file of its own: a listener who closes the app in the middle of a long
article expects to come back to the same sentence, in the same voice, at the
same speed. The memory is one small JSON file (`listener.json` in the data
folder, `paths.state_dir()`), rewritten whole through a temp file and a rename,
so a crash or a second app never leaves half a file. A file that cannot be read
is moved aside (`listener.json.unreadable`), never silently overwritten.

Articles are keyed by `LibraryEntry.key` (where the article came from, and its
title). Only the most recent `KEEP` articles are kept, so the file stays small.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from narrator.paths import state_dir

FILE_NAME = "listener.json"
VERSION = 1
KEEP = 500


@dataclass(frozen=True)
class Listening:
    """Where one article was left: its voice, speed, and the sentence being heard.

    `sentence` indexes the article's sentences (the unit every engine shares,
    unlike chunks); `position_s` is the time shown then, for the status line.
    """

    engine: str = "auto"
    voice: str | None = None
    speed: float = 1.0
    sentence: int = 0
    position_s: float = 0.0


class ListenerState:
    """The remembered articles, read once and written atomically on every change."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else state_dir() / FILE_NAME
        self._articles: dict[str, dict[str, object]] = {}
        self.problem: str | None = None
        """Why an existing file could not be read (it was moved aside), for a notice."""
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problem = f"could not read {self.path}: {exc.strerror or exc}"
            return
        try:
            data = json.loads(raw)
            articles = data["articles"]
            if not isinstance(articles, dict):
                raise TypeError("articles is not a table")
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            os.replace(self.path, aside)
            self.problem = f"{self.path} was unreadable ({exc}); moved to {aside.name}"
            return
        self._articles = {str(k): v for k, v in articles.items() if isinstance(v, dict)}

    def recall(self, key: str) -> Listening | None:
        """How the listener left the article `key` (None: never listened to)."""
        raw = self._articles.get(key)
        if raw is None:
            return None
        try:
            return Listening(
                engine=str(raw.get("engine") or "auto"),
                voice=str(raw["voice"]) if raw.get("voice") else None,
                speed=float(str(raw.get("speed", 1.0))),
                sentence=max(0, int(str(raw.get("sentence", 0)))),
                position_s=max(0.0, float(str(raw.get("position_s", 0.0)))),
            )
        except ValueError:
            return None  # a hand-edited entry: start that article afresh

    def remember(self, key: str, listening: Listening) -> None:
        """Keep `listening` for `key` and write the file (atomically) if it changed."""
        entry: dict[str, object] = {**asdict(listening), "updated": round(time.time(), 3)}
        old = self._articles.get(key)
        if old is not None and {k: v for k, v in old.items() if k != "updated"} == asdict(
            listening
        ):
            return
        self._articles.pop(key, None)
        self._articles[key] = entry  # most recent last
        while len(self._articles) > KEEP:
            self._articles.pop(next(iter(self._articles)))
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "articles": self._articles}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".listener-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
