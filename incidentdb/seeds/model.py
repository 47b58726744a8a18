"""What validating seed files produces: the files as read and the rows they define."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from incidentdb.write.rows import Row


@dataclass
class SeedFile:
    path: Path
    shown: str  # the path as the user gave it, for messages
    legacy: str  # the path relative to its seed folder: the ledger's name before identities
    raw: Any  # the document as read, once validated only its mappings, lists and positions
    document: Any  # SeedDocument; its sections are handed over to the rows as they are built
    body: str | None  # the article's text, for article seeds
    content_hash: str

    def hand_over(self, section: str) -> Iterator[tuple[int, Any]]:
        """The records of a section of the document with their index, each let go once the
        caller has taken it (to build its rows, which then hold what it held): records and
        rows are never all alive side by side. The document keeps an empty section."""
        records = getattr(self.document, section)
        setattr(self.document, section, [])
        for i in range(len(records)):
            record, records[i] = records[i], None
            yield i, record

    @property
    def kind(self) -> str:
        return "seed" if self.document.source is not None else "registry"

    @cached_property
    def identity(self) -> str:
        """The file's name in the ledger, whatever folder or working directory it is loaded
        from: its article's source slug, its declared registry name, else its real path."""
        return file_identity(self.document, self.path)

    @cached_property
    def location(self) -> str:
        return str(self.path.resolve())


def file_identity(document: Any, path: Path) -> str:
    if document.source is not None:
        return f"source:{document.source.slug}"
    if document.registry is not None:
        return f"registry:{document.registry}"
    return f"file:{path.resolve()}"


@dataclass
class SeedSet:
    files: list[SeedFile]
    rows: list[Row] = field(default_factory=list)

    def rows_of(self, identities: set[str]) -> list[Row]:
        """The rows that any of these files defines (alone or with other files)."""
        return [r for r in self.rows if r.file in identities or not identities.isdisjoint(r.also)]
