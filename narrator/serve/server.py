"""Running the app with uvicorn: what `narrator serve` calls, usable from Python too.

Binds to 127.0.0.1 unless told otherwise; a server reachable from other
machines without an API key gets a warning, since anyone who can reach it can
make it synthesize.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

from narrator.cache import ChunkCache
from narrator.errors import InputError
from narrator.serve.adapters import default_engine
from narrator.serve.app import ServeConfig, create_app
from narrator.serve.defaults import DEFAULT_HOST, DEFAULT_PORT
from narrator.serve.encode import warm_up
from narrator.urls import is_url

MAX_CONNECTIONS = 100  # uvicorn answers 503 past this many open connections


@dataclass
class Prepared:
    """An app ready to run and what the user should read before it starts."""

    app: object
    notices: list[str] = field(default_factory=list)


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_config(config: ServeConfig, port: int) -> None:
    """Refuse bad settings with one line, before any model is loaded."""
    if config.folder is not None and not config.folder.is_dir():
        raise InputError(f"{config.folder} is not a folder: give the export folder to serve")
    if config.library is not None and not config.library.is_dir():
        raise InputError(f"--library {config.library} is not a folder of articles")
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port} is out of range: use 1-65535")
    if config.max_input_chars < 1:
        raise InputError("--max-input-chars must be 1 or more")
    if config.concurrency < 1 or config.queue < 0:
        raise InputError("--concurrency must be 1 or more and --queue 0 or more")
    if config.timeout_s <= 0:
        raise InputError("--timeout must be positive")
    if config.base_url is not None and not is_url(config.base_url):
        raise InputError(f"--base-url must be an http(s) URL, got {config.base_url!r}")


def prepare_app(
    config: ServeConfig,
    *,
    engine: str = "auto",
    voice: str | None = None,
    use_cache: bool = True,
    port: int = DEFAULT_PORT,
) -> Prepared:
    """Check the settings, load the default voice, and build the app."""
    check_config(config, port)
    loaded, notices = default_engine(engine, voice)
    warm_up(loaded.sample_rate)
    app = create_app(config, loaded, cache=ChunkCache() if use_cache else None)
    return Prepared(app, list(notices))


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nothing listens on now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def uvicorn_server(app: object, host: str, port: int, *, quiet: bool = False):  # -> uvicorn.Server
    """A uvicorn server for `app` (call `.run()`; set `.should_exit` to stop it)."""
    import uvicorn

    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=host,
        port=port,
        log_level="warning" if quiet else "info",
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
        server_header=False,
    )
    return uvicorn.Server(config)
