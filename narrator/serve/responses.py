"""Errors as one-line JSON, and the streaming response that stops its synthesis.

Errors use the shape OpenAI's API uses, so its clients show the message:
`{"error": {"message": "...", "type": "invalid_request_error", "code": "unknown_voice"}}`.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from narrator.errors import EngineError, NarratorError, one_line

_TYPES = {401: "authentication_error", 429: "rate_limit_error"}
_CODES = {
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "input_too_large",
    429: "too_many_requests",
    503: "server_busy",
}


class ApiError(Exception):
    """A request the server refuses, with the HTTP status and a one-line reason."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "invalid_request")
        self.headers = dict(headers or {})


def error_response(
    status: int, message: str, code: str = "", headers: Mapping[str, str] | None = None
) -> JSONResponse:
    kind = _TYPES.get(status, "invalid_request_error" if status < 500 else "server_error")
    first_line = one_line(message) or "error"
    body = {"error": {"message": first_line, "type": kind, "code": code or _CODES.get(status, "")}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


async def on_api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.code, exc.headers)


async def on_http_exception(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def on_narrator_error(_request: Request, exc: Exception) -> Response:
    """A user-fixable problem (bad voice, bad speed, nothing to speak): 400."""
    return error_response(400, str(exc), "invalid_request")


async def on_engine_error(_request: Request, exc: Exception) -> Response:
    """The engine failed before any audio was sent: the server's fault, 500."""
    return error_response(500, str(exc), "synthesis_failed")


EXCEPTION_HANDLERS = {
    ApiError: on_api_error,
    EngineError: on_engine_error,
    HTTPException: on_http_exception,
    NarratorError: on_narrator_error,
}


class StreamAborted(Exception):
    """Synthesis failed after audio was sent: end the response without its last
    chunk, so the client sees a broken transfer instead of a clean, short file."""


class SynthesisResponse(StreamingResponse):
    """Streams audio while a disconnect listener runs beside it.

    When the client goes away, `stop` is set (the producer stops within one
    chunk) and the body is closed; `on_close` then runs once, however the
    stream ended (it waits for the synthesis thread and frees the slot).
    """

    def __init__(
        self,
        content: AsyncIterator[bytes],
        *,
        stop: threading.Event,
        media_type: str,
        headers: Mapping[str, str] | None = None,
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._body = content
        self.stop = stop
        self.on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def stream() -> None:
                    try:
                        await self.stream_response(send)
                    except OSError:  # the socket closed under a write
                        self.stop.set()
                    except StreamAborted:
                        self.stop.set()  # the server logs one line; the client sees it cut
                    group.cancel_scope.cancel()

                group.start_soon(stream)
                await self.listen_for_disconnect(receive)
                self.stop.set()
                group.cancel_scope.cancel()
        finally:
            self.stop.set()
            with anyio.CancelScope(shield=True):
                aclose = getattr(self._body, "aclose", None)
                if aclose is not None:
                    await aclose()
                on_close, self.on_close = self.on_close, None
                if on_close is not None:
                    await on_close()
