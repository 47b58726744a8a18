"""What every importer shares: reading a file with progress, countries, errors, the run."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol

from incidentdb.errors import IncidentdbError
from incidentdb.write.bulk import LoadReport
from incidentdb.write.content_hash import file_sha256
from incidentdb.write.rows import Ref, Row

Progress = Callable[[int, int], None]  # (bytes read, records read)


class ImportFormatError(IncidentdbError):
    """The file is not what the importer expects; nothing was written."""

    def __init__(
        self, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        where = file + (f": row {row}" if row is not None else "")
        where += f", column {column}" if column else ""
        super().__init__(f"{where}: {message}")


class Dataset(Protocol):
    name: str  # e.g. "acled"; ledger identities are import:<name>:<content hash prefix>

    def records(self, path: Path, stream: IO[bytes], file_id: str) -> Iterator[Row]: ...


class CountingReader(io.RawIOBase):
    """A raw binary stream that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self.raw = raw
        self.on_bytes = on_bytes
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        self.on_bytes(self.count)
        return n


@dataclass(frozen=True)
class Country:
    slug: str
    name: str
    iso2: str
    iso3: str


@lru_cache(maxsize=4096)
def find_country(name: str = "", iso3: str = "", numeric: str = "") -> Country | None:
    """A country from pycountry by ISO alpha-3, numeric code or name; None if unknown."""
    import pycountry

    found = None
    if iso3:
        found = pycountry.countries.get(alpha_3=iso3.strip().upper())
    if found is None and numeric and numeric.strip().isdigit():
        found = pycountry.countries.get(numeric=f"{int(numeric):03d}")
    if found is None and name:
        for candidate in (name, re.sub(r"\s*\(.*?\)\s*", " ", name).strip()):
            try:
                found = pycountry.countries.lookup(candidate)
                break
            except LookupError:
                continue
    if found is None:
        return None
    shown = getattr(found, "common_name", None) or found.name
    return Country(found.alpha_2.lower(), shown, found.alpha_2, found.alpha_3)


def country_row(country: Country, file_id: str) -> Row:
    return Row(
        "place",
        country.slug,
        {
            "name": country.name,
            "kind": "country",
            "parent_id": None,
            "iso_alpha2": country.iso2,
            "iso_alpha3": country.iso3,
            "latitude": None,
            "longitude": None,
            "geo_precision": None,
            "description": None,
        },
        file_id,
        (),
        weak=True,
    )


def place_row(
    slug: str,
    name: str,
    kind: str,
    parent: str | None,
    file_id: str,
    latitude: float | None = None,
    longitude: float | None = None,
    geo_precision: int | None = None,
) -> Row:
    return Row(
        "place",
        slug,
        {
            "name": name,
            "kind": kind,
            "parent_id": Ref("place", parent, ()) if parent else None,
            "iso_alpha2": None,
            "iso_alpha3": None,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": geo_precision,
            "description": None,
        },
        file_id,
        (),
        weak=True,
    )


def organisation_row(
    slug: str, name: str, kind: str, file_id: str, description: str | None = None
) -> Row:
    return Row(
        "organisation",
        slug,
        {
            "name": name,
            "acronym": None,
            "kind": kind,
            "parent_id": None,
            "country_id": None,
            "description": description,
            "organisation_alias": (),
        },
        file_id,
        (),
        weak=True,
    )


def actor_rows(
    incident: str, role: str, slug: str, name: str, kind: str, file_id: str
) -> list[Row]:
    """An actor (as an organisation, created if absent) and its part in the incident."""
    return [
        organisation_row(slug, name, kind, file_id),
        Row(
            "incident_actor",
            f"{incident}/{role}/{slug}",
            {
                "incident_id": Ref("incident", incident, ()),
                "organisation_id": Ref("organisation", slug, ()),
                "role": role,
            },
            file_id,
            (),
        ),
    ]


def killed_report(
    key: str,
    incident: str,
    figure: int,
    qualifier: str,
    low: int | None,
    high: int | None,
    publisher: str,
    source: str,
    file_id: str,
) -> Row:
    """The dataset's own death toll for an event, as one casualty report."""
    return Row(
        "casualty_report",
        key,
        {
            "incident_id": Ref("incident", incident, ()),
            "category": "killed",
            "population": None,
            "figure": figure,
            "qualifier": qualifier,
            "count_low": low,
            "count_high": high,
            "reported_by_organisation_id": Ref("organisation", publisher, ()),
            "reported_by_person_id": None,
            "as_of_from": None,
            "as_of_to": None,
            "source_id": Ref("source", source, ()),
        },
        file_id,
        (),
    )


def record_source(
    slug: str,
    title: str,
    publisher: str,
    lines: list[tuple[str, str]],
    file_id: str,
    published_on: Any = None,
) -> tuple[Row, str]:
    """A source whose body is the dataset record's provenance fields, one per line."""
    body = "\n".join(f"{k}: {v}" for k, v in lines)
    row = Row(
        "source",
        slug,
        {
            "title": title,
            "lede": None,
            "publisher_id": Ref("organisation", publisher, ()),
            "dateline_place_id": None,
            "published_on": published_on,
            "url": None,
            "language": "en",
            "file_name": None,
            "body": body,
            "content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        },
        file_id,
        (),
    )
    return row, body


def evidence_row(
    source: str, body: str, line: str, fact_table: str, fact_key: str, file_id: str
) -> Row:
    start = body.index(line)
    end = start + len(line)
    return Row(
        "evidence",
        f"{fact_table}:{fact_key}@{source}:{start}-{end}",
        {
            "source_id": Ref("source", source, ()),
            "quote": line,
            "char_start": start,
            "char_end": end,
            "fact": (f"{fact_table}_id", Ref(fact_table, fact_key, ())),
        },
        file_id,
        (),
    )


def run_import(
    url: str,
    path: Path,
    dataset: Dataset,
    dry_run: bool = False,
    on_wait: Callable[[], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    batch_rows: int = 100_000,
    on_step: Callable[[str], None] | None = None,
) -> LoadReport:
    """Import one file in one transaction: all or nothing; an unchanged file is skipped.

    The ledger knows the import as import:DATASET:CONTENT, CONTENT the first 12 hex digits
    of the file's SHA-256: another export never replaces this one's events (it takes over
    the events they share), and the same export from any folder or under any name is the
    same import. Rows are written every `batch_rows` staged rows, in the same transaction.
    `on_bytes` hears how much of the file was read, `on_step` each database step."""
    from incidentdb.write import ledger
    from incidentdb.write.bulk import BulkLoader
    from incidentdb.write.session import writing

    if not path.is_file():
        raise ImportFormatError(str(path), "no such file")
    digest = file_sha256(path)
    identity = f"import:{dataset.name}:{digest[:12]}"
    report = LoadReport()
    with writing(url, on_wait, dry_run, where=str(path)) as conn:
        if ledger.ledger_state(conn, [identity]).get(identity) == digest:
            report.unchanged.append(str(path))
            return report
        file_ids = ledger.register_files(
            conn, [ledger.LedgerFile(identity, "import", digest, str(path.resolve()))]
        )
        bulk = BulkLoader(
            conn,
            file_ids,
            adopt_from=f"import:{dataset.name}:%",
            batch_rows=batch_rows,
            on_step=on_step,
        )
        with path.open("rb") as raw:
            stream = io.BufferedReader(CountingReader(raw, on_bytes or (lambda n: None)))
            for row in dataset.records(path, stream, identity):
                bulk.add(row)
        report.tables = bulk.apply()
        report.timings = bulk.timings
        report.loaded.append(str(path))
    return report
