"""The narration's timeline and the chunk plan: arithmetic only, no threads, no clock.

Every rule about *when* audio happens lives here, once:

* where each chunk starts in the narration (its audio, then the designed pause
  after it unless it is the last), exact in samples once the chunks before it
  are made and estimated from characters before that;
* the total length, estimated from the characters still to synthesize times
  this voice's seconds per character (its record, refined by this narration);
* how long to hold the first sample so that playback, once started, never
  waits for synthesis (the start delay);
* how big the next chunk of a live narration may be (the chunk plan).

Why a chunk plan: a neural voice on a small CPU makes audio only a little
faster than it is heard. If the first chunk is one short clause, playback can
start after one short synthesis; if every following chunk is no longer than the
audio already planned before it can pay for (that audio, divided by the RTF,
less a margin), synthesis stays ahead and playback never waits. So chunks start
short and grow as the audio queued ahead grows, until the engine's own limit
is the only one. The plan is made once, into the Script (narrator.text.prepare's
`budget`), so live playback and export of that script are the same chunks and
the same samples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from narrator.audio.assemble import pause_after, pause_samples
from narrator.engines.speedlog import SECONDS_PER_CHAR
from narrator.text.script import Chunk, Script

if TYPE_CHECKING:
    from narrator.engines.base import BaseEngine

__all__ = [
    "DESIGN_RTF",
    "FIRST_CHUNK_S",
    "PLAN_MARGIN",
    "PRIOR_CHARS",
    "Timeline",
    "chunk_plan",
    "expected_wait_s",
    "live_chunk_plan",
    "next_chunk_budget_s",
    "plan_rtf",
]

DESIGN_RTF = 0.8
"""Chunks are planned so that a voice up to this slow never makes the listener wait."""
MAX_PLAN_RTF = 0.95
"""A voice recorded slower than DESIGN_RTF is planned for at its own speed, up to
this: at 1 or more no plan keeps up (the start delay and `smooth` take over) and
chunks must still grow to the engine's limit."""
PLAN_MARGIN = 0.2
"""Share of each budget kept back: a chunk's audio may run ~15% longer than its
characters predict."""
CALL_S = 0.05
"""What every engine call costs besides its audio: the short chunks at the start
pay it many times, so the plan counts it. (Kokoro's ~0.3 s on two cores is paid
out of the headroom of planning for DESIGN_RTF while it runs at ~0.4.)"""
FIRST_CHUNK_S = 2.0
"""Audio in the first chunk: one short clause, which Kokoro makes in under a
second on two cores, so the first sound comes about that soon after play."""
FAST_RTF = 0.05
"""A voice recorded faster than this (eSpeak NG) needs no plan after its first
chunk: any chunk is made long before it is heard."""
BUDGET_OFF_S = 120.0
"""Once a chunk may hold this much audio the engine's own limit is the only one."""
PRIOR_CHARS = 300
"""How many characters of this narration outweigh the voice's recorded pace in
the total-time estimate: the estimate moves gradually, never by a jump."""
GUESS_PRIOR_CHARS = 20
"""The same for a voice never measured here, whose prior is only the default
reading pace (real voices speak within about ±30% of it): the first chunks
soon outweigh it, yet one short, noisy first chunk does not swing it alone."""


# --------------------------------------------------------------------------
# The chunk plan
# --------------------------------------------------------------------------
def plan_rtf(measured: float | None) -> float:
    """The real-time factor chunks are planned for: DESIGN_RTF, or slower voices' own."""
    if measured is None:
        return DESIGN_RTF
    return min(max(measured, DESIGN_RTF), MAX_PLAN_RTF)


def next_chunk_budget_s(
    planned: Sequence[tuple[float, float]],
    rtf: float,
    margin: float = PLAN_MARGIN,
    call_s: float = CALL_S,
) -> float:
    """Seconds of audio the next chunk may hold, given the chunks planned before it.

    planned  (audio seconds, pause seconds after it) of each earlier chunk

    Synthesis runs chunk after chunk from the start, each call costing `call_s`
    plus rtf x its audio; playback starts when the first chunk is made and then
    plays each chunk and its pause. The next chunk k can start being made once
    every earlier one is made (k x call_s + rtf x sum(d_j)) and must be ready
    when playback reaches it (call_s + rtf x d0 + sum(d_j + p_j)); what lies
    between, less its own call, divided by the rtf, is the most audio it can
    hold. `margin` of that is kept back.
    """
    if not planned:
        return FIRST_CHUNK_S
    first = planned[0][0]
    heard = sum(d + p for d, p in planned)
    made = sum(d for d, _ in planned)
    slack = rtf * first + heard - rtf * made - len(planned) * call_s
    return max(0.0, slack / rtf * (1.0 - margin))


def chunk_plan(
    *, rtf: float | None = None, seconds_per_char: float = SECONDS_PER_CHAR
) -> Callable[[Sequence[Chunk]], int | None]:
    """A `budget` for narrator.text.prepare: spoken characters the next chunk may hold.

    rtf               the voice's recorded real-time factor (None: not measured)
    seconds_per_char  audio per spoken character, for the first chunk and the
                      pauses; chunk lengths cancel out of the rest, so the plan
                      of a voice does not change from run to run (and neither
                      do its chunks, which keeps the chunk cache useful)
    """
    r = plan_rtf(rtf)
    spc = seconds_per_char
    fast = rtf is not None and rtf < FAST_RTF

    def budget(planned: Sequence[Chunk]) -> int | None:
        if fast and planned:
            return None
        seconds = next_chunk_budget_s([(len(c.text) * spc, pause_after(c)) for c in planned], r)
        return None if seconds >= BUDGET_OFF_S else max(1, int(seconds / spc))

    return budget


def live_chunk_plan(engine: BaseEngine) -> Callable[[Sequence[Chunk]], int | None]:
    """The chunk plan for live narration with `engine` (its recorded speed, if any).

    The plan is in characters at the default reading pace, scaled by the voice's
    speed setting (a voice at 1.5x speaks a character in 2/3 of the time).
    """
    from narrator.engines.speedlog import expected_rtf

    return chunk_plan(
        rtf=expected_rtf(engine.name), seconds_per_char=SECONDS_PER_CHAR / engine.speed
    )


def expected_wait_s(
    script: Script,
    rtf: float | None,
    start_chunk: int = 0,
    seconds_per_char: float = SECONDS_PER_CHAR,
) -> float:
    """Seconds a listener waits in all for a voice running at `rtf` (0 if it keeps up).

    Synthesis of the rest of the article takes rtf x its length; playback takes
    its length; the difference is waited for, before starting (`smooth`) or
    spread between sentences.
    """
    if rtf is None or rtf <= 1.0:
        return 0.0
    chars = sum(len(c.text) for c in script.chunks[start_chunk:])
    return chars * seconds_per_char * (rtf - 1.0)


# --------------------------------------------------------------------------
# The timeline
# --------------------------------------------------------------------------
@dataclass
class Timeline:
    """Where every chunk of a narration sits, in samples: known where made, else estimated.

    sample_rate  Hz of the audio
    chars        spoken characters of each chunk
    pauses       samples of silence after each chunk (0 after the last)
    prior_spc    seconds per spoken character expected of this voice (its
                 record, else the default reading pace)
    prior_chars  how many characters of this narration that prior is worth
    made         samples of each chunk's audio once it is made, else None
    """

    sample_rate: int
    chars: list[int]
    pauses: list[int]
    prior_spc: float = SECONDS_PER_CHAR
    prior_chars: int = PRIOR_CHARS
    made: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.pauses) != len(self.chars):
            raise ValueError("one pause per chunk")
        if not self.made:
            self.made = [None] * len(self.chars)

    @classmethod
    def of(
        cls, script: Script, sample_rate: int, seconds_per_char: float | None = None
    ) -> Timeline:
        """The timeline of `script` before any chunk is made.

        seconds_per_char  the voice's recorded pace; None: never measured here
        """
        chunks = script.chunks
        last = len(chunks) - 1
        return cls(
            sample_rate=int(sample_rate),
            chars=[len(c.text) for c in chunks],
            pauses=[pause_samples(c, sample_rate) if i < last else 0 for i, c in enumerate(chunks)],
            prior_spc=seconds_per_char or SECONDS_PER_CHAR,
            prior_chars=PRIOR_CHARS if seconds_per_char else GUESS_PRIOR_CHARS,
        )

    def __len__(self) -> int:
        return len(self.chars)

    # -- what is known ----------------------------------------------------------
    def record(self, index: int, samples: int) -> None:
        """Chunk `index` is made: its audio is `samples` long."""
        self.made[index] = int(samples)

    def is_made(self, index: int) -> bool:
        return self.made[index] is not None

    def seconds_per_char(self) -> float:
        """The voice's pace: its prior, outweighed by this narration as chunks are made.

        A weighted mean (the prior counts as `prior_chars` characters), so one
        odd chunk moves the estimate a little and a whole article's worth moves
        it all the way: the total-time estimate drifts, it never jumps.
        """
        chars = samples = 0
        for n, made in zip(self.chars, self.made, strict=True):
            if made is not None:
                chars += n
                samples += made
        weight = self.prior_chars
        return (self.prior_spc * weight + samples / self.sample_rate) / (weight + chars)

    def measured_seconds_per_char(self) -> float | None:
        """This narration's own pace (None until a chunk with speech is made)."""
        pairs = [(n, m) for n, m in zip(self.chars, self.made, strict=True) if m is not None]
        chars = sum(n for n, _ in pairs)
        return sum(m for _, m in pairs) / self.sample_rate / chars if chars else None

    # -- where things are ---------------------------------------------------------
    def duration_samples(self, index: int, spc: float | None = None) -> int:
        """Audio of chunk `index` (pause excluded): exact when made, else estimated."""
        made = self.made[index]
        if made is not None:
            return made
        pace = self.seconds_per_char() if spc is None else spc
        return round(self.chars[index] * pace * self.sample_rate)

    def offset_samples(self, index: int) -> int:
        """Start of chunk `index` in the narration (a start past the end is the total)."""
        spc = self.seconds_per_char()
        end = min(max(index, 0), len(self.chars))
        return sum(self.duration_samples(j, spc) + self.pauses[j] for j in range(end))

    def offset_s(self, index: int) -> float:
        return self.offset_samples(index) / self.sample_rate

    def end_s(self, index: int) -> float:
        """Where chunk `index`'s audio ends (its pause not included).

        Computed as AudioPiece.placed computes a piece's end, so the two agree exactly.
        """
        return self.offset_s(index) + self.duration_samples(index) / self.sample_rate

    def total_s(self) -> float:
        """The narration's length: exact when every chunk is made, else an estimate."""
        return self.offset_samples(len(self.chars)) / self.sample_rate

    def chunk_at(self, seconds: float) -> tuple[int, float]:
        """(chunk, seconds into it) at `seconds` of the narration; a pause belongs to its chunk."""
        if not self.chars:
            return 0, 0.0
        spc = self.seconds_per_char()
        at = max(0.0, seconds) * self.sample_rate
        start = 0
        for j in range(len(self.chars)):
            span = self.duration_samples(j, spc) + self.pauses[j]
            if at < start + span or j == len(self.chars) - 1:
                into = min(at - start, self.duration_samples(j, spc))
                return j, max(0.0, into) / self.sample_rate
            start += span
        return len(self.chars) - 1, 0.0  # unreachable: the loop returns on the last chunk

    def lead_s(self, first: int, end: int) -> float:
        """Seconds of listening (audio and pauses) in chunks `first` up to `end`."""
        spc = self.seconds_per_char()
        lo, hi = max(first, 0), min(end, len(self.chars))
        return sum(self.duration_samples(j, spc) + self.pauses[j] for j in range(lo, hi)) / (
            self.sample_rate
        )

    # -- when to start ----------------------------------------------------------------
    def start_delay(self, cursor: int, rtf: float, credit_s: float = 0.0) -> float:
        """Seconds to hold playback from chunk `cursor` so it never waits once started.

        If playback started now it would first play the made chunks from the
        cursor on; each unmade chunk k would be needed after all audio before
        it, and made after rtf x the audio of the unmade chunks up to k (plus
        CALL_S per call), less `credit_s` the chunk in progress has already had. The delay is the
        largest shortfall (0 when playback can start now). Pauses cost no
        synthesis; made chunks after a gap cost none either.
        """
        spc = self.seconds_per_char()
        sr = self.sample_rate
        n = len(self.chars)
        j = max(0, cursor)
        played = 0.0  # playback clock, from now
        while j < n and self.made[j] is not None:
            played += (self.duration_samples(j) + self.pauses[j]) / sr
            j += 1
        delay = 0.0
        ready_at = -credit_s  # synthesis clock, from now
        for k in range(j, n):
            d = self.duration_samples(k, spc) / sr
            if self.made[k] is None:
                ready_at += CALL_S + rtf * d
                delay = max(delay, ready_at - played)
            played += d + self.pauses[k] / sr
        return delay
