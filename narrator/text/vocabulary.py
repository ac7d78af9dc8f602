"""Is this string a Hindi word? wordfreq's Hindi list answers, for the seam rules.

Scraped news fuses words where markup was cut out ("…से बाहरवहीं महिला वर्ग…",
"…जा सकता हैइसके बाद…"). Telling such a fusion from a real long word needs a
vocabulary: wordfreq ships one for Hindi (26,653 words with their frequencies,
from Wikipedia, subtitles, news and the web), which is the data the seam rules
ask of it and nothing more.

`import wordfreq` costs ~60 ms (langcodes, regex, its tokenizers); reading the
Hindi list straight from its package data costs ~10 ms, and `narrator text`
pays it once per process. wordfreq documents that file format (cBpack: a
msgpack list whose item i+1 holds the words i centibels below frequency 1); the
public API is the fallback should a later release move the file.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

__all__ = ["is_word", "zipf"]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """word -> Zipf frequency (log10 of uses per billion words) for Hindi."""
    spec = importlib.util.find_spec("wordfreq")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "data" / "small_hi.msgpack.gz"
        if path.is_file():
            import msgpack

            with gzip.open(path, "rb") as handle:
                packed = msgpack.load(handle, raw=False)
            if packed and packed[0] == {"format": "cB", "version": 1}:
                frequencies: dict[str, float] = {}
                for centibels, words in enumerate(packed[1:]):
                    frequencies.update(dict.fromkeys(words, 9 - centibels / 100))
                return frequencies
    from wordfreq import get_frequency_dict, zipf_frequency  # pragma: no cover

    return {
        w: zipf_frequency(w, "hi") for w in get_frequency_dict("hi", "small")
    }  # pragma: no cover


def zipf(word: str) -> float:
    """How common a Hindi word is: 0 when unknown, 3 = rare, 5 = common, 7 = "और"."""
    return _frequencies().get(word, 0.0)


def is_word(word: str, *, at_least: float = 3.0) -> bool:
    """True for a known Hindi word at least this common."""
    return zipf(word) >= at_least
