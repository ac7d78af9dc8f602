"""`narrator feed DIR --base-url URL`: a podcast feed over exported episodes.

A thin shell over `narrator.podcast.build_feed` (scripts/make_feed.py calls the
same function through `main` below). Every channel option can also live in
DIR/feed.toml (same names, with underscores: `owner_email = "…"`); an option on
the command line wins over the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _explicit(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0", "clean"):
        return False
    raise argparse.ArgumentTypeError(f"{value!r}: use true or false")


def add_feed_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder of exported episodes")
    parser.add_argument(
        "--base-url",
        default=None,
        help="where DIR is published, e.g. https://example.org/pod (or base_url in feed.toml)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="feed file (default DIR/feed.xml)"
    )
    parser.add_argument("--title", default=None)
    parser.add_argument("--description", default=None)
    parser.add_argument("--author", default=None, help="who makes the podcast (itunes:author)")
    parser.add_argument("--owner-name", default=None, help="itunes:owner name")
    parser.add_argument(
        "--owner-email", default=None, help="itunes:owner e-mail (directories verify it)"
    )
    parser.add_argument(
        "--image",
        default=None,
        help="artwork: a JPEG/PNG file (checked: square, 1400-3000 px; copied into DIR) or URL",
    )
    parser.add_argument(
        "--category", default=None, help="Apple category, e.g. News or News/Daily News"
    )
    parser.add_argument(
        "--explicit",
        nargs="?",
        const=True,
        default=None,
        type=_explicit,
        help="mark the podcast explicit (--explicit, or --explicit false)",
    )
    parser.add_argument("--language", default=None, help="language code (default hi)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feed",
        help="build an RSS podcast feed over exported episodes",
        description=(
            "Write an RSS 2.0 podcast feed (iTunes + Podcasting 2.0 tags) for DIR. "
            "Options may also be set in DIR/feed.toml."
        ),
    )
    add_feed_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from narrator.errors import InputError
    from narrator.podcast import build_feed, channel_for

    if not args.dir.is_dir():
        raise InputError(f"{args.dir} is not a folder of exported episodes")
    channel = channel_for(
        args.dir,
        base_url=args.base_url,
        title=args.title,
        description=args.description,
        author=args.author,
        owner_name=args.owner_name,
        owner_email=args.owner_email,
        image=args.image,
        category=args.category,
        explicit=args.explicit,
        language=args.language,
    )
    result = build_feed(args.dir, channel, args.output)
    for note in result.notes:
        print(f"narrator: skipped {note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"narrator: warning: {warning}", file=sys.stderr)
    print(f"{result.path}: {len(result.episodes)} episodes")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point (scripts/make_feed.py): same options, same errors."""
    from narrator.errors import NarratorError

    parser = argparse.ArgumentParser(prog="make_feed", description="Build a podcast feed.")
    add_feed_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except NarratorError as exc:
        print(f"make_feed: error: {exc}", file=sys.stderr)
        return exc.exit_code
