"""Audio formats that can be sent while the narration is still being made.

A streamed response cannot go back and fix its header, so each format is
written so that what is already sent is final:

    wav   a RIFF header whose sizes are 0xFFFFFFFF ("unknown", what streaming
          WAV readers expect), then 16-bit PCM
    pcm   raw 16-bit little-endian samples at 24 kHz, as OpenAI's API sends them
    mp3   libsndfile's LAME encoder, constant bit rate
    flac  libsndfile's FLAC encoder
    opus  Ogg Opus through libsndfile (1.0.29 and later build it in)

Measured with the libsndfile 1.2.2 in the soundfile wheels: all three encoders
write their frames to a file-like object as blocks are written, so each piece's
bytes can go out at once. At close MP3 and FLAC seek back to rewrite their first
bytes (the LAME/Xing tag, the FLAC STREAMINFO totals); those rewrites are
dropped, since the client already has the placeholders, which decoders read as
"length unknown" (a silent first MP3 frame, zero totals in FLAC). VBR MP3
without its Xing tag is read short by mpg123, hence constant bit rate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from narrator.audio.files import mp3_rate, resample
from narrator.errors import InputError

PCM_RATE = 24000
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
_UNKNOWN = 0xFFFFFFFF


@dataclass(frozen=True)
class StreamFormat:
    """One `response_format`: its MIME type and how it is encoded."""

    name: str
    media_type: str
    major: str = ""  # libsndfile major format ("" when written by hand)
    subtype: str = ""


STREAM_FORMATS: dict[str, StreamFormat] = {
    "mp3": StreamFormat("mp3", "audio/mpeg", "MP3", "MPEG_LAYER_III"),
    "opus": StreamFormat("opus", "audio/ogg; codecs=opus", "OGG", "OPUS"),
    "flac": StreamFormat("flac", "audio/flac", "FLAC", "PCM_16"),
    "wav": StreamFormat("wav", "audio/wav"),
    "pcm": StreamFormat("pcm", "audio/pcm"),
}


def available_formats() -> list[str]:
    """The formats this soundfile build can stream (opus and mp3 depend on libsndfile)."""
    majors = sf.available_formats()
    return [
        fmt.name
        for fmt in STREAM_FORMATS.values()
        if not fmt.major or (fmt.major in majors and fmt.subtype in sf.available_subtypes(fmt.major))
    ]


def stream_format(name: str) -> StreamFormat:
    """The format called `name`, or a one-line InputError listing the ones there are."""
    usable = available_formats()
    if name not in usable:
        raise InputError(f"unsupported response_format {name!r}: use one of {', '.join(usable)}")
    return STREAM_FORMATS[name]


class _Sink:
    """An append-only file for libsndfile: new bytes are collected, rewrites dropped."""

    def __init__(self) -> None:
        self._size = 0
        self._pos = 0
        self._new = bytearray()

    def write(self, data: bytes) -> int:
        data = bytes(data)
        if self._pos == self._size:
            self._new += data
            self._size += len(data)
        # else: a header rewrite at close; the client already has the placeholder
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        return b""

    def take(self) -> bytes:
        out, self._new = bytes(self._new), bytearray()
        return out


class StreamEncoder:
    """Encodes float mono audio block by block; `encode` returns the bytes ready to send.

    Usage: `encode(block)` for each block in order, then `finish()` once.
    """

    def __init__(self, fmt: str, sample_rate: int) -> None:
        self.format = stream_format(fmt)
        self.in_rate = int(sample_rate)
        self.rate = self._out_rate(self.format.name, self.in_rate)
        self._file: sf.SoundFile | None = None
        self._sink = _Sink()
        self._started = False

    @staticmethod
    def _out_rate(name: str, rate: int) -> int:
        if name == "pcm":
            return PCM_RATE
        if name == "mp3":
            return mp3_rate(rate)
        if name == "opus":
            return next((r for r in OPUS_RATES if r >= rate), OPUS_RATES[-1])
        return rate

    @property
    def media_type(self) -> str:
        return self.format.media_type

    def _header(self) -> bytes:
        if self.format.name != "wav":
            return b""
        # RIFF/WAVE, PCM 16-bit mono; both sizes "unknown" so readers play to the end
        return (
            b"RIFF" + struct.pack("<I", _UNKNOWN) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, self.rate, self.rate * 2, 2, 16)
            + b"data" + struct.pack("<I", _UNKNOWN)
        )  # fmt: skip

    def encode(self, audio: np.ndarray) -> bytes:
        data = np.clip(np.nan_to_num(np.asarray(audio, dtype=np.float32).reshape(-1)), -1.0, 1.0)
        data = resample(data, self.in_rate, self.rate)
        head = b""
        if not self._started:
            self._started = True
            head = self._header()
            if self.format.major:
                extra: dict[str, object] = {}
                if self.format.name == "mp3":
                    level = 0.63 if self.rate <= 24000 else 0.78  # ~64/96 kbit/s, as exports
                    extra = {"compression_level": level, "bitrate_mode": "CONSTANT"}
                self._file = sf.SoundFile(
                    self._sink, "w", self.rate, 1,
                    subtype=self.format.subtype, format=self.format.major, **extra,
                )  # fmt: skip
        if self._file is not None:
            if len(data):
                self._file.write(data)
            return head + self._sink.take()
        pcm = (data * 32767.0).round().astype("<i2").tobytes()
        return head + pcm

    def finish(self) -> bytes:
        """The encoder's last frames (and the header, when nothing was encoded)."""
        head = b""
        if not self._started:
            head = self.encode(np.zeros(0, dtype=np.float32))
        if self._file is not None:
            self._file.close()
            self._file = None
        return head + self._sink.take()

    def close(self) -> None:
        """Free the encoder without sending anything more (the client went away)."""
        if self._file is not None:
            try:
                self._file.close()
            except (RuntimeError, sf.LibsndfileError):
                pass
            self._file = None


def warm_up(sample_rate: int) -> None:
    """Encode a moment of silence in every format, so the first request does not
    pay for loading the encoders and the resampler (~1 s for scipy's import)."""
    for name in available_formats():
        encoder = StreamEncoder(name, sample_rate)
        encoder.encode(np.zeros(sample_rate // 10, dtype=np.float32))
        encoder.finish()
