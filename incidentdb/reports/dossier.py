"""The incident dossier: everything known about one incident, with its sources' quotes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidentdb.reports import listings
from incidentdb.reports.core import Listing, Query, check_exists, fetch

if TYPE_CHECKING:
    from incidentdb.reports.core import Connection

# The sections after the incident itself, in the order the dossier shows them.
SECTIONS = (
    "timeline",
    "casualty_reports",
    "missions",
    "organisations",
    "persons",
    "statements",
    "sources",
)
# Every part of the dossier, for choosing one: the incident itself, then the sections.
PARTS = ("incident", *SECTIONS)

_QUOTES = """
SELECT DISTINCT s.slug AS source_slug, e.char_start, e.char_end, e.quote
FROM evidence e JOIN source s ON s.id = e.source_id
WHERE e.id = ANY(%(evidence)s)
ORDER BY e.char_start, e.char_end, s.slug
"""


@dataclass(frozen=True)
class Dossier:
    """The incident's row of reporting.incidents and one Listing per section."""

    incident: dict[str, Any]
    sections: dict[str, Listing]

    def document(self) -> dict[str, Any]:
        """One object: {"incident": {...}, "timeline": [...], ..., "sources": [...]}."""
        return {"incident": self.incident} | {
            name: listing.rows for name, listing in self.sections.items()
        }

    def part(self, name: str) -> Listing:
        """One part of the dossier (a name in PARTS) as rows: the incident is one row."""
        if name == "incident":
            return Listing("incident", tuple(self.incident), [self.incident])
        return self.sections[name]


def dossier(conn: Connection, slug: str) -> Dossier:
    """The incident, its timeline, casualty reports, missions, the organisations and persons
    involved, statements about it, and its sources each with the quotes taken from it."""
    q = Query("incidents")
    q.where("v.incident_slug = %(incident)s", incident=slug)
    found = q.run(conn, "v.incident_slug")
    if not found.rows:
        check_exists(conn, "incident", slug)
    return Dossier(
        incident=found.rows[0],
        sections={
            "timeline": listings.timeline(conn, incident=slug),
            "casualty_reports": listings.casualties(conn, incident=slug),
            "missions": listings.missions(conn, incident=slug),
            "organisations": listings.organisations(conn, incident=slug),
            "persons": listings.persons(conn, incident=slug),
            "statements": listings.statements(conn, incident=slug),
            "sources": _sources_with_quotes(conn, slug),
        },
    )


def _sources_with_quotes(conn: Connection, slug: str) -> Listing:
    sources = listings.sources(conn, incident=slug)
    quotes: dict[str, list[str]] = {}
    evidence = listings.incident_evidence_ids(conn, slug)
    for row in fetch(conn, _QUOTES, {"evidence": evidence}).rows:
        quotes.setdefault(row["source_slug"], []).append(row["quote"])
    rows = [row | {"quotes": quotes.get(row["source_slug"], [])} for row in sources.rows]
    return Listing(sources.name, (*sources.columns, "quotes"), rows)
