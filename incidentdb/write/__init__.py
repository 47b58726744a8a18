"""The one write path: rows that seed files and imports produce, to the core tables.

`rows` (Row, Ref) is what the feeders build; `bulk` stages them with COPY and applies them
set-based in one transaction.
"""
