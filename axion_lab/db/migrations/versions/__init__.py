"""Migration scripts, one per revision; ``0001`` creates the initial schema."""
