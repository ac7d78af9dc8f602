"""The Textual terminal app: `narrator` with no arguments opens it (`run_app`)."""
