"""The ASGI app of `narrator serve`: a thin composition of the parts.

    speech.py   OpenAI-compatible /v1 API
    player.py   the web player and its JSON
    files.py    the export folder and the podcast feed
    synth.py    streaming synthesis shared by the API and the player
    limits.py   API key, body size, admission queue
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route

from narrator.cache import ChunkCache
from narrator.engines.base import BaseEngine, VoiceInfo
from narrator.serve import player, speech
from narrator.serve.adapters import voice_catalogue
from narrator.serve.defaults import DEFAULT_MAX_INPUT_CHARS, DEFAULT_QUEUE, DEFAULT_TIMEOUT_S
from narrator.serve.files import EPISODES_PATH, EpisodeFiles, feed
from narrator.serve.limits import Admission, ApiKeyGuard
from narrator.serve.responses import EXCEPTION_HANDLERS
from narrator.serve.synth import Synthesizer


@dataclass(frozen=True)
class ServeConfig:
    """What `narrator serve` was asked to do.

    folder           export folder hosted at /episodes/ (None: no episodes)
    library          article folder for the player (None: the user's library)
    base_url         public URL of the episodes for the feed (None: this server's)
    api_key          required on every request when set
    max_input_chars  longest `input` of /v1/audio/speech (413 above it)
    concurrency      syntheses running at once
    queue            requests that may wait for a slot (429 beyond)
    timeout_s        longest wait for a request body, for a slot, and for
                     each next block of audio
    """

    folder: Path | None = None
    library: Path | None = None
    base_url: str | None = None
    api_key: str | None = None
    max_input_chars: int = DEFAULT_MAX_INPUT_CHARS
    concurrency: int = 2
    queue: int = DEFAULT_QUEUE
    timeout_s: float = DEFAULT_TIMEOUT_S


def create_app(
    config: ServeConfig,
    engine: BaseEngine,
    *,
    cache: ChunkCache | None = None,
    catalogue: list[VoiceInfo] | None = None,
) -> Starlette:
    """The server for `config`, speaking with `engine` unless a request names another voice.

    cache      chunk cache shared by all requests (None: synthesize every time)
    catalogue  the voices offered (default: every engine's, read once now)
    """
    routes: list[Route | Mount] = [*speech.ROUTES, *player.ROUTES]
    routes += [Route("/feed.xml", feed), Route(f"{EPISODES_PATH}/feed.xml", feed)]
    if config.folder is not None:
        routes.append(
            Mount(EPISODES_PATH, app=EpisodeFiles(directory=config.folder), name="episodes")
        )
    app = Starlette(
        routes=routes,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[Middleware(ApiKeyGuard, key=config.api_key, open_prefixes=("/static/",))],
    )
    app.state.config = config
    app.state.catalogue = catalogue if catalogue is not None else voice_catalogue()
    app.state.synthesizer = Synthesizer(
        engine,
        Admission(config.concurrency, config.queue, config.timeout_s),
        cache=cache,
        timeout_s=config.timeout_s,
    )
    app.state.library = player.LibraryCache(config.library)
    return app
