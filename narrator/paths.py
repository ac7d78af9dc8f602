"""Where narrator keeps things on the user's machine (platformdirs), in one place.

Every location can be moved with an environment variable so tests and CI use a
temporary folder and never touch the user's real data.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "narrator"


def _dir(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Model weights assembled by `narrator models pull` (Kokoro, Coqui)."""
    return _dir("NARRATOR_DATA_DIR", platformdirs.user_data_dir(APP))


def state_dir() -> Path:
    """What narrator remembers for the listener (listener.json): the data folder."""
    return _dir("NARRATOR_STATE_DIR", str(data_dir()))


def cache_dir() -> Path:
    """Synthesized-chunk cache and XTTS conditioning latents: safe to delete."""
    return _dir("NARRATOR_CACHE_DIR", platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    """User settings and the pronunciation lexicon (lexicon.toml)."""
    return _dir("NARRATOR_CONFIG_DIR", platformdirs.user_config_dir(APP))


def library_dir() -> Path:
    """The user's article library, seeded with the bundled samples on first use."""
    return _dir("NARRATOR_LIBRARY_DIR", platformdirs.user_documents_dir() + "/narrator")


def project_root() -> Path:
    """The source checkout (for `voices/` and `audio_out/` when run from a clone)."""
    return Path(__file__).resolve().parent.parent


def voices_dir() -> Path:
    """User voices: reference clips and voices.toml (default: ./voices of the checkout)."""
    return Path(os.environ.get("NARRATOR_VOICES_DIR") or project_root() / "voices")


def samples_dir() -> Path:
    """The sample articles shipped inside the package."""
    return Path(__file__).resolve().parent / "data" / "samples"
