"""The one contract every synthesis back-end keeps.

Back-ends are discovered through the `narrator.engines` entry-point group
(see pyproject.toml and `registry.py`), so a new engine is a new package
with a `BaseEngine` subclass, not an edit here or in the registry.

What the base class owns, so no engine repeats it:
  * the options every engine takes (`voice`, `device`, `speed`, `model`,
    `threads`), checked once: a speed out of range or an unknown device is a
    one-line error before any model is loaded, and a `model` given to an
    engine that has only its built-in one is an error, not silently ignored;
  * the device: `device` resolves "auto" for the engine's `runtime` the first
    time it is read (importing torch costs seconds, so engines read it only
    after their cheap checks);
  * `notices`, what the user should read about the choice (CPU fallback...);
  * the class-level questions the registry and `narrator models` ask:
    `is_installed`, `list_voices`, `knows_model`, `pull`, `installed_models`
    and `verify`, with defaults for an engine that needs no download.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt

from narrator.catalogue.licences import Consent, Progress
from narrator.catalogue.records import InstalledModel, PullResult
from narrator.device import DEVICES, resolve_device
from narrator.errors import DeviceError, InputError

MIN_SPEED = 0.5
MAX_SPEED = 2.0

Runtime = Literal["cpu", "torch", "onnx"]
ModelSpec = str | os.PathLike[str]
Audio = npt.NDArray[np.float32]
"""What engines return: 1-D float32 samples in [-1, 1] at the engine's sample_rate."""


def check_speed(speed: float) -> float:
    """The speaking rate every engine takes, or a one-line InputError (also checked by
    the command line before the terminal app takes the screen)."""
    speed = float(speed)
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise InputError(f"--speed {speed} is out of range: use {MIN_SPEED} to {MAX_SPEED}")
    return speed


@dataclass(frozen=True)
class VoiceInfo:
    """A voice as the user sees it in `narrator voices` and the TUI picker.

    name         what `--voice` takes (unique within its engine)
    engine       the engine's name (`espeak`, `kokoro`, `coqui`, `xtts`)
    language     BCP-47 code, `hi` for Hindi
    description  one line, Hindi or English
    gender       "female", "male" or "" when unknown
    licence      e.g. "Apache-2.0", "CPML (non-commercial)", "CC BY-NC 4.0", "GPL-3.0"
    commercial   whether the licence allows selling the audio
    ready        False when weights must be downloaded first
    pull_hint    the exact command that makes it ready (when not ready)
    sample_rate  Hz, 0 when unknown until loaded
    """

    name: str
    engine: str
    language: str = "hi"
    description: str = ""
    gender: str = ""
    licence: str = ""
    commercial: bool = False
    ready: bool = True
    pull_hint: str = ""
    sample_rate: int = 0


class BaseEngine:
    """A loaded voice that turns spoken Hindi text into float32 mono audio.

    Subclasses set `name`, `sample_rate`, `max_chars` and `runtime`, call
    `super().__init__` first, and implement `synthesize` and the classmethod
    `list_voices`. They override `stream` (and set `streaming`) when the model
    yields audio before the chunk is finished (XTTS), `fits` when the model's
    limit is not counted in characters (Kokoro counts phonemes), and
    `model_option` when `--model` chooses among several models.
    """

    name: ClassVar[str] = "base"
    limit_in_characters: ClassVar[bool] = True
    """True when `fits` is `len(text) <= max_chars`; False when the model counts its
    limit otherwise (Kokoro: phonemes), so only a loaded engine can say what fits."""
    streaming: ClassVar[bool] = False
    """True when `stream` yields audio before a chunk is finished (XTTS); the
    narrator then plays those parts as they come instead of calling `synthesize`."""
    sample_rate: int = 22050
    max_chars: int = 250
    # The library that runs the model, which decides what `device` can be.
    runtime: ClassVar[Runtime] = "cpu"
    # What `--model` names for this engine, for errors and help; "" when the
    # engine has one built-in model and a `model` argument is a mistake.
    model_option: ClassVar[str] = ""
    # Where `auto` ranks this engine among the installed ones (highest first);
    # None keeps it out of `auto`: it is used only when asked for by name.
    auto_rank: ClassVar[int | None] = None

    def __init__(
        self,
        voice: str | None = None,
        device: str = "auto",
        speed: float = 1.0,
        model: ModelSpec | None = None,
        *,
        threads: int | None = None,
    ) -> None:
        """Check the options every engine shares, before any weights are read.

        voice    the engine's voice name (None: its default)
        device   "auto", "cpu" or "cuda"
        speed    speaking rate, 0.5-2.0
        model    which weights, for engines with a `model_option`
        threads  a cap on the CPU threads synthesis may use (None: the library's own)
        """
        speed = check_speed(speed)
        if device not in DEVICES:
            raise DeviceError(f"unknown device {device!r}: use {', '.join(DEVICES)}")
        if model is not None and not self.model_option:
            raise InputError(f"the {self.name} engine has one built-in model: leave out --model")
        if threads is not None and threads < 1:
            raise InputError(f"threads must be at least 1, not {threads}")
        self.voice: str = voice or ""
        self.speed: float = speed
        self.requested_device: str = device
        self.model: ModelSpec | None = model
        self.threads: int | None = threads
        self.notices: list[str] = []

    @cached_property
    def device(self) -> str:
        """Where synthesis runs ("cpu" or "cuda"), resolved once for this engine's runtime.

        Resolved on first read, not in `__init__`, so an engine can reject a
        missing model before torch is imported. "cuda" where there is none is
        a DeviceError; "auto" without a GPU adds a notice.
        """
        resolved, notice = resolve_device(self.requested_device, self.runtime)
        if notice:
            self.notices.append(notice)
        return resolved

    # --- synthesis -----------------------------------------------------------------

    def synthesize(self, text: str) -> Audio:
        raise NotImplementedError

    def stream(self, text: str) -> Iterator[Audio]:
        """Audio for `text` in pieces; one piece unless the engine sets `streaming`."""
        yield self.synthesize(text)

    def fits(self, text: str) -> bool:
        """True when `text` is short enough for one synthesis call."""
        return len(text) <= self.max_chars

    @property
    def model_id(self) -> str:
        """Identifies the weights, so the chunk cache never mixes two models."""
        return self.name

    @property
    def cache_key(self) -> str:
        """Everything besides the text that changes the audio of a chunk."""
        return f"{self.name}|{self.model_id}|{self.voice}|{self.speed:.3f}|{self.sample_rate}"

    def close(self) -> None:
        """Free model memory; engines holding sessions or GPU tensors override."""

    # --- what the registry and `narrator models` ask of the class -------------------

    @classmethod
    def is_installed(cls) -> bool:
        """Whether the engine can load now without a download (cheap: no weights read)."""
        return True

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        """Every voice of the engine, ready or not, for `narrator voices` and the TUI."""
        return []

    @classmethod
    def knows_model(cls, spec: str) -> bool:
        """Whether `spec` names one of this engine's models (`--model`, `models pull`)."""
        return False

    @classmethod
    def pull(
        cls,
        model: str | None = None,
        *,
        agree: Consent | None = None,
        progress: Progress | None = None,
        force: bool = False,
    ) -> PullResult:
        """Download `model` (None: the engine's default) once its licence is accepted.

        `agree(licence, name)` is asked before a download under terms that
        restrict use; `progress` receives one line per step; `force` fetches
        again what is already there.
        """
        raise InputError(f"the {cls.name} engine has nothing to download")

    @classmethod
    def installed_models(cls) -> list[InstalledModel]:
        """The engine's weights on this machine, for `narrator models list`."""
        return []

    @classmethod
    def verify(cls, progress: Progress | None = None) -> int:
        """Re-read the installed weights and check them against their known checksums.

        Returns how many files were checked (0 when the engine knows no
        checksums); a damaged or missing file is a one-line ModelMissingError
        naming the command that repairs it.
        """
        return 0


def as_float32_mono(audio: npt.ArrayLike) -> Audio:
    """Coerce engine output to the contract: 1-D float32 in [-1, 1], finite."""
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim > 1:
        data = data.reshape(-1) if 1 in data.shape else data.mean(axis=-1)
    data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(data, -1.0, 1.0).astype(np.float32, copy=False)
