"""The web player's routes: the page, what it lists, and live narration.

    GET /                         the player (static HTML/JS/CSS, package data)
    GET /api/episodes             exported episodes, with audio and VTT URLs
    GET /api/library              the article library
    GET /api/library/{id}         one article's sentences (what live narration reads)
    GET /api/live/{id}.{format}   the article narrated now, streamed as it is made
    GET /api/status               what the server runs (engine, limits, syntheses)

The library is scanned at most every few seconds (the player asks often; a
scan reads every file).
"""

from __future__ import annotations

import time
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from narrator.library import LibraryEntry, format_listen
from narrator.serve.adapters import article_id, episodes_in, library_in
from narrator.serve.encode import stream_format
from narrator.serve.files import EPISODES_PATH
from narrator.serve.responses import ApiError
from narrator.text import prepare

STATIC_DIR = Path(str(files("narrator.serve") / "static"))
LIBRARY_TTL_S = 5.0


class LibraryCache:
    """The library, rescanned when older than `ttl_s`."""

    def __init__(self, folder: Path | None, ttl_s: float = LIBRARY_TTL_S) -> None:
        self.folder = folder
        self.ttl_s = ttl_s
        self._at = -1e9
        self._entries: list[LibraryEntry] = []
        self._problems: list[str] = []

    def get(self) -> tuple[list[LibraryEntry], list[str]]:
        if time.monotonic() - self._at > self.ttl_s:
            self._entries, self._problems = library_in(self.folder)
            self._at = time.monotonic()
        return self._entries, self._problems

    def find(self, ident: str) -> LibraryEntry:
        for entry in self.get()[0]:
            if article_id(entry) == ident:
                return entry
        raise ApiError(404, f"no article {ident!r} in the library", "unknown_article")


async def index(_request: Request) -> Response:
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


async def episodes(request: Request) -> Response:
    folder = request.app.state.config.folder
    if folder is None:
        return JSONResponse({"episodes": [], "notes": []})
    found, notes = await anyio.to_thread.run_sync(episodes_in, folder)

    def url(name: str | None) -> str | None:
        return f"{EPISODES_PATH}/{quote(name)}" if name else None

    rows = [
        {
            "slug": e.slug,
            "title": e.title,
            "audio": url(e.audio),
            "type": e.mime_type,
            "duration_s": e.duration_s,
            "published": e.published,
            "vtt": url(e.vtt),
            "srt": url(e.srt),
            "chapters": url(e.chapters),
        }
        for e in found
    ]
    return JSONResponse({"episodes": rows, "notes": notes, "feed": "/feed.xml"})


async def library(request: Request) -> Response:
    cache: LibraryCache = request.app.state.library
    entries, problems = await anyio.to_thread.run_sync(cache.get)
    rows = [
        {
            "id": article_id(e),
            "title": e.title,
            "source": e.source_label,
            "date": e.date_label,
            "listen": format_listen(e.listen_s),
        }
        for e in entries
    ]
    return JSONResponse({"articles": rows, "problems": problems})


async def article(request: Request) -> Response:
    cache: LibraryCache = request.app.state.library
    entry = await anyio.to_thread.run_sync(cache.find, request.path_params["ident"])
    script = await anyio.to_thread.run_sync(
        lambda: prepare(entry.article.body or "", title=entry.article.title or "")
    )
    return JSONResponse(
        {
            "id": article_id(entry),
            "title": entry.title,
            "sentences": [s.text for s in script.sentences],
            "removed": script.removed,
        }
    )


async def live(request: Request) -> Response:
    """Narrate a library article now: audio streams as the first chunk is made."""
    cache: LibraryCache = request.app.state.library
    entry = await anyio.to_thread.run_sync(cache.find, request.path_params["ident"])
    params = request.query_params
    voice = params.get("voice") or None
    engine = params.get("engine") or None
    try:
        speed = float(params.get("speed", "1"))
    except ValueError:
        raise ApiError(400, "speed must be a number", "invalid_speed") from None
    if not 0.5 <= speed <= 2.0:
        raise ApiError(400, f"speed {speed:g} is out of range: use 0.5 to 2.0", "invalid_speed")
    stream_format(request.path_params["fmt"])  # a bad format is a 400 before any queueing
    return await request.app.state.synthesizer.stream(
        entry.article.body or "",
        title=entry.article.title or "",
        fmt=request.path_params["fmt"],
        engine=engine,
        voice=voice,
        speed=speed,
    )


async def status(request: Request) -> Response:
    synth = request.app.state.synthesizer
    config = request.app.state.config
    return JSONResponse(
        {
            "engine": synth.default.name,
            "voice": synth.default.voice,
            "folder": str(config.folder) if config.folder else None,
            "limits": {
                "concurrency": synth.admission.slots,
                "queue": synth.admission.queue,
                "timeout_s": config.timeout_s,
                "max_input_chars": config.max_input_chars,
            },
            "synthesis": synth.stats.as_dict() | {"waiting": synth.admission.waiting},
        }
    )


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/api/episodes", episodes, methods=["GET"]),
    Route("/api/library", library, methods=["GET"]),
    Route("/api/library/{ident}", article, methods=["GET"]),
    Route("/api/live/{ident}.{fmt}", live, methods=["GET"]),
    Route("/api/status", status, methods=["GET"]),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]
