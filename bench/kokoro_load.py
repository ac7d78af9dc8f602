"""What verifying Kokoro's weights by content costs on each engine load.

Run: `.venv/bin/python bench/kokoro_load.py` (Kokoro must be pulled). Prints
the median of several loads: the sha256 of the five files (what every load now
does instead of trusting size, mtime and inode) beside the whole load
(`KokoroEngine()`, which also starts the ONNX Runtime session), and the ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from narrator.engines import kokoro_assets as assets
from narrator.engines.kokoro import KokoroEngine

ROUNDS = 7


def _median_s(run: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with open("/proc/loadavg", encoding="ascii") as fh:
        print(f"load before: {fh.read().split()[:3]}")
    KokoroEngine().close()  # warm the page cache and the phonemizer
    verify_s = _median_s(assets.verify)
    load_s = _median_s(lambda: KokoroEngine().close())
    print(f"verify (sha256 of 5 files, {assets.MODEL_SIZE / 1e6:.0f} MB): {verify_s:.3f} s")
    print(f"whole KokoroEngine() load:                    {load_s:.3f} s")
    print(f"verification share of a load:                 {verify_s / load_s:.0%}")
    with open("/proc/loadavg", encoding="ascii") as fh:
        print(f"load after: {fh.read().split()[:3]}")


if __name__ == "__main__":
    main()
