"""Coqui XTTS-v2 speaking Hindi: studio voices, cloned voices, token-level streaming.

Weights come from a local folder (`model=`, or NARRATOR_XTTS_DIR) or from
where `narrator models pull xtts` put them (Coqui's ModelManager, i.e. the
Hugging Face cache); they are loaded with HF_HUB_OFFLINE=1 so nothing ever
calls the hub. Missing weights are a ModelMissingError naming
`narrator models pull xtts`.

Voices:
  * the studio speakers stored in the model's `speakers_xtts.pth`;
  * user voices: clips in the voices folder (described in voices.toml or just
    dropped there), or any audio file path given as the voice. A clip is read
    with soundfile (torchaudio.load would need FFmpeg), checked (audio, >= 3 s,
    not silent), resampled on a tensor, and its conditioning latents are
    computed once and cached in cache_dir()/xtts-latents, keyed by the clip's
    bytes and the model.

Known XTTS failure modes and what this engine does about them:
  * ASCII digits reach Coqui's Hindi cleaner, which calls num2words and
    crashes (and misreads Indian grouping): only normalized text may come
    here, so a digit is an EngineError naming the chunk.
  * A final full stop or danda makes XTTS run on and invent sounds after the
    sentence: trailing `।`, `॥`, `.` and `…` are removed before synthesis.
  * Tiny inputs make it babble: the segmenter merges chunks under 12
    characters; here the number of audio codes is also capped in proportion
    to the text (about twice a slow reading speed), which ends any run-on.
  * `inference_stream` re-decodes all codes at every yield (cost grows with
    the square of the chunk): chunks stay <= 150 characters (XTTS's own Hindi
    limit), and `synthesize` uses the one-pass `inference`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from narrator.catalogue import coqui as catalogue
from narrator.catalogue.coqui import XTTS_NAME, pull_command
from narrator.catalogue.licences import CPML, Consent, Progress
from narrator.catalogue.records import InstalledModel, PullResult, folder_size
from narrator.engines.base import Audio, BaseEngine, ModelSpec, VoiceInfo, as_float32_mono
from narrator.engines.coqui import is_cuda_oom, load_error, seeded, with_cpu_fallback
from narrator.errors import EngineError, InputError, ModelMissingError, one_line

log = logging.getLogger(__name__)

ENV_DIR = "NARRATOR_XTTS_DIR"
LANGUAGE = "hi"
CLONE_RATE = 22050
REQUIRED = ("config.json", "model.pth", "vocab.json")
LATENT_DIR = "xtts-latents"
_TRAILING_STOP = re.compile(r"[\s।॥.…]+$")
_DIGIT = re.compile(r"[0-9]")
# Audio codes are 1024 samples at 22.05 kHz (46 ms); Hindi read aloud needs
# ~1.5 codes per character. Cap at twice a slow reading plus two seconds.
CODES_PER_CHAR_CAP = 3.0
CODES_CAP_EXTRA = 40


@contextlib.contextmanager
def _hub_offline() -> Iterator[None]:
    """HF_HUB_OFFLINE=1 while loading: cached Hugging Face files must never be re-checked."""
    previous = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = previous


def is_xtts_folder(folder: Path) -> bool:
    """A folder holding the files XTTS-v2 loads (config.json, model.pth, vocab.json)."""
    return all((folder / name).is_file() for name in REQUIRED)


def locate_xtts(model: ModelSpec | None = None) -> Path:
    """The XTTS-v2 folder: `model`, else NARRATOR_XTTS_DIR, else the pulled copy.

    `model` is a folder, or XTTS-v2's catalogue name (or `xtts`, `xtts_v2`),
    which means the copy `narrator models pull xtts` made.
    """
    spec = os.fspath(model) if model is not None else None
    by_name = (
        spec is not None
        and catalogue.full_name(spec) == XTTS_NAME
        and not Path(spec).expanduser().exists()
    )
    explicit = None if by_name else spec or os.environ.get(ENV_DIR)
    if explicit:
        folder = Path(explicit).expanduser()
        missing = [name for name in REQUIRED if not (folder / name).is_file()]
        if missing:
            raise InputError(
                f"{folder} is not an XTTS-v2 model folder: missing {', '.join(missing)}"
            )
        return folder
    pulled = catalogue.model_dir(XTTS_NAME)
    if pulled is None or not is_xtts_folder(pulled):
        raise ModelMissingError(
            f"XTTS-v2 weights are not downloaded: run `{pull_command(XTTS_NAME)}` ({CPML.name})"
        )
    return pulled


def _model_id(folder: Path) -> str:
    parts = [str(folder.resolve())]
    for name in ("model.pth", "config.json", "vocab.json", "speakers_xtts.pth"):
        path = folder / name
        if path.is_file():
            st = path.stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "xtts@" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _studio_names(folder: Path) -> list[str]:
    path = folder / "speakers_xtts.pth"
    if not path.is_file():
        return []
    import torch

    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # noqa: BLE001 - a damaged speakers file just lists no studio voices
        return []
    return [str(name) for name in data] if isinstance(data, dict) else []


def _fold_weight_norm(module: Any) -> None:
    """Bake weight norm into the decoder's weights (same output, less work per decode).

    Coqui's XTTS keeps the parametrization at inference, recomputing every
    weight on every decode; streaming decodes many times per chunk.
    """
    from torch.nn.utils import parametrize

    for sub in module.modules():
        if parametrize.is_parametrized(sub, "weight"):
            parametrize.remove_parametrizations(sub, "weight", leave_parametrized=True)


def prepare_text(text: str) -> str:
    """What XTTS is given for a chunk (see the module notes); EngineError on digits."""
    if _DIGIT.search(text):
        raise EngineError(
            f"XTTS cannot read digits (Coqui's Hindi cleaner crashes on them): {text[:60]!r} "
            "must go through narrator's normalizer first"
        )
    return _TRAILING_STOP.sub("", text.strip())


def max_codes(text: str, limit: int) -> int:
    """How many audio codes a chunk may generate before XTTS is cut off (<= the model's own)."""
    return min(limit, int(CODES_CAP_EXTRA + CODES_PER_CHAR_CAP * len(text)))


def _code_cap(limit: int) -> Any:
    """A generation stopping rule: at most `limit` new audio codes.

    Passed as a stopping criterion rather than `max_new_tokens`, which
    transformers would report (on every chunk) as clashing with the
    `max_length` Coqui already sets.
    """
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class MaxNewCodes(StoppingCriteria):
        def __init__(self) -> None:
            self.start: int | None = None

        def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
            length = input_ids.shape[-1]
            if self.start is None:  # first call: one code has been generated
                self.start = length - 1
            done = length - self.start >= limit
            return torch.full(
                (input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device
            )

    return StoppingCriteriaList([MaxNewCodes()])


class XttsEngine(BaseEngine):
    """XTTS-v2 in Hindi with a studio or cloned voice.

    voice              a studio speaker name, a user voice (voices.toml or a clip
                       in the voices folder), or a path to a reference clip;
                       default: the first studio speaker
    model              a local XTTS-v2 folder (else NARRATOR_XTTS_DIR, else the
                       copy `narrator models pull xtts` made)
    stream_chunk_size  audio codes per streamed piece (Coqui's default 20)
    """

    name: ClassVar[str] = "xtts"
    streaming: ClassVar[bool] = True
    max_chars = 150
    runtime = "torch"
    model_option = "an XTTS-v2 folder (config.json, model.pth, vocab.json)"
    auto_rank = 40

    def __init__(
        self,
        voice: str | None = None,
        device: str = "auto",
        speed: float = 1.0,
        model: ModelSpec | None = None,
        *,
        threads: int | None = None,
        stream_chunk_size: int = 20,
    ) -> None:
        super().__init__(voice, device, speed, model, threads=threads)
        self.stream_chunk_size = int(stream_chunk_size)
        self.folder = locate_xtts(model)
        self._model_id = _model_id(self.folder)
        device = self.device  # resolved now: a bad --device fails before the model loads
        self._model = self._load()
        self.sample_rate = int(self._model.args.output_sample_rate)
        self.latents_from_cache = False
        self.set_voice(voice)
        self._model.to(device)

    # -- loading -------------------------------------------------------------------

    def _load(self) -> Any:
        import torch
        from TTS.tts.configs.xtts_config import XttsConfig
        from TTS.tts.models.xtts import Xtts

        config_path = self.folder / "config.json"
        try:
            config = XttsConfig()
            config.load_json(str(config_path))
        except Exception as exc:
            raise InputError(f"{config_path} is not an XTTS config: {one_line(exc)}") from exc
        with _hub_offline():
            try:
                model = Xtts(config)
                model.load_checkpoint(config, checkpoint_dir=str(self.folder), eval=True)
            except Exception as exc:
                raise load_error(self.folder / "model.pth", exc) from exc
        if LANGUAGE not in config.languages:
            raise EngineError(
                f"this XTTS model does not speak Hindi (languages: {config.languages})"
            )
        _fold_weight_norm(model.hifigan_decoder)
        return model.to(torch.device("cpu"))

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def studio_speakers(self) -> list[str]:
        manager = getattr(self._model, "speaker_manager", None)
        return list(manager.speakers) if manager is not None else []

    @property
    def cache_key(self) -> str:
        return f"{super().cache_key}|{self._voice_digest}"

    # -- voices ----------------------------------------------------------------------

    def set_voice(self, voice: str | None) -> None:
        """Switch voice without reloading the model (the TUI's voice picker uses this)."""
        self.voice, self._latent, self._embedding, self._voice_digest = self._choose_voice(voice)

    def _choose_voice(self, voice: str | None) -> tuple[str, Any, Any, str]:
        from narrator.engines.voices_toml import find_user_voice

        studio = self.studio_speakers
        if voice is None or voice in ("studio", "default"):
            if studio:
                return (studio[0], *self._studio_latents(studio[0]), "studio")
            raise InputError(
                "this XTTS model has no studio speakers: add a reference clip to the voices "
                "folder and pass --voice NAME"
            )
        if voice in studio:
            return (voice, *self._studio_latents(voice), "studio")
        user = find_user_voice(voice, engine="xtts")
        if user is not None and user.clip is not None:
            return (voice, *self.clip_latents(user.clip))
        path = Path(voice).expanduser()
        if path.is_file():
            return (path.stem, *self.clip_latents(path))
        known = studio[:5] + ["…"] if len(studio) > 5 else studio
        raise InputError(
            f"no XTTS voice {voice!r}: use a studio speaker ({', '.join(known) or 'none'}), "
            "a clip in the voices folder, or a path to a 6-30 s recording"
        )

    def _studio_latents(self, name: str) -> tuple[Any, Any]:
        entry = self._model.speaker_manager.speakers[name]
        return entry["gpt_cond_latent"], entry["speaker_embedding"]

    def clip_latents(self, clip: Path) -> tuple[Any, Any, str]:
        """Conditioning latents of a reference clip (+ the clip's digest), computed once.

        Cached in cache_dir()/xtts-latents under the clip's content hash and the
        model id; `latents_from_cache` says whether this call found them there.
        """
        import torch

        from narrator.engines.voices_toml import load_reference_clip
        from narrator.paths import cache_dir

        try:
            digest = hashlib.sha256(clip.read_bytes()).hexdigest()
        except OSError as exc:
            raise InputError(f"cannot read reference clip {clip}: {exc.strerror}") from exc
        cfg = self._model.config
        settings = f"{cfg.gpt_cond_len}/{cfg.gpt_cond_chunk_len}/{cfg.max_ref_len}"
        key = hashlib.sha256(f"{digest}|{self._model_id}|{settings}".encode()).hexdigest()[:32]
        folder = cache_dir() / LATENT_DIR
        target = folder / f"{key}.pt"
        if target.is_file():
            try:
                data = torch.load(target, map_location="cpu", weights_only=True)
                self.latents_from_cache = True
                return data["gpt_cond_latent"], data["speaker_embedding"], digest[:16]
            except Exception as exc:  # noqa: BLE001 - a damaged cache entry is recomputed
                log.info("recomputing XTTS latents for %s: %s", clip, exc)
        audio, rate = load_reference_clip(clip)
        tensor = torch.from_numpy(audio)[None]
        if rate != CLONE_RATE:
            import torchaudio.functional as AF

            tensor = AF.resample(tensor, rate, CLONE_RATE)
        tensor = tensor[:, : CLONE_RATE * int(cfg.max_ref_len)]
        with torch.inference_mode():
            embedding = self._model.get_speaker_embedding(tensor, CLONE_RATE)
            latent = self._model.get_gpt_cond_latents(
                tensor, CLONE_RATE, length=cfg.gpt_cond_len, chunk_length=cfg.gpt_cond_chunk_len
            )
        data = {"gpt_cond_latent": latent.cpu(), "speaker_embedding": embedding.cpu()}
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".latent-", suffix=".pt")
        try:
            with os.fdopen(fd, "wb") as fh:
                torch.save(data, fh)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.latents_from_cache = False
        return data["gpt_cond_latent"], data["speaker_embedding"], digest[:16]

    # -- synthesis -----------------------------------------------------------------

    def _settings(self, text: str) -> dict[str, Any]:
        cfg = self._model.config
        return {
            "temperature": cfg.temperature,
            "length_penalty": cfg.length_penalty,
            "repetition_penalty": cfg.repetition_penalty,
            "top_k": cfg.top_k,
            "top_p": cfg.top_p,
            "speed": self.speed,
            "stopping_criteria": _code_cap(
                max_codes(text, int(self._model.gpt.max_gen_mel_tokens))
            ),
        }

    def synthesize(self, text: str) -> Audio:
        """One chunk in one pass (`Xtts.inference`): no repeated decoding as in streaming."""
        spoken = prepare_text(text)
        if not spoken:
            return np.zeros(0, dtype=np.float32)

        def run(device: str) -> np.ndarray:
            import torch

            with torch.inference_mode(), seeded(spoken, device):
                out = self._model.inference(
                    spoken, LANGUAGE, self._latent, self._embedding, **self._settings(spoken)
                )
            return as_float32_mono(out["wav"])

        return with_cpu_fallback(run, self.device, self._model.to, self.notices)

    def stream(self, text: str) -> Iterator[np.ndarray]:
        """Yield audio as XTTS generates it (every `stream_chunk_size` codes)."""
        spoken = prepare_text(text)
        if not spoken:
            return
        yielded = 0
        try:
            for piece in self._stream_on(spoken, self.device):
                yielded += len(piece)
                yield piece
        except Exception as exc:
            if self.device != "cuda" or not is_cuda_oom(exc):
                raise
            # Finish this chunk on the CPU; what was already played is skipped.
            import torch

            torch.cuda.empty_cache()
            self.notices.append("CUDA ran out of memory on a chunk; it was finished on the CPU")
            self._model.to("cpu")
            try:
                rest = np.concatenate(
                    list(self._stream_on(spoken, "cpu")) or [np.zeros(0, np.float32)]
                )
            finally:
                self._model.to(self.device)
            if len(rest) > yielded:
                yield rest[yielded:]

    def _stream_on(self, spoken: str, device: str) -> Iterator[np.ndarray]:
        import torch

        with torch.inference_mode(), seeded(spoken, device):
            for piece in self._model.inference_stream(
                spoken,
                LANGUAGE,
                self._latent,
                self._embedding,
                stream_chunk_size=self.stream_chunk_size,
                **self._settings(spoken),
            ):
                audio = as_float32_mono(piece.detach().cpu().numpy())
                if len(audio):
                    yield audio

    def close(self) -> None:
        self._model = None

    # -- discovery --------------------------------------------------------------------

    @classmethod
    def knows_model(cls, spec: str) -> bool:
        """The catalogue name or an alias of XTTS-v2, or a folder holding its files."""
        return catalogue.full_name(spec) == XTTS_NAME or is_xtts_folder(Path(spec).expanduser())

    @classmethod
    def pull(
        cls,
        model: str | None = None,
        *,
        agree: Consent | None = None,
        progress: Progress | None = None,
        force: bool = False,
    ) -> PullResult:
        """XTTS-v2 through Coqui's ModelManager, once its CPML licence is accepted."""
        if model is not None and catalogue.full_name(model) != XTTS_NAME:
            raise InputError(f"{model!r} is not XTTS-v2: run `{pull_command(XTTS_NAME)}`")
        result = catalogue.pull(XTTS_NAME, agree=agree, progress=progress, force=force)
        return dataclasses.replace(result, usage="use it with --engine xtts")

    @classmethod
    def installed_models(cls) -> list[InstalledModel]:
        """The pulled copy (Hugging Face cache) and a NARRATOR_XTTS_DIR folder."""
        rows: list[InstalledModel] = []
        pulled = catalogue.model_dir(XTTS_NAME)
        if pulled is not None:
            rows.append(InstalledModel(XTTS_NAME, cls.name, pulled, folder_size(pulled), CPML.name))
        local = os.environ.get(ENV_DIR)
        if local and Path(local).is_dir():
            path = Path(local)
            rows.append(
                InstalledModel(f"xtts ({ENV_DIR})", cls.name, path, folder_size(path), CPML.name)
            )
        return rows

    @classmethod
    def is_installed(cls) -> bool:
        """XTTS-v2 weights are on disk (NARRATOR_XTTS_DIR or the pulled copy)."""
        try:
            locate_xtts()
        except (InputError, ModelMissingError):
            return False
        return True

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        """Studio speakers (when the weights are here) and the user's cloning clips."""
        from narrator.engines.voices_toml import load_user_voices

        try:
            folder: Path | None = locate_xtts()
        except (InputError, ModelMissingError):
            folder = None
        ready = folder is not None
        hint = "" if ready else pull_command(XTTS_NAME)
        voices: list[VoiceInfo] = []
        if folder is not None:
            for name in _studio_names(folder):
                voices.append(
                    VoiceInfo(
                        name=name,
                        engine=cls.name,
                        language=LANGUAGE,
                        description="XTTS-v2 studio voice (speaks Hindi cross-lingually)",
                        licence=CPML.name,
                        commercial=False,
                        ready=True,
                        sample_rate=24000,
                    )
                )
        else:
            voices.append(
                VoiceInfo(
                    name="studio",
                    engine=cls.name,
                    language=LANGUAGE,
                    description="XTTS-v2 studio voices (listed once downloaded), voice cloning",
                    licence=CPML.name,
                    commercial=False,
                    ready=False,
                    pull_hint=hint,
                    sample_rate=24000,
                )
            )
        try:
            users = [v for v in load_user_voices() if v.engine == "xtts"]
        except InputError:
            users = []
        for user in users:
            base = user.info(ready=ready and user.ready, pull_hint=hint)
            voices.append(
                dataclasses.replace(
                    base,
                    description=f"cloned: {base.description}",
                    licence=f"{CPML.name}; clip: {base.licence}",
                    commercial=False,  # whatever the clip's terms, XTTS-v2's audio is CPML
                    sample_rate=24000,
                )
            )
        return voices
