"""Which sentence the listener hears, inside the chunk that is playing.

The narrator reports chunks (what the engine receives in one call), and a
chunk may join two or three short sentences. Read-along should follow the
sentence, so this module splits a chunk's spoken text into the sentences it
speaks and, from how far playback is into the chunk, says which one is being
heard. Speech time is taken as proportional to characters within the chunk:
good to a word or two in Hindi news, and it needs nothing from the engine.

Which sentence is heard is `Script.sentence_at`'s rule, shared with the
streaming narrator; this module finds that sentence's words in the chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrator.text.script import Chunk, Script

_SENTENCE_END = re.compile(r"[।॥?!.](?=\s)")
"""A sentence end inside spoken text: danda, double danda, ? ! or a full stop, before a space."""


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence of the article as spoken inside a chunk: `start:end` in `chunk.text`."""

    sentence: int
    start: int
    end: int


def spoken_sentences(chunk: Chunk, script: Script) -> list[SpokenSentence]:
    """Split `chunk.text` into the sentences it speaks, in order, covering all of it.

    The cuts are the sentence ends found in the spoken text; when there are
    more or fewer than needed (abbreviations, a sentence end the normalizer
    rewrote), each cut goes where the sentences' lengths in the article say it
    should be, at the nearest sentence end or space.
    """
    indexes = script.sentences_in(chunk)
    text = chunk.text
    if len(indexes) == 1:
        return [SpokenSentence(indexes[0], 0, len(text))]
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if len(ends) == len(indexes) - 1:
        cuts = ends
    else:
        cuts = _proportional_cuts(chunk, script, indexes, ends)
    bounds = [0, *cuts, len(text)]
    return [
        SpokenSentence(index, bounds[k], bounds[k + 1]) for k, index in enumerate(indexes)
    ]


def _proportional_cuts(
    chunk: Chunk, script: Script, indexes: list[int], ends: list[int]
) -> list[int]:
    text = chunk.text
    lengths = [
        min(script.sentences[i].end, chunk.source_end)
        - max(script.sentences[i].start, chunk.source_start)
        for i in indexes
    ]
    total = max(1, sum(lengths))
    spaces = [m.start() for m in re.finditer(r"\s", text)]
    cuts: list[int] = []
    done = 0
    for length in lengths[:-1]:
        done += length
        want = round(len(text) * done / total)
        candidates = ends or spaces or [want]
        best = min(candidates, key=lambda c: abs(c - want))
        cuts.append(max(best, cuts[-1] if cuts else 0))
    return cuts


@dataclass
class ReadAlong:
    """The chunk being heard, when it started and ends, and its sentences."""

    chunk: Chunk
    start_s: float
    end_s: float
    spans: list[SpokenSentence]
    script: Script

    @classmethod
    def start(cls, chunk: Chunk, start_s: float, end_s: float, script: Script) -> ReadAlong:
        return cls(chunk, start_s, end_s, spoken_sentences(chunk, script), script)

    def at(self, position_s: float) -> SpokenSentence:
        """The sentence heard at `position_s` (seconds in the whole narration).

        Which sentence is the script's rule (`Script.sentence_at`, the same the
        streaming narrator's `heard_sentence` uses); this only finds its words
        in the chunk's spoken text.
        """
        duration = self.end_s - self.start_s
        fraction = (position_s - self.start_s) / duration if duration > 0 else 0.0
        heard = self.script.sentence_at(self.chunk.index, fraction)
        return next((span for span in self.spans if span.sentence == heard), self.spans[-1])
