"""OpenAI-compatible speech API: `POST /v1/audio/speech`, `GET /v1/models`,
`GET /v1/audio/voices`, so existing clients can use narrator's Hindi voices.

Request fields (as OpenAI's): `input` (Hindi text, through the same front end as
articles), `model`, `voice`, `response_format` (mp3, opus, flac, wav, pcm) and
`speed`. `model` is an engine name (`kokoro`, `espeak`, ...) or one of OpenAI's
names (`tts-1`, `tts-1-hd`, `gpt-4o-mini-tts`), which mean the server's default
engine; with those, the voice picks its engine. Blends are written as narrator
writes them (`hf_alpha:60,hm_omega:40`) or as Kokoro-FastAPI does
(`hf_alpha(2)+hm_omega(1)`, `hf_alpha+hm_omega`).

Everything a request can get wrong is checked before any synthesis, cheapest
first: the format, the size (413), empty or non-Hindi input, the model and the
voice (400), then a slot (429 when the queue is full).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from narrator.articles import has_hindi
from narrator.engines.base import VoiceInfo
from narrator.serve.encode import available_formats
from narrator.serve.limits import read_body
from narrator.serve.responses import ApiError
from narrator.serve.synth import Synthesizer

OPENAI_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
_BLEND_PART = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:(?::\s*([0-9.]+))|(?:\(\s*([0-9.]+)\s*\)))?\s*$")
JSON_OVERHEAD = 16 * 1024  # the other fields and whitespace of a request body


@dataclass(frozen=True)
class SpeechRequest:
    """A validated `/v1/audio/speech` request."""

    text: str
    engine: str | None
    voice: str | None
    fmt: str
    speed: float


def body_limit(max_chars: int) -> int:
    """Bytes a body may have for `max_chars` of input (a JSON \\uXXXX escape is 6 bytes)."""
    return 6 * max_chars + JSON_OVERHEAD


def blend_parts(spec: str) -> list[tuple[str, float | None]]:
    """`a:60,b:40`, `a(2)+b(1)`, `a+b` or `a` -> [(name, weight or None)]."""
    parts = [p for p in re.split(r"[+,]", spec)]
    out: list[tuple[str, float | None]] = []
    for part in parts:
        match = _BLEND_PART.match(part)
        if not match:
            raise ApiError(400, f"cannot read the voice {spec!r}: write a:60,b:40", "unknown_voice")
        name, colon, paren = match.groups()
        raw = colon or paren
        out.append((name, float(raw) if raw else None))
    return out


def canonical_voice(parts: list[tuple[str, float | None]]) -> str:
    """narrator's spelling of a voice or blend (what `--voice` takes)."""
    if len(parts) == 1:
        return parts[0][0]
    return ",".join(f"{name}:{1.0 if w is None else w:g}" for name, w in parts)


def _voices_by_engine(catalogue: list[VoiceInfo]) -> dict[str, list[VoiceInfo]]:
    table: dict[str, list[VoiceInfo]] = {}
    for v in catalogue:
        table.setdefault(v.engine, []).append(v)
    return table


def choose_voice(
    model: str, voice: str, catalogue: list[VoiceInfo], default_engine: str
) -> tuple[str | None, str | None]:
    """(engine, voice) for a request's `model` and `voice`; 400 when either is unknown."""
    by_engine = _voices_by_engine(catalogue)
    engine: str | None
    if model in by_engine:
        engine = model
    elif model in OPENAI_MODELS or model in ("", "narrator"):
        engine = None
    else:
        known = ", ".join([*sorted(by_engine), *OPENAI_MODELS])
        raise ApiError(400, f"unknown model {model!r}: use one of {known}", "unknown_model")
    if not voice.strip():
        return engine, None
    parts = blend_parts(voice)
    if engine is None:
        owners = [e for e, vs in by_engine.items() if any(v.name == parts[0][0] for v in vs)]
        engine = default_engine if default_engine in owners else (owners[0] if owners else None)
    choices = by_engine.get(engine or default_engine, [])
    names = {v.name: v for v in choices}
    for name, weight in parts:
        if name not in names:
            listed = ", ".join(sorted(names)) or "none"
            where = engine or default_engine
            raise ApiError(
                400, f"unknown voice {name!r} for {where}: use one of {listed}", "unknown_voice"
            )
        if not names[name].ready:
            hint = names[name].pull_hint or "install its weights"
            raise ApiError(400, f"voice {name!r} is not installed: run `{hint}`", "voice_not_ready")
        if weight is not None and not weight > 0:
            raise ApiError(400, f"blend weight of {name!r} must be positive", "unknown_voice")
    return engine, canonical_voice(parts)


def parse_request(
    raw: bytes, *, max_chars: int, catalogue: list[VoiceInfo], default_engine: str
) -> SpeechRequest:
    """Validate a request body, cheapest checks first; ApiError on the first problem."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the request body is not JSON", "invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object", "invalid_json")
    fmt = data.get("response_format", "mp3")
    formats = available_formats()
    if not isinstance(fmt, str) or fmt not in formats:
        raise ApiError(
            400, f"unsupported response_format {fmt!r}: use one of {', '.join(formats)}",
            "unsupported_format",
        )  # fmt: skip
    if data.get("stream_format", "audio") != "audio":
        raise ApiError(400, "only stream_format 'audio' is supported", "unsupported_format")
    text = data.get("input")
    if not isinstance(text, str):
        raise ApiError(400, "`input` (the Hindi text to speak) is required", "missing_input")
    if len(text) > max_chars:
        raise ApiError(413, f"input of {len(text)} characters is over the limit of {max_chars}")
    if not text.strip():
        raise ApiError(400, "`input` is empty", "empty_input")
    if not has_hindi(text):
        raise ApiError(400, "`input` has no Hindi text (no Devanagari letters)", "not_hindi")
    speed = data.get("speed", 1.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0.5 <= speed <= 2.0:
        raise ApiError(400, f"speed {speed!r} is out of range: use 0.5 to 2.0", "invalid_speed")
    model = data.get("model", "")
    voice = data.get("voice", "")
    if not isinstance(model, str) or not isinstance(voice, str):
        raise ApiError(400, "`model` and `voice` must be strings", "invalid_request")
    engine, voice_spec = choose_voice(model, voice, catalogue, default_engine)
    return SpeechRequest(text=text, engine=engine, voice=voice_spec, fmt=fmt, speed=float(speed))


def _synth(request: Request) -> Synthesizer:
    return request.app.state.synthesizer


async def create_speech(request: Request) -> Response:
    config = request.app.state.config
    synth = _synth(request)
    raw = await read_body(request, body_limit(config.max_input_chars), config.timeout_s)
    speech = parse_request(
        raw,
        max_chars=config.max_input_chars,
        catalogue=request.app.state.catalogue,
        default_engine=synth.default.name,
    )
    return await synth.stream(
        speech.text,
        fmt=speech.fmt,
        engine=speech.engine,
        voice=speech.voice,
        speed=speech.speed,
        headers={"Content-Disposition": f'inline; filename="speech.{speech.fmt}"'},
    )


def _licences(voices: list[VoiceInfo]) -> list[str]:
    return sorted({v.licence for v in voices if v.licence})


async def list_models(request: Request) -> Response:
    """Engines with a voice ready to use, and OpenAI's names for the default one."""
    by_engine = _voices_by_engine(request.app.state.catalogue)
    default = _synth(request).default.name
    models = []
    for engine, voices in by_engine.items():
        ready = [v for v in voices if v.ready]
        if not ready:
            continue
        models.append(
            {
                "id": engine,
                "object": "model",
                "created": 0,
                "owned_by": "narrator",
                "licences": _licences(ready),
                "commercial": all(v.commercial for v in ready),
                "voices": [v.name for v in ready],
            }
        )
    for alias in OPENAI_MODELS:
        models.append(
            {"id": alias, "object": "model", "created": 0, "owned_by": "narrator", "alias_of": default}
        )
    return JSONResponse({"object": "list", "data": models})


async def list_voices(request: Request) -> Response:
    """Every installed voice with its licence (`?all=1` adds the ones not pulled yet)."""
    show_all = request.query_params.get("all") in ("1", "true", "yes")
    voices = [
        {
            "id": v.name,
            "name": v.name,
            "engine": v.engine,
            "language": v.language,
            "gender": v.gender,
            "description": v.description,
            "licence": v.licence,
            "commercial": v.commercial,
            "ready": v.ready,
            **({"pull_hint": v.pull_hint} if not v.ready else {}),
        }
        for v in request.app.state.catalogue
        if v.ready or show_all
    ]
    return JSONResponse({"voices": voices, "default": _synth(request).default.name})


ROUTES = [
    Route("/v1/audio/speech", create_speech, methods=["POST"]),
    Route("/v1/models", list_models, methods=["GET"]),
    Route("/v1/audio/voices", list_voices, methods=["GET"]),
]
