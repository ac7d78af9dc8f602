"""The server's defaults in one place, cheap to import (the CLI's --help reads them)."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_INPUT_CHARS = 10_000
DEFAULT_QUEUE = 8
DEFAULT_TIMEOUT_S = 60.0
API_KEY_ENV = "NARRATOR_API_KEY"
