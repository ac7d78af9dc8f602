"""Worker threads that never hold the app open.

Textual runs thread workers on the event loop's default executor, a
ThreadPoolExecutor. When the app ends, `asyncio.run` waits for that executor
to shut down, and Python's exit joins its threads: a worker still inside a
long job (a 150 KB article being prepared, a voice loading, an export
synthesizing) kept the app on screen, unresponsive, until the job ended. That
is why `q` once took over a minute.

`DaemonThreadExecutor` runs each job on a daemon thread of its own and
shuts down without waiting, so quitting takes as long as the app's own
clean-up (stopping the sound at once), never as long as the slowest job. Jobs
whose results matter past exit (an export) write atomically, so an abandoned
one leaves no broken file.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class DaemonThreadExecutor(ThreadPoolExecutor):
    """An executor whose jobs run on daemon threads and whose shutdown never waits.

    A ThreadPoolExecutor subclass only because asyncio's `set_default_executor`
    accepts nothing else; none of the pool is used.
    """

    def __init__(self, name: str = "narrator-worker") -> None:
        super().__init__(max_workers=1, thread_name_prefix=name)
        self._name = name

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits it
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name=self._name, daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Return at once: the daemon threads end with the process."""


def busy_threads() -> list[threading.Thread]:
    """narrator's own daemon threads still at work (workers, narrator, stop helper)."""
    return [
        t
        for t in threading.enumerate()
        if t.daemon and t.is_alive() and t.name.startswith("narrator-")
    ]


def leave_now_if_busy(code: int) -> None:
    """End the process at once when a job was abandoned at quit (else return).

    Why: Python's exit tears modules down while daemon threads still run, and
    a thread busy synthesizing or exporting competes with it for the GIL:
    measured here, 0.6 s of the 1 s a quit may take. Everything the app must
    keep is already on disk by now (the listener's place, written at quit;
    exports are atomic and an abandoned one leaves only a temp file the next
    export sweeps), so there is nothing left to finalize that matters.
    """
    if not busy_threads():
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
