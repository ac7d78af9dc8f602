"""The text front end: article text in, chunks of spoken Hindi out.

    raw ──clean──► cleaned ──segment──► sentences (spans in `cleaned`)
        ──normalize each piece──► spoken text ──chunk──► Chunks

Normalization runs per sentence (and per clause when a sentence is too long), so
every chunk keeps the span of the cleaned text it speaks: the UI highlights that
span while it plays and subtitles quote it.
"""

from __future__ import annotations

from collections.abc import Callable

from narrator.text.clean import clean
from narrator.text.lexicon import Lexicon, load_user_lexicon
from narrator.text.normalize import normalize
from narrator.text.script import Chunk, Script, Sentence
from narrator.text.segment import ChunkBudget, make_chunks, split_sentences

DEFAULT_MAX_CHARS = 250

__all__ = ["DEFAULT_MAX_CHARS", "Chunk", "Script", "Sentence", "prepare"]


def prepare(
    body: str,
    *,
    title: str = "",
    max_chars: int = DEFAULT_MAX_CHARS,
    fits: Callable[[str], bool] | None = None,
    lexicon: Lexicon | None = None,
    short_first_chunk: bool = True,
    budget: ChunkBudget | None = None,
) -> Script:
    """Turn an article's title and body into a `Script` ready for an engine.

    fits      the engine's own limit test on spoken text (Kokoro counts
              phonemes); defaults to `len(text) <= max_chars`
    lexicon   pronunciations that override everything; defaults to the user's
              lexicon.toml (or none)
    short_first_chunk  keep the first chunk to its first clause so audio can
              start after one short synthesis
    budget    each chunk's size limit from the chunks before it, instead of
              `short_first_chunk` (live narration: narrator.stream.chunk_plan)
    """
    if lexicon is None:
        lexicon = load_user_lexicon()
    full = body if not title or body.lstrip().startswith(title.strip()) else f"{title}\n\n{body}"
    cleaned = clean(full)
    sentences = split_sentences(cleaned.text)
    limit = fits or (lambda s: len(s) <= max_chars)
    chunks = make_chunks(
        cleaned.text,
        sentences,
        speak=lambda s: normalize(s, lexicon=lexicon),
        fits=limit,
        short_first=short_first_chunk,
        budget=budget,
    )
    return Script(
        title=title or (sentences[0].text if sentences else ""),
        cleaned=cleaned.text,
        sentences=sentences,
        chunks=chunks,
        removed=cleaned.removed,
    )
