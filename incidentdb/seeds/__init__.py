"""Seed files: YAML written by people, validated with positions, loaded set-based."""
