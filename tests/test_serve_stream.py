"""`narrator serve` on a real uvicorn server (127.0.0.1, a free port): audio
streams while it is made, a client that leaves stops its synthesis, a full queue
answers 429, and slow clients time out. Every wait is bounded."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest

from narrator.text import prepare
from tests.serve_support import decode, espeak_app, long_text, running, wait_until

LONG = long_text(150)  # ~30 chunks of ~20 s each: about ten minutes of audio


def _chunks(text: str) -> int:
    """The chunks the server speaks `text` in (planned as live listening plans them)."""
    from narrator.engines.espeak import EspeakEngine
    from narrator.stream import live_chunk_plan

    engine = EspeakEngine(voice="hi-female")
    return len(prepare(text, fits=engine.fits, budget=live_chunk_plan(engine)).chunks)


def _speak(client: httpx.Client, text: str, fmt: str = "wav"):
    return client.stream(
        "POST", "/v1/audio/speech", json={"input": text, "response_format": fmt}, timeout=30
    )


def test_audio_streams_chunked_before_the_synthesis_is_done():
    app = espeak_app()
    stats = app.state.synthesizer.stats
    total = _chunks(LONG)
    with running(app) as url, httpx.Client(base_url=url) as client:
        with _speak(client, LONG) as response:
            assert response.status_code == 200
            assert response.headers["transfer-encoding"] == "chunked"
            assert "content-length" not in response.headers
            received = response.iter_raw()
            first = next(received)
            made_at_first_bytes = stats.pieces
            assert first[:4] == b"RIFF" and len(first) > 44  # header and the first audio
            rest = b"".join(received)
        assert made_at_first_bytes < total / 4
        audio, rate = decode(first + rest, "wav")
        assert len(audio) / rate > 60  # the whole long narration arrived
        wait_until(lambda: stats.active == 0, what="the stream to close")
        assert stats.pieces == total and stats.stopped_early == 0


def test_a_client_that_disconnects_stops_its_synthesis():
    app = espeak_app(concurrency=1, queue=0)
    synth = app.state.synthesizer
    total = _chunks(LONG)
    with running(app) as url, httpx.Client(base_url=url) as client:
        with _speak(client, LONG) as response:
            assert response.status_code == 200
            received = response.iter_raw()
            next(received)
            time.sleep(0.2)
            assert synth.stats.active == 1  # still streaming while the client holds on
        # leaving the block closes the connection after its first bytes
        wait_until(lambda: synth.stats.active == 0, what="synthesis to stop")
        stopped_at = synth.stats.pieces
        assert synth.stats.stopped_early == 1
        assert stopped_at < total / 2, f"{stopped_at} of {total} chunks were made anyway"
        time.sleep(0.5)
        assert synth.stats.pieces == stopped_at  # nothing more is synthesized afterwards
        assert synth.admission.active == 0  # and the slot is free again
        short = client.post("/v1/audio/speech", json={"input": "नमस्ते।"}, timeout=30)
        assert short.status_code == 200


def test_a_full_queue_answers_429_and_a_long_wait_503():
    app = espeak_app(concurrency=1, queue=1, timeout_s=3.0)
    admission = app.state.synthesizer.admission
    results: dict[str, httpx.Response] = {}
    with running(app) as url, httpx.Client(base_url=url) as holder:
        with _speak(holder, LONG) as held:  # holds the only slot while unread
            unread = held.iter_raw()
            next(unread)

            def queued() -> None:
                with httpx.Client(base_url=url) as other:
                    results["queued"] = other.post(
                        "/v1/audio/speech", json={"input": "नमस्ते।"}, timeout=30
                    )

            waiter = threading.Thread(target=queued)
            waiter.start()
            wait_until(lambda: admission.waiting == 1, what="the second request to queue")
            with httpx.Client(base_url=url) as third:
                t0 = time.perf_counter()
                refused = third.post("/v1/audio/speech", json={"input": "नमस्ते।"}, timeout=30)
                assert time.perf_counter() - t0 < 2.0  # refused at once, not after the 3 s wait
            assert refused.status_code == 429
            assert refused.headers["retry-after"] == "1"
            assert refused.json()["error"]["type"] == "rate_limit_error"
            waiter.join(timeout=20)
        # the queued request waited the whole timeout behind the unread stream: 503
        assert results["queued"].status_code == 503
        assert "within 3 s" in results["queued"].json()["error"]["message"]
        wait_until(lambda: admission.active == 0, what="the slot to be released")


def test_a_queued_request_is_served_when_the_slot_frees():
    app = espeak_app(concurrency=1, queue=2)
    results: dict[str, httpx.Response] = {}
    with running(app) as url, httpx.Client(base_url=url) as holder:
        admission = app.state.synthesizer.admission
        with _speak(holder, LONG) as held:
            unread = held.iter_raw()
            next(unread)

            def queued() -> None:
                with httpx.Client(base_url=url) as other:
                    results["queued"] = other.post(
                        "/v1/audio/speech", json={"input": "नमस्ते।"}, timeout=30
                    )

            waiter = threading.Thread(target=queued)
            waiter.start()
            wait_until(lambda: admission.waiting == 1, what="the request to queue")
        waiter.join(timeout=20)  # the held stream closed: the queued one gets the slot
        assert results["queued"].status_code == 200
        assert decode(results["queued"].content, "mp3")[0].size > 0


def test_a_body_that_never_arrives_times_out():
    app = espeak_app(timeout_s=0.5)
    with running(app) as url:
        host, port = urlsplit(url).hostname, urlsplit(url).port
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(
                b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"inp"
            )
            data = b""
            while b"}}" not in data:  # the one-line JSON error ends the reply
                more = sock.recv(4096)
                if not more:
                    break
                data += more
            reply = data.decode("latin-1")
        assert reply.startswith("HTTP/1.1 408"), reply[:80]
        assert '"request_timeout"' in reply


@pytest.mark.parametrize("fmt", ["mp3", "opus"])
def test_first_bytes_come_after_the_first_chunk_not_the_whole_text(fmt):
    app = espeak_app()
    stats = app.state.synthesizer.stats
    with (
        running(app) as url,
        httpx.Client(base_url=url) as client,
        _speak(client, LONG, fmt) as response,
    ):
        assert response.status_code == 200
        received = response.iter_raw()
        next(received)
        assert stats.pieces < _chunks(LONG) / 4


def _espeak_failing_on_call(n: int):
    """eSpeak NG that fails on its n-th synthesis (a model crashing mid-article)."""
    from narrator.engines.espeak import EspeakEngine

    class Failing(EspeakEngine):
        calls = 0

        def synthesize(self, text):
            Failing.calls += 1
            if Failing.calls == n:
                raise RuntimeError("the model crashed")
            return super().synthesize(text)

    return Failing()


def test_an_engine_failure_is_a_json_500_before_audio_and_a_cut_stream_after():
    from narrator.serve.app import ServeConfig, create_app

    first = create_app(ServeConfig(), _espeak_failing_on_call(1))
    with running(first) as url, httpx.Client(base_url=url) as client:
        response = client.post("/v1/audio/speech", json={"input": LONG}, timeout=30)
        assert response.status_code == 500
        assert "the model crashed" in response.json()["error"]["message"]
        assert first.state.synthesizer.admission.active == 0

    later = create_app(ServeConfig(), _espeak_failing_on_call(3))
    with running(later) as url, httpx.Client(base_url=url) as client:
        with pytest.raises(httpx.RemoteProtocolError):  # not a clean, silently short file
            client.post("/v1/audio/speech", json={"input": LONG}, timeout=30)
        wait_until(lambda: later.state.synthesizer.admission.active == 0, what="the slot")
        assert later.state.synthesizer.stats.active == 0
