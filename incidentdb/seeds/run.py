"""What the seed commands do: validate files, load them in one transaction, list the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from incidentdb.seeds.validate import SeedSet, SeedValidationError
from incidentdb.seeds.yamlfile import Located
from incidentdb.write.bulk import LoadReport


def validate_seeds(paths: Iterable[Path]) -> SeedSet:
    """Validate without a database: every reference must be defined in the files given."""
    from incidentdb.seeds.validate import read_seed_set

    return read_seed_set(paths)


def load_seeds(
    url: str,
    paths: Iterable[Path],
    dry_run: bool = False,
    on_wait: Callable[[], None] | None = None,
    prune: bool = False,
) -> LoadReport:
    """Validate and load in one transaction: all or nothing. A dry run rolls back.

    With `prune`, files the ledger holds from under a folder in `paths` that are no longer
    there are withdrawn in the same transaction."""
    import psycopg

    from incidentdb.locks import acquire_writer_lock
    from incidentdb.seeds.validate import find_seed_files, quick_hash, read_seed_set
    from incidentdb.settings import libpq_url
    from incidentdb.write import bulk as loader

    paths = list(paths)
    with psycopg.connect(libpq_url(url)) as conn:
        _require_schema(conn)
        acquire_writer_lock(conn, on_wait)
        listed, _ = find_seed_files(paths)
        locations = [str(path.resolve()) for path, _, _ in listed]
        gone = _gone_from(conn, paths, set(locations))
        # When the ledger holds every file with the same hash, there is nothing to validate
        # or write. Otherwise all files are validated together, so that a conflict between
        # an edited file and an unchanged one is reported with both places.
        held = loader.held_locations(conn, locations)
        if (
            listed
            and not (prune and gone)
            and all(
                held.get(loc) is not None and quick_hash(path) == held[loc]
                for (path, _, _), loc in zip(listed, locations, strict=True)
            )
        ):
            return LoadReport(unchanged=[shown for _, shown, _ in listed], gone=list(gone))
        seed_set = read_seed_set(paths, known=loader.known_keys(conn))
        present = {f.identity for f in seed_set.files}
        stale = {i: loc for i, loc in gone.items() if i not in present}
        try:
            report = loader.load(conn, seed_set, withdraw=list(stale) if prune else [])
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
        if not prune:
            report.gone = [loc for loc in stale.values()]
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
    return report


def unload_seeds(
    url: str,
    targets: Iterable[str],
    dry_run: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> LoadReport:
    """Withdraw loaded files, named by path or by ledger identity, in one transaction:
    their rows go unless another loaded file still defines them."""
    import psycopg

    from incidentdb.locks import acquire_writer_lock
    from incidentdb.seeds.yamlfile import Located
    from incidentdb.settings import libpq_url
    from incidentdb.write import bulk as loader

    targets = list(targets)
    with psycopg.connect(libpq_url(url)) as conn:
        _require_schema(conn)
        acquire_writer_lock(conn, on_wait)
        wanted = {t: str(Path(t).resolve()) for t in targets}
        rows = conn.execute(
            "SELECT identity, location FROM seed_file WHERE identity = ANY(%s) "
            "OR location = ANY(%s) ORDER BY identity",
            (list(wanted), list(wanted.values())),
        ).fetchall()
        found = {r[0] for r in rows} | {r[1] for r in rows}
        unknown = [t for t, loc in wanted.items() if t not in found and loc not in found]
        if unknown:
            raise SeedValidationError(
                [
                    Located(t, 0, 0, "", "not in the ledger; `incidentdb seed list` shows what is")
                    for t in unknown
                ]
            )
        identities = [r[0] for r in rows]
        report = LoadReport(withdrawn=[r[1] or r[0] for r in rows])
        report.tables = loader.withdraw(conn, identities)
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
    return report


def _gone_from(conn: object, paths: list[Path], present: set[str]) -> dict[str, str]:
    """Ledger files (identity -> location) loaded from under one of the folders in `paths`
    that are no longer there."""
    import psycopg

    assert isinstance(conn, psycopg.Connection)
    folders = [str(p.resolve()) for p in paths if p.is_dir()]
    if not folders:
        return {}
    rows = conn.execute(
        "SELECT identity, location FROM seed_file WHERE kind <> 'import' AND location LIKE ANY(%s)",
        ([_like_prefix(f) for f in folders],),
    ).fetchall()
    return {identity: loc for identity, loc in rows if loc not in present}


def _like_prefix(folder: str) -> str:
    escaped = folder.rstrip("/").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"


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
    identity: str
    kind: str
    content_hash: str
    row_count: int
    loaded_at: dt.datetime
    location: str | None


def loaded_files(url: str) -> list[LedgerEntry]:
    import psycopg

    from incidentdb.settings import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        _require_schema(conn)
        rows = conn.execute(
            "SELECT identity, kind, content_hash, row_count, loaded_at, location FROM seed_file "
            "ORDER BY identity"
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
