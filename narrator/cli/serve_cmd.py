"""`narrator serve [DIR]`: web player, podcast hosting and /v1/audio/speech.

A thin shell over `narrator.serve.server`: the options become a ServeConfig,
the default voice is loaded once, and uvicorn runs the app until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from narrator.serve.defaults import (
        API_KEY_ENV,
        DEFAULT_HOST,
        DEFAULT_MAX_INPUT_CHARS,
        DEFAULT_PORT,
        DEFAULT_QUEUE,
        DEFAULT_TIMEOUT_S,
    )

    parser = subparsers.add_parser(
        "serve",
        help="web player, podcast hosting and an OpenAI-compatible speech API",
        description=(
            "Serve DIR (an export folder) with its podcast feed, a web player for phones "
            "with read-along and live narration of the library, and POST /v1/audio/speech."
        ),
    )
    parser.add_argument("dir", nargs="?", type=Path, default=None, metavar="DIR",
                        help="export folder to host (default: audio_out if it exists)")  # fmt: skip
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")  # fmt: skip
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--base-url", default=None,
                        help="public URL of DIR for the feed (default: this server's own URL)")  # fmt: skip
    parser.add_argument("--library", dest="serve_library", type=Path, default=None,
                        metavar="DIR", help="article folder for the player (default: your library)")  # fmt: skip
    parser.add_argument("--engine", default="auto", help="default engine (auto: best for live)")
    parser.add_argument("--voice", default=None, help="default voice (see `narrator voices`)")
    parser.add_argument("--api-key", default=None,
                        help=f"require this key on every request (or set {API_KEY_ENV})")  # fmt: skip
    parser.add_argument("--max-input-chars", type=int, default=DEFAULT_MAX_INPUT_CHARS,
                        help="longest /v1/audio/speech input (413 above it)")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=max(1, os.cpu_count() or 1),
                        help="syntheses at once (default: CPU cores)")  # fmt: skip
    parser.add_argument("--queue", type=int, default=DEFAULT_QUEUE,
                        help="requests that may wait for a slot; 429 beyond")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help="seconds to wait for a body, a slot, or the next audio")  # fmt: skip
    parser.add_argument("--no-cache", action="store_true", help="do not reuse cached chunks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from narrator.serve.app import ServeConfig
    from narrator.serve.defaults import API_KEY_ENV
    from narrator.serve.server import is_loopback, prepare_app, uvicorn_server

    folder = args.dir
    if folder is None and Path("audio_out").is_dir():
        folder = Path("audio_out")
    config = ServeConfig(
        folder=folder,
        library=args.serve_library,
        base_url=args.base_url,
        api_key=args.api_key or os.environ.get(API_KEY_ENV) or None,
        max_input_chars=args.max_input_chars,
        concurrency=args.concurrency,
        queue=args.queue,
        timeout_s=args.timeout,
    )
    prepared = prepare_app(
        config, engine=args.engine, voice=args.voice, use_cache=not args.no_cache, port=args.port
    )
    for notice in prepared.notices:
        print(f"narrator: {notice}", file=sys.stderr)
    if not is_loopback(args.host) and not config.api_key:
        print(
            f"narrator: warning: listening on {args.host} without an API key: anyone who can "
            f"reach this machine can use it (set --api-key or {API_KEY_ENV})",
            file=sys.stderr,
        )
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"narrator: serving {folder or 'no export folder'} at http://{shown}:{args.port}/ "
          "(player), /feed.xml, /v1/audio/speech; Ctrl-C stops", file=sys.stderr)  # fmt: skip
    uvicorn_server(prepared.app, args.host, args.port).run()
    return 0
