"""Coqui's model catalogue and cache: names, licences, where models are, how to fetch one.

Models are fetched with Coqui's own ModelManager, so they land where Coqui
itself looks (its `tts` data folder, or the Hugging Face cache for XTTS-v2)
and Coqui's `tts` tool finds them too. Finding out what is installed never
imports torch: the catalogue (`TTS/.models.json`) and the cache folders are
read directly, so `narrator voices` stays instant.

Both the `coqui` and the `xtts` engine are built on this module, the way
Coqui's `TTS.api` sits on its ModelManager; it knows neither engine.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from narrator.catalogue import hf_cache
from narrator.catalogue.licences import (
    APACHE,
    CC_BY_NC,
    CPML,
    MIT,
    MPL,
    UNKNOWN,
    Consent,
    ModelLicence,
    Progress,
    tos_pre_agreed,
)
from narrator.catalogue.records import InstalledModel, PullResult, folder_size
from narrator.errors import InputError, NarratorError, one_line

XTTS_NAME = "tts_models/multilingual/multi-dataset/xtts_v2"
MMS_HINDI = "tts_models/hin/fairseq/vits"

# Short names `narrator models pull` and `--model` accept.
ALIASES = {"xtts": XTTS_NAME, "xtts_v2": XTTS_NAME, "mms": MMS_HINDI, "mms-hin": MMS_HINDI}

# Licences as Coqui's .models.json writes them, to ours.
_LICENCE_BY_COQUI_NAME = {
    "cpml": CPML,
    "cc by-nc 4.0": CC_BY_NC,
    "apache 2.0": APACHE,
    "apache2": APACHE,
    "mit": MIT,
    "mpl 2.0": MPL,
}

CatalogueItem = dict[str, Any]


def full_name(name: str) -> str:
    """An alias (`xtts`, `mms`) to its catalogue name; anything else as it is."""
    return ALIASES.get(name.lower(), name)


def pull_command(name: str) -> str:
    """The exact command a ModelMissingError tells the user to run."""
    return f"narrator models pull {'xtts' if name == XTTS_NAME else name}"


def is_model_name(spec: str) -> bool:
    """`type/language/dataset/model`, e.g. tts_models/hin/fairseq/vits."""
    parts = spec.split("/")
    return len(parts) == 4 and parts[0] in ("tts_models", "vocoder_models") and all(parts)


# --- the catalogue -----------------------------------------------------------------------


@cache
def _catalogue() -> dict[str, Any]:
    spec = importlib.util.find_spec("TTS")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / ".models.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def catalogue_item(name: str) -> CatalogueItem | None:
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
        return UNKNOWN
    return _LICENCE_BY_COQUI_NAME.get(
        text.lower(), ModelLicence(text, False, "", f"Licence: {text}.")
    )


# --- Coqui's cache ---------------------------------------------------------------------


def data_dir() -> Path:
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


def model_dir(name: str) -> Path | None:
    """The local folder of a downloaded Coqui model, or None when it is not on disk.

    GitHub- and fairseq-hosted models live in Coqui's data folder; Hugging Face
    hosted ones (XTTS-v2) in the Hugging Face cache, looked up offline.
    """
    item = catalogue_item(name)
    if item is not None and "repo_id" in item:
        return hf_cache.snapshot(str(item["repo_id"]))
    folder = data_dir() / name.replace("/", "--")
    if folder.is_dir() and next(folder.rglob("*.pt*"), None) is not None:
        return folder
    return None


def installed() -> list[InstalledModel]:
    """Every model in Coqui's data folder, as `narrator models list` shows it."""
    rows: list[InstalledModel] = []
    root = data_dir()
    if not root.is_dir():
        return rows
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        name = folder.name.replace("--", "/")
        if is_model_name(name):
            rows.append(
                InstalledModel(name, "coqui", folder, folder_size(folder), licence_of(name).name)
            )
    return rows


# --- pulling ---------------------------------------------------------------------------


def resolve_pull_name(name: str) -> str:
    """An alias or a full catalogue name -> the catalogue name; else a one-line InputError."""
    full = full_name(name)
    if not is_model_name(full) or catalogue_item(full) is None:
        raise InputError(
            f"unknown model {name!r}: Coqui's catalogue has no such model "
            f"(a Coqui model name looks like {MMS_HINDI})"
        )
    return full


def needs_consent(name: str) -> bool:
    """A licence that restricts use (or a model whose owner requires accepting terms)."""
    return not licence_of(name).commercial or bool(
        (catalogue_item(name) or {}).get("tos_required")
    )


def pull(
    name: str,
    *,
    agree: Consent | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> PullResult:
    """Download a catalogue model with Coqui's ModelManager once its licence is accepted.

    For a model whose licence restricts use, `agree(licence, full_name)` is
    called (it shows the licence and asks, or knows the user passed --yes);
    without `agree`, COQUI_TOS_AGREED=1 must be set. A refusal or a network
    failure is a one-line NarratorError.
    """
    full = resolve_pull_name(name)
    say = progress or (lambda _msg: None)
    licence = licence_of(full)
    if not force and (existing := model_dir(full)) is not None:
        say(f"{full} is already downloaded: {existing}")
        return PullResult(full, existing, licence)
    if needs_consent(full):
        accepted = agree(licence, full) if agree is not None else tos_pre_agreed()
        if not accepted:
            raise NarratorError(
                f"not downloading {full}: its licence ({licence.name}) was not accepted"
            )
    return PullResult(full, _download(full, say), licence)


def _download(name: str, say: Progress) -> Path:
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
            f"could not download {name}: {type(exc).__name__}: {one_line(exc)} "
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
