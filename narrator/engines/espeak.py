"""eSpeak NG's Hindi voice, driven in-process through ctypes.

Why this engine: it needs nothing but the `espeakng-loader` wheel (which bundles
libespeak-ng and its data: no apt, no download) and runs at well under 1% of real
time, so a fresh install always speaks, tests get real audio instantly, and it is
the phonemizer Kokoro builds on. It sounds robotic; it is the fallback.

The library keeps global state (one voice, one callback per process), so every
call holds a module lock and sets its own voice and parameters before speaking.
A ctypes callback copies the 16-bit samples into a list of NumPy arrays.

Why each utterance loads the library afresh: libespeak-ng carries state from one
utterance into the next that no API call resets (the pitch flutter of wavegen,
the breath noise of the female variants drawn from libc `rand()`, its own random
generator seeded from the clock), so the same
chunk sounded different depending on what the process had said before. That
made exports differ between `--jobs 1`, `--jobs 2` and `--ray`, and streamed
audio differ from rendered audio. A private copy of the library (in the cache
folder, so `dlclose` really unloads it even while Kokoro's phonemizer holds the
wheel's own copy open), loaded, initialised and closed around every utterance
with both random sources seeded, gives the same samples for the same text every time. It
costs about 5 ms an utterance (a 7 s sentence: 10 ms instead of 5.5 ms).
"""

from __future__ import annotations

import _ctypes
import ctypes
import hashlib
import os
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from narrator.engines.base import Audio, BaseEngine, ModelSpec, VoiceInfo, as_float32_mono
from narrator.errors import EngineError, InputError
from narrator.paths import cache_dir

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ESPEAK_RATE, _ESPEAK_VOLUME, _ESPEAK_PITCH, _ESPEAK_RANGE = 1, 2, 3, 4
_DEFAULT_WPM = 165  # a calm news-reading pace; eSpeak's own default (175) rushes Hindi

# name -> (eSpeak voice+variant, pitch 0-100, description)
VARIANTS: dict[str, tuple[str, int, str, str]] = {
    "hi-female": ("hi+f3", 58, "female", "eSpeak NG हिंदी, महिला स्वर (रोबोटिक, तुरंत)"),
    "hi-male": ("hi+m3", 42, "male", "eSpeak NG हिंदी, पुरुष स्वर (रोबोटिक, तुरंत)"),
}
DEFAULT_VOICE = "hi-female"

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


def _private_copy(library: Path) -> tuple[Path, str]:
    """The library copied into narrator's cache under a name of its content (made once),
    and that name: which build of libespeak-ng speaks.

    Where the cache cannot be written (a full disk, a read-only home) the wheel's
    own file is used: utterances are then independent unless something else in
    the process (Kokoro's phonemizer) holds that file open.
    """
    data = library.read_bytes()
    build = f"libespeak-ng-{hashlib.sha256(data).hexdigest()[:16]}"
    copy = cache_dir() / "espeak" / f"{build}.so"
    if copy.is_file() and copy.stat().st_size == len(data):
        return copy, build
    tmp = copy.with_name(f".{copy.name}.{os.getpid()}.tmp")
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(copy)
    except OSError:
        tmp.unlink(missing_ok=True)
        return library, build
    return copy, build


class _Library:
    """libespeak-ng, loaded afresh for every utterance (see the module notes), under a lock."""

    lock = threading.Lock()
    _instance: ClassVar[_Library | None] = None

    def __init__(self) -> None:
        import espeakng_loader

        path, self.build = _private_copy(Path(espeakng_loader.get_library_path()))
        self._path = str(path)
        self._data = espeakng_loader.get_data_path().encode()
        self._pieces: list[np.ndarray] = []
        # Keep a reference: ctypes callbacks must outlive every call into C.
        self._callback = _CALLBACK(self._on_audio)
        lib = self._open()
        try:
            self.sample_rate = self._initialise(lib)
        finally:
            self._close(lib)

    @classmethod
    def get(cls) -> _Library:
        with cls.lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _open(self) -> ctypes.CDLL:
        lib = ctypes.CDLL(self._path, mode=os.RTLD_LOCAL)
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        return lib

    def _initialise(self, lib: ctypes.CDLL) -> int:
        rate = int(lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, self._data, 0))
        if rate <= 0:
            raise EngineError(f"eSpeak NG failed to initialise from {self._data.decode()}")
        lib.espeak_SetSynthCallback(self._callback)
        return rate

    @staticmethod
    def _close(lib: ctypes.CDLL) -> None:
        lib.espeak_Terminate()
        _ctypes.dlclose(lib._handle)

    def _on_audio(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0 and wav:
            self._pieces.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0 = continue synthesis

    def speak(self, text: str, voice: str, rate_wpm: int, pitch: int) -> np.ndarray:
        data = text.encode("utf-8") + b"\0"
        with self.lock:
            self._pieces = []
            lib = self._open()
            try:
                self._initialise(lib)
                if lib.espeak_SetVoiceByName(voice.encode()) != 0:
                    raise EngineError(f"eSpeak NG has no voice {voice!r}")
                lib.espeak_SetParameter(_ESPEAK_RATE, rate_wpm, 0)
                lib.espeak_SetParameter(_ESPEAK_PITCH, pitch, 0)
                # Both random sources: eSpeak's own (seeded from the clock by
                # Initialize) and libc's rand() (the female variants' breath noise).
                lib.espeak_ng_SetRandSeed(0)
                lib.srand(0)
                buf = ctypes.create_string_buffer(data)
                err = lib.espeak_Synth(buf, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            finally:
                self._close(lib)
            if err != 0:
                raise EngineError(f"eSpeak NG synthesis failed (error {err})")
            pieces, self._pieces = self._pieces, []
        if not pieces:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(pieces).astype(np.float32) / 32768.0


class EspeakEngine(BaseEngine):
    """eSpeak NG Hindi, female or male variant, any rate and pitch."""

    name: ClassVar[str] = "espeak"
    max_chars = 400  # eSpeak has no hard limit; shorter chunks only help streaming
    auto_rank = 10  # always installed: the fallback `auto` ends with

    def __init__(
        self,
        voice: str | None = None,
        device: str = "auto",
        speed: float = 1.0,
        model: ModelSpec | None = None,
        *,
        threads: int | None = None,
        pitch: int | None = None,
    ) -> None:
        """`pitch` 0-100 overrides the variant's own (58 female, 42 male)."""
        super().__init__(voice, device, speed, model, threads=threads)
        self.voice = voice or DEFAULT_VOICE
        if self.voice not in VARIANTS:
            raise InputError(f"espeak has no voice {self.voice!r}: choose {', '.join(VARIANTS)}")
        espeak_voice, default_pitch, _, _ = VARIANTS[self.voice]
        self._espeak_voice = espeak_voice
        self.pitch = default_pitch if pitch is None else int(pitch)
        self._lib = _Library.get()
        self.sample_rate = self._lib.sample_rate

    @property
    def rate_wpm(self) -> int:
        return max(80, min(450, round(_DEFAULT_WPM * self.speed)))

    @property
    def model_id(self) -> str:
        """The library build, loaded afresh per utterance: audio cached from another
        build, or from before utterances were independent, is never reused."""
        return f"{self._lib.build}|fresh"

    @property
    def cache_key(self) -> str:
        return f"{super().cache_key}|p{self.pitch}"

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        audio = self._lib.speak(text, self._espeak_voice, self.rate_wpm, self.pitch)
        return as_float32_mono(audio)

    @classmethod
    def list_voices(cls) -> list[VoiceInfo]:
        return [
            VoiceInfo(
                name=name,
                engine=cls.name,
                language="hi",
                description=desc,
                gender=gender,
                licence="GPL-3.0 (engine); audio output unrestricted",
                commercial=True,
                ready=True,
                sample_rate=22050,
            )
            for name, (_, _, gender, desc) in VARIANTS.items()
        ]
