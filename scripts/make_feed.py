#!/usr/bin/env python3
"""Build the podcast feed for a folder of exported episodes.

The same code as `narrator feed DIR --base-url URL [-o feed.xml] ...`, for
publishing set-ups that run a script rather than the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from narrator.cli.feed_cmd import main

if __name__ == "__main__":
    sys.exit(main())
