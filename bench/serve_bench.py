#!/usr/bin/env python3
"""`narrator serve` under load: time to first byte and requests per second held.

Starts `narrator serve --engine espeak --no-cache` as a child process on
127.0.0.1 (a free port; only loopback traffic), then:

  1. one client alone: N requests of POST /v1/audio/speech, one after another
     (the baseline: TTFB with nobody else asking)
  2. 8 clients at once, N requests each, same input shape
  3. live narration of each sample article (GET /api/live/{id}.mp3), alone

Each request is a ~300-character Hindi news paragraph with a different number
in it, as MP3. TTFB is from sending the request to the first body byte;
"held" is completed requests / wall time of the 8-client phase, with the
audio seconds delivered per wall second beside it. The machine's load average
is read before and after (other work on the machine shows up there). Every
loop is bounded in count and each request times out after 120 s; the server
is stopped at the end whatever happens.

    .venv/bin/python bench/serve_bench.py [--clients 8] [--requests 10] [--concurrency N]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "मुंबई में आज सेंसेक्स {n} अंक चढ़कर नए शिखर पर पहुँच गया। "
    "विदेशी निवेशकों ने ₹5,200 करोड़ के शेयर खरीदे, और बैंकिंग शेयरों में सबसे ज़्यादा बढ़त देखी गई। "
    "विशेषज्ञों का कहना है कि ब्याज दरों में कटौती की उम्मीद से बाज़ार में तेज़ी आई है।"
)
MP3_BYTES_PER_S = 64_000 / 8  # the server's MP3 at 22.05 kHz: 64 kbit/s CBR


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "n/a"


def one_request(client: httpx.Client, n: int) -> tuple[float, float, int]:
    """(ttfb_s, total_s, bytes) of one speech request."""
    body = {"model": "espeak", "input": PARAGRAPH.format(n=n), "response_format": "mp3"}
    t0 = time.perf_counter()
    with client.stream("POST", "/v1/audio/speech", json=body, timeout=120) as response:
        response.raise_for_status()
        received = response.iter_raw()
        first = next(received)
        ttfb = time.perf_counter() - t0
        size = len(first) + sum(len(b) for b in received)
    return ttfb, time.perf_counter() - t0, size


def run_clients(url: str, clients: int, requests: int) -> tuple[list[tuple], float]:
    results: list[tuple] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        with httpx.Client(base_url=url) as client:
            for i in range(requests):
                r = one_request(client, 1000 * k + i)
                with lock:
                    results.append(r)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return results, time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, results: list[tuple], wall: float) -> str:
    ttfb = [r[0] for r in results]
    total = [r[1] for r in results]
    audio_s = sum(r[2] for r in results) / MP3_BYTES_PER_S
    return (
        f"| {name} | {len(results)} | {1000 * pct(ttfb, 0.5):.0f} | {1000 * pct(ttfb, 0.95):.0f} | "
        f"{1000 * statistics.median(total):.0f} | {len(results) / wall:.1f} | {audio_s / wall:.0f}x |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=10, help="per client")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "narrator", "serve", "--engine", "espeak", "--no-cache",
               "--port", str(port), "--concurrency", str(args.concurrency),
               "--queue", str(4 * args.clients), "--library", str(ROOT / "narrator/data/samples")]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/api/status", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        with httpx.Client(base_url=url) as warm:  # first use imports the encoders
            one_request(warm, 1)
        load_before = loadavg()
        alone, alone_wall = run_clients(url, 1, args.requests)
        loaded, loaded_wall = run_clients(url, args.clients, args.requests)
        live_ttfb = []
        with httpx.Client(base_url=url) as client:
            for article in client.get("/api/library").json()["articles"]:
                t0 = time.perf_counter()
                with client.stream("GET", f"/api/live/{article['id']}.mp3", timeout=120) as r:
                    next(r.iter_raw())
                    live_ttfb.append(time.perf_counter() - t0)
        load_after = loadavg()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    print(f"cpus: {os.cpu_count()}  server --concurrency {args.concurrency}  "
          f"loadavg before: {load_before}  after: {load_after}")  # fmt: skip
    print("| phase | requests | TTFB p50 ms | TTFB p95 ms | total p50 ms | requests/s | audio/wall |")
    print("|---|---|---|---|---|---|---|")
    print(summary("1 client", alone, alone_wall))
    print(summary(f"{args.clients} clients", loaded, loaded_wall))
    ratio = pct([r[0] for r in loaded], 0.5) / pct([r[0] for r in alone], 0.5)
    print(f"TTFB p50 under {args.clients} clients / alone: {ratio:.1f}x")
    print("live narration TTFB ms (sample articles, alone): "
          + ", ".join(f"{1000 * t:.0f}" for t in live_ttfb))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
