"""ACLED CSV exports: one incident per event id, however many rows the export gives it.

Mapping (docs/imports.md): event → incident `acled-<event_id_cnty>`; event_type → incident
type; event_date and time_precision → a date range; country/admin1-3/location → places;
actor1/actor2/assoc actors → organisations and incident actors; fatalities → a 'killed'
casualty report 'at least' (ACLED codes the most conservative figure its sources give);
blank fatalities → no report. The record's source, notes and fatalities become the source
text that the evidence quotes.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from incidentdb.imports.checks import EventIds, fits_integer, no_nul
from incidentdb.imports.common import (
    ImportFormatError,
    actor_rows,
    country_row,
    evidence_row,
    find_country,
    killed_report,
    organisation_row,
    place_row,
    record_source,
)
from incidentdb.write import slugs
from incidentdb.write.rows import Ref, Row

REQUIRED = ("event_id_cnty", "event_date", "event_type", "country")

# Column names used by older exports, mapped to the current ones.
RENAMED = {
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    "geo_precis": "geo_precision",
    "time_precis": "time_precision",
    "event_id": "event_id_cnty",
}

EVENT_TYPES = {
    "battles": "armed_clash",
    "explosions/remote violence": "explosion",
    "violence against civilians": "violence_against_civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic developments": "strategic_development",
}

INTER_KINDS = {
    "1": "military_force",
    "2": "armed_group",
    "3": "armed_group",
    "4": "armed_group",
    "5": "civilian_group",
    "6": "civilian_group",
    "7": "civilian_group",
    "8": "other",
}

PUBLISHER = "acled"
TIME_PRECISIONS = ("1", "2", "3")
INTER_CODES = ("0", *INTER_KINDS)  # 0: no such actor
# Columns that may differ between the rows of one event: one row per associated actor.
ACTOR_COLUMNS = frozenset(
    {"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "interaction"}
)
SLASH_FORMATS = ("%d/%m/%Y", "%m/%d/%Y")


class Acled:
    name = "acled"

    def __init__(self, date_format: str | None = None) -> None:
        self.date_format = date_format

    def records(self, path: Path, stream: IO[bytes], file_id: str) -> Iterator[Row]:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise ImportFormatError(str(path), "the file is empty") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFormatError(str(path), f"not a CSV file: {exc}") from None
        columns = [RENAMED.get(h.strip().lower(), h.strip().lower()) for h in header]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ImportFormatError(
                str(path),
                f"not an ACLED export: missing required column(s) {', '.join(missing)} "
                f"(found: {', '.join(columns[:12])}{'…' if len(columns) > 12 else ''})",
            )
        yield organisation_row(
            PUBLISHER, "Armed Conflict Location & Event Data (ACLED)", "ngo", file_id
        )
        line = 1
        file = str(path)
        ids = EventIds(file, "event_id_cnty")
        dates = _Dates(file, self.date_format)
        try:
            for values in reader:
                line += 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(columns):
                    raise ImportFormatError(
                        file, f"expected {len(columns)} fields, found {len(values)}", line
                    )
                record = dict(zip(columns, values, strict=True))
                no_nul(record, file, line)
                facts = [(k, v.strip()) for k, v in record.items() if k not in ACTOR_COLUMNS]
                ids.add(record["event_id_cnty"].strip(), line, facts)
                yield from _event(record, file, line, file_id, dates)
        except UnicodeDecodeError as exc:
            raise ImportFormatError(str(path), f"not UTF-8 text ({exc.reason})", line + 1) from None
        except csv.Error as exc:
            raise ImportFormatError(str(path), f"malformed CSV: {exc}", line + 1) from None
        if not len(ids):
            raise ImportFormatError(file, "no rows: the file has a header but no events")


class _Dates:
    """event_date in one file: ISO (2022-01-05) or with the month's name (05 January 2022);
    a date with slashes only if it reads one way, and every such date in the file the same
    way, unless --date-format says how to read them all."""

    def __init__(self, file: str, date_format: str | None) -> None:
        self.file = file
        self.date_format = date_format
        self.order: tuple[str, int] | None = None  # (format, row) of the first slash date

    def parse(self, value: str, line: int) -> dt.date:
        value = value.strip()
        if self.date_format:
            try:
                return dt.datetime.strptime(value, self.date_format).date()
            except ValueError:
                raise ImportFormatError(
                    self.file,
                    f"expected a date in the format {self.date_format} (--date-format), "
                    f"got {value!r}",
                    line,
                    "event_date",
                ) from None
        for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y"):
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        readings = {}
        for fmt in SLASH_FORMATS:
            try:
                readings[fmt] = dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        if not readings:
            raise ImportFormatError(
                self.file, f"expected a date like 2022-01-05, got {value!r}", line, "event_date"
            )
        if len(set(readings.values())) > 1:
            raise ImportFormatError(
                self.file,
                f"the date {value!r} reads two ways ("
                + " or ".join(f"{d:%d %B %Y}" for d in readings.values())
                + "); say which with --date-format %d/%m/%Y or --date-format %m/%d/%Y",
                line,
                "event_date",
            )
        fmt, day = next(iter(readings.items()))
        if len(readings) == 1:  # reads one way only: that is the file's order
            if self.order is None:
                self.order = (fmt, line)
            elif self.order[0] != fmt:
                raise ImportFormatError(
                    self.file,
                    f"the date {value!r} is {self._name(fmt)}, but row {self.order[1]} has "
                    f"{self._name(self.order[0])}: dates in one file are read one way; say "
                    "which with --date-format",
                    line,
                    "event_date",
                )
        return day

    @staticmethod
    def _name(fmt: str) -> str:
        return "month first (%m/%d/%Y)" if fmt.startswith("%m") else "day first (%d/%m/%Y)"


def _date_range(day: dt.date, precision: str, file: str, line: int) -> tuple[dt.date, dt.date]:
    """ACLED time_precision: 1 the day is known, 2 within a week, 3 within a month."""
    if precision.strip() not in ("", *TIME_PRECISIONS):
        raise ImportFormatError(
            file,
            f"unknown time_precision {precision.strip()!r} (expected 1, 2 or 3)",
            line,
            "time_precision",
        )
    if precision.strip() == "2":
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    if precision.strip() == "3":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


def _int(value: str, file: str, line: int, column: str, low: int | None = None) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ImportFormatError(
            file, f"expected a whole number, got {value!r}", line, column
        ) from None
    if low is not None and number < low:
        raise ImportFormatError(file, f"expected at least {low}, got {number}", line, column)
    return fits_integer(number, file, line, column)


def _float(value: str, file: str, line: int, column: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ImportFormatError(file, f"expected a number, got {value!r}", line, column) from None


def _event(r: dict[str, str], file: str, line: int, file_id: str, dates: _Dates) -> Iterator[Row]:
    """One event's rows, parents first: country, places, incident, actors, provenance."""
    event_id = r["event_id_cnty"].strip()
    if not event_id:
        raise ImportFormatError(file, "the event id is blank", line, "event_id_cnty")
    slug = f"acled-{slugs.unique(event_id)}"
    day = dates.parse(r["event_date"], line)
    frm, to = _date_range(day, r.get("time_precision", ""), file, line)
    incident_type = _incident_type(r, file, line)
    country = find_country(r["country"].strip(), r.get("iso3", ""), r.get("iso", ""))
    if country is None:
        raise ImportFormatError(file, f"unknown country {r['country']!r}", line, "country")
    yield country_row(country, file_id)
    place_rows = _places(r, country.slug, file, line, file_id)
    yield from place_rows
    location = r.get("location", "").strip()
    sub = r.get("sub_event_type", "").strip()
    where = location or r.get("admin1", "").strip() or country.name
    yield Row(
        "incident",
        slug,
        {
            "title": f"{sub or r['event_type'].strip()} in {where}",
            "description": None,
            "incident_type": incident_type,
            "occurred_from": frm,
            "occurred_to": to,
            "country_id": Ref("place", country.slug, ()),
            "parent_id": None,
            "incident_place": tuple(
                Ref("place", p.key, ()) for p in place_rows if p.values["kind"] == "locality"
            ),
        },
        file_id,
        (),
    )
    yield from _actors(r, slug, file_id)
    yield from _provenance(r, slug, event_id, day, file, line, file_id)


def _incident_type(r: dict[str, str], file: str, line: int) -> str:
    """The incident type of the row's event_type, after checking its interaction codes."""
    for inter in ("inter1", "inter2"):
        code = r.get(inter, "").strip()
        if code and code not in INTER_CODES:
            raise ImportFormatError(
                file, f"unknown {inter} code {code!r} (expected 0 to 8)", line, inter
            )
    event_type = r["event_type"].strip()
    incident_type = EVENT_TYPES.get(event_type.lower())
    if incident_type is None:
        raise ImportFormatError(
            file,
            f"unknown event_type {event_type!r} (expected one of: "
            + ", ".join(sorted(EVENT_TYPES))
            + ")",
            line,
            "event_type",
        )
    return incident_type


def _places(r: dict[str, str], country: str, file: str, line: int, file_id: str) -> list[Row]:
    """The event's places under its country: admin1 > admin2 > admin3 > location (a
    locality, with its coordinates)."""
    rows: list[Row] = []
    parent = country
    for level in ("admin1", "admin2", "admin3"):
        name = r.get(level, "").strip()
        if name:
            child = slugs.child(parent, name)
            rows.append(place_row(child, name, level, parent, file_id))
            parent = child
    location = r.get("location", "").strip()
    if not location or slugs.child(parent, location) == parent:
        return rows
    lat = _float(r.get("latitude", ""), file, line, "latitude")
    lon = _float(r.get("longitude", ""), file, line, "longitude")
    if (lat is None) != (lon is None):
        raise ImportFormatError(
            file,
            "latitude and longitude go together",
            line,
            "latitude" if lat is None else "longitude",
        )
    precision = _int(r.get("geo_precision", ""), file, line, "geo_precision", 1)
    loc = slugs.child(parent, location)
    rows.append(place_row(loc, location, "locality", parent, file_id, lat, lon, precision))
    return rows


def _actors(r: dict[str, str], slug: str, file_id: str) -> Iterator[Row]:
    for column, role, inter in (
        ("actor1", "actor1", "inter1"),
        ("actor2", "actor2", "inter2"),
        ("assoc_actor_1", "associated", ""),
        ("assoc_actor_2", "associated", ""),
    ):
        for name in (n.strip() for n in r.get(column, "").split(";")):
            if not name:
                continue
            org = f"acled-actor-{slugs.unique(name)}"
            kind = INTER_KINDS.get(r.get(inter, "").strip(), "other") if inter else "other"
            yield from actor_rows(slug, role, org, name, kind, file_id)


def _provenance(
    r: dict[str, str], slug: str, event_id: str, day: dt.date, file: str, line: int, file_id: str
) -> Iterator[Row]:
    """The record's own source (its id, date, sources, notes, fatalities), the incident's
    evidence, and the death toll with its evidence."""
    fatalities = _int(r.get("fatalities", ""), file, line, "fatalities", 0)
    lines = [("event_id_cnty", event_id), ("event_date", r["event_date"].strip())]
    for column in ("source", "source_scale", "notes"):
        if r.get(column, "").strip():
            lines.append((column, " ".join(r[column].split())))
    if fatalities is not None:
        lines.append(("fatalities", str(fatalities)))
    source_slug = f"{slug}-record"
    source, body = record_source(
        source_slug, f"ACLED event {event_id}", PUBLISHER, lines, file_id, day
    )
    yield source
    notes_line = next((f"{k}: {v}" for k, v in lines if k == "notes"), f"event_id_cnty: {event_id}")
    yield evidence_row(source_slug, body, notes_line, "incident", slug, file_id)
    if fatalities is None:
        return
    report_key = f"{slug}/acled/killed"
    yield killed_report(
        report_key, slug, fatalities, "at_least", fatalities, None, PUBLISHER, source_slug, file_id
    )
    yield evidence_row(
        source_slug, body, f"fatalities: {fatalities}", "casualty_report", report_key, file_id
    )
