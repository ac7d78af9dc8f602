"""`narrator serve` through Starlette's TestClient: the OpenAI-compatible API, the
errors and limits, the hosted export folder (Range, caching headers, traversal)
and the player's JSON. Audio is real eSpeak NG, decoded back with miniaudio."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import numpy as np
import pytest
import soundfile as sf
from starlette.testclient import TestClient

from narrator.serve.speech import blend_parts, canonical_voice, choose_voice
from narrator.text import prepare
from tests.serve_support import decode, espeak_app

HINDI = "नमस्ते। आज दिल्ली में मौसम साफ़ रहेगा, और तापमान 29 डिग्री रहेगा।"


@pytest.fixture
def client():
    app = espeak_app()
    with TestClient(app) as c:
        yield c


@pytest.fixture
def folder(espeak_episodes, tmp_path) -> Path:
    """A private copy of the exported episodes (tests add symlinks and temp files)."""
    _, out = espeak_episodes
    copy = tmp_path / "pod"
    shutil.copytree(out, copy)
    return copy


@pytest.fixture
def hosting(folder):
    with TestClient(espeak_app(folder)) as c:
        yield c, folder


def _speech(client, **fields):
    body = {"model": "espeak", "input": HINDI, **fields}
    return client.post("/v1/audio/speech", json=body)


def _error(response) -> dict:
    assert "\n" not in response.text.strip(), "errors are one line"
    return response.json()["error"]


# -- the OpenAI-compatible API ----------------------------------------------------------
def test_models_and_voices_list_what_is_installed_with_licences(client):
    models = client.get("/v1/models").json()
    assert models["object"] == "list"
    ids = {m["id"]: m for m in models["data"]}
    assert "espeak" in ids and "tts-1" in ids
    assert ids["espeak"]["licences"] and ids["espeak"]["voices"] == ["hi-female", "hi-male"]
    assert ids["tts-1"]["alias_of"] == "espeak"
    voices = client.get("/v1/audio/voices").json()["voices"]
    espeak = [v for v in voices if v["engine"] == "espeak"]
    assert {v["id"] for v in espeak} == {"hi-female", "hi-male"}
    assert all(v["licence"] and v["ready"] for v in voices)


def _envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS per 10 ms: eSpeak's output can differ by a sample between two runs."""
    frame = rate // 100
    usable = len(samples) // frame * frame
    blocks = samples[:usable].astype(np.float64).reshape(-1, frame)
    return np.sqrt(np.mean(blocks**2, axis=1))


def test_speech_is_the_narration_the_hindi_front_end_makes(client):
    """WAV from the API = `prepare(input)` (chunks planned as live listening plans
    them) rendered as export does: same words (digits spoken), same pauses between
    sentences and paragraphs, the same samples."""
    from narrator.engines.espeak import EspeakEngine
    from narrator.stream import live_chunk_plan, render_script

    text = HINDI + "\n\nमौसम विभाग ने अगले तीन दिनों तक हल्की बारिश का अनुमान लगाया है।"
    response = _speech(client, response_format="wav", voice="hi-female", input=text)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    data = response.content
    assert data[:4] == b"RIFF" and data[4:8] == b"\xff\xff\xff\xff"  # length unknown
    samples = np.frombuffer(data[44:], dtype="<i2") / 32767.0
    engine = EspeakEngine(voice="hi-female")
    script = prepare(text, fits=engine.fits, budget=live_chunk_plan(engine))
    assert len(script.chunks) >= 2
    expected = render_script(engine, script).audio
    assert len(samples) == len(expected)
    assert np.max(np.abs(samples - expected)) < 2 / 32767  # 16-bit rounding only
    ours, theirs = _envelope(samples, 22050), _envelope(expected, 22050)
    n = min(len(ours), len(theirs))
    assert np.corrcoef(ours[:n], theirs[:n])[0, 1] > 0.98


@pytest.mark.parametrize("fmt", ["mp3", "flac", "wav"])
def test_each_format_decodes_to_the_whole_narration(client, fmt):
    wav, _ = decode(_speech(client, response_format="wav").content, "wav")
    response = _speech(client, response_format=fmt)
    assert response.status_code == 200
    audio, rate = decode(response.content, fmt)
    assert rate == 22050
    assert abs(len(audio) - len(wav)) < 0.15 * rate  # mp3 adds its encoder delay only
    assert np.sqrt(np.mean(audio**2)) > 0.01


def test_opus_and_pcm(client):
    wav, rate = decode(_speech(client, response_format="wav").content, "wav")
    opus = _speech(client, response_format="opus")
    assert opus.headers["content-type"].startswith("audio/ogg")
    audio, opus_rate = sf.read(io.BytesIO(opus.content), dtype="float32")
    assert opus_rate == 24000
    assert abs(len(audio) / opus_rate - len(wav) / rate) < 0.1
    pcm = _speech(client, response_format="pcm")
    assert pcm.headers["content-type"] == "audio/pcm"
    samples = np.frombuffer(pcm.content, dtype="<i2")
    assert abs(len(samples) / 24000 - len(wav) / rate) < 0.05  # 24 kHz, as OpenAI's pcm


def _pcm(client, **fields) -> np.ndarray:
    response = _speech(client, response_format="pcm", **fields)
    assert response.status_code == 200, response.text
    return np.frombuffer(response.content, "<i2").astype(np.float64)


def _median_pitch_hz(samples: np.ndarray, rate: int = 24000) -> float:
    """Median f0 of the loud 40 ms frames, from the autocorrelation peak (80-400 Hz)."""
    frame = int(0.04 * rate)
    lo, hi = rate // 400, rate // 80
    loudest = np.sqrt(np.mean(samples**2)) * 1.5
    pitches = []
    for start in range(0, len(samples) - frame, frame):
        x = samples[start : start + frame]
        if np.sqrt(np.mean(x**2)) < loudest:
            continue
        x = x - x.mean()
        ac = np.correlate(x, x, mode="full")[frame - 1 :]
        pitches.append(rate / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(pitches))


def test_speed_and_voice_change_the_audio(client):
    normal, fast, male = _pcm(client), _pcm(client, speed=1.5), _pcm(client, voice="hi-male")
    assert len(fast) < 0.85 * len(normal)
    assert _median_pitch_hz(normal) > 1.15 * _median_pitch_hz(male)
    # OpenAI's model names mean the server's engine; the voice alone picks it too
    alias = _pcm(client, model="tts-1", voice="hi-male")
    assert abs(len(alias) - len(male)) < 100
    n = min(len(alias), len(male))
    assert np.corrcoef(_envelope(alias[:n], 24000), _envelope(male[:n], 24000))[0, 1] > 0.98


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"voice": "alloy"}, 400, "unknown_voice"),
        ({"voice": "hf_alpha", "model": "espeak"}, 400, "unknown_voice"),
        ({"response_format": "aac"}, 400, "unsupported_format"),
        ({"input": ""}, 400, "empty_input"),
        ({"input": "   \n "}, 400, "empty_input"),
        ({"input": "The market rose 850 points today."}, 400, "not_hindi"),
        ({"input": None}, 400, "missing_input"),
        ({"model": "gpt-5"}, 400, "unknown_model"),
        ({"speed": 4.0}, 400, "invalid_speed"),
        ({"speed": "fast"}, 400, "invalid_speed"),
        ({"input": "क" * 10_001}, 413, "input_too_large"),
    ],
)
def test_bad_requests_get_one_line_json_before_any_synthesis(client, fields, status, code):
    response = _speech(client, **fields)
    assert response.status_code == status
    error = _error(response)
    assert error["code"] == code and error["message"]
    assert client.app.state.synthesizer.stats.started == 0


def test_bodies_that_are_not_json_or_too_big(client):
    bad = client.post("/v1/audio/speech", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and _error(bad)["code"] == "invalid_json"
    huge = b'{"input": "' + b"a" * 200_000 + b'"}'
    response = client.post("/v1/audio/speech", content=huge)
    assert response.status_code == 413
    assert "limit" in _error(response)["message"]


def test_max_input_size_is_configurable():
    with TestClient(espeak_app(max_input_chars=20)) as small:
        assert _speech(small, input="नमस्ते").status_code == 200
        assert _speech(small, input=HINDI).status_code == 413


def test_blend_syntaxes_and_voice_choice():
    assert blend_parts("hf_alpha:60,hm_omega:40") == [("hf_alpha", 60.0), ("hm_omega", 40.0)]
    assert blend_parts("hf_alpha(2)+hm_omega(1)") == [("hf_alpha", 2.0), ("hm_omega", 1.0)]
    assert canonical_voice(blend_parts("hf_alpha+hm_omega")) == "hf_alpha:1,hm_omega:1"
    from narrator.engines.base import VoiceInfo

    catalogue = [
        VoiceInfo("hi-female", "espeak"),
        VoiceInfo("hf_alpha", "kokoro"),
        VoiceInfo("hm_omega", "kokoro"),
        VoiceInfo("hm_psi", "kokoro", ready=False, pull_hint="narrator models pull kokoro"),
    ]
    assert choose_voice("tts-1", "hf_alpha(3)+hm_omega(1)", catalogue, "espeak") == (
        "kokoro",
        "hf_alpha:3,hm_omega:1",
    )
    assert choose_voice("", "", catalogue, "espeak") == (None, None)
    with pytest.raises(Exception, match="not installed"):
        choose_voice("kokoro", "hm_psi", catalogue, "espeak")


def test_a_kokoro_blend_speaks(client):
    from narrator.engines.kokoro import KokoroEngine

    if not KokoroEngine.is_installed():
        pytest.skip("Kokoro weights are not pulled (narrator models pull kokoro)")
    response = client.post(
        "/v1/audio/speech",
        json={"model": "tts-1", "input": "नमस्ते।", "voice": "hf_alpha(2)+hm_omega(1)",
              "response_format": "wav"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    audio, rate = decode(response.content, "wav")
    assert rate == 24000 and len(audio) > 0.3 * rate


# -- API key --------------------------------------------------------------------------------
def test_api_key_is_required_everywhere_and_accepted_three_ways(folder):
    key = "s3cret-key-42"
    with TestClient(espeak_app(folder, api_key=key)) as c:
        for path in ("/", "/v1/models", "/api/episodes", "/feed.xml"):
            refused = c.get(path)
            assert refused.status_code == 401
            assert "Bearer" in refused.headers["www-authenticate"]
            assert _error(refused)["type"] == "authentication_error"
        assert c.get("/v1/models", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        basic = base64.b64encode(f"me:{key}".encode()).decode()
        assert c.get("/api/episodes", headers={"Authorization": f"Basic {basic}"}).status_code == 200
        assert c.get("/feed.xml", params={"key": key}).status_code == 200
        # a page opened with ?key= loads its own script and styles without the key
        assert c.get("/", params={"key": key}).status_code == 200
        assert c.get("/static/player.js").status_code == 200
        spoken = c.post("/v1/audio/speech", json={"input": HINDI},
                        headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/mpeg"


# -- hosting the export folder ---------------------------------------------------------------
def _audio_name(folder: Path) -> str:
    return min(p.name for p in folder.glob("*.mp3"))


def test_range_requests_return_206_with_the_right_bytes(hosting):
    c, folder = hosting
    name = _audio_name(folder)
    data = (folder / name).read_bytes()
    whole = c.get(f"/episodes/{name}")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "audio/mpeg"
    part = c.get(f"/episodes/{name}", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.content == data[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(data)}"
    tail = c.get(f"/episodes/{name}", headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == data[-500:]
    beyond = c.get(f"/episodes/{name}", headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416


def test_etag_last_modified_and_mime_types(hosting):
    c, folder = hosting
    name = _audio_name(folder)
    first = c.get(f"/episodes/{name}")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert c.get(f"/episodes/{name}", headers={"If-None-Match": etag}).status_code == 304
    assert c.get(f"/episodes/{name}", headers={"If-Modified-Since": modified}).status_code == 304
    stem = name.removesuffix(".mp3")
    types = {
        f"{stem}.vtt": "text/vtt; charset=utf-8",
        f"{stem}.srt": "application/x-subrip; charset=utf-8",
        f"{stem}.chapters.json": "application/json",
    }
    for file, mime in types.items():
        response = c.get(f"/episodes/{file}")
        assert response.status_code == 200 and response.headers["content-type"] == mime
    assert c.head(f"/episodes/{name}").headers["content-length"] == str(len(first.content))


def test_no_path_leaves_the_folder(hosting, tmp_path):
    c, folder = hosting
    episode = folder / _audio_name(folder)
    secret = tmp_path / "secret.mp3"
    secret.write_bytes(b"not for you")
    (folder / "escape.mp3").symlink_to(secret)
    (folder / "inside.mp3").symlink_to(episode)
    (folder / ".half.mp3.123-abcdef01.tmp").write_bytes(b"partial")
    (folder / ".hidden.mp3").write_bytes(b"hidden")
    (folder / "notes.txt").write_text("not an export file")
    attempts = [
        "/episodes/escape.mp3",
        "/episodes/..%2fsecret.mp3",
        "/episodes/%2e%2e/secret.mp3",
        "/episodes/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/episodes/..%5csecret.mp3",
        "/episodes/.half.mp3.123-abcdef01.tmp",
        "/episodes/.hidden.mp3",
        "/episodes/notes.txt",
        "/episodes//etc/passwd",
    ]
    for path in attempts:
        response = c.get(path)
        assert response.status_code == 404, path
        assert b"not for you" not in response.content and b"root:" not in response.content
    inside = c.get("/episodes/inside.mp3")  # a link that stays inside is fine
    assert inside.status_code == 200 and inside.content == episode.read_bytes()


def test_feed_enclosures_point_at_the_server(hosting):
    c, folder = hosting
    response = c.get("/feed.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and len(parsed.entries) == 3
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        url = urlsplit(enclosure.href)
        assert f"{url.scheme}://{url.netloc}" == "http://testserver"
        fetched = c.get(url.path)
        assert fetched.status_code == 200 and len(fetched.content) == int(enclosure.length)
    assert c.get("/feed.xml", headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    with TestClient(espeak_app(folder, base_url="https://pod.example.org/hindi")) as other:
        entry = feedparser.parse(other.get("/feed.xml").content).entries[0]
        assert entry.enclosures[0].href.startswith("https://pod.example.org/hindi/")


def test_served_feed_is_the_feed_narrator_feed_writes(folder):
    """feed.toml's channel (author, owner, artwork beside the episodes) is in the
    served feed too, and serving it writes nothing into the folder."""
    from PIL import Image

    Image.new("RGB", (1400, 1400), "navy").save(folder / "cover.jpg")
    (folder / "feed.toml").write_text(
        'author = "समाचार डेस्क"\nowner_name = "Desk"\nowner_email = "desk@example.org"\n'
        'image = "cover.jpg"\n',
        encoding="utf-8",
    )
    before = sorted(p.name for p in folder.iterdir())
    with TestClient(espeak_app(folder)) as c:
        xml = c.get("/feed.xml").content
        parsed = feedparser.parse(xml)
        assert "<itunes:author>समाचार डेस्क</itunes:author>" in xml.decode("utf-8")
        assert parsed.feed.publisher_detail.email == "desk@example.org"
        cover = c.get(urlsplit(parsed.feed.image.href).path)
        assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"
    assert sorted(p.name for p in folder.iterdir()) == before


# -- the player's JSON and live narration ------------------------------------------------------
def test_player_page_and_its_lists(hosting):
    c, _folder = hosting
    page = c.get("/")
    assert page.status_code == 200 and "/static/player.js" in page.text
    assert c.get("/static/player.js").status_code == 200
    episodes = c.get("/api/episodes").json()["episodes"]
    assert len(episodes) == 3
    for ep in episodes:
        assert c.get(ep["audio"]).status_code == 200
        assert c.get(ep["vtt"]).text.startswith("WEBVTT")


def test_live_narration_of_a_library_article(hindi_articles):
    with TestClient(espeak_app(library=hindi_articles)) as c:
        articles = c.get("/api/library").json()["articles"]
        assert len(articles) == 3
        first = articles[0]
        text = c.get(f"/api/library/{first['id']}").json()
        assert text["sentences"] and any("।" in s for s in text["sentences"])
        live = c.get(f"/api/live/{first['id']}.mp3")
        assert live.status_code == 200 and live.headers["content-type"] == "audio/mpeg"
        audio, rate = decode(live.content, "mp3")
        assert len(audio) / rate > 5.0
        assert c.get("/api/live/000000000000.mp3").status_code == 404
        assert c.get(f"/api/live/{first['id']}.aac").status_code == 400
        bad_voice = c.get(f"/api/live/{first['id']}.mp3", params={"voice": "nobody"})
        assert bad_voice.status_code == 400 and "nobody" in _error(bad_voice)["message"]


def test_status_reports_limits_and_syntheses(client):
    _speech(client)
    status = client.get("/api/status").json()
    assert status["engine"] == "espeak"
    assert status["synthesis"]["started"] == 1 and status["synthesis"]["active"] == 0
    assert status["limits"]["max_input_chars"] == 10_000


# -- the command line --------------------------------------------------------------------------
def test_serve_refuses_bad_settings_in_one_line(tmp_path, capsys):
    from narrator.cli import main

    assert main(["serve", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is not a folder" in err
    assert main(["serve", str(tmp_path), "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
