"""Model licences, and how the user accepts one before a download.

A model whose licence restricts use (XTTS-v2 is CPML, Meta's MMS CC BY-NC 4.0)
is downloaded only after the user has seen its terms and said yes, on a
terminal, with `--yes`, or with COQUI_TOS_AGREED=1 (Coqui's own switch).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelLicence:
    """What the user agrees to before a download."""

    name: str  # short, e.g. "CPML (non-commercial)"
    commercial: bool
    url: str
    terms: str  # one or two lines shown before asking


Consent = Callable[[ModelLicence, str], bool]
"""(licence, model name) -> accepted; shows the terms and asks, or knows the answer."""

Progress = Callable[[str], None]
"""Receives one line per step of a long operation (a download, a verification)."""

CPML = ModelLicence(
    "CPML (non-commercial)",
    False,
    "https://coqui.ai/cpml",
    "XTTS-v2 is released under the Coqui Public Model License: non-commercial use only, "
    "unless you bought a commercial licence from Coqui.",
)
CC_BY_NC = ModelLicence(
    "CC BY-NC 4.0",
    False,
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "Meta's MMS voices are CC BY-NC 4.0: you may share and adapt the audio with "
    "attribution, but not for commercial purposes.",
)
APACHE = ModelLicence(
    "Apache-2.0",
    True,
    "https://www.apache.org/licenses/LICENSE-2.0",
    "Apache-2.0: commercial use allowed.",
)
MIT = ModelLicence("MIT", True, "https://opensource.org/licenses/MIT", "MIT licence.")
MPL = ModelLicence("MPL-2.0", True, "https://www.mozilla.org/MPL/2.0/", "MPL 2.0.")
UNKNOWN = ModelLicence("unknown", False, "", "No licence information; check the model's page.")


def tos_pre_agreed() -> bool:
    """COQUI_TOS_AGREED=1, Coqui's own switch for accepting model licences unattended."""
    return os.environ.get("COQUI_TOS_AGREED") == "1"
