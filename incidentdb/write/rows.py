"""Rows for the database, built from validated seed documents.

A Row holds plain values and Refs (a slug or key in another table); the loader resolves Refs
to ids in bulk. Fact keys are derived from slugs so that re-loading a file finds its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incidentdb.write import slugs

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Ref:
    table: str
    key: str
    path: Path_ = field(default=(), compare=False, hash=False)  # where it is written, if kept


@dataclass(slots=True)
class Row:
    table: str
    key: str
    values: dict[str, Any]
    file: str  # identity of the file that defines it
    path: Path_  # where in that file
    weak: bool = False  # reference data: created if absent, never updated or owned
    also: list[str] = field(default_factory=list)  # other files that define it the same

    def definers(self) -> list[str]:
        """Every file that defines the row, the first (the one that defined it first) first."""
        return [self.file, *self.also]

    def comparable(self) -> dict[str, Any]:
        return {k: (v.key if isinstance(v, Ref) else v) for k, v in self.values.items()}


def slugify(text: str, words: int = 6) -> str:
    """The first `words` words as a slug (the rule in write/slugs.py)."""
    return slugs.words(text, words)
