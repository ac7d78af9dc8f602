"""The one interface every synthesis back-end implements.

Back-ends are discovered through the `narrator.engines` entry-point group
(see pyproject.toml), so a new engine is a new package, not an edit here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np


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


@runtime_checkable
class Engine(Protocol):
    """A loaded voice that turns spoken Hindi text into float32 mono audio."""

    name: str
    sample_rate: int
    max_chars: int

    def synthesize(self, text: str) -> np.ndarray: ...

    def stream(self, text: str) -> Iterator[np.ndarray]: ...

    def fits(self, text: str) -> bool: ...

    @property
    def cache_key(self) -> str: ...


class BaseEngine:
    """Defaults shared by the engines: streaming as one piece, a character limit.

    Subclasses set `name`, `sample_rate`, `max_chars` and implement `synthesize`
    and the classmethod `list_voices`; they override `stream` when the model can
    yield audio before the chunk is finished (XTTS) and `fits` when the model's
    limit is not counted in characters (Kokoro counts phonemes).
    """

    name: ClassVar[str] = "base"
    streaming: ClassVar[bool] = False
    """True when `stream` yields audio before a chunk is finished (XTTS); the
    narrator then plays those parts as they come instead of calling `synthesize`."""
    sample_rate: int = 22050
    max_chars: int = 250
    voice: str = ""
    speed: float = 1.0

    def synthesize(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def stream(self, text: str) -> Iterator[np.ndarray]:
        yield self.synthesize(text)

    def fits(self, text: str) -> bool:
        return len(text) <= self.max_chars

    @property
    def model_id(self) -> str:
        """Identifies the weights, so the chunk cache never mixes two models."""
        return self.name

    @property
    def cache_key(self) -> str:
        """Everything besides the text that changes the audio of a chunk."""
        return f"{self.name}|{self.model_id}|{self.voice}|{self.speed:.3f}|{self.sample_rate}"

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        return []

    def close(self) -> None:
        """Free model memory; engines holding sessions or GPU tensors override."""


def as_float32_mono(audio: np.ndarray) -> np.ndarray:
    """Coerce engine output to the contract: 1-D float32 in [-1, 1], finite."""
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim > 1:
        data = data.reshape(-1) if 1 in data.shape else data.mean(axis=-1)
    data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(data, -1.0, 1.0).astype(np.float32, copy=False)
