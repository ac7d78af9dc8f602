"""Helpers for the `narrator serve` tests: an app on real eSpeak, a real server.

Not a fixture plugin: each test module builds what it needs with these, so the
server tests stay readable on their own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import miniaudio
import numpy as np

from narrator.serve.adapters import default_engine
from narrator.serve.app import ServeConfig, create_app
from narrator.serve.server import free_port, uvicorn_server

# A long, real-looking Hindi text: many sentences, so its synthesis takes a while.
SENTENCE = "मुंबई में आज सेंसेक्स {n} अंक चढ़कर नए शिखर पर पहुँच गया।"


def long_text(sentences: int) -> str:
    return " ".join(SENTENCE.format(n=100 + i) for i in range(sentences))


def espeak_app(folder: Path | None = None, **config):
    """The server app speaking with real eSpeak NG (no chunk cache: every request synthesizes)."""
    engine, _notices = default_engine("espeak")
    return create_app(ServeConfig(folder=folder, **config), engine)


@contextlib.contextmanager
def running(app) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 and a free port; yields the base URL."""
    port = free_port()
    server = uvicorn_server(app, "127.0.0.1", port, quiet=True)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        assert not thread.is_alive(), "the test server did not stop"


def wait_until(condition, timeout_s: float = 10.0, what: str = "condition") -> None:
    """Poll `condition` every 20 ms, at most `timeout_s` (bounded, never forever)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def decode(data: bytes, fmt: str) -> tuple[np.ndarray, int]:
    """Decode mp3/flac/wav bytes with miniaudio (dr_libs, not the encoder's own library)."""
    rate = getattr(miniaudio, f"{fmt}_get_info")(data).sample_rate
    decoded = miniaudio.decode(
        data, output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=rate
    )
    return np.asarray(decoded.samples, dtype=np.float32), decoded.sample_rate
