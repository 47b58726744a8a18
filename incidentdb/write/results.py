"""What a write reports: the changes per table, and the error when the database refuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from incidentdb.errors import IncidentdbError


class LoadError(IncidentdbError):
    """The database refused the load; nothing was written.

    `rows` names the staged rows at fault as (table, key, problem), so that a caller that
    knows where each row came from can point at it.
    """

    def __init__(self, message: str, rows: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__(message)
        self.rows = rows or []


@dataclass
class Changes:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # files with changes applied
    unchanged: list[str] = field(default_factory=list)  # skipped: same hash as the ledger
    withdrawn: list[str] = field(default_factory=list)  # files taken out, with their rows
    gone: list[str] = field(default_factory=list)  # loaded from a folder, no longer there
    tables: dict[str, Changes] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per database step

    @property
    def total(self) -> Changes:
        out = Changes()
        for c in self.tables.values():
            out.added += c.added
            out.changed += c.changed
            out.removed += c.removed
        return out
