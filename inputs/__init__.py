"""What users bring: word lists (typed, uploaded, bundled presets), the Wikipedia passages, and vector files."""
