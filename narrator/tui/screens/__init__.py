"""Modal screens: help, open, export and the voice dialog."""
