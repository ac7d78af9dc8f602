"""Audio after synthesis: assembling pieces, playback, files, loudness, tags."""
