"""Properties of the whole text path on scraped-news-like input (issue #11).

* No Devanagari word of a line that ends a sentence is ever lost, whatever
  noise (labels, buttons, credits, glued stops, broken lines) is around it.
* No chunk is longer than any engine's limit.
* The work is linear in the input: a pasted blob of any shape costs normalizing
  each character a bounded number of times (counted, not timed).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import narrator.text as text_package
from narrator.engines.coqui import CoquiEngine
from narrator.engines.espeak import EspeakEngine
from narrator.engines.kokoro import KokoroEngine
from narrator.engines.xtts import XttsEngine
from narrator.text import prepare

WORD = re.compile(r"[\u0904-\u0939\u0958-\u0961\u0972-\u097f][\u0900-\u0963\u0971-\u097f]*")
ENGINE_LIMITS = sorted({c.max_chars for c in (EspeakEngine, XttsEngine, KokoroEngine, CoquiEngine)})

_VOCABULARY = (  # noqa: SIM905 - a word list reads better as text
    "भारत सरकार ने आज नई योजना का ऐलान किया और कहा कि किसानों को मदद मिलेगी लेकिन "
    "विपक्ष इससे खुश नहीं है मौसम विभाग के अनुसार बारिश होगी टीम मैच जीती कोहली शतक "
    "बनाया शहर में लोग घरों से बाहर निकले अदालत फ़ैसला सुनाया कंपनी शेयर बाज़ार "
    "गिरावट जारी रही"
).split()
_EXTRAS = ["GPU", "16.9%", "₹500", "2024", "डॉक्टर", "NVIDIA", "(PTI)", "“कहा”", "—", ","]
_NOISE = [
    "Read Also",
    "यह भी पढ़ें",
    "विज्ञापन",
    "Share this article",
    "टिप्पणियाँ",
    "फोटो: PTI",
    "प्रकाशित: 15 अक्टूबर 2024, 10:30 IST",
    "WhatsApp | Facebook | X",
    "",
]

_word = st.one_of(st.sampled_from(_VOCABULARY), st.sampled_from(_EXTRAS))
_sentence = st.tuples(
    st.lists(_word, min_size=2, max_size=14).map(" ".join), st.sampled_from(["।", ".", "?", "!"])
).map("".join)
# sentences of a paragraph: spaced, or glued as scrapes glue them ("है.अब")
_paragraph = st.tuples(st.lists(_sentence, min_size=1, max_size=4), st.sampled_from([" ", ""])).map(
    lambda p: p[1].join(p[0])
)
_line = st.one_of(_paragraph, _paragraph, _paragraph, st.sampled_from(_NOISE))
_article = st.lists(_line, min_size=1, max_size=12)


def _devanagari_words(text: str) -> list[str]:
    return WORD.findall(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=_article,
    breaks=st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n\n"]), min_size=12, max_size=12),
)
def test_no_devanagari_word_of_a_sentence_final_line_is_lost(lines, breaks):
    text = "".join(line + sep for line, sep in zip(lines, breaks, strict=False))
    script = prepare(text, lexicon=None)
    spoken = " ".join(c.text for c in script.chunks)
    position = 0
    for line in lines:
        if not line.rstrip("\"'”’)").endswith(("।", ".", "?", "!")):
            continue
        for word in _devanagari_words(line):
            found = spoken.find(word, position)
            assert found >= 0, (word, line, spoken)
            position = found + len(word)


_blob = st.one_of(
    st.text(max_size=600),
    st.text(alphabet="कखगabc12.,।? ", max_size=3000),
    st.integers(min_value=1, max_value=3000).map(lambda n: "क" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: "9" * n),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_article.map("\n".join), _blob), limit=st.sampled_from(ENGINE_LIMITS))
def test_no_chunk_exceeds_an_engines_limit(text, limit):
    for chunk in prepare(text, lexicon=None, max_chars=limit).chunks:
        assert 0 < len(chunk.text) <= limit


_SHAPES = {
    "devanagari": lambda n: "क" * n,
    "latin": lambda n: "a" * n,
    "capitals": lambda n: "A" * n,
    "digits": lambda n: "1" * n,
    "digits and commas": lambda n: "1," * (n // 2),
    "dots": lambda n: "a." * (n // 2),
    "words without spaces": lambda n: ("भारतनेमैचजीता" * n)[:n],
    "spaced words": lambda n: ("भारत ने मैच जीता " * n)[:n],
}


@pytest.mark.parametrize("shape", list(_SHAPES))
def test_the_work_on_a_pasted_blob_is_linear(shape, monkeypatch):
    """Characters given to normalize() per input character stay bounded as the blob grows."""
    counted = [0]
    real = text_package.normalize  # what prepare() calls on every piece

    def counting(text, lexicon=None):
        counted[0] += len(text)
        return real(text, lexicon)

    monkeypatch.setattr(text_package, "normalize", counting)
    per_char = []
    for n in (5_000, 20_000, 50_000):
        counted[0] = 0
        chunks = prepare(_SHAPES[shape](n), lexicon=None).chunks
        assert chunks  # it completes, and says something
        per_char.append(counted[0] / n)
    assert max(per_char) <= 8, per_char  # each character normalized a few times at most
    assert per_char[-1] <= per_char[0] * 1.5 + 0.5, per_char  # and not more as it grows
