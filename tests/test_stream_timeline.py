"""The Timeline and the chunk plan: pure arithmetic, no threads, no engine.

The "never waits" tests replay a narration on paper: the producer makes chunk
after chunk from time 0 (engine time = RTF x audio, plus a fixed cost per
call), playback starts when the first chunk is made plus the Timeline's start
delay, and every chunk must be made by the time playback reaches it. Chunk
lengths come from real articles through the real text front end; their audio
is the characters at a voice's pace, off by up to ±15% per chunk as real voices
are.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from narrator.articles import load_article
from narrator.audio.assemble import pause_samples
from narrator.engines.speedlog import SECONDS_PER_CHAR
from narrator.stream.timeline import (
    CALL_S,
    DESIGN_RTF,
    FIRST_CHUNK_S,
    Timeline,
    chunk_plan,
    expected_wait_s,
    next_chunk_budget_s,
    plan_rtf,
)
from narrator.text import prepare
from narrator.text.script import Script

SR = 24000
KOKORO_LIMIT = 300  # spoken characters, about Kokoro's 510 phonemes
SAMPLES = Path(__file__).resolve().parents[1] / "narrator" / "data" / "samples"
MIXED = (
    "बड़ी खबर: किसानों को राहत\n\n"
    "यह एक छोटा पैराग्राफ है।\n"
    "सरकार ने आज एक नई योजना की घोषणा की जिसके तहत देश के सभी राज्यों में किसानों को सीधे उनके बैंक "
    "खातों में सहायता राशि भेजी जाएगी और इसके लिए केंद्र सरकार ने अगले पांच वर्षों में कई हज़ार करोड़ "
    "रुपये खर्च करने की योजना बनाई है जिसका लाभ करोड़ों परिवारों को मिलेगा।\n"
    "हां।\n"
    "विपक्ष ने इस घोषणा का स्वागत किया लेकिन कहा कि योजना को लागू करने में पारदर्शिता होनी चाहिए "
    "क्योंकि पिछली कई योजनाओं में सहायता सही लोगों तक नहीं पहुंची थी और राज्यों के साथ तालमेल की कमी "
    "के कारण कई किसान इससे वंचित रह गए थे।\n"
    "बस इतना ही।\n"
    "विशेषज्ञों का मानना है कि अगर यह योजना ठीक से लागू होती है तो ग्रामीण अर्थव्यवस्था को बड़ा सहारा "
    "मिलेगा, खासकर उन इलाकों में जहां पिछले दो साल से बारिश कम हुई है और फसलें खराब हुई हैं।"
)


def _fits(text: str) -> bool:
    return len(text) <= KOKORO_LIMIT


def planned_script(body: str, title: str = "", *, rtf: float | None = None) -> Script:
    return prepare(body, title=title, fits=_fits, budget=chunk_plan(rtf=rtf))


def article_scripts() -> list[tuple[str, str, str]]:
    shared = Path(__file__).resolve().parents[2] / "shared" / "articles"
    paths = sorted(SAMPLES.glob("*.txt")) + sorted(shared.glob("*.txt"))
    out = [("mixed", "", MIXED)]
    for path in paths:
        article = load_article(path)
        out.append((path.stem, article.title, article.body))
    return out


def narrate_on_paper(
    script: Script, rtf: float, *, pace: float = 0.08, jitter: float = 0.15, call_s: float = 0.05
) -> tuple[float, list[float]]:
    """(start delay the Timeline asks for, waits heard after the start).

    The voice speaks `pace` seconds per character (the Timeline's prior is the
    default reading pace, as for a voice never measured), each chunk off by up
    to `jitter`; the engine needs `call_s` + rtf x audio per chunk.
    """
    rng = random.Random(len(script.chunks))
    durations = [len(c.text) * pace * rng.uniform(1 - jitter, 1 + jitter) for c in script.chunks]
    made_at = list(itertools.accumulate(call_s + rtf * d for d in durations))
    timeline = Timeline.of(script, SR)
    timeline.record(0, round(durations[0] * SR))  # playback may start: chunk 0 is made
    delay = timeline.start_delay(0, rtf, credit_s=0.0)
    clock = made_at[0] + delay
    waits = []
    for k, chunk in enumerate(script.chunks):
        if made_at[k] > clock:
            waits.append(made_at[k] - clock)
            clock = made_at[k]
        clock += durations[k] + pause_samples(chunk, SR) / SR
    return delay, waits


# --------------------------------------------------------------------------
# The chunk plan
# --------------------------------------------------------------------------
def test_first_chunk_is_short_and_budgets_grow_with_the_audio_planned_ahead():
    assert next_chunk_budget_s([], 0.8) == FIRST_CHUNK_S
    planned: list[tuple[float, float]] = []
    budgets = []
    for _ in range(12):
        budget = next_chunk_budget_s(planned, 0.8)
        budgets.append(budget)
        planned.append((budget, 0.35))  # each chunk as long as its budget allows
    assert all(b > a for a, b in itertools.pairwise(budgets))  # growing...
    assert budgets[-1] > 8 * budgets[0]  # ...geometrically
    # a slower voice gets smaller budgets from the same plan
    assert next_chunk_budget_s(planned[:3], 0.95) < next_chunk_budget_s(planned[:3], 0.8)
    # the plan never counts on a voice faster than DESIGN_RTF, and plans slower voices as they are
    assert plan_rtf(None) == plan_rtf(0.3) == DESIGN_RTF and plan_rtf(0.9) == 0.9


def test_planned_script_starts_with_one_short_clause_and_grows_to_the_engine_limit():
    script = planned_script(MIXED)
    plain = prepare(MIXED, fits=_fits, short_first_chunk=False)
    sizes = [len(c.text) for c in script.chunks]
    assert sizes[0] <= FIRST_CHUNK_S / SECONDS_PER_CHAR
    assert max(sizes) > 3 * sizes[0] and all(s <= KOKORO_LIMIT for s in sizes)
    # the same words in the same order: the plan only moves chunk boundaries
    assert " ".join(c.text for c in script.chunks).split() == plain.spoken_text.split()


def test_a_fast_voice_is_not_cut_up_after_its_first_chunk():
    eager = planned_script(MIXED, rtf=0.002)
    slow = planned_script(MIXED, rtf=None)
    assert len(eager.chunks) < len(slow.chunks)
    assert len(eager.chunks[0].text) <= FIRST_CHUNK_S / SECONDS_PER_CHAR


@pytest.mark.parametrize(("name", "title", "body"), article_scripts(), ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("rtf", [0.3, 0.6, 0.8])
def test_planned_narration_never_waits_up_to_rtf_0_8(name, title, body, rtf):
    """No gap a listener could hear once playback starts, which is right after the
    first chunk. At the design limit (RTF 0.8, every chunk's length off by up to
    15%) a chunk that must run past its budget, because the only cut within it
    would end a chunk before a postposition, may stretch one pause by a few
    milliseconds (7 ms once in these articles): below anything audible, where
    pauses between clauses are 80 ms and more."""
    script = planned_script(body, title)
    delay, waits = narrate_on_paper(script, rtf)
    assert all(w < 0.02 for w in waits), waits
    assert len(waits) <= 1
    assert delay == 0.0  # and it starts right after the first chunk


def test_the_simulation_catches_waits_of_the_old_chunking():
    """The same replay finds the stalls of chunks that double blindly (the old plan)."""
    article = load_article(SAMPLES / "cricket-adelaide.txt")
    old = prepare(article.body, title=article.title, fits=_fits)
    delay, _ = narrate_on_paper(old, 0.8)
    assert delay > 1.0  # a long hold before the start, or...
    planned = planned_script(article.body, article.title)
    assert narrate_on_paper(planned, 0.8) == (0.0, [])


# --------------------------------------------------------------------------
# The timeline
# --------------------------------------------------------------------------
def _timeline(chars: list[int], pause_s: float = 0.5, spc: float = 0.1) -> Timeline:
    pauses = [round(pause_s * SR)] * (len(chars) - 1) + [0]
    return Timeline(SR, chars, pauses, prior_spc=spc)


def test_offsets_are_exact_where_made_and_estimated_from_characters_elsewhere():
    tl = _timeline([10, 20, 30])
    assert tl.offset_s(0) == 0.0
    assert tl.offset_s(1) == pytest.approx(1.0 + 0.5)
    assert tl.total_s() == pytest.approx(1.0 + 0.5 + 2.0 + 0.5 + 3.0)
    tl.record(0, 2 * SR)  # chunk 0 ran twice as long as predicted
    assert tl.offset_samples(1) == 2 * SR + round(0.5 * SR)
    assert tl.end_s(0) == pytest.approx(2.0)
    # the pace of what is made updates the estimate of the rest, weighted
    assert 0.1 < tl.seconds_per_char() < 0.2
    for i, n in enumerate([10, 20, 30]):
        tl.record(i, n * SR // 5)
    assert tl.total_s() == pytest.approx(2 + 4 + 6 + 1.0)  # exact once all are made
    assert tl.chunk_at(2.6) == (1, pytest.approx(0.1))
    assert tl.chunk_at(2.3) == (0, pytest.approx(2.0))  # in chunk 0's pause: its end
    assert tl.chunk_at(1e6)[0] == 2


def test_start_delay_covers_a_long_chunk_after_a_short_one():
    tl = _timeline([10, 100], pause_s=0.0)  # 1 s made, then 10 s to make
    tl.record(0, SR)
    # at RTF 0.5 chunk 1 is made 5 s from now (and one call) but needed after 1 s: hold 4 s
    assert tl.start_delay(0, 0.5) == pytest.approx(4.0 + CALL_S)
    assert tl.start_delay(0, 0.5, credit_s=3.0) == pytest.approx(1.0 + CALL_S)  # 3 s of it done
    assert tl.start_delay(0, 0.05) == 0.0
    tl.record(1, 10 * SR)
    assert tl.start_delay(0, 0.5) == 0.0  # made chunks cost nothing


def test_start_delay_after_a_seek_counts_made_chunks_as_free():
    tl = _timeline([10, 100, 100, 100], pause_s=0.0)
    tl.record(2, 10 * SR)  # made earlier, before the listener skipped back
    tl.record(1, 10 * SR)
    # from chunk 1: 20 s made, then chunk 3 (10 s) takes 5 s at RTF 0.5: no hold
    assert tl.start_delay(1, 0.5) == 0.0
    assert tl.start_delay(0, 0.5) == pytest.approx(0.5 + CALL_S)  # chunk 0 itself: 0.5 s of work
    assert expected_wait_s(Script("", "", [], []), 2.0) == 0.0


def _estimates(script: Script, actual_spc: float, recorded_spc: float | None):
    """(total-time estimates as chunks are made, the true total)."""
    rng = random.Random(7)
    tl = Timeline.of(script, SR, recorded_spc)
    totals = [tl.total_s()]
    truth = 0.0
    for i, chunk in enumerate(script.chunks):
        samples = round(len(chunk.text) * actual_spc * rng.uniform(0.85, 1.15) * SR)
        tl.record(i, samples)
        truth += samples / SR + tl.pauses[i] / SR
        totals.append(tl.total_s())
    assert totals[-1] == pytest.approx(truth)  # exact once every chunk is made
    return totals, truth


def test_total_estimate_of_a_measured_voice_is_close_from_the_start():
    script = planned_script(MIXED)
    totals, truth = _estimates(script, actual_spc=0.095, recorded_spc=0.09)
    assert max(abs(t - truth) / truth for t in totals) <= 0.10


def test_total_estimate_of_a_new_voice_never_jumps_once_it_sounds():
    """A voice never measured may be well off the default pace; the estimate a
    listener sees (from the first sound, when chunk 0 is made) still only drifts."""
    script = planned_script(MIXED)
    totals, _ = _estimates(script, actual_spc=0.1, recorded_spc=None)  # 40% slower
    heard = totals[1:]
    assert max(abs(b - a) / a for a, b in itertools.pairwise(heard)) <= 0.10
