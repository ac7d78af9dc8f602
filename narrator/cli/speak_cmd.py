"""`narrator speak FILE|URL|-`: listen now, or write the narration to a file.

Live: the streaming narrator plays to the speakers while it synthesizes ahead,
and each passage is printed as it is heard (read-along in the terminal).
`--no-stream` is the naive path kept for comparison: synthesize everything,
then play. With `-o out.mp3` the whole article is rendered and written
atomically (the same audio as live: same pauses, same joins).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from narrator.cli.common import add_voice_options, engine_from_args
from narrator.errors import EngineError, InputError, NarratorError

if TYPE_CHECKING:
    from narrator.engines.base import BaseEngine
    from narrator.stream_events import NarrationEvent
    from narrator.subtitles import TimedChunk
    from narrator.text.script import Script


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "speak",
        help="narrate an article to the speakers, or to a file with -o",
        description=(
            "Narrate an article: stream it to the speakers (printing each passage as it "
            "is spoken), or write it to -o out.{wav,mp3,flac,ogg}."
        ),
    )
    parser.add_argument("source", metavar="FILE|URL|-", help="article file, web page, feed, or - for stdin")
    parser.add_argument("-o", "--output", metavar="FILE", help="write audio here instead of playing")
    parser.add_argument(
        "--no-stream",
        action="store_true",
        help="synthesize the whole article before playing (the naive path, for comparison)",
    )
    parser.add_argument(
        "--smooth",
        action="store_true",
        help="with a voice slower than real time, wait once before playing instead of between sentences",
    )
    parser.add_argument(
        "--start-sentence", type=int, default=1, metavar="N", help="start at sentence N (1 = the first)"
    )
    add_voice_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from narrator.articles import load_article
    from narrator.stream import live_chunk_plan
    from narrator.text import prepare

    if args.start_sentence < 1:
        raise InputError(f"--start-sentence {args.start_sentence}: sentences count from 1")
    if args.output:
        from narrator.audio.files import check_output_file

        check_output_file(args.output)  # a bad name or place fails before any synthesis
    article = load_article(args.source)
    choice = engine_from_args(args, purpose="export" if args.output else "live")
    engine = choice.engine
    # live: chunks planned so synthesis stays ahead of the listener (a short
    # first clause, then growing); a file gets the engine's natural chunks
    plan = None if args.output else live_chunk_plan(engine)
    script = prepare(article.body, title=article.title, fits=engine.fits, budget=plan)
    if not script.chunks:
        raise InputError(f"{args.source} has nothing to speak once boilerplate is removed")
    first = _first_chunk(script, args.start_sentence)
    if args.output:
        return _write_file(engine, script, first, args.output)
    return _listen(engine, script, first, smooth=args.smooth, naive=args.no_stream)


def _first_chunk(script: Script, sentence_number: int) -> int:
    """Position of the chunk holding sentence N (1-based), or InputError."""
    count = script.sentence_count
    if sentence_number > count:
        raise InputError(f"--start-sentence {sentence_number}: the article has {count} sentences")
    return script.chunk_for_sentence(sentence_number - 1)


def _sliced(script: Script, first: int) -> Script:
    from narrator.text.script import Script

    if first == 0:
        return script
    return Script(script.title, script.cleaned, script.sentences, script.chunks[first:], script.removed)


def _write_file(engine: BaseEngine, script: Script, first: int, output: str) -> int:
    from pathlib import Path

    from narrator.cache import ChunkCache
    from narrator.export import narrate_to_file

    part = _sliced(script, first)
    total = len(part.chunks)
    tty = sys.stderr.isatty()
    started = time.perf_counter()

    done = 0

    def progress(_chunk: TimedChunk) -> None:
        nonlocal done
        done += 1
        if tty:
            print(f"\rnarrator: synthesizing {done}/{total}", end="", file=sys.stderr, flush=True)
        elif done * 4 // total != (done - 1) * 4 // total:  # a line at each quarter
            print(f"narrator: synthesized {done}/{total} chunks", file=sys.stderr, flush=True)

    # Mastered (loudness, true peak) and tagged exactly as an exported episode.
    made = narrate_to_file(engine, part, Path(output), cache=ChunkCache(), on_chunk=progress)
    if tty:
        print(file=sys.stderr)
    path = made.path
    wall = time.perf_counter() - started
    print(
        f"narrator: wrote {path} ({_clock(made.duration_s)} of audio, {total} chunks, "
        f"{wall:.1f} s)",
        file=sys.stderr,
    )
    return 0


def _listen(engine: BaseEngine, script: Script, first: int, *, smooth: bool, naive: bool) -> int:
    from narrator.audio.playback import open_sink
    from narrator.cache import ChunkCache
    from narrator.engines.speedlog import expected_rtf
    from narrator.stream import StreamingNarrator, expected_wait_s, render_script
    from narrator.stream_events import Buffering, ChunkStarted, NarrationFinished

    sink = open_sink(engine.sample_rate)  # no device: DeviceError before any synthesis
    try:
        cache = ChunkCache()
        rtf = expected_rtf(engine.name)
        if not naive and rtf is not None and rtf > 1.0:
            wait = expected_wait_s(script, rtf, first)
            where = "before it starts" if smooth else "in pauses between sentences"
            print(
                f"narrator: {engine.name} ran at {rtf:.2f}x real time here: expect about "
                f"{_clock(wait)} of waiting {where}. For live listening use --engine espeak"
                + ("" if smooth else ", or --smooth to wait once up front")
                + "; or write a file with -o.",
                file=sys.stderr,
            )
        if naive:
            print("narrator: synthesizing the whole article first (--no-stream)", file=sys.stderr)
            started = time.perf_counter()
            render_script(engine, _sliced(script, first), cache=cache)
            print(f"narrator: ready after {time.perf_counter() - started:.1f} s", file=sys.stderr)

        _utf8_stdout()

        def on_event(event: NarrationEvent) -> None:
            if isinstance(event, ChunkStarted):
                text = script.cleaned[event.chunk.source_start : event.chunk.source_end].strip()
                print(text or event.chunk.text, flush=True)
            elif isinstance(event, Buffering) and event.expected_wait_s > 0:
                print(
                    f"narrator: buffering about {_clock(event.expected_wait_s)} so playback "
                    "never stops",
                    file=sys.stderr,
                    flush=True,
                )
            elif isinstance(event, NarrationFinished) and event.underruns:
                print(
                    f"narrator: waited {event.underruns} times for synthesis "
                    f"({event.total_wait_s:.1f} s in all)",
                    file=sys.stderr,
                    flush=True,
                )

        narrator = StreamingNarrator(engine, script, sink, cache=cache, smooth=smooth, on_event=on_event)
        if first:
            narrator.seek_chunk(first)
        narrator.start()
        try:
            narrator.wait()  # a join: Ctrl-C still interrupts it
        except KeyboardInterrupt:
            narrator.stop()
            raise
        if narrator.error is not None:
            error = narrator.error
            if isinstance(error, NarratorError | BrokenPipeError):
                raise error  # the reader of the read-along went away (| head): main() exits 0
            raise EngineError(f"{type(error).__name__}: {error}") from error
        return 0
    finally:
        sink.close()


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


def _utf8_stdout() -> None:
    """Hindi must reach a pipe as UTF-8 even under LANG=C."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            pass
