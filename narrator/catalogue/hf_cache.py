"""The Hugging Face hub cache, read without the network and without huggingface_hub.

Coqui's ModelManager downloads Hugging Face hosted models (XTTS-v2) with
huggingface_hub, so they land in the hub cache. Asking "is it downloaded?"
must stay instant and offline, so the cache layout is read directly here,
with the same environment variables huggingface_hub honours.
"""

from __future__ import annotations

import os
from pathlib import Path


def hub_cache() -> Path:
    """HF_HUB_CACHE, else HF_HOME/hub, else $XDG_CACHE_HOME (or ~/.cache)/huggingface/hub."""
    if cache_dir := os.environ.get("HF_HUB_CACHE"):
        return Path(cache_dir).expanduser()
    if hf_home := os.environ.get("HF_HOME"):
        return Path(hf_home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def snapshot(repo_id: str) -> Path | None:
    """The cached snapshot folder of a model repo (its `main` ref), or None."""
    repo_dir = hub_cache() / ("models--" + repo_id.replace("/", "--"))
    ref = repo_dir / "refs" / "main"
    try:
        commit = ref.read_text(encoding="utf-8").strip()
    except OSError:
        snapshots = sorted((repo_dir / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime)
        return snapshots[-1] if snapshots else None
    folder = repo_dir / "snapshots" / commit
    return folder if folder.is_dir() else None
