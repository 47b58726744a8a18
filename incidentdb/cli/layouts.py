"""How each report reads as a table (`--format table`): its columns, headings and cells.

The machine formats show every column of the view; a table shows the columns a person reads,
some of them derived (a date range from its two ends, a source as publisher and date), so
that it stays readable at 100 columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from incidentdb.cli.output import Block, Column, Row
from incidentdb.reports.core import Listing
from incidentdb.reports.dossier import Dossier
from incidentdb.reports.listings import casualty_ranges

# -- cells --------------------------------------------------------------------------------


def date_range(start: Any, end: Any) -> str | None:
    """One day as '2022-01-02'; a range as '2022-01-03 – 2022-01-06'; None when unknown."""
    if start is None and end is None:
        return None
    if start == end:
        return str(start)
    return f"{start or '?'} – {end or '?'}"


def count_range(low: int | None, high: int | None) -> str | None:
    """What bounds allow: '225', '28–32', '≥ 4,501', '≤ 10'; None when nothing is known."""
    if low is None and high is None:
        return None
    if low == high:
        return f"{low:,}"
    if high is None:
        return f"≥ {low:,}"
    if low is None:
        return f"≤ {high:,}"
    return f"{low:,}–{high:,}"


def _span(start: str, end: str) -> Callable[[Row], Any]:
    return lambda row: date_range(row[start], row[end])


def _counts(low: str, high: str) -> Callable[[Row], Any]:
    return lambda row: count_range(row[low], row[high])


def _joined(*keys: str, sep: str = ", ") -> Callable[[Row], Any]:
    return lambda row: sep.join(str(row[k]) for k in keys if row[k] not in (None, "")) or None


_source = _joined("publisher", "published_on")  # a source as people cite it


def _period(row: Row) -> str | None:
    """A role's period from the ranges of its start and end."""
    start = date_range(row["started_from"], row["started_to"])
    end = date_range(row["ended_from"], row["ended_to"])
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return None


def _role(row: Row) -> Any:
    if row["role_title"] is None:
        return None
    return f"former {row['role_title']}" if row["is_former"] else row["role_title"]


def _about(row: Row) -> Any:
    return row["incident_slug"] or row["mission_slug"]


def _right(
    header: str, key: str | None = None, value: Callable[[Row], Any] | None = None
) -> Column:
    return Column(header, key, value, justify="right")


def _what(row: Row) -> Any:
    """A timeline entry's description, and where on a line of its own."""
    if row["place_name"]:
        return f"{row['description']}\nWhere: {row['place_name']}"
    return row["description"]


def _name_and_acronym(row: Row) -> Any:
    return f"{row['name']} ({row['acronym']})" if row["acronym"] else row["name"]


def _text(key: str) -> Callable[[Row], Any]:
    """The value as it is (no thousands separator: a year)."""
    return lambda row: None if row[key] is None else str(row[key])


Field = tuple[str, "str | Callable[[Row], Any]"]


def cards(rows: Sequence[Row], fields: Sequence[Field], title: Callable[[Row], str]) -> list[Block]:
    """One two-column table (field, value) per row: for records with several long texts."""
    columns = (Column("Field", "field"), Column("Value", "value", wrap=True))
    return [
        Block(
            columns,
            [
                {"field": label, "value": get(row) if callable(get) else row[get]}
                for label, get in fields
            ],
            title=title(row),
            show_header=False,
        )
        for row in rows
    ]


# -- one layout per report ------------------------------------------------------------------


def _status(row: Row) -> str | None:
    """Why a report does not bound the range: superseded, or a subset; blank when it does."""
    return {"superseded": "superseded", "subset": "subset"}.get(row["status"])


def _latest(row: Row) -> str | None:
    if row["latest"] is None:
        return None
    return f"{row['latest']} ({_joined('latest_publisher', 'latest_on')(row)})"


CASUALTY_COLUMNS = (
    Column("Category", "category"),
    Column("Population", "population", wrap=True),
    Column("Figure", "figure_as_reported", wrap=True),
    _right("Low", "count_low"),
    _right("High", "count_high"),
    Column("Reported by", "reported_by", wrap=True),
    Column("As of", "as_of"),
    Column("Source", value=_source, wrap=True),
)
# With several sources: the figure with its population, who reported (the person, else the
# organisation; both are in the machine formats), as of when (a range when the day is not
# known), and why a report does not bound the range.
MANY_SOURCES_COLUMNS = (
    CASUALTY_COLUMNS[0],
    Column("Figure", value=_joined("figure_as_reported", "population", sep=" "), wrap=True),
    _right("Bounds", value=_counts("count_low", "count_high")),
    Column(
        "Reported by",
        value=lambda row: row["reported_by_person"] or row["reported_by_organisation"],
        wrap=True,
        min_width=12,
    ),
    Column("As of", value=_span("as_of_from", "as_of_to"), wrap=True, min_width=10),
    Column("Source", value=_source, wrap=True, min_width=12),
    Column("Status", value=_status, min_width=10),
)
RANGE_COLUMNS = (
    Column("Incident", "incident_slug"),
    Column("Category", "category"),
    _right("Reports", "report_count"),
    _right("Low", "range_low"),
    _right("High", "range_high"),
)
# Shown when some range has several reports, or some reports are set aside.
SOURCES_COLUMNS = (
    _right("Sources", "source_count"),
    Column("Latest", value=_latest, wrap=True),
    _right("Set aside", "set_aside"),
)


def casualty_columns(rows: Sequence[Row]) -> tuple[Column, ...]:
    """The report columns; with Status and as-of ranges when some report is superseded or
    a subset, or its as-of day is a range."""
    if any(row["status"] != "current" or row["as_of_from"] != row["as_of_to"] for row in rows):
        return MANY_SOURCES_COLUMNS
    return CASUALTY_COLUMNS


def range_columns(ranges: Sequence[Row], incident: bool = True) -> tuple[Column, ...]:
    """The range columns; with sources, the latest figure and what is set aside when a
    range has several reports or some are set aside."""
    columns = RANGE_COLUMNS if incident else RANGE_COLUMNS[1:]
    if any(r["report_count"] > 1 or r["set_aside"] for r in ranges):
        return (*columns, *SOURCES_COLUMNS)
    return columns


TIMELINE_COLUMNS = (
    Column("When", value=_span("occurred_from", "occurred_to")),
    Column("Incident or mission", value=_about),
    Column("Kind", "kind_label", wrap=True, max_width=14),
    Column("What happened", value=_what, wrap=True),
)
MISSION_FIELDS: tuple[Field, ...] = (
    ("Mission", "mission_slug"),
    ("Kind", "mission_kind"),
    ("Lead", "lead_organisation"),
    ("Host country", "host_country_name"),
    ("Started", _span("started_from", "started_to")),
    ("Ended", _span("ended_from", "ended_to")),
    ("Mandate", "mandate"),
    ("Incidents", "incident_slugs"),
    ("Contributors", "contributors"),
    ("Quote", "quote"),
)
ORGANISATION_COLUMNS = (
    Column("Organisation", "organisation_slug"),
    Column("Name", value=_name_and_acronym, wrap=True),
    Column("Kind", "kind_label", wrap=True, min_width=len("Intergovernmental")),
    Column("Part of", "parent_slug"),
    Column("Country", "country_iso2"),
)
PERSON_COLUMNS = (
    Column("Person", "person_slug"),
    Column("Name", "name", wrap=True),
    Column("Role", value=_role, wrap=True),
    Column("Organisation", "organisation_name", wrap=True),
    Column("Period", value=_period, wrap=True),
)
STATEMENT_FIELDS: tuple[Field, ...] = (
    ("When", _span("said_from", "said_to")),
    ("Speaker", "speaker"),
    ("For", "speaker_organisation"),
    ("Where", _joined("place_name", "occasion")),
    ("About", _about),
    ("Said", "summary"),
    ("Quote", "quote"),
    ("Source", _joined("publisher", "published_on", "source_title")),
)
SOURCE_COLUMNS = (
    Column("Published", "published_on"),
    Column("Publisher", "publisher", wrap=True),
    Column("Title", "title", wrap=True),
    _right("Facts", "fact_count"),
)
INCIDENT_COLUMNS = (
    Column("Incident", "incident_slug"),
    Column("Title", "title", wrap=True, min_width=16),
    Column("When", value=_span("occurred_from", "occurred_to"), wrap=True),
    Column("Country", "country_iso2"),
    _right("Killed", value=_counts("killed_low", "killed_high")),
    _right("Injured", value=_counts("injured_low", "injured_high")),
    _right("Sources", "source_count"),
)
SUMMARY_COLUMNS = (
    Column("Year", value=_text("year")),
    Column("Country", "country_name", wrap=True),
    Column("Type", "incident_type_label", wrap=True),
    _right("Incidents", "incident_count"),
    _right("Reports", "casualty_report_count"),
    _right("Killed", value=_counts("killed_low", "killed_high")),
    _right("Injured", value=_counts("injured_low", "injured_high")),
)

_TABLES: dict[str, Sequence[Column]] = {
    "timeline": TIMELINE_COLUMNS,
    "organisations": ORGANISATION_COLUMNS,
    "persons": PERSON_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "incidents": INCIDENT_COLUMNS,
    "summary": SUMMARY_COLUMNS,
}


def _mission_title(row: Row) -> str:
    return str(row["name"])


def _statement_title(row: Row) -> str:
    return f"{row['speaker']}, {date_range(row['said_from'], row['said_to'])}"


def plain_table(listing: Listing) -> Sequence[Column] | None:
    """The columns of a report drawn as one plain table, which can be drawn as its rows
    come; None for those that need every row first (casualties with their ranges, cards)."""
    return _TABLES.get(listing.name)


def tables(listing: Listing) -> Iterator[Block]:
    """The table(s) of a listing report, block by block as its rows come (streamed or not):
    only one incident's casualty reports are held at a time, and one card."""
    rows = listing.all_rows()
    if listing.name == "casualty_reports":
        return casualty_tables(listing.name, rows, listing.whole)
    if listing.name == "missions":
        return (card for row in rows for card in cards([row], MISSION_FIELDS, _mission_title))
    if listing.name == "statements":
        return (card for row in rows for card in cards([row], STATEMENT_FIELDS, _statement_title))
    return iter([Block(_TABLES[listing.name], list(rows))])


def casualty_tables(name: str, rows: Iterable[dict[str, Any]], whole: bool) -> Iterator[Block]:
    """One table per incident (its reports, which come together in the report's order),
    then the range per incident and category."""
    ranges: list[dict[str, Any]] = []
    for slug, group in groupby(rows, key=lambda row: row["incident_slug"]):
        reports = list(group)
        yield Block(casualty_columns(reports), reports, title=slug)
        ranges += casualty_ranges(Listing(name, (), reports))
    if ranges and whole:  # counted over one page, the ranges would mislead
        yield Block(range_columns(ranges), ranges, title="Range per incident")


INCIDENT_FIELDS: tuple[Field, ...] = (
    ("Title", "title"),
    ("Type", "incident_type_label"),
    ("When", _span("occurred_from", "occurred_to")),
    ("Country", "country_name"),
    ("Part of", "parent_incident_slug"),
    ("Description", "description"),
    ("Killed", _counts("killed_low", "killed_high")),
    ("Killed, latest", _joined("killed_latest", "killed_latest_source_slug", "killed_latest_on")),
    ("Injured", _counts("injured_low", "injured_high")),
    (
        "Injured, latest",
        _joined("injured_latest", "injured_latest_source_slug", "injured_latest_on"),
    ),
    ("Casualty reports", "casualty_report_count"),
    ("Sources", "source_count"),
)


def _section(title: str, blocks: list[Block], empty: str) -> list[Block]:
    """A heading, then the section's blocks or a line saying there is nothing."""
    return [Block((), [], title=title, empty=None if blocks else empty), *blocks]


def _ranges(ranges: Sequence[Row]) -> list[Block]:
    if not ranges:
        return []
    return [Block(range_columns(ranges, incident=False), ranges, title="Range per category")]


def dossier_tables(dossier: Dossier, part: str | None = None) -> list[Block]:
    """The dossier as sections with headings, or only one part of it (a name in
    reports.dossier.PARTS); a section with nothing in it says so."""
    incident = dossier.incident
    s = dossier.sections
    reports = s["casualty_reports"]
    quotes = [src | {"quote": q} for src in s["sources"].rows for q in src["quotes"]]
    parts: dict[str, list[Block]] = {
        "incident": cards(
            [incident], INCIDENT_FIELDS, lambda row: f"Incident {row['incident_slug']}"
        ),
        "timeline": [
            Block(TIMELINE_COLUMNS, s["timeline"].rows, title="Timeline", empty="No timeline.")
        ],
        "casualty_reports": [
            Block(
                casualty_columns(reports.rows),
                reports.rows,
                title="Casualty reports",
                empty="No figures.",
            ),
            *_ranges(casualty_ranges(reports)),
        ],
        "missions": _section(
            "Missions", cards(s["missions"].rows, MISSION_FIELDS, _mission_title), "No missions."
        ),
        "organisations": [
            Block(
                ORGANISATION_COLUMNS,
                s["organisations"].rows,
                title="Organisations involved",
                empty="No organisations.",
            )
        ],
        "persons": [
            Block(PERSON_COLUMNS, s["persons"].rows, title="Persons involved", empty="No persons.")
        ],
        "statements": _section(
            "Statements",
            cards(s["statements"].rows, STATEMENT_FIELDS, _statement_title),
            "No statements.",
        ),
        "sources": [
            Block(SOURCE_COLUMNS, s["sources"].rows, title="Sources", empty="No sources."),
            Block(
                (Column("Source", value=_source), Column("Quote", "quote", wrap=True)),
                quotes,
                title="Quotes from the sources",
                empty="No quotes.",
            ),
        ],
    }
    if part is not None:
        return parts[part]
    return [block for blocks in parts.values() for block in blocks]
