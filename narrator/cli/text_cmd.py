"""`narrator text`: print exactly what will be spoken, one chunk per line.

This output is a contract: benchmarks and other tools read it, and a user can
check pronunciations before spending time on synthesis. `--json` adds each
chunk's span in the cleaned text for tools that need the mapping.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from narrator.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "text",
        help="print the spoken text, one chunk per line",
        description="Print exactly what will be spoken for an article, one chunk per line.",
    )
    parser.add_argument(
        "source", metavar="FILE|URL|-", help="article file, web page, feed, or - for stdin"
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="chunk limit in characters of spoken text (default: the engine's, else 250)",
    )
    parser.add_argument(
        "--engine",
        default=None,
        metavar="NAME",
        help="chunk for this engine's limit (espeak, kokoro, coqui, xtts, auto)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print chunks with their source spans as JSON"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from narrator.articles import load_article
    from narrator.text import DEFAULT_MAX_CHARS, prepare

    if args.max_chars is not None and args.max_chars < 10:
        raise InputError(f"--max-chars {args.max_chars} is too small: use 10 or more")
    article = load_article(args.source)
    max_chars, fits = _limit(args.engine, args.max_chars)
    script = prepare(
        article.body,
        title=article.title,
        max_chars=max_chars or DEFAULT_MAX_CHARS,
        fits=fits,
    )
    if not script.chunks:
        raise InputError(f"{args.source} has nothing to speak once boilerplate is removed")
    _utf8_stdout()
    if args.json:
        payload = {
            "title": script.title,
            "source": article.source,
            "date": article.date.isoformat() if article.date else None,
            "max_chars": max_chars or DEFAULT_MAX_CHARS,
            "cleaned": script.cleaned,
            "removed": [{"text": r.text, "reason": r.reason} for r in script.removed],
            "chunks": [
                {
                    "index": c.index,
                    "text": c.text,
                    "source_start": c.source_start,
                    "source_end": c.source_end,
                    "source_text": script.cleaned[c.source_start : c.source_end],
                    "sentence": c.sentence,
                    "paragraph": c.paragraph,
                    "ends_sentence": c.ends_sentence,
                    "ends_paragraph": c.ends_paragraph,
                }
                for c in script.chunks
            ],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{chunk.text}\n" for chunk in script.chunks))
    sys.stdout.flush()
    return 0


def _limit(
    engine: str | None, max_chars: int | None
) -> tuple[int | None, Callable[[str], bool] | None]:
    """The chunk limit: --max-chars, the engine's own limit, or both.

    An engine whose limit is not counted in characters (Kokoro counts phonemes)
    is loaded so its own `fits` decides, as it will when speaking; loading it is
    a second or two. Others need only their class's `max_chars`.
    """
    if not engine:
        return max_chars, None
    from narrator.engines.registry import auto_engine_name, engine_class, resolve_engine

    name = auto_engine_name("export")[0] if engine == "auto" else engine
    cls = engine_class(name)
    limit = max_chars or cls.max_chars
    engine_fits: Callable[[str], bool] | None = None
    if not cls.limit_in_characters:
        instance = resolve_engine(name, device="cpu").engine
        limit = max_chars or instance.max_chars
        engine_fits = instance.fits
    if engine_fits is None:
        return limit, None
    if max_chars is None:
        return limit, engine_fits
    return limit, lambda s: len(s) <= max_chars and engine_fits(s)


def _utf8_stdout() -> None:
    """Hindi must reach the pipe as UTF-8 even under LANG=C or a Latin-1 locale."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):  # a stream that cannot be reconfigured
            pass
