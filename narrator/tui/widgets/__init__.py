"""The app's widgets, one feature per module (library, preview, transport, voices)."""
