"""UCDP Georeferenced Event Dataset (GED), as CSV or GeoJSON.

Mapping (docs/imports.md): event → incident `ucdp-ged-<id>`; type_of_violence 1/2/3 →
state-based / non-state / one-sided violence; date_start..date_end → the date range;
country (by name, via pycountry) > adm_1 > adm_2 > where_coordinates (with the point and
where_prec) → places; side_a and side_b → organisations and incident actors; best, low and
high → one 'killed' casualty report, figure = best, qualifier 'approximately', bounds low
and high; the record's source fields become the source text that the evidence quotes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from incidentdb.imports.checks import (
    INT_MAX,
    EventIds,
    bounded_items,
    fits_integer,
    no_nul,
)
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

REQUIRED = ("id", "type_of_violence", "date_start", "date_end", "country", "best", "low", "high")
VIOLENCE = {1: "state_based_conflict", 2: "non_state_conflict", 3: "one_sided_violence"}
PUBLISHER = "ucdp"
PROVENANCE = (
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_description",
    "number_of_sources",
)


class UcdpGed:
    name = "ucdp-ged"

    def __init__(self, release: str | None = None) -> None:
        self.release = release

    def records(self, path: Path, stream: IO[bytes], file_id: str) -> Iterator[Row]:
        release = self.release or _release_from_name(path.name)
        yield organisation_row(PUBLISHER, "Uppsala Conflict Data Program (UCDP)", "ngo", file_id)
        if path.suffix.lower() in (".geojson", ".json"):
            events = _geojson_events(path, stream)
        else:
            events = _csv_events(path, stream)
        ids = EventIds(str(path), "id")
        for number, props in events:
            no_nul(props, str(path), number)
            if not ids.add(_text(props.get("id")), number, props.items()):
                continue  # the same event again, with the same facts
            yield from _event(props, str(path), number, file_id, release)
        if not len(ids):
            raise ImportFormatError(str(path), "no rows: the file has a header but no events")


def _release_from_name(name: str) -> str:
    found = re.search(r"(\d{2}\.\d+)", name)
    return found.group(1) if found else "unknown"


def _geojson_events(path: Path, stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    import ijson

    number = 0
    try:
        for feature in bounded_items(stream, "features.item", str(path)):
            number += 1
            if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
                raise ImportFormatError(str(path), "a feature without properties", number)
            props = dict(feature["properties"])
            coords = (feature.get("geometry") or {}).get("coordinates")
            if isinstance(coords, list) and len(coords) == 2:
                props.setdefault("longitude", coords[0])
                props.setdefault("latitude", coords[1])
            if number == 1:
                _require(path, props.keys(), number)
            yield number, props
    except ijson.JSONError as exc:
        raise ImportFormatError(str(path), f"not valid GeoJSON: {exc}", number + 1) from None
    if number == 0:
        raise ImportFormatError(str(path), "not a UCDP GED GeoJSON file: no features found")


def _csv_events(path: Path, stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    if reader.fieldnames is None:
        raise ImportFormatError(str(path), "the file is empty")
    _require(path, reader.fieldnames, None)
    line = 1
    try:
        for row in reader:
            line += 1
            if None in row:
                raise ImportFormatError(str(path), "more fields than the header names", line)
            yield line, row
    except csv.Error as exc:
        raise ImportFormatError(str(path), f"malformed CSV: {exc}", line + 1) from None


def _require(path: Path, names: Any, row: int | None) -> None:
    missing = [c for c in REQUIRED if c not in set(names)]
    if missing:
        raise ImportFormatError(
            str(path), f"not a UCDP GED file: missing required field(s) {', '.join(missing)}", row
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _int(props: dict[str, Any], column: str, file: str, row: int) -> int | None:
    value = props.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value():
        raise ImportFormatError(file, f"expected a whole number, got {value!r}", row, column)
    if abs(number) > 10 * INT_MAX:  # no int() of 1e1000000
        raise ImportFormatError(
            file,
            f"{value!r} is beyond {INT_MAX:,}, the largest count the database holds",
            row,
            column,
        )
    return fits_integer(int(number), file, row, column)


def _float(props: dict[str, Any], column: str, file: str, row: int) -> float | None:
    value = props.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ImportFormatError(file, f"expected a number, got {value!r}", row, column) from None


def _date(props: dict[str, Any], column: str, file: str, row: int) -> dt.date:
    value = _text(props.get(column))
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ImportFormatError(
            file, f"expected a date like 2009-02-20, got {value!r}", row, column
        ) from None


def _event(p: dict[str, Any], file: str, row: int, file_id: str, release: str) -> Iterator[Row]:
    """One event's rows, parents first: country, places, incident, actors, provenance."""
    event_id = _int(p, "id", file, row)
    if event_id is None:
        raise ImportFormatError(file, "the event id is blank", row, "id")
    slug = f"ucdp-ged-{event_id}"
    violence = _int(p, "type_of_violence", file, row)
    if violence not in VIOLENCE:
        raise ImportFormatError(
            file, f"expected 1, 2 or 3, got {p.get('type_of_violence')!r}", row, "type_of_violence"
        )
    frm, to = _date(p, "date_start", file, row), _date(p, "date_end", file, row)
    if to < frm:
        raise ImportFormatError(file, f"date_end {to} is before date_start {frm}", row, "date_end")
    best, low, high = (_int(p, c, file, row) for c in ("best", "low", "high"))
    for column, value in (("best", best), ("low", low), ("high", high)):
        if value is not None and value < 0:
            raise ImportFormatError(
                file, f"expected a non-negative count, got {value}", row, column
            )
    country = find_country(_text(p.get("country")))
    place_rows: list[Row] = []
    if country is not None:
        yield country_row(country, file_id)
        place_rows = _places(p, country.slug, file, row, file_id)
        yield from place_rows
    title = f"{_text(p.get('dyad_name')) or _text(p.get('conflict_name')) or 'UCDP event'}"
    if _text(p.get("where_coordinates")):
        title += f" ({_text(p.get('where_coordinates'))})"
    yield Row(
        "incident",
        slug,
        {
            "title": title,
            "description": _text(p.get("conflict_name")) or None,
            "incident_type": VIOLENCE[violence],
            "occurred_from": frm,
            "occurred_to": to,
            "country_id": Ref("place", country.slug, ()) if country else None,
            "parent_id": None,
            "incident_place": tuple(
                Ref("place", r.key, ()) for r in place_rows if r.values["kind"] == "locality"
            ),
        },
        file_id,
        (),
    )
    yield from _actors(p, slug, file_id)
    yield from _provenance(p, slug, event_id, release, (best, low, high), file_id)


def _places(p: dict[str, Any], country: str, file: str, row: int, file_id: str) -> list[Row]:
    """The event's places under its country: adm_1 > adm_2 > where_coordinates (a locality,
    with its coordinates and their precision)."""
    rows: list[Row] = []
    parent = country
    for column, kind in (("adm_1", "admin1"), ("adm_2", "admin2")):
        name = _text(p.get(column))
        if name:
            child = slugs.child(parent, name)
            rows.append(place_row(child, name, kind, parent, file_id))
            parent = child
    where = _text(p.get("where_coordinates"))
    lat, lon = _float(p, "latitude", file, row), _float(p, "longitude", file, row)
    if where:
        loc = slugs.child(parent, where)
        precision = _int(p, "where_prec", file, row)
        if precision is not None and not 1 <= precision <= 9:
            raise ImportFormatError(file, f"expected 1 to 9, got {precision}", row, "where_prec")
        rows.append(place_row(loc, where, "locality", parent, file_id, lat, lon, precision))
    return rows


def _actors(p: dict[str, Any], slug: str, file_id: str) -> Iterator[Row]:
    for column, role in (("side_a", "side_a"), ("side_b", "side_b")):
        name = _text(p.get(column))
        if name:
            org = f"ucdp-actor-{slugs.unique(name)}"
            kind = (
                "government"
                if name.lower().startswith("government of")
                else ("civilian_group" if name.lower() == "civilians" else "armed_group")
            )
            yield from actor_rows(slug, role, org, name, kind, file_id)


def _provenance(
    p: dict[str, Any],
    slug: str,
    event_id: int,
    release: str,
    counts: tuple[int | None, int | None, int | None],
    file_id: str,
) -> Iterator[Row]:
    """The record's own source, the incident's evidence, and the death toll (best, low,
    high) with its evidence."""
    best, low, high = counts
    lines = [("id", str(event_id)), ("release", f"UCDP GED {release}")]
    lines += [(c, _text(p.get(c))) for c in PROVENANCE if _text(p.get(c))]
    deaths = f"deaths best {best}, low {low}, high {high}" if best is not None else ""
    if deaths:
        lines.append(("deaths", deaths))
    source_slug = f"{slug}-record"
    source, body = record_source(
        source_slug, f"UCDP GED {release}, event {event_id}", PUBLISHER, lines, file_id
    )
    yield source
    first = next(
        (f"{k}: {v}" for k, v in lines if k in ("where_description", "source_article")),
        f"id: {event_id}",
    )
    yield evidence_row(source_slug, body, first, "incident", slug, file_id)
    if best is None:
        return
    key = f"{slug}/ucdp/killed"
    # A few GED records have best outside low..high, or low above high; the bounds become
    # the envelope of the three (the record's text keeps them as published).
    figures = [x for x in (low, best, high) if x is not None]
    yield killed_report(
        key,
        slug,
        best,
        "approximately",
        None if low is None else min(figures),
        None if high is None else max(figures),
        PUBLISHER,
        source_slug,
        file_id,
    )
    yield evidence_row(source_slug, body, f"deaths: {deaths}", "casualty_report", key, file_id)
