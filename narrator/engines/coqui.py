"""Any Coqui TTS checkpoint as a narrator engine: VITS/MMS, FastPitch + HiFi-GAN, ...

A model is named the way Coqui names it (`tts_models/hin/fairseq/vits`, found in
Coqui's local cache only: a missing one is a ModelMissingError naming
`narrator models pull …`) or given as a folder, the shape trainers and
AI4Bharat ship:

    my-voice/
        config.json                     Coqui config (or fairseq MMS config + vocab.txt)
        model.pth                       or best_model.pth, checkpoint_<step>.pth, G_<step>.pth
        speakers.pth / speaker_ids.json (multi-speaker models; found beside the config)
        vocoder/  (or hifigan/, or a sibling hifigan/ folder)
            config.json + best_model.pth   optional vocoder for spectrogram models

Loading goes through Coqui's own classes (`setup_model`, `load_checkpoint`, its
vocoder and AudioProcessor), the same code `tts --model_path` runs, with the
checkpoint read by `torch.load(weights_only=True)` (Coqui's trainer does that on
torch >= 2.4). A file that is not a checkpoint becomes a one-line EngineError.

Speakers of a multi-speaker checkpoint are the engine's voices. Synthesis is
seeded from the chunk text, so the same chunk always gives the same audio (the
chunk cache and re-exports agree).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from narrator.catalogue import coqui as catalogue
from narrator.catalogue.coqui import MMS_HINDI, is_model_name, licence_of, pull_command
from narrator.catalogue.licences import Consent, Progress
from narrator.catalogue.records import InstalledModel, PullResult
from narrator.engines.base import Audio, BaseEngine, ModelSpec, VoiceInfo, as_float32_mono
from narrator.errors import EngineError, InputError, ModelMissingError, one_line

log = logging.getLogger(__name__)

ENV_MODEL = "NARRATOR_COQUI_MODEL"
MODEL_FILES = (
    "model.pth",
    "model_file.pth",
    "model_file.pth.tar",
    "best_model.pth",
    "checkpoint.pth",
)
VOCODER_FOLDERS = ("vocoder", "hifigan")
HINDI_CODES = ("hi", "hin", "hi-in", "hi_in", "hindi")
# Catalogue entries `narrator voices` offers even before they are downloaded.
KNOWN_MODELS = {MMS_HINDI: ("female", "Meta MMS Hindi (VITS), 16 kHz")}


# --- finding the files -----------------------------------------------------------------


@dataclass(frozen=True)
class CoquiFiles:
    """The files of one model on disk, found from what the user typed."""

    label: str  # what the user passed: a model name or a folder
    config: Path
    checkpoint: Path
    vocoder: Path | None = None
    vocoder_config: Path | None = None
    fairseq: bool = False

    @property
    def folder(self) -> Path:
        return self.checkpoint.parent

    @property
    def model_id(self) -> str:
        """Name + size and mtime of every weight file: re-training or re-pulling changes it."""
        parts = [self.label]
        for path in (self.checkpoint, self.config, self.vocoder, self.vocoder_config):
            if path is not None:
                st = path.stat()
                parts.append(f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}")
        digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
        return f"{self.label}@{digest}"


def _step(path: Path) -> int:
    match = re.search(r"(\d+)", path.stem)
    return int(match.group(1)) if match else -1


def find_checkpoint(folder: Path) -> Path:
    """The model file of a folder: the usual names, else the newest checkpoint_<step>/G_<step>."""
    for name in MODEL_FILES:
        if (folder / name).is_file():
            return folder / name
    numbered = sorted(
        [*folder.glob("checkpoint_*.pth"), *folder.glob("G_*.pth")], key=_step, reverse=True
    )
    if numbered:
        return numbered[0]
    others = [p for p in folder.glob("*.pth") if not p.name.startswith(("speaker", "config"))]
    if len(others) == 1:
        return others[0]
    raise InputError(
        f"no model file in {folder}: expected model.pth, best_model.pth or checkpoint_<step>.pth"
    )


def find_vocoder(folder: Path) -> tuple[Path, Path] | None:
    """A vocoder folder (config.json + checkpoint) inside or beside the model folder."""
    candidates = [folder / name for name in VOCODER_FOLDERS] + [folder.parent / "hifigan"]
    for candidate in candidates:
        if candidate != folder and (candidate / "config.json").is_file():
            return find_checkpoint(candidate), candidate / "config.json"
    return None


def _is_fairseq(config_path: Path) -> bool:
    """Meta's MMS checkpoints: fairseq config ("data"/"model" sections) + vocab.txt."""
    try:
        raw = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(raw, dict) and "data" in raw and (config_path.parent / "vocab.txt").is_file()


def locate(spec: str, vocoder: str | os.PathLike[str] | None = None) -> CoquiFiles:
    """Resolve a model name or a folder/file path to its files, without loading anything."""
    path = Path(spec).expanduser()
    if is_model_name(catalogue.full_name(spec)) and not path.exists():
        spec = catalogue.full_name(spec)
        folder = catalogue.model_dir(spec)
        if folder is None:
            raise ModelMissingError(
                f"Coqui model {spec} is not downloaded: run `{pull_command(spec)}`"
            )
        label = spec
    elif path.is_dir():
        folder, label = path, str(path.resolve())
    elif path.is_file():
        folder, label = path.parent, str(path.resolve())
    else:
        raise InputError(
            f"no Coqui model {spec!r}: give a folder with config.json and model.pth, "
            f"or a model name such as {MMS_HINDI}"
        )
    configs = [folder / "config.json"] if (folder / "config.json").is_file() else []
    if not configs:  # downloaded archives sometimes nest one level deeper
        configs = sorted(folder.rglob("config.json"), key=lambda p: len(p.parts))
    if not configs:
        raise InputError(f"{folder} has no config.json: a Coqui model folder needs one")
    config = configs[0]
    checkpoint = path if path.is_file() else find_checkpoint(config.parent)
    voc_pair: tuple[Path, Path] | None = None
    if vocoder is not None:
        voc_path = Path(vocoder).expanduser()
        voc_folder = voc_path if voc_path.is_dir() else voc_path.parent
        if not (voc_folder / "config.json").is_file():
            raise InputError(f"vocoder {voc_path} has no config.json beside it")
        voc_pair = (
            voc_path if voc_path.is_file() else find_checkpoint(voc_folder),
            voc_folder / "config.json",
        )
    else:
        voc_pair = find_vocoder(config.parent)
    return CoquiFiles(
        label=label,
        config=config,
        checkpoint=checkpoint,
        vocoder=voc_pair[0] if voc_pair else None,
        vocoder_config=voc_pair[1] if voc_pair else None,
        fairseq=_is_fairseq(config),
    )


def configured_model() -> str | None:
    """The checkpoint the user configured (NARRATOR_COQUI_MODEL), if any."""
    value = os.environ.get(ENV_MODEL, "").strip()
    return value or None


# --- torch helpers shared with the XTTS engine -------------------------------------------


@contextlib.contextmanager
def seeded(text: str, device: str) -> Iterator[None]:
    """Seed torch's RNG from the text for this call only (other code's RNG is untouched)."""
    import torch

    devices = [torch.cuda.current_device()] if device == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(zlib.crc32(text.encode("utf-8")))
        yield


def load_error(path: Path, exc: BaseException) -> EngineError:
    """A one-line message for a checkpoint torch or Coqui could not read."""
    return EngineError(
        f"cannot load the Coqui checkpoint {path}: {type(exc).__name__}: {one_line(exc)}"
    )


def is_cuda_oom(exc: BaseException) -> bool:
    import torch

    return isinstance(exc, torch.cuda.OutOfMemoryError) or "CUDA out of memory" in str(exc)


def with_cpu_fallback(
    run: Callable[[str], np.ndarray],
    device: str,
    move: Callable[[str], None],
    notices: list[str],
) -> np.ndarray:
    """Run on `device`; a CUDA out-of-memory retries that chunk on the CPU and says so."""
    try:
        return run(device)
    except Exception as exc:
        if device != "cuda" or not is_cuda_oom(exc):
            raise
    import torch

    torch.cuda.empty_cache()
    notices.append("CUDA ran out of memory on a chunk; that chunk was synthesized on the CPU")
    move("cpu")
    try:
        return run("cpu")
    finally:
        move(device)


# --- loading ---------------------------------------------------------------------------------


_PATH_FIELDS = {
    "speakers_file": ("speakers.pth", "speakers.json", "speaker_ids.json", "speaker_ids.pth"),
    "d_vector_file": ("speakers.pth", "speakers.json"),
    "language_ids_file": ("language_ids.json",),
    "speaker_encoder_model_path": ("model_se.pth", "model_se.pth.tar"),
    "speaker_encoder_config_path": ("config_se.json",),
}


def _fix_paths(config: Any, folder: Path) -> None:
    """Point file fields of a trainer's config at the copies beside it (in memory only).

    Configs keep the absolute paths of the machine they were trained on; Coqui's
    ModelManager rewrites them after a download, we do the same for a folder.
    """
    for section in (config, config.get("model_args") or {}):
        for field, defaults in _PATH_FIELDS.items():
            if field not in section or not section[field]:
                continue
            value = section[field]
            items = value if isinstance(value, list) else [value]
            fixed = []
            for item in items:
                current = Path(str(item))
                if current.is_file():
                    fixed.append(str(current))
                    continue
                options = [folder / current.name, *(folder / d for d in defaults)]
                found = next((o for o in options if o.is_file()), None)
                fixed.append(str(found) if found else str(item))
            section[field] = fixed if isinstance(value, list) else fixed[0]
    stats = (config.get("audio") or {}).get("stats_path")
    if stats and not Path(stats).is_file() and (folder / Path(stats).name).is_file():
        config["audio"]["stats_path"] = str(folder / Path(stats).name)


def _load_tts(files: CoquiFiles) -> Any:
    """The TTS model on the CPU in eval mode, or a one-line error.

    Every exception while reading a checkpoint (unpickling, zip, missing keys,
    shape mismatches, weights_only refusals) means the same thing to the user:
    these files are not a usable model. So all of them become one EngineError
    naming the file, with the original chained for debugging.
    """
    import torch
    from TTS.config import load_config

    if files.fairseq:
        from TTS.tts.configs.vits_config import VitsConfig
        from TTS.tts.models.vits import Vits

        try:
            config = VitsConfig()
            model = Vits(config)
            model.load_fairseq_checkpoint(config, files.checkpoint, eval=True)
        except Exception as exc:
            raise load_error(files.checkpoint, exc) from exc
        return model
    try:
        config = load_config(str(files.config))
    except Exception as exc:
        raise InputError(f"{files.config} is not a Coqui config.json: {one_line(exc)}") from exc
    _fix_paths(config, files.config.parent)
    from TTS.tts.models import setup_model

    try:
        model = setup_model(config)
        model.load_checkpoint(config, str(files.checkpoint), eval=True)
    except Exception as exc:
        raise load_error(files.checkpoint, exc) from exc
    model.to(torch.device("cpu"))
    return model


def _load_vocoder(files: CoquiFiles) -> tuple[Any, Any] | None:
    if files.vocoder is None or files.vocoder_config is None:
        return None
    from TTS.config import load_config
    from TTS.utils.audio import AudioProcessor
    from TTS.vocoder.models import setup_model as setup_vocoder_model

    try:
        config = load_config(str(files.vocoder_config))
        vocoder = setup_vocoder_model(config)
        vocoder.load_checkpoint(config, str(files.vocoder), eval=True)
    except Exception as exc:
        raise load_error(files.vocoder, exc) from exc
    return vocoder, AudioProcessor(config.audio)


def _speaker_names(model: Any) -> list[str]:
    manager = getattr(model, "speaker_manager", None)
    if manager is None:
        return []
    names = list(getattr(manager, "speaker_names", []) or [])
    if not names:
        names = list(getattr(manager, "embedding_names", []) or [])
    return names if len(names) > 1 else []


def _language(model: Any) -> tuple[str | None, str | None]:
    """The model's Hindi language id (or its only/first one, with a notice)."""
    manager = getattr(model, "language_manager", None)
    names = list(getattr(manager, "language_names", []) or [])
    if len(names) <= 1:
        return (names[0] if names else None), None
    for name in names:
        if name.lower() in HINDI_CODES:
            return name, None
    return names[0], f"this model has no Hindi language id; using {names[0]!r}"


def _read_speakers(files: CoquiFiles) -> list[str]:
    """Speaker names from config.json or its speakers file, without building the model."""
    try:
        raw = json.loads(files.config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if raw.get("speakers"):
        return [str(s) for s in raw["speakers"]] if len(raw["speakers"]) > 1 else []
    args = raw.get("model_args") or {}
    if not (raw.get("use_speaker_embedding") or args.get("use_speaker_embedding")):
        return []
    for name in (raw.get("speakers_file"), args.get("speakers_file")):
        if not name:
            continue
        for path in (Path(name), files.folder / Path(name).name):
            if path.suffix == ".json" and path.is_file():
                try:
                    ids = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    return []
                return list(ids) if len(ids) > 1 else []
    return []


# --- the engine --------------------------------------------------------------------------


class CoquiEngine(BaseEngine):
    """A Coqui checkpoint (by name or folder) speaking Hindi.

    voice   a speaker of a multi-speaker checkpoint; or, when no model is given,
            a coqui voice from voices/voices.toml, a model name or a folder
    model   model name (`tts_models/hin/fairseq/vits`) or folder; defaults to
            NARRATOR_COQUI_MODEL
    vocoder a vocoder folder/checkpoint when it is not in `vocoder/` or `hifigan/`
    """

    name: ClassVar[str] = "coqui"
    max_chars = 200
    runtime = "torch"
    model_option = f"a Coqui model name (e.g. {MMS_HINDI}) or a model folder"
    auto_rank = 30

    def __init__(
        self,
        voice: str | None = None,
        device: str = "auto",
        speed: float = 1.0,
        model: ModelSpec | None = None,
        *,
        threads: int | None = None,
        vocoder: str | os.PathLike[str] | None = None,
    ) -> None:
        from narrator.engines.voices_toml import find_user_voice

        super().__init__(voice, device, speed, model, threads=threads)
        speaker = voice
        spec = os.fspath(model) if model is not None else None
        if spec is None and voice:
            user = find_user_voice(voice, engine="coqui")
            if user is not None:
                spec, speaker = user.checkpoint, user.speaker
                vocoder = vocoder or user.vocoder
            elif is_model_name(voice) or Path(voice).expanduser().exists():
                spec, speaker = voice, None
        spec = spec or configured_model()
        if not spec:
            raise ModelMissingError(
                "no Coqui model chosen: pass --model FOLDER|NAME or set NARRATOR_COQUI_MODEL "
                f"(e.g. `{pull_command(MMS_HINDI)}`)"
            )
        self.files = locate(spec, vocoder)
        device = self.device  # resolved now: a bad --device fails before the model loads

        self._model = _load_tts(self.files)
        voc = _load_vocoder(self.files)
        self._vocoder: Any = voc[0] if voc else None
        self._vocoder_ap: Any = voc[1] if voc else None
        self.speakers = _speaker_names(self._model)
        if speaker and speaker not in self.speakers:
            if self.speakers:
                raise InputError(
                    f"{self.files.label} has no speaker {speaker!r}: choose one of "
                    + ", ".join(self.speakers)
                )
            if speaker not in ("default", spec, Path(spec).name, self.files.label):
                raise InputError(
                    f"{self.files.label} has a single speaker; leave out --voice {speaker}"
                )
        self._speaker = (
            speaker if speaker in self.speakers else (self.speakers[0] if self.speakers else None)
        )
        self.voice = self._speaker or "default"
        self._language, lang_notice = _language(self._model)
        if lang_notice:
            self.notices.append(lang_notice)

        base_scale = getattr(self._model, "length_scale", None)
        if base_scale is None:
            if self.speed != 1.0:
                self.notices.append("this Coqui model cannot change speed; --speed is ignored")
        else:
            self._model.length_scale = float(base_scale) / self.speed
        self.sample_rate = self._output_rate()
        self._move(device)

    # -- properties ---------------------------------------------------------------

    @property
    def model_id(self) -> str:
        return self.files.model_id

    def _output_rate(self) -> int:
        if self._vocoder_ap is not None:
            return int(self._vocoder_ap.sample_rate)
        audio = self._model.config.audio
        rate = audio.get("output_sample_rate") or audio.get("sample_rate")
        return int(rate)

    # -- synthesis ---------------------------------------------------------------

    def _move(self, device: str) -> None:
        self._model.to(device)
        if self._vocoder is not None:
            self._vocoder.to(device)

    def synthesize(self, text: str) -> Audio:
        """Speak one chunk: float32 mono at `sample_rate`, the same audio for the same text."""
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        return with_cpu_fallback(
            lambda dev: self._synthesize_on(text, dev), self.device, self._move, self.notices
        )

    def _synthesize_on(self, text: str, device: str) -> np.ndarray:
        import torch

        ids = self._model.tokenizer.text_to_ids(text, language=self._language)
        if not ids:
            self.notices.append(f"the model's alphabet has none of the characters of {text[:30]!r}")
            return np.zeros(int(0.1 * self.sample_rate), dtype=np.float32)
        try:
            with torch.inference_mode(), seeded(text, device):
                outputs = self._model.synthesize(
                    text,
                    speaker=self._speaker,
                    language=self._language,
                    use_griffin_lim=self._vocoder is None,
                )
                if self._vocoder is None:
                    wav = outputs["wav"]
                else:
                    wav = self._run_vocoder(outputs["outputs"]["model_outputs"][0], device)
        except (RuntimeError, KeyError, ValueError, IndexError) as exc:
            if is_cuda_oom(exc):
                raise
            raise EngineError(
                f"Coqui synthesis failed: {type(exc).__name__}: {one_line(exc)}"
            ) from exc
        if isinstance(wav, torch.Tensor):
            wav = wav.detach().cpu().numpy()
        wav = np.asarray(wav, dtype=np.float32).squeeze()
        if self._model.config.audio.get("do_trim_silence") and getattr(self._model, "ap", None):
            wav = wav[: self._model.ap.find_endpoint(wav)]
        return as_float32_mono(wav)

    def _run_vocoder(self, mel: Any, device: str) -> Any:
        """Coqui's Synthesizer._run_vocoder: renormalize the mel for the vocoder, then vocode."""
        import torch
        from TTS.vocoder.utils.generic_utils import interpolate_vocoder_input

        spec = mel.detach().cpu().numpy()
        spec = self._model.ap.denormalize(spec.T).T
        vocoder_input = self._vocoder_ap.normalize(spec.T)
        scale = self._vocoder_ap.sample_rate / self._model.ap.sample_rate
        if scale != 1:
            tensor = interpolate_vocoder_input([1, scale], vocoder_input)
        else:
            tensor = torch.tensor(vocoder_input).unsqueeze(0)
        return self._vocoder.inference(tensor.to(device))

    def close(self) -> None:
        self._model = None
        self._vocoder = None

    # -- discovery ----------------------------------------------------------------

    @classmethod
    def knows_model(cls, spec: str) -> bool:
        """A Coqui catalogue name or alias (`mms`), or a file or folder on disk."""
        return is_model_name(catalogue.full_name(spec)) or Path(spec).expanduser().exists()

    @classmethod
    def pull(
        cls,
        model: str | None = None,
        *,
        agree: Consent | None = None,
        progress: Progress | None = None,
        force: bool = False,
    ) -> PullResult:
        """Download a model of Coqui's catalogue with Coqui's ModelManager."""
        if model is None:
            raise InputError(f"name the Coqui model to pull, e.g. `{pull_command(MMS_HINDI)}`")
        result = catalogue.pull(model, agree=agree, progress=progress, force=force)
        usage = f"use it with --engine coqui --model {result.name} (or {ENV_MODEL})"
        return dataclasses.replace(result, usage=usage)

    @classmethod
    def installed_models(cls) -> list[InstalledModel]:
        return catalogue.installed()

    @classmethod
    def is_installed(cls) -> bool:
        """A configured checkpoint (NARRATOR_COQUI_MODEL) is on disk."""
        spec = configured_model()
        if not spec:
            return False
        try:
            locate(spec)
        except (InputError, ModelMissingError):
            return False
        return True

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        """The configured model's speakers, coqui user voices, and known Hindi checkpoints."""
        from narrator.engines.voices_toml import load_user_voices

        voices: list[VoiceInfo] = []
        spec = configured_model()
        if spec:
            voices.extend(_configured_voices(spec))
        try:
            users = [v for v in load_user_voices() if v.engine == "coqui"]
        except InputError as exc:
            log.warning("%s", exc)
            users = []
        for user in users:
            hint = ""
            if not user.ready and user.checkpoint and is_model_name(user.checkpoint):
                hint = pull_command(user.checkpoint)
            voices.append(user.info(pull_hint=hint))
        listed = {v.name for v in voices} | {spec}
        for name, (gender, description) in KNOWN_MODELS.items():
            if name in listed:
                continue
            licence = licence_of(name)
            ready = catalogue.model_dir(name) is not None
            voices.append(
                VoiceInfo(
                    name=name,
                    engine=cls.name,
                    language="hi",
                    description=description,
                    gender=gender,
                    licence=licence.name,
                    commercial=licence.commercial,
                    ready=ready,
                    pull_hint="" if ready else pull_command(name),
                    sample_rate=16000,
                )
            )
        return voices


def _configured_voices(spec: str) -> list[VoiceInfo]:
    """Voices of the NARRATOR_COQUI_MODEL checkpoint, read from its config only."""
    licence = licence_of(spec) if is_model_name(spec) else None
    licence_name = licence.name if licence else "see the model's licence"
    commercial = licence.commercial if licence else False
    try:
        files = locate(spec)
    except ModelMissingError:
        return [
            VoiceInfo(
                name=spec,
                engine="coqui",
                description="NARRATOR_COQUI_MODEL (not downloaded)",
                licence=licence_name,
                commercial=commercial,
                ready=False,
                pull_hint=pull_command(spec),
            )
        ]
    except InputError as exc:
        log.warning("%s", exc)
        return []
    label = Path(spec).name if not is_model_name(spec) else spec
    speakers = _read_speakers(files) or [label]
    return [
        VoiceInfo(
            name=speaker,
            engine="coqui",
            description=f"{label} (NARRATOR_COQUI_MODEL)",
            licence=licence_name,
            commercial=commercial,
            ready=True,
        )
        for speaker in speakers
    ]
