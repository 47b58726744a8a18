"""What the seed commands do: validate files, load them in one transaction, list the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from incidentdb.seeds.loader import LoadReport
from incidentdb.seeds.validate import SeedSet, SeedValidationError
from incidentdb.seeds.yamlfile import Located


def validate_seeds(paths: Iterable[Path]) -> SeedSet:
    """Validate without a database: every reference must be defined in the files given."""
    from incidentdb.seeds.validate import read_seed_set

    return read_seed_set(paths)


def load_seeds(
    url: str,
    paths: Iterable[Path],
    dry_run: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> LoadReport:
    """Validate and load in one transaction: all or nothing. A dry run rolls back."""
    import psycopg

    from incidentdb.seeds import loader
    from incidentdb.seeds.validate import find_seed_files, quick_hash, read_seed_set
    from incidentdb.settings import libpq_url

    paths = list(paths)
    with psycopg.connect(libpq_url(url)) as conn:
        _require_schema(conn)
        loader.acquire_lock(conn, on_wait)
        # When the ledger holds every file with the same hash, there is nothing to validate
        # or write. Otherwise all files are validated together, so that a conflict between
        # an edited file and an unchanged one is reported with both places.
        listed, _ = find_seed_files(paths)
        held = loader.ledger_state(conn, [identity for _, _, identity in listed])
        if listed and all(
            held.get(identity) is not None and quick_hash(path) == held[identity]
            for path, _, identity in listed
        ):
            return loader.LoadReport(unchanged=[shown for _, shown, _ in listed])
        seed_set = read_seed_set(paths, known=loader.known_keys(conn))
        try:
            report = loader.load(conn, seed_set)
        except loader.LoadError as exc:
            located = _locate(seed_set, exc.rows)
            if located:
                raise SeedValidationError(located) from None
            raise
        except psycopg.errors.IntegrityError as exc:
            conn.rollback()
            raise loader.LoadError(
                f"the database refused the data: {exc.diag.message_primary}"
                f" ({exc.diag.constraint_name or exc.sqlstate})"
            ) from None
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
    return report


def _locate(seed_set: SeedSet, rows: list[tuple[str, str, str]]) -> list[Located]:
    """Where in the seed files each refused row is defined, with its problem."""
    from incidentdb.seeds.yamlfile import dotted, position

    files = {f.identity: f for f in seed_set.files}
    wanted = {(table, key): problem for table, key, problem in rows}
    located = []
    for row in seed_set.rows:
        problem = wanted.pop((row.table, row.key), None)
        if problem is not None:
            f = files[row.file]
            line, column = position(f.raw, row.path)
            located.append(Located(f.shown, line, column, dotted(row.path), problem))
    return located


@dataclass(frozen=True)
class LedgerEntry:
    path: str
    kind: str
    content_hash: str
    row_count: int
    loaded_at: dt.datetime


def loaded_files(url: str) -> list[LedgerEntry]:
    import psycopg

    from incidentdb.settings import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        _require_schema(conn)
        rows = conn.execute(
            "SELECT path, kind, content_hash, row_count, loaded_at FROM seed_file ORDER BY path"
        ).fetchall()
    return [LedgerEntry(*r) for r in rows]


def _require_schema(conn: object) -> None:
    import psycopg

    from incidentdb.errors import SchemaError
    from incidentdb.migrations import head_revision

    assert isinstance(conn, psycopg.Connection)
    try:
        with conn.transaction():
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.errors.UndefinedTable:
        row = None
    head = head_revision()
    if row is None or row[0] != head:
        raise SchemaError(
            f"the database schema is at {row[0] if row else 'no revision (empty database)'}, "
            f"not {head}; run `incidentdb db upgrade` first"
        )
