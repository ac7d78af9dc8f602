"""`narrator feed DIR --base-url URL`: a podcast feed over exported episodes.

A thin shell over `narrator.podcast.build_feed` (scripts/make_feed.py calls the
same function through `main` below).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_feed_arguments(parser: argparse.ArgumentParser) -> None:
    from narrator.podcast import DEFAULT_DESCRIPTION, DEFAULT_TITLE

    parser.add_argument("dir", type=Path, metavar="DIR", help="folder of exported episodes")
    parser.add_argument(
        "--base-url", required=True, help="where DIR is published, e.g. https://example.org/pod"
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="feed file (default DIR/feed.xml)"
    )
    parser.add_argument("--title", default=DEFAULT_TITLE)
    parser.add_argument("--description", default=DEFAULT_DESCRIPTION)
    parser.add_argument("--author", default="")
    parser.add_argument(
        "--image", default="", help="artwork URL (.jpg or .png, 1400-3000 px square)"
    )
    parser.add_argument(
        "--category", default="News", help="iTunes category, e.g. News or News/Tech News"
    )
    parser.add_argument("--explicit", action="store_true", help="mark the podcast explicit")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feed",
        help="build an RSS podcast feed over exported episodes",
        description="Write an RSS 2.0 podcast feed (iTunes + Podcasting 2.0 tags) for DIR.",
    )
    add_feed_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from narrator.podcast import Channel, build_feed

    channel = Channel(
        base_url=args.base_url,
        title=args.title,
        description=args.description,
        author=args.author,
        image=args.image,
        category=args.category,
        explicit=args.explicit,
    )
    result = build_feed(args.dir, channel, args.output)
    for note in result.notes:
        print(f"narrator: skipped {note}", file=sys.stderr)
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
