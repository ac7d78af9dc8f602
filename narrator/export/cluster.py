"""`narrator export --ray`: the same export on a Ray cluster (the `narrator[cluster]` extra).

What runs where:

    driver (this process)   checks options, gathers the articles, claims their
                            slugs in the out folder (names.claim_slugs), hands
                            out articles, shows progress, writes the summary
    engine actors           one per GPU (num_gpus=1), or on CPU one per
                            `cpus_per_actor` CPUs; each loads its engine ONCE
                            and runs `export_article` on one whole article at
                            a time: the same job, resume check and atomic
                            writes as `--jobs`
    a progress board        a tiny actor the engine actors post Progress
                            events to (fire and forget); the driver drains it

Load balancing is pull-based: an actor gets its next article only when it has
returned the last one, so a long article never holds back the rest and a
faster GPU simply makes more episodes. (ray.util.ActorPool does the same
hand-out, but keeps the in-flight references to itself; cancelling them on
Ctrl-C needs them, so the loop here is written out: ray.wait on the running
articles.)

Where the files are written, and why both ways exist:

    actors write    the actor exports straight into DIR: temp files, fsync,
                    renames, sidecar last (episode.py). Nothing travels but
                    the result. This needs DIR to be one folder shared by every
                    node (NFS, a cluster file system), at the same path. It is
                    what a local Ray does (one machine), and what `auto` picks
                    for every actor that can see and write DIR.
    driver writes   an actor that cannot see DIR exports into a private
                    staging folder on its node and returns the five files as
                    bytes; the driver renames them into DIR in the same order
                    (PUBLISH_ORDER: sidecar last). The resume check still runs
                    in the actor, against the episode the driver found in DIR
                    (export_article's `find_episode`). The cost is that every
                    episode passes through the driver; the gain, besides
                    needing no shared storage, is that the float32 spool
                    (12x the MP3, written and read) stays on the actor's
                    local disk instead of the shared file system: on a big
                    cluster that traffic, not the driver, is the limit
                    (bench/SCALING.md).

`auto` decides per actor by a probe: the driver writes a hidden file with a
random token into DIR; an actor that reads the token back and can create a
file there writes directly, any other sends its files to the driver. `shared`
insists on the first (an actor that cannot see DIR is an error), `driver`
forces the second (every byte through the driver, e.g. when DIR is on a file
system that is shared but slow to show other nodes' renames).

Ctrl-C: the driver cancels every running article with `ray.cancel`. Ray does
not interrupt a running actor method; it sets a flag the method reads through
`ray.get_runtime_context().is_canceled()`, which is export_article's
`should_stop`: the article stops between two chunks, its spool and temp files
are removed, and nothing is renamed. The driver waits for that (a second
Ctrl-C stops waiting), kills the actors, and on a local Ray sweeps the temp
files of any actor it had to kill. A finished episode stays; the rerun skips
it and makes the rest.

Same bytes: an actor runs exactly the code `--jobs 1` runs, so an engine whose
audio depends only on the chunk text (the seeded Coqui models) gives the same
episodes, given the same engine threads (torch sums in another order with
another thread count; an actor has `cpus_per_actor` threads). eSpeak NG does
not qualify: its audio depends on what the same process synthesized before
(see bench/SCALING.md).

Ray is imported only here, and only when `--ray` is used.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from narrator.audio.files import (
    atomic_write_many,
    disk_error,
    pid_alive,
    sweep_stale_temps,
    temp_path_for,
)
from narrator.cache import ChunkCache
from narrator.errors import InputError, NarratorError, one_line
from narrator.export.batch import EngineLoadError, EngineSpec
from narrator.export.episode import (
    PUBLISH_ORDER,
    ArticleResult,
    ExportSettings,
    Progress,
    ProgressFn,
    complete_episode,
    episode_paths,
    export_article,
)
from narrator.export.job import ArticleJob
from narrator.export.sidecar import EpisodeSidecar

# A Ray actor handle (ray.actor.ActorHandle): Ray types its methods only for
# classes decorated at import time, and ours are wrapped with ray.remote late.
ActorHandle = Any

RESULT_MODES = ("auto", "shared", "driver")
_NO_RAY = "narrator export --ray needs Ray: pip install 'narrator[cluster]'"
STOP_GRACE_S = 30.0  # how long Ctrl-C waits for articles to stop between two chunks
_CHUNK_EVENT_EVERY_S = 0.2  # an actor posts at most this often per article ("chunk" events)
_POLL_S = 0.2


@dataclass(frozen=True)
class RayOptions:
    """How to run an export on Ray (`--ray [ADDRESS]` and the `--ray-*` options).

    address         None: start a local Ray; "auto": the cluster this machine
                    belongs to; "ray://host:10001": Ray Client; "host:port"
    cpus_per_actor  CPUs (and engine threads) each engine actor reserves
    max_actors      at most this many actors (`--jobs`); None: what fits
    results         "auto", "shared" or "driver" (module notes)
    """

    address: str | None = None
    cpus_per_actor: int = 1
    max_actors: int | None = None
    results: str = "auto"
    stop_grace_s: float = STOP_GRACE_S

    def check(self) -> None:
        """Every option a one-line InputError now, before anything starts."""
        if self.address is not None and not _is_address(self.address):
            raise InputError(
                f"--ray {self.address!r} is not a Ray address: use auto, ray://host:10001 "
                "or host:port (or --ray alone for a local Ray; put --ray after the paths)"
            )
        if self.cpus_per_actor < 1:
            raise InputError(f"--ray-cpus-per-actor {self.cpus_per_actor} must be 1 or more")
        if self.max_actors is not None and self.max_actors < 1:
            raise InputError(f"--jobs {self.max_actors} must be 1 or more")
        if self.results not in RESULT_MODES:
            raise InputError(f"--ray-results {self.results!r}: use {', '.join(RESULT_MODES)}")
        if importlib.util.find_spec("ray") is None:  # found without importing it
            raise InputError(_NO_RAY)


def _is_address(text: str) -> bool:
    if text == "auto" or text.startswith("ray://"):
        return True
    host, sep, port = text.rpartition(":")
    return bool(sep and host and "/" not in host and port.isdigit())


def import_ray() -> Any:
    """The `ray` module, or a one-line error that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise InputError(_NO_RAY) from exc
    return ray


# -- the engine actor (runs on the cluster) -----------------------------------------------


@dataclass(frozen=True)
class ActorInfo:
    """What an engine actor says once its engine is loaded ("" error: ready)."""

    error: str
    node: str
    host: str
    pid: int


@dataclass(frozen=True)
class Shipment:
    """An article's outcome from an actor; `files` (kind -> bytes) when the driver writes."""

    result: ArticleResult
    files: tuple[tuple[str, bytes], ...] = ()


class EngineWorker:
    """An engine actor's body: the engine, loaded once, and one article at a time.

    Plain Python, so importing this module needs no Ray; `RayExport` wraps it
    with `ray.remote` and the resources of one actor.
    """

    def __init__(
        self, spec: EngineSpec, threads: int, cache_folder: str | None, board: ActorHandle
    ) -> None:
        self.board = board
        self.error = ""
        try:
            self.engine = spec.load(threads=threads)
            self.cache = ChunkCache(Path(cache_folder) if cache_folder else None)
        except NarratorError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 (reported as the reason nothing was exported)
            self.error = f"{type(exc).__name__}: {exc}"

    def ready(self) -> ActorInfo:
        import ray

        node = ray.get_runtime_context().get_node_id()
        return ActorInfo(self.error, node, socket.gethostname(), os.getpid())

    def sees(self, probe: str, token: str) -> bool:
        """Whether this actor can read the driver's probe in DIR and create a file there."""
        path = Path(probe)
        try:
            if path.read_text(encoding="utf-8") != token:
                return False
            mine = temp_path_for(path.parent / ".ray-write-probe")
            with open(mine, "xb"):
                pass
            mine.unlink()
        except OSError:
            return False
        return True

    def export(
        self,
        job: ArticleJob,
        settings: ExportSettings,
        staged: bool,
        existing: EpisodeSidecar | None,
    ) -> Shipment:
        """export_article on this actor's engine; with `staged`, the files come back as bytes."""
        import ray

        if self.error:
            failed = ArticleResult(
                job.index, job.source, job.title, job.slug, "failed", error=self.error, fatal=True
            )
            return Shipment(failed)
        stop = ray.get_runtime_context().is_canceled
        post = _Poster(self.board)
        if not staged:
            result = export_article(
                self.engine, job, settings, cache=self.cache, progress=post, should_stop=stop
            )
            return Shipment(result)
        staging = Path(tempfile.mkdtemp(prefix="narrator-ray-"))
        try:
            result = export_article(
                self.engine,
                job,
                replace(settings, out_dir=staging),
                cache=self.cache,
                progress=post,
                should_stop=stop,
                find_episode=lambda _paths: existing,
            )
            if result.status != "done":
                return Shipment(result)
            paths = episode_paths(staging, job.slug, settings.fmt)
            files = tuple((kind, paths[kind].read_bytes()) for kind in PUBLISH_ORDER)
            return Shipment(result, files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


class _Poster:
    """An actor's progress callback: posts to the board without waiting for it.

    "chunk" events are thinned to one per _CHUNK_EVENT_EVERY_S (a cluster of
    many actors must not flood the driver); the end of an article is not
    posted at all, the driver reports it from the result it gets back.
    """

    def __init__(self, board: ActorHandle) -> None:
        self.board = board
        self.last = 0.0

    def __call__(self, event: Progress) -> None:
        if event.stage in ("done", "skipped", "failed"):
            return
        now = time.monotonic()
        thinned = event.stage == "chunk" and event.done < event.total
        if thinned and now - self.last < _CHUNK_EVENT_EVERY_S:
            return
        self.last = now
        self.board.post.remote(event)


class ProgressBoard:
    """Progress events from every actor, collected for the driver to take in one call."""

    def __init__(self) -> None:
        self.events: list[Progress] = []

    def post(self, event: Progress) -> None:
        self.events.append(event)

    def take(self) -> list[Progress]:
        events, self.events = self.events, []
        return events


# -- the driver ---------------------------------------------------------------------------


@dataclass
class _Actor:
    handle: ActorHandle
    info: ActorInfo | None = None
    staged: bool = False


@dataclass
class _Running:
    actor: _Actor
    job: ArticleJob


@dataclass
class RayExport:
    """A connection to Ray with engine actors started: `start`, then `run`, then `close`."""

    ray: Any
    options: RayOptions
    started_here: bool
    board: ActorHandle
    actors: list[_Actor]
    loading: dict[Any, _Actor] = field(default_factory=dict)  # ready() ref -> actor
    description: str = ""
    _placed: bool = False  # `run` has decided who writes into DIR
    _probe: Path | None = None  # the file actors read to tell whether they see DIR
    _token: str = ""

    @classmethod
    def start(
        cls,
        spec: EngineSpec,
        options: RayOptions,
        *,
        articles: int,
        cache_folder: Path | None = None,
    ) -> RayExport:
        """Connect (or start a local Ray), start the engine actors, wait for the first.

        A bad address, too few resources or an engine that cannot load is a
        one-line error here, before the out folder is touched.
        """
        options.check()
        ray = import_ray()
        started_here = not ray.is_initialized()
        if started_here:
            _init(ray, options.address)
        try:
            return cls._start(ray, spec, options, articles, cache_folder, started_here)
        except BaseException:
            if started_here and ray.is_initialized():
                ray.shutdown()
            raise

    @classmethod
    def _start(
        cls,
        ray: Any,
        spec: EngineSpec,
        options: RayOptions,
        articles: int,
        cache_folder: Path | None,
        started_here: bool,
    ) -> RayExport:
        engine = spec.engine_name()
        runtime = _engine_runtime(engine)
        resources = ray.cluster_resources()
        cpus = int(resources.get("CPU", 0))
        gpus = int(resources.get("GPU", 0))
        # An engine that only runs on the CPU (eSpeak) ignores --device, as it does here.
        use_gpu = runtime != "cpu" and spec.device != "cpu" and gpus > 0
        if runtime != "cpu" and spec.device == "cuda" and not use_gpu:
            raise InputError("--device cuda was asked for, but the Ray cluster has no GPU")
        per = options.cpus_per_actor
        fit = min(gpus, cpus // per) if use_gpu else cpus // per
        if fit < 1:
            raise InputError(
                f"the Ray cluster has {cpus} CPU(s): an engine actor needs "
                f"--ray-cpus-per-actor {per}"
            )
        count = min(fit, articles, options.max_actors or fit)
        board = ray.remote(ProgressBoard).options(num_cpus=0).remote()
        actor_class = ray.remote(EngineWorker).options(
            num_cpus=per, num_gpus=1 if use_gpu else 0, max_restarts=0
        )
        # Every actor loads the engine the driver resolved (`auto` is decided once).
        fixed = replace(spec, engine=engine)
        folder = str(cache_folder) if cache_folder is not None else None
        actors = [_Actor(actor_class.remote(fixed, per, folder, board)) for _ in range(count)]
        where = "a local Ray" if options.address is None else f"Ray at {options.address}"
        each = "1 GPU" if use_gpu else f"{per} CPU{'s' if per > 1 else ''}"
        session = cls(
            ray=ray,
            options=options,
            started_here=started_here,
            board=board,
            actors=actors,
            loading={a.handle.ready.remote(): a for a in actors},
            description=f"{where}: {count} {engine} engine actor(s), {each} each",
        )
        try:
            session._wait_first_ready()
        except BaseException:
            session.close()  # on a Ray we did not start, the actors must not stay
            raise
        return session

    def _wait_first_ready(self) -> None:
        """Block until one actor has its engine; an engine that fails to load stops here."""
        while self.loading and not self._usable():
            self._admit(timeout=1.0)

    def _usable(self) -> list[_Actor]:
        return [a for a in self.actors if a.info is not None]

    def _admit(self, timeout: float) -> None:
        """Take in actors whose engine has loaded (an engine that failed is fatal)."""
        ray = self.ray
        done, _ = ray.wait(list(self.loading), num_returns=len(self.loading), timeout=timeout)
        for ref in done:
            actor = self.loading.pop(ref)
            try:
                info: ActorInfo = ray.get(ref)
            except ray.exceptions.RayError as exc:
                self.actors.remove(actor)
                if not self.actors:
                    raise EngineLoadError(f"no engine actor could start: {one_line(exc)}") from None
                continue
            if info.error:
                raise EngineLoadError(info.error)
            actor.info = info
            if self._placed:
                actor.staged = self._staged(actor)

    # -- where results are written --------------------------------------------------------

    def _place(self, out: Path) -> None:
        """Decide, for the actors ready now and those that join later, who writes into `out`."""
        if self.options.results != "driver":
            self._token = secrets.token_hex(16)
            probe = temp_path_for(out / ".ray-probe")
            probe.write_text(self._token, encoding="utf-8")
            self._probe = probe
        self._placed = True
        for actor in self._usable():
            actor.staged = self._staged(actor)

    def _staged(self, actor: _Actor) -> bool:
        """True when `actor` must send its files to the driver (module notes)."""
        if self.options.results == "driver":
            return True
        assert self._probe is not None
        sees = bool(self.ray.get(actor.handle.sees.remote(str(self._probe), self._token)))
        if not sees and self.options.results == "shared":
            host = actor.info.host if actor.info else "?"
            raise InputError(
                f"--ray-results shared: the engine actor on {host} cannot see or write "
                f"{self._probe.parent} (use --ray-results auto or driver)"
            )
        return not sees

    # -- the run ----------------------------------------------------------------------------

    def run(
        self, work: Sequence[ArticleJob], settings: ExportSettings, report: ProgressFn
    ) -> list[ArticleResult]:
        """Export every job (slugs claimed) into settings.out_dir; results in any order."""
        ray = self.ray
        self._place(settings.out_dir)
        waiting = deque(work)
        running: dict[Any, _Running] = {}
        idle = list(self._usable())
        finished: set[int] = set()
        results: list[ArticleResult] = []

        def relay() -> None:
            for event in ray.get(self.board.take.remote()):
                if event.index not in finished:
                    report(event)

        def record(result: ArticleResult) -> None:
            finished.add(result.index)
            results.append(result)
            report(
                Progress(
                    result.index, result.slug, result.title, result.status,
                    result.chunks, result.chunks,
                )
            )

        try:
            while waiting or running:
                if self.loading:
                    before = set(map(id, self._usable()))
                    self._admit(timeout=0)
                    idle += [a for a in self._usable() if id(a) not in before]
                while idle and waiting:
                    actor = idle.pop()
                    job = waiting.popleft()
                    existing = _existing(settings, job) if actor.staged else None
                    ref = actor.handle.export.remote(job, settings, actor.staged, existing)
                    running[ref] = _Running(actor, job)
                if not running:
                    if self.loading:
                        self._admit(timeout=_POLL_S)
                        continue
                    for job in waiting:  # every actor has died
                        record(_failed(job, "no engine actor is left to make it"))
                    break
                done, _ = ray.wait(list(running), num_returns=1, timeout=_POLL_S)
                if done:
                    rest = [r for r in running if r not in done]
                    more, _ = ray.wait(rest, num_returns=len(rest), timeout=0) if rest else ([], [])
                    done += more
                relay()
                for ref in done:
                    task = running.pop(ref)
                    result, alive = self._collect(ref, task, settings)
                    if result.fatal:
                        raise EngineLoadError(result.error)
                    record(result)
                    if alive:
                        idle.append(task.actor)
                    else:
                        self.actors.remove(task.actor)
            relay()
        except BaseException:
            self._stop(running)
            raise
        return results

    def _collect(
        self, ref: Any, task: _Running, settings: ExportSettings
    ) -> tuple[ArticleResult, bool]:
        """The article's result (written into DIR when the actor sent files) and
        whether its actor is still alive."""
        ray = self.ray
        try:
            shipment: Shipment = ray.get(ref)
        except ray.exceptions.RayActorError as exc:
            host = task.actor.info.host if task.actor.info else "?"
            return _failed(task.job, f"the engine actor on {host} died: {one_line(exc)}"), False
        except ray.exceptions.RayError as exc:
            return _failed(task.job, f"Ray: {one_line(exc)}"), True
        result = shipment.result
        if shipment.files:
            _publish(settings, result, dict(shipment.files))
        return result, True

    def _stop(self, running: dict[Any, _Running]) -> None:
        """Ctrl-C (or a fatal error): stop every article between two chunks, then the actors."""
        ray = self.ray
        with contextlib.suppress(Exception):
            for ref in running:
                ray.cancel(ref)
        deadline = time.monotonic() + self.options.stop_grace_s
        try:
            while running and time.monotonic() < deadline:
                done, _ = ray.wait(list(running), num_returns=len(running), timeout=_POLL_S)
                for ref in done:
                    running.pop(ref)  # a stopped article left nothing; a finished one is whole
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: stop waiting
        except Exception:  # noqa: BLE001,S110 (Ray itself going down: the actors are killed below)
            pass
        self._kill_actors()

    def _kill_actors(self) -> None:
        pids = [a.info.pid for a in self.actors if a.info is not None]
        for actor in self.actors:
            with contextlib.suppress(Exception):
                self.ray.kill(actor.handle)
        self.actors = []
        self.loading = {}
        if self._local:
            _wait_gone(pids, timeout=5.0)

    @property
    def _local(self) -> bool:
        """Ray was started here, so every actor is a process of this machine."""
        return self.started_here and self.options.address is None

    def close(self, out: Path | None = None) -> None:
        """Stop the actors, remove the probe, sweep what killed actors left, leave Ray."""
        self._kill_actors()
        with contextlib.suppress(Exception):
            self.ray.kill(self.board)
        if self._probe is not None:
            self._probe.unlink(missing_ok=True)
        # Only on one machine are the pids in temp names this machine's own: in
        # a shared folder a live writer on another node would look dead here.
        if self._local and out is not None and out.is_dir():
            sweep_stale_temps(out)
        if self.started_here:
            self.ray.shutdown()


def _init(ray: Any, address: str | None) -> None:
    """ray.init for the driver: quiet, no dashboard; the narrator code travels to a cluster."""
    kwargs: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
    }
    if address is not None:
        import narrator

        # The nodes run the driver's narrator code (the same code makes the same
        # episodes); its dependencies must be installed there (narrator[cluster]).
        kwargs["runtime_env"] = {"py_modules": [str(Path(narrator.__file__).parent)]}
    try:
        # "local": always a Ray of our own, never one this machine may belong to
        # (a stale record of a stopped cluster would make ray.init wait for it).
        ray.init(address=address or "local", **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local Ray"
        raise InputError(f"cannot start or reach {where}: {one_line(exc)}") from None


def _engine_runtime(engine: str) -> str:
    from narrator.engines.registry import engine_class

    return str(engine_class(engine).runtime)


def _existing(settings: ExportSettings, job: ArticleJob) -> EpisodeSidecar | None:
    """The complete episode DIR holds for `job`, for an actor that cannot see DIR."""
    return complete_episode(episode_paths(settings.out_dir, job.slug, settings.fmt))


def _publish(settings: ExportSettings, result: ArticleResult, files: dict[str, bytes]) -> None:
    """Write an episode an actor sent as bytes into DIR, the way export_article does."""
    paths = episode_paths(settings.out_dir, result.slug, settings.fmt)
    try:
        paths["sidecar"].unlink(missing_ok=True)  # the old episode is no longer vouched for
        atomic_write_many([(paths[kind], files[kind]) for kind in PUBLISH_ORDER])
    except OSError as exc:
        result.status, result.error = "failed", str(disk_error(exc, settings.out_dir))
        result.audio = None
        return
    result.audio = paths["audio"]


def _failed(job: ArticleJob, error: str) -> ArticleResult:
    return ArticleResult(job.index, job.source, job.title, job.slug, "failed", error=error)


def _wait_gone(pids: Sequence[int], timeout: float) -> None:
    """Wait until the processes of killed local actors are gone (their temp files sweepable)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(pid_alive(p) for p in pids):
        time.sleep(0.05)

