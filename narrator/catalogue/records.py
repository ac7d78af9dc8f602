"""What `narrator models pull` and `narrator models list` report, for every engine.

Each engine fills these from its own catalogue (`BaseEngine.pull`,
`BaseEngine.installed_models`); the command prints them without knowing which
engine a row came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrator.catalogue.licences import ModelLicence


@dataclass(frozen=True)
class PullResult:
    """A model that is now on disk: where, under which licence, and how to use it."""

    name: str
    path: Path
    licence: ModelLicence
    usage: str = ""  # one line for the user, e.g. "use it with --engine xtts"


@dataclass(frozen=True)
class InstalledModel:
    """One row of `narrator models list`."""

    name: str
    kind: str  # the engine that uses it: "coqui", "xtts", "kokoro"
    path: Path
    size_bytes: int
    licence: str


def folder_size(path: Path) -> int:
    """Bytes in every file under `path` (files that vanish meanwhile count 0)."""
    total = 0
    for item in path.rglob("*"):
        try:
            if item.is_file():
                total += item.stat().st_size
        except OSError:
            continue
    return total
