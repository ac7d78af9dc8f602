"""Is preparing text linear in its length? Pasted blobs of several shapes, timed.

    .venv/bin/python bench/text_blob.py [--sizes 50000,100000]

For each shape, `prepare()` (clean, segment, normalize, chunk) runs on blobs of
the given sizes; the ratio of the times of the largest and smallest blob against
the ratio of their sizes says whether the work is linear (about 1) or worse.
The load average is printed before and after: on a busy machine the seconds
move, the ratios much less. Figures only; no test times anything.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from narrator.text import prepare

SHAPES = {
    "one Devanagari letter": lambda n: "क" * n,
    "one Latin letter": lambda n: "a" * n,
    "capitals": lambda n: "A" * n,
    "digits": lambda n: "1" * n,
    "digits and commas": lambda n: "1," * (n // 2),
    "spaced numbers": lambda n: ("1, " * n)[:n],
    "words, no spaces": lambda n: ("भारतनेमैचजीता" * n)[:n],
    "words": lambda n: ("भारत ने मैच जीता " * n)[:n],
    "random mix": lambda n: "".join(random.Random(1).choice("कखगabc12.,।? ") for _ in range(n)),
}


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    prepare("भारत ने मैच जीता।", lexicon=None)  # imports and the word list, once
    print(f"load average before: {_load()}")
    print(
        "| shape | "
        + " | ".join(f"{n:,} chars (s)" for n in sizes)
        + " | time ratio / size ratio |"
    )
    print("|---|" + "---|" * len(sizes) + "---|")
    for name, make in SHAPES.items():
        seconds = []
        for n in sizes:
            text = make(n)
            start = time.perf_counter()
            prepare(text, lexicon=None)
            seconds.append(time.perf_counter() - start)
        ratio = (seconds[-1] / seconds[0]) / (sizes[-1] / sizes[0])
        print(f"| {name} | " + " | ".join(f"{s:.2f}" for s in seconds) + f" | {ratio:.2f} |")
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
