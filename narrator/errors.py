"""Errors a user can act on.

Every failure the user can cause or fix (bad input, a missing model, no sound
device) is a `NarratorError`: the command line prints its message on one line and
exits non-zero, the TUI shows it as a notification. Anything else is a bug and is
allowed to surface as a traceback.
"""

from __future__ import annotations


class NarratorError(Exception):
    """A problem explained to the user in one line (the message says what to do)."""

    exit_code: int = 2


class InputError(NarratorError):
    """The article could not be read or holds nothing to speak."""


class OutputError(NarratorError):
    """A result cannot be written: the place is not writable, or the disk is full."""


class ModelMissingError(NarratorError):
    """A voice needs weights that are not on disk; the message names the pull command."""


class DeviceError(NarratorError):
    """The requested compute or audio device is not available."""


class EngineError(NarratorError):
    """Synthesis failed; carries the chunk it failed on so callers can report it."""

    def __init__(self, message: str, chunk: object | None = None) -> None:
        super().__init__(message)
        self.chunk = chunk


def one_line(problem: BaseException | str, limit: int = 160) -> str:
    """The first line of an error (or text), for a one-line message to the user.

    Library errors often carry a multi-line message (a traceback excerpt, a
    protobuf dump); the user needs its first line. An exception whose message is
    empty gives its type name, so the result is never blank. Lines longer than
    `limit` characters end with an ellipsis.
    """
    lines = str(problem).strip().splitlines()
    line = lines[0].strip() if lines else ""
    if not line and isinstance(problem, BaseException):
        line = type(problem).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"
