"""`narrator serve`: listen from a phone, host the podcast, speak through an
OpenAI-compatible API. See app.py for how the parts fit together.

`create_app` and `ServeConfig` are imported on first use, so reading the
defaults (the CLI does, for every command) does not load Starlette.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ServeConfig", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from narrator.serve import app

        return getattr(app, name)
    raise AttributeError(name)
