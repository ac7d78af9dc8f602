"""What keeps a server on a phone's network safe: keys, sizes, queues, timeouts.

- `ApiKeyGuard`: with a key set, every request must carry it, compared in
  constant time (`hmac.compare_digest`): `Authorization: Bearer KEY` (OpenAI
  clients), HTTP Basic with the key as password (browsers ask for it once;
  podcast apps put it in the feed URL), or `?key=KEY` for a one-off link.
- `read_body`: refuses a body over the limit (413) before reading it whole, and
  one that trickles in slower than the request timeout (408).
- `Admission`: at most `slots` syntheses at once; up to `queue` more wait for a
  slot (at most the request timeout, then 503); beyond that 429 at once, so a
  burst costs the server nothing but a short reply.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import parse_qs

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from narrator.serve.responses import ApiError, error_response


class ApiKeyGuard:
    """ASGI middleware: 401 unless the request carries the server's key.

    `open_prefixes` are paths anyone may fetch: the player's own scripts and
    styles (package files, no data), which a page opened with `?key=` loads
    without the key.
    """

    def __init__(
        self, app: ASGIApp, key: str | None, open_prefixes: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self._key = key.encode("utf-8") if key else None
        self.open_prefixes = open_prefixes

    def _matches(self, candidate: bytes) -> bool:
        assert self._key is not None
        return hmac.compare_digest(candidate, self._key)

    def authorized(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name != b"authorization":
                continue
            scheme, _, token = value.partition(b" ")
            token = token.strip()
            if scheme.lower() == b"bearer" and self._matches(token):
                return True
            if scheme.lower() == b"basic":
                try:
                    decoded = base64.b64decode(token, validate=True)
                except binascii.Error:
                    continue
                if self._matches(decoded.partition(b":")[2]):
                    return True
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        return any(self._matches(k.encode("utf-8")) for k in query.get("key", []))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self._key is None
            or scope["path"].startswith(self.open_prefixes)
            or self.authorized(scope)
        ):
            await self.app(scope, receive, send)
            return
        response = error_response(
            401,
            "missing or wrong API key: send `Authorization: Bearer KEY`",
            headers={"WWW-Authenticate": 'Bearer, Basic realm="narrator"'},
        )
        await response(scope, receive, send)


async def read_body(request: Request, limit: int, timeout_s: float) -> bytes:
    """The request body, refusing more than `limit` bytes (413) or a slow sender (408)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"request body of {declared} bytes is over the limit of {limit}")
    parts: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout_s):
            async for part in request.stream():
                size += len(part)
                if size > limit:
                    raise ApiError(413, f"request body is over the limit of {limit} bytes")
                parts.append(part)
    except TimeoutError:
        raise ApiError(408, f"request body not received within {timeout_s:g} s") from None
    return b"".join(parts)


class Ticket:
    """A held synthesis slot; `release` is safe to call more than once."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._admission._leave()


class Admission:
    """A concurrency limit with a bounded queue (runs on the server's event loop)."""

    def __init__(self, slots: int, queue: int, wait_s: float) -> None:
        self.slots = max(1, int(slots))
        self.queue = max(0, int(queue))
        self.wait_s = float(wait_s)
        self.active = 0
        self.waiting = 0
        self._semaphore: anyio.Semaphore | None = None

    async def enter(self) -> Ticket:
        """A slot, after waiting in the queue if need be; 429 when the queue is full."""
        if self._semaphore is None:
            self._semaphore = anyio.Semaphore(self.slots)
        if self.active >= self.slots and self.waiting >= self.queue:
            raise ApiError(
                429,
                f"server busy: {self.active} syntheses running and {self.waiting} waiting; "
                "try again shortly",
                headers={"Retry-After": "1"},
            )
        self.waiting += 1
        try:
            with anyio.fail_after(self.wait_s):
                await self._semaphore.acquire()
        except TimeoutError:
            raise ApiError(
                503,
                f"no synthesis slot became free within {self.wait_s:g} s",
                headers={"Retry-After": "5"},
            ) from None
        finally:
            self.waiting -= 1
        self.active += 1
        return Ticket(self)

    def _leave(self) -> None:
        self.active -= 1
        assert self._semaphore is not None
        self._semaphore.release()
