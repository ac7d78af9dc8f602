"""The timed text of an episode: subtitles (SRT, WebVTT) and chapters.

Times come from the real audio: each `AudioPiece` knows where it starts and ends
in the assembled narration (pauses included), so a cue starts when its sentence
is heard, not when an estimate says it should be.

The text of a cue is the cleaned *source* sentence ("₹5 लाख", "NVIDIA"), not the
spoken form the engine received ("पाँच लाख रुपये", "एनवीडिया"): a reader
following along wants the article's own words.

One cue per sentence: a long sentence split into several chunks is still one
cue; several short sentences joined into one chunk (the segmenter does that to
give the engine enough context) are split again, at the quietest moment of the
chunk's audio near each sentence's share of its characters, so each sentence
still gets its own cue timed from what is heard.

Why `TimedChunk`: an export never holds the whole narration in memory, so the
audio a cue split needs is looked at once, when the chunk is made
(`time_chunk`), and only its times and split points are kept; subtitles and
chapters are then made from those records (AudioPieces are accepted too).

Chapters group whole paragraphs until a section lasts at least `min_chapter_s`,
so a news article gets a handful of sections rather than one per paragraph; each
is named after its first sentence (the first one after the article's title).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from narrator.audio.piece import AudioPiece
from narrator.audio.tags import Chapter
from narrator.text.script import Chunk, Script

LINE_CHARS = 42
CHAPTER_TITLE_CHARS = 60
MIN_CHAPTER_S = 30.0
CHAPTERS_VERSION = "1.2.0"


@dataclass(frozen=True)
class Cue:
    """One subtitle: a sentence and when it is heard (milliseconds)."""

    start_ms: int
    end_ms: int
    text: str

    @property
    def start_s(self) -> float:
        return self.start_ms / 1000.0

    @property
    def end_s(self) -> float:
        return self.end_ms / 1000.0


@dataclass(frozen=True)
class TimedChunk:
    """When one chunk is heard, without its audio: what subtitles and chapters need.

    chunk     the text chunk
    start_s   where its audio starts in the narration (pauses included)
    end_s     where it ends
    splits    for a chunk holding several sentences, where each next sentence
              starts, as fractions of the chunk's length (found in its audio)
    cached    True when its audio came from the chunk cache
    """

    chunk: Chunk
    start_s: float
    end_s: float
    splits: tuple[float, ...] = field(default_factory=tuple)
    cached: bool = False


def _sentence_parts(script: Script, chunk: Chunk) -> list[tuple[int, int]]:
    """(sentence index, characters of it in the chunk) for the sentences a chunk speaks."""
    parts = [
        (i, min(s.end, chunk.source_end) - max(s.start, chunk.source_start))
        for i, s in enumerate(script.sentences)
        if s.start < chunk.source_end and s.end > chunk.source_start
    ]
    parts = [(i, size) for i, size in parts if script.sentences[i].text.strip()]
    if not parts:
        parts = [(-1 - chunk.index, 1)]  # no sentence record: quote the span itself
    return parts


def time_chunk(script: Script, pieces: Sequence[AudioPiece]) -> TimedChunk:
    """The TimedChunk of one chunk's pieces (one, or several from a streaming engine)."""
    first = pieces[0]
    audio = np.concatenate([p.audio for p in pieces]) if len(pieces) > 1 else first.audio
    parts = _sentence_parts(script, first.chunk)
    splits: tuple[float, ...] = ()
    if len(parts) > 1:
        total = sum(size for _, size in parts)
        shares = list(np.cumsum([size / total for _, size in parts])[:-1])
        splits = tuple(_quiet_split(audio, first.sample_rate, [float(x) for x in shares]))
    return TimedChunk(
        first.chunk, first.start_s, pieces[-1].end_s, splits, all(p.cached for p in pieces)
    )


def timed_chunks(script: Script, pieces: Sequence[AudioPiece | TimedChunk]) -> list[TimedChunk]:
    """TimedChunks for a mix of AudioPieces (grouped per chunk) and TimedChunks."""
    result: list[TimedChunk] = []
    run: list[AudioPiece] = []
    for item in pieces:
        if isinstance(item, TimedChunk):
            if run:
                result.append(time_chunk(script, run))
                run = []
            result.append(item)
        elif run and run[0].chunk.index != item.chunk.index:
            result.append(time_chunk(script, run))
            run = [item]
        else:
            run.append(item)
    if run:
        result.append(time_chunk(script, run))
    return result


def _groups(
    pieces: Sequence[AudioPiece | TimedChunk], attr: str
) -> list[list[AudioPiece | TimedChunk]]:
    """Consecutive runs of pieces sharing `chunk.<attr>`."""
    groups: list[list[AudioPiece | TimedChunk]] = []
    for piece in pieces:
        key = getattr(piece.chunk, attr)
        if groups and getattr(groups[-1][0].chunk, attr) == key:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def source_text(script: Script, start: int, end: int) -> str:
    """The cleaned sentences overlapping the span [start, end), joined by spaces."""
    parts = [s.text.strip() for s in script.sentences if s.start < end and s.end > start]
    text = " ".join(p for p in parts if p)
    if not text:
        text = script.cleaned[start:end].strip()
    return " ".join(text.split())


def _quiet_split(audio: np.ndarray, sample_rate: int, fractions: list[float]) -> list[float]:
    """Where inside a chunk's audio its sentences meet, as fractions of its length.

    Each estimate (the sentence's share of the chunk's characters) moves to the
    quietest 60 ms within a fifth of the chunk around it: the voice pauses at
    a sentence end, so the cue changes when the next sentence is really heard.
    """
    n = len(audio)
    if n == 0 or sample_rate <= 0:
        return fractions
    window = max(1, int(0.06 * sample_rate))
    # Moving average of |audio| through a cumulative sum: O(n) for any window.
    sums = np.concatenate([[0.0], np.cumsum(np.abs(audio.astype(np.float64)))])
    lo_idx = np.clip(np.arange(n) - window // 2, 0, n)
    hi_idx = np.clip(np.arange(n) + window - window // 2, 0, n)
    energy = (sums[hi_idx] - sums[lo_idx]) / window
    reach = int(0.2 * n)
    result: list[float] = []
    floor = 0
    for fraction in fractions:
        guess = int(fraction * n)
        lo = max(floor + 1, guess - reach)
        hi = min(n - 1, guess + reach)
        if hi <= lo:
            at = min(max(guess, floor + 1), n - 1)
        else:
            at = lo + int(np.argmin(energy[lo:hi]))
        result.append(at / n)
        floor = at
    return result


def sentence_cues(
    script: Script, pieces: Sequence[AudioPiece | TimedChunk], duration_s: float
) -> list[Cue]:
    """One cue per sentence, in order, non-overlapping and inside [0, duration_s].

    A sentence spread over several chunks spans from its first chunk's start to
    its last chunk's end; several sentences joined into one chunk share that
    chunk's time, split where the audio goes quiet nearest to each sentence's
    share of the characters.
    """
    timed = timed_chunks(script, pieces)
    spans: list[tuple[int, float, float]] = []  # (sentence index, start_s, end_s)
    for item in timed:
        start_s, end_s = item.start_s, item.end_s
        parts = _sentence_parts(script, item.chunk)
        if len(parts) == 1 or len(item.splits) != len(parts) - 1:
            spans.append((parts[0][0], start_s, end_s))
            continue
        edges = [start_s, *(start_s + c * (end_s - start_s) for c in item.splits), end_s]
        spans.extend((i, edges[k], edges[k + 1]) for k, (i, _) in enumerate(parts))

    limit_ms = int(duration_s * 1000)
    cues: list[Cue] = []
    previous_end = 0
    merged: list[list[float | int]] = []
    for index, start_s, end_s in spans:
        if merged and merged[-1][0] == index:
            merged[-1][2] = end_s
        else:
            merged.append([index, start_s, end_s])
    chunk_of = {-1 - t.chunk.index: t.chunk for t in timed}
    for index, start_s, end_s in merged:
        if index >= 0:
            text = " ".join(script.sentences[int(index)].text.split())
        else:
            chunk = chunk_of[int(index)]
            text = " ".join(script.cleaned[chunk.source_start : chunk.source_end].split())
        if not text:
            continue
        start_ms = max(previous_end, round(float(start_s) * 1000))
        end_ms = min(limit_ms, round(float(end_s) * 1000))
        if end_ms <= start_ms:
            if start_ms >= limit_ms:
                break
            end_ms = min(limit_ms, start_ms + 1)
        cues.append(Cue(start_ms, end_ms, text))
        previous_end = end_ms
    return cues


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(max(0, ms), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LINE_CHARS, break_long_words=False)) or text


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text: numbered cues, "HH:MM:SS,mmm --> HH:MM:SS,mmm"."""
    blocks = [
        f"{i}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{_wrap(c.text)}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text ("-->" can never appear in a cue: it would end the timing line)."""
    blocks = ["WEBVTT\n"]
    for c in cues:
        text = _wrap(c.text.replace("-->", "→"))
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{text}\n")
    return "\n".join(blocks)


def _short(text: str, limit: int = CHAPTER_TITLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return (text[: cut if cut > limit // 2 else limit]).rstrip(" ,;:-।") + "…"


def chapters(
    script: Script,
    pieces: Sequence[AudioPiece | TimedChunk],
    duration_s: float,
    min_chapter_s: float = MIN_CHAPTER_S,
) -> list[Chapter]:
    """Sections of whole paragraphs, each at least `min_chapter_s` long (but the last).

    They tile the episode: the first starts at 0, each ends where the next
    starts, the last ends at `duration_s`.
    """
    paragraphs = _groups(pieces, "paragraph")
    if not paragraphs:
        return [Chapter(_short(script.title) or "—", 0.0, max(0.0, duration_s))]
    sections: list[list[list[AudioPiece | TimedChunk]]] = [[]]
    for para in paragraphs:
        current = sections[-1]
        if current and current[-1][-1].end_s - current[0][0].start_s >= min_chapter_s:
            sections.append([para])
        else:
            current.append(para)
    # A short tail is folded into the section before it.
    if (
        len(sections) > 1
        and sections[-1][-1][-1].end_s - sections[-1][0][0].start_s < min_chapter_s / 3
    ):
        tail = sections.pop()
        sections[-1].extend(tail)
    starts = [0.0] + [round(sec[0][0].start_s, 3) for sec in sections[1:]]
    ends = starts[1:] + [round(duration_s, 3)]
    result: list[Chapter] = []
    for i, (section, start, end) in enumerate(zip(sections, starts, ends, strict=True)):
        first = section[0][0].chunk
        if i == 0 and script.title:
            title = script.title
        else:
            title = source_text(script, first.source_start, first.source_end)
            sentence = next((s for s in script.sentences if s.end > first.source_start), None)
            if sentence is not None:
                title = sentence.text
        result.append(Chapter(_short(title) or f"भाग {i + 1}", start, max(start, end)))
    return result


def chapters_json(items: Sequence[Chapter], title: str = "") -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0) for `podcast:chapters`."""
    doc: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        doc["title"] = title
    doc["chapters"] = [
        {"startTime": round(c.start_s, 3), "endTime": round(c.end_s, 3), "title": c.title}
        for c in items
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
