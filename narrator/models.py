"""Model weights on the user's machine: where they live, what is cached, how to pull them.

`narrator models pull` and `narrator models list` are thin shells over `pull()`
and `cached_models()`. Coqui models are fetched with Coqui's own ModelManager,
so they land where Coqui itself looks (its `tts` data folder, or the Hugging
Face cache for XTTS-v2) and `TTS` tools find them too. Kokoro's files are
assembled by `narrator.engines.kokoro_assets`.

Finding out what is installed never imports torch: the Coqui cache folder and
model catalogue are read directly, so `narrator voices` stays instant.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from narrator.errors import InputError, ModelMissingError, NarratorError
from narrator.paths import data_dir

XTTS_NAME = "tts_models/multilingual/multi-dataset/xtts_v2"
MMS_HINDI = "tts_models/hin/fairseq/vits"


@dataclass(frozen=True)
class ModelLicence:
    """What the user agrees to before a download."""

    name: str  # short, e.g. "CPML (non-commercial)"
    commercial: bool
    url: str
    terms: str  # one or two lines shown before asking


CPML = ModelLicence(
    "CPML (non-commercial)",
    False,
    "https://coqui.ai/cpml",
    "XTTS-v2 is released under the Coqui Public Model License: non-commercial use only, "
    "unless you bought a commercial licence from Coqui.",
)
CC_BY_NC = ModelLicence(
    "CC BY-NC 4.0",
    False,
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "Meta's MMS voices are CC BY-NC 4.0: you may share and adapt the audio with "
    "attribution, but not for commercial purposes.",
)
APACHE = ModelLicence(
    "Apache-2.0",
    True,
    "https://www.apache.org/licenses/LICENSE-2.0",
    "Kokoro-82M is Apache-2.0: commercial use allowed.",
)

# Coqui catalogue licences, as written in Coqui's .models.json, to ours.
_LICENCE_BY_COQUI_NAME = {
    "cpml": CPML,
    "cc by-nc 4.0": CC_BY_NC,
    "apache 2.0": APACHE,
    "apache2": APACHE,
    "mit": ModelLicence("MIT", True, "https://opensource.org/licenses/MIT", "MIT licence."),
    "mpl 2.0": ModelLicence("MPL-2.0", True, "https://www.mozilla.org/MPL/2.0/", "MPL 2.0."),
}

# Short names `narrator models pull` accepts.
ALIASES = {"xtts": XTTS_NAME, "xtts_v2": XTTS_NAME, "mms": MMS_HINDI, "mms-hin": MMS_HINDI}


def pull_command(name: str) -> str:
    """The exact command a ModelMissingError tells the user to run."""
    return f"narrator models pull {'xtts' if name == XTTS_NAME else name}"


# --- Coqui's cache -------------------------------------------------------------------


def coqui_data_dir() -> Path:
    """Where Coqui's ModelManager stores models (same rule as trainer.io.get_user_data_dir).

    Re-implemented here so that asking "is it downloaded?" does not import torch.
    """
    if home := os.environ.get("TTS_HOME"):
        base = Path(home).expanduser()
    elif xdg := os.environ.get("XDG_DATA_HOME"):
        base = Path(xdg).expanduser()
    elif sys.platform == "darwin":
        base = Path("~/Library/Application Support/").expanduser()
    elif sys.platform == "win32":  # pragma: no cover - Coqui reads the registry there
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path.home() / ".local" / "share"
    return base / "tts"


def is_model_name(spec: str) -> bool:
    """`type/language/dataset/model`, e.g. tts_models/hin/fairseq/vits."""
    parts = spec.split("/")
    return len(parts) == 4 and parts[0] in ("tts_models", "vocoder_models") and all(parts)


@cache
def _catalogue() -> dict:
    spec = importlib.util.find_spec("TTS")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / ".models.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def catalogue_item(name: str) -> dict | None:
    """Coqui's description of a released model (fairseq MMS models are built on the fly)."""
    if not is_model_name(name):
        return None
    kind, lang, dataset, model = name.split("/")
    if dataset == "fairseq":
        return {"license": "CC BY-NC 4.0", "default_vocoder": None, "description": "Meta MMS"}
    try:
        return dict(_catalogue()[kind][lang][dataset][model])
    except KeyError:
        return None


def licence_of(name: str) -> ModelLicence:
    item = catalogue_item(name) or {}
    text = str(item.get("license", "")).strip()
    if not text:
        return ModelLicence("unknown", False, "", "No licence information; check the model's page.")
    return _LICENCE_BY_COQUI_NAME.get(
        text.lower(), ModelLicence(text, False, "", f"Licence: {text}.")
    )


def coqui_model_dir(name: str) -> Path | None:
    """The local folder of a downloaded Coqui model, or None when it is not on disk.

    GitHub- and fairseq-hosted models live in Coqui's data folder; Hugging Face
    hosted ones (XTTS-v2) in the Hugging Face cache, looked up offline.
    """
    item = catalogue_item(name)
    if item is not None and "repo_id" in item:
        return _hf_snapshot(item["repo_id"])
    folder = coqui_data_dir() / name.replace("/", "--")
    if folder.is_dir() and next(folder.rglob("*.pt*"), None) is not None:
        return folder
    return None


def _hf_snapshot(repo_id: str) -> Path | None:
    """The cached snapshot folder of a Hugging Face repo, never touching the network."""
    hub_cache = _hf_hub_cache()
    repo_dir = hub_cache / ("models--" + repo_id.replace("/", "--"))
    ref = repo_dir / "refs" / "main"
    try:
        commit = ref.read_text(encoding="utf-8").strip()
    except OSError:
        snapshots = sorted((repo_dir / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime)
        return snapshots[-1] if snapshots else None
    folder = repo_dir / "snapshots" / commit
    return folder if folder.is_dir() else None


def _hf_hub_cache() -> Path:
    if cache_dir := os.environ.get("HF_HUB_CACHE"):
        return Path(cache_dir).expanduser()
    if hf_home := os.environ.get("HF_HOME"):
        return Path(hf_home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


# --- pulling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PullResult:
    name: str
    path: Path
    licence: ModelLicence


def resolve_pull_name(name: str) -> str:
    """`xtts` -> the XTTS-v2 catalogue name; a full Coqui name is kept; else InputError."""
    full = ALIASES.get(name.lower(), name)
    if full == "kokoro":
        return full
    if not is_model_name(full) or catalogue_item(full) is None:
        raise InputError(
            f"unknown model {name!r}: use xtts, kokoro or a Coqui model name such as {MMS_HINDI}"
        )
    return full


def tos_pre_agreed() -> bool:
    """COQUI_TOS_AGREED=1, Coqui's own switch for accepting model licences unattended."""
    return os.environ.get("COQUI_TOS_AGREED") == "1"


def needs_consent(full_name: str) -> bool:
    """A licence that restricts use (or a model whose owner requires accepting terms)."""
    if full_name == "kokoro":
        return False
    return not licence_of(full_name).commercial or bool(
        (catalogue_item(full_name) or {}).get("tos_required")
    )


def pull(
    name: str,
    *,
    agree: Callable[[ModelLicence, str], bool] | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> PullResult:
    """Download a model with its owner's tool once its licence is accepted.

    For a model whose licence restricts use, `agree(licence, full_name)` is
    called (it shows the licence and asks, or knows the user passed --yes);
    without `agree`, COQUI_TOS_AGREED=1 must be set. A refusal or a network
    failure is a one-line NarratorError.
    """
    full = resolve_pull_name(name)
    say = progress or (lambda _msg: None)
    if full == "kokoro":
        from narrator.engines import kokoro_assets

        path = kokoro_assets.pull(force=force, progress=progress)
        return PullResult("kokoro", Path(path), APACHE)

    licence = licence_of(full)
    if not force and (existing := coqui_model_dir(full)) is not None:
        say(f"{full} is already downloaded: {existing}")
        return PullResult(full, existing, licence)
    if needs_consent(full):
        accepted = agree(licence, full) if agree is not None else tos_pre_agreed()
        if not accepted:
            raise NarratorError(
                f"not downloading {full}: its licence ({licence.name}) was not accepted"
            )
    return PullResult(full, _download_coqui(full, say), licence)


def _download_coqui(name: str, say: Callable[[str], None]) -> Path:
    """Coqui's ModelManager does the download (and XTTS's TOS file) exactly as `tts` would."""
    previous = os.environ.get("COQUI_TOS_AGREED")
    # We asked already; stop Coqui from asking again on stdin.
    os.environ["COQUI_TOS_AGREED"] = "1"
    # Coqui logs a failed download with its traceback; we report it in one line.
    quiet = logging.NullHandler()
    coqui_log = logging.getLogger("TTS")
    coqui_log.addHandler(quiet)
    try:
        from TTS.utils.manage import ModelManager

        say(f"downloading {name} with Coqui's model manager …")
        manager = ModelManager(progress_bar=sys.stderr.isatty())
        model_path, _config, item = manager.download_model(name)
        if item.get("tos_required"):
            # What Coqui's own prompt leaves behind, so `tts` does not ask again.
            tos = manager.output_prefix / name.replace("/", "--") / "tos_agreed.txt"
            tos.parent.mkdir(parents=True, exist_ok=True)
            tos.write_text("I have read, understood and agreed to the Terms and Conditions.")
        if vocoder := item.get("default_vocoder"):
            say(f"downloading its vocoder {vocoder} …")
            manager.download_model(vocoder)
    except Exception as exc:
        raise NarratorError(
            f"could not download {name}: {type(exc).__name__}: {_first_line(exc)} "
            "(check the network connection and try again)"
        ) from exc
    finally:
        coqui_log.removeHandler(quiet)
        if previous is None:
            os.environ.pop("COQUI_TOS_AGREED", None)
        else:
            os.environ["COQUI_TOS_AGREED"] = previous
    path = Path(model_path)
    return path if path.is_dir() else path.parent


def _first_line(exc: BaseException, limit: int = 160) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- listing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedModel:
    """One row of `narrator models list`."""

    name: str
    kind: str  # "coqui", "xtts", "kokoro"
    path: Path
    size_bytes: int
    licence: str


def folder_size(path: Path) -> int:
    total = 0
    for item in path.rglob("*"):
        try:
            if item.is_file():
                total += item.stat().st_size
        except OSError:
            continue
    return total


def kokoro_dir() -> Path:
    """Where `narrator models pull kokoro` puts Kokoro's weights and voices."""
    return data_dir() / "kokoro"


def cached_models() -> list[CachedModel]:
    """Everything narrator can use that is on disk: Coqui's cache, XTTS, Kokoro."""
    rows: list[CachedModel] = []
    root = coqui_data_dir()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            name = folder.name.replace("--", "/")
            if not is_model_name(name):
                continue
            rows.append(
                CachedModel(name, "coqui", folder, folder_size(folder), licence_of(name).name)
            )
    xtts = coqui_model_dir(XTTS_NAME)
    if xtts is not None:
        rows.append(CachedModel(XTTS_NAME, "xtts", xtts, folder_size(xtts), CPML.name))
    local_xtts = os.environ.get("NARRATOR_XTTS_DIR")
    if local_xtts and Path(local_xtts).is_dir():
        path = Path(local_xtts)
        rows.append(
            CachedModel("xtts (NARRATOR_XTTS_DIR)", "xtts", path, folder_size(path), CPML.name)
        )
    kokoro = kokoro_dir()
    if kokoro.is_dir() and any(kokoro.iterdir()):
        rows.append(CachedModel("kokoro", "kokoro", kokoro, folder_size(kokoro), APACHE.name))
    return rows


def require_coqui_model(name: str) -> Path:
    """The folder of a downloaded Coqui model, or a ModelMissingError naming the pull command."""
    folder = coqui_model_dir(name)
    if folder is None:
        raise ModelMissingError(f"{name} is not downloaded: run `{pull_command(name)}`")
    return folder
