"""Hosting the export folder: episodes, subtitles, chapters and the podcast feed.

Files are served by Starlette's StaticFiles, which already does what podcast
apps and browsers need: Range requests (206 with the asked bytes, 416 outside
the file), ETag and Last-Modified, 304 on If-None-Match / If-Modified-Since,
and refusing paths that resolve outside the folder, symlinks included
(`follow_symlink=False` compares real paths). On top of that only what an
export writes is served (audio, subtitles, chapters, sidecars, the feed), with
MIME types from one table, and never a hidden or temporary file.

The feed is built on each request with the server's own URL (or `--base-url`),
so a phone that reached the server at http://192.168.1.5:8000 gets enclosure
URLs it can fetch.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from narrator.audio.files import MIME_TYPES
from narrator.errors import InputError
from narrator.serve.adapters import feed_bytes
from narrator.serve.responses import ApiError

EPISODES_PATH = "/episodes"

#: what an export folder holds -> MIME type (audio from narrator.audio.files)
SERVED_TYPES: dict[str, str] = {
    **{f".{fmt}": mime for fmt, mime in MIME_TYPES.items()},
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    # the podcast's artwork, which `narrator feed --image` puts beside the episodes
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


class EpisodeFiles(StaticFiles):
    """StaticFiles limited to an export's own files, with narrator's MIME types."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        parts = Path(path).parts
        if not parts or any(p.startswith(".") for p in parts):
            return "", None  # hidden and temp files (`.name.pid-xxxx.tmp`) never leave
        if Path(path).suffix.lower() not in SERVED_TYPES:
            return "", None
        return super().lookup_path(path)

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
        status_code: int = 200,
    ) -> Response:  # fmt: skip
        response = super().file_response(full_path, stat_result, scope, status_code)
        mime = SERVED_TYPES.get(Path(full_path).suffix.lower())
        if mime and response.status_code != 304:
            response.headers["content-type"] = mime
            response.media_type = mime
        return response


def episodes_base_url(request: Request) -> str:
    """Where the episodes are published: `--base-url`, else this server's own URL."""
    configured = request.app.state.config.base_url
    if configured:
        return configured.rstrip("/")
    return str(request.base_url).rstrip("/") + EPISODES_PATH


async def feed(request: Request) -> Response:
    """The RSS feed of the export folder, enclosures pointing at this server."""
    folder = request.app.state.config.folder
    if folder is None:
        raise ApiError(404, "no export folder is served: start with `narrator serve DIR`")
    try:
        body = await anyio.to_thread.run_sync(feed_bytes, folder, episodes_base_url(request))
    except InputError as exc:
        raise ApiError(404, str(exc)) from None
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    match = Headers(scope=request.scope).get("if-none-match", "")
    if etag in [t.strip().removeprefix("W/") for t in match.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=SERVED_TYPES[".xml"], headers=headers)
