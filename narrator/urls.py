"""What counts as a URL: one rule for every place that takes "a path or a URL".

An argument is fetched over the network only when it starts with an http(s)
scheme (in any case, as RFC 3986 allows); anything else is a local path, so a
file named `news:today.txt` is never mistaken for a URL.
"""

from __future__ import annotations

_SCHEMES = ("http://", "https://")


def is_url(text: str) -> bool:
    """True for `http://…` and `https://…` (scheme in any case), False for a path."""
    return text[:8].lower().startswith(_SCHEMES)
