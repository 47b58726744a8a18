"""What the seed commands do: validate files, load them in one transaction, list the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidentdb.errors import Cancelled
from incidentdb.seeds.messages import SeedValidationError
from incidentdb.seeds.model import SeedFile, SeedSet
from incidentdb.seeds.yamlfile import Located
from incidentdb.write.bulk import LoadReport

if TYPE_CHECKING:
    import psycopg


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
    on_step: Callable[[str], None] | None = None,
    confirm: Callable[[Sequence[str]], bool] | None = None,
) -> LoadReport:
    """Validate and load in one transaction: all or nothing. A dry run rolls back.

    With `prune`, files the ledger holds from under a folder in `paths` that are no longer
    there are withdrawn in the same transaction, if `confirm` (given their locations) agrees.
    `on_step` hears each step as it starts."""
    from incidentdb.seeds.discover import find_seed_files, quick_hash
    from incidentdb.seeds.validate import read_seed_set
    from incidentdb.write import ledger
    from incidentdb.write.bulk import LoadError, known_keys
    from incidentdb.write.session import writing

    paths = list(paths)
    with writing(url, on_wait, dry_run) as conn:
        listed, _ = find_seed_files(paths)
        locations = [str(path.resolve()) for path, _, _ in listed]
        gone = _gone_from(conn, paths, set(locations))
        # When the ledger holds every file with the same hash, there is nothing to validate
        # or write. Otherwise all files are validated together, so that a conflict between
        # an edited file and an unchanged one is reported with both places.
        held = ledger.held_locations(conn, locations)
        if (
            listed
            and not (prune and gone)
            and all(
                held.get(loc) is not None and quick_hash(path) == held[loc]
                for (path, _, _), loc in zip(listed, locations, strict=True)
            )
        ):
            return LoadReport(unchanged=[shown for _, shown, _ in listed], gone=list(gone))
        if on_step is not None:
            on_step(f"reading {len(listed):,} seed files")
        seed_set = read_seed_set(paths, known=known_keys(conn))
        present = {f.identity for f in seed_set.files}
        stale = {i: loc for i, loc in gone.items() if i not in present}
        if prune and stale and confirm is not None and not confirm(sorted(stale.values())):
            raise Cancelled("nothing written: the withdrawal was not confirmed")
        try:
            report = sync(conn, seed_set, withdraw=list(stale) if prune else [], on_step=on_step)
        except LoadError as exc:
            located = _locate(seed_set, exc.rows)
            if located:
                raise SeedValidationError(located) from None
            raise
        if not prune:
            report.gone = list(stale.values())
    return report


def unload_seeds(
    url: str,
    targets: Iterable[str],
    dry_run: bool = False,
    on_wait: Callable[[], None] | None = None,
    confirm: Callable[[Sequence[str]], bool] | None = None,
) -> LoadReport:
    """Withdraw loaded files, named by path or by ledger identity, in one transaction:
    their rows go unless another loaded file still defines them (and `confirm`, given the
    files, agrees)."""
    from incidentdb.seeds.yamlfile import Located
    from incidentdb.write import ledger
    from incidentdb.write.session import writing

    targets = list(targets)
    with writing(url, on_wait, dry_run) as conn:
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
        report = LoadReport(withdrawn=[r[1] or r[0] for r in rows])
        if confirm is not None and not confirm(report.withdrawn):
            raise Cancelled("nothing written: the withdrawal was not confirmed")
        report.tables = ledger.withdraw(conn, [r[0] for r in rows])
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

    from incidentdb.db.settings import libpq_url
    from incidentdb.write.session import require_schema

    with psycopg.connect(libpq_url(url)) as conn:
        require_schema(conn)
        rows = conn.execute(
            "SELECT identity, kind, content_hash, row_count, loaded_at, location FROM seed_file "
            "ORDER BY identity"
        ).fetchall()
    return [LedgerEntry(*r) for r in rows]


def sync(
    conn: psycopg.Connection[Any],
    seed_set: SeedSet,
    force: bool = False,
    withdraw: list[str] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> LoadReport:
    """Write a validated seed set (the files whose content the ledger does not hold yet)
    and withdraw the ledger files named in `withdraw`; the caller holds the writers' lock
    and owns the transaction."""
    from incidentdb.write import ledger
    from incidentdb.write.bulk import BulkLoader

    report = LoadReport()
    held = ledger.ledger_state(conn, [f.identity for f in seed_set.files])
    changed: list[SeedFile] = []
    for f in seed_set.files:
        if not force and held.get(f.identity) == f.content_hash:
            report.unchanged.append(f.shown)
            conn.execute(
                "UPDATE seed_file SET location = %s WHERE identity = %s "
                "AND location IS DISTINCT FROM %s",
                (f.location, f.identity, f.location),
            )
        else:
            changed.append(f)
            report.loaded.append(f.shown)
    withdrawn = dict(
        conn.execute(
            "SELECT identity, id FROM seed_file WHERE identity = ANY(%s)", (withdraw or [],)
        ).fetchall()
    )
    if not changed and not withdrawn:
        return report
    file_ids = ledger.register_files(
        conn,
        [
            ledger.LedgerFile(f.identity, f.kind, f.content_hash, f.location, f.legacy)
            for f in changed
        ],
    )
    bulk = BulkLoader(conn, {**file_ids, **withdrawn}, on_step=on_step)
    for row in seed_set.rows_of(set(file_ids)):
        bulk.add(row)
        # Staged: what is left to know of it is where it is defined, for a refusal's message.
        row.values.clear()
    report.tables = bulk.apply()
    report.timings = bulk.timings
    if withdrawn:
        report.withdrawn = ledger.forget(conn, list(withdrawn.values()))
    return report
