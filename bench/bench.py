#!/usr/bin/env python3
"""The streaming benchmark from a checkout, with the tiny Coqui model included.

`narrator bench` (the shipped command) measures the engines a user has:
eSpeak NG, Kokoro when its weights are pulled, a Coqui checkpoint when one is
configured. This script adds what only a checkout has: the tiny, randomly
initialised Coqui VITS model that the tests build with Coqui's own classes
(tests/fixtures/coqui_models.py), written to a temp folder and benchmarked
through exactly the path a user's checkpoint takes, as `coqui-tiny`.

    .venv/bin/python bench/bench.py [--json] [--quick] [--engines espeak,kokoro,coqui-tiny]
                                    [--articles PATHS...] [--chars N] [--speedup X]

`--quick` measures one long article (the longest given) per engine: under ten
minutes with Kokoro on two cores, against about half an hour for every article.

Every other option is passed to `narrator bench`. Figures and method are kept
in bench/RESULTS.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENGINES = "espeak,kokoro,coqui-tiny"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from narrator.cli import main as narrator_main

    args = list(argv)
    if "--engines" not in args:
        args += ["--engines", DEFAULT_ENGINES]
    engines = args[args.index("--engines") + 1].split(",")
    with tempfile.TemporaryDirectory(prefix="narrator-tiny-vits-") as tmp:
        if "coqui-tiny" in engines and "--coqui-model" not in args:
            from tests.fixtures.coqui_models import build_tiny_vits

            folder = build_tiny_vits(Path(tmp) / "tiny-vits")
            args += ["--coqui-model", str(folder), "--coqui-label", "coqui-tiny"]
        return narrator_main(["bench", *args])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
