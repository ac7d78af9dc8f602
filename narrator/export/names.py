"""File names (slugs) of episodes in an out folder, handed out under a lock.

Why a lock and a register: two exports into one folder at the same time (two
terminals, the TUI and the CLI, workers on a cluster) each used to pick
"the title's slug, unless a finished episode has it", and an episode is only
finished at its very end, so both picked the same name and one overwrote the
other. Now a slug is claimed, not picked: under a lock on the folder, the
claim is written to the folder's register `.narrator-slugs` (slug -> article
identity) before the lock is released. Every later claim sees it, finished
or not.

The lock is `flock` on the folder itself: it holds across processes and
leaves nothing behind (a lock file would be rewritten on every run, and a
rerun that finds every episode done must not change a thing in the folder).
Where `fcntl` does not exist (Windows), `filelock`'s lock file is used.

Rules, in order:
- an article already in the folder (same identity, by the register or by a
  finished episode's sidecar) keeps its slug, so a rerun finds it and skips it;
- a new article gets the slug of its title, made unique against every name
  already in the folder and in the register (case-insensitively): `-2`, `-3`…
So two different articles never share a slug, and a slug never changes owner.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from narrator.audio.files import atomic_write_text
from narrator.export.job import ArticleJob
from narrator.export.sidecar import EpisodeSidecar, SidecarError
from narrator.slug import slugify, unique_slug

REGISTER = ".narrator-slugs"  # JSON, but not *.json: never taken for a sidecar
LOCK = ".narrator.lock"  # only where fcntl is missing
_LOCK_TIMEOUT_S = 120.0


@contextlib.contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock that serializes slug claims in `out_dir` (across processes)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows)
        from filelock import FileLock

        with FileLock(str(out_dir / LOCK), timeout=_LOCK_TIMEOUT_S):
            yield
        return
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        deadline = time.monotonic() + _LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{out_dir} stayed locked by another export") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def sidecar_paths(out_dir: Path) -> list[Path]:
    """Every file in `out_dir` that may be an episode's sidecar (sorted)."""
    return sorted(
        p
        for p in out_dir.glob("*.json")
        if not p.name.endswith(".chapters.json") and not p.name.startswith(".")
    )


def _read_register(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / REGISTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    slugs = data.get("slugs") if isinstance(data, dict) else None
    if not isinstance(slugs, dict):
        return {}
    return {str(k): str(v) for k, v in slugs.items() if isinstance(v, str)}


def _finished(out_dir: Path, known: dict[str, str]) -> dict[str, str]:
    """slug -> identity from sidecars the register does not know yet."""
    found: dict[str, str] = {}
    for path in sidecar_paths(out_dir):
        if path.stem in known:
            continue
        try:
            sidecar = EpisodeSidecar.read(path)
        except SidecarError:
            continue
        found.setdefault(sidecar.slug or path.stem, sidecar.identity)
    return found


def claim_slugs(out_dir: Path, jobs: Sequence[ArticleJob]) -> list[ArticleJob]:
    """`jobs` with their slugs in `out_dir` (the folder must exist), claimed atomically."""
    with folder_lock(out_dir):
        register = _read_register(out_dir)
        before = dict(register)
        register.update(_finished(out_dir, register))
        owner = {identity: slug for slug, identity in register.items()}
        taken = {slug.casefold() for slug in register}
        taken |= {p.name.split(".")[0].casefold() for p in out_dir.iterdir() if p.name[:1] != "."}
        claimed: list[ArticleJob] = []
        for job in jobs:
            slug = owner.get(job.identity)
            if slug is None:
                slug = unique_slug(slugify(job.title), taken)
                register[slug] = job.identity
                owner[job.identity] = slug
                taken.add(slug.casefold())
            claimed.append(job.with_slug(slug))
        if register != before:
            document = {"version": 1, "slugs": dict(sorted(register.items()))}
            atomic_write_text(
                out_dir / REGISTER, json.dumps(document, ensure_ascii=False, indent=1) + "\n"
            )
    return claimed
