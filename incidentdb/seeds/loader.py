"""The set-based loader: validated rows into PostgreSQL in one transaction.

For each table, in dependency order: COPY the rows into a temporary staging table, refuse
rows that another loaded file defines differently, then one INSERT ... ON CONFLICT DO
UPDATE that touches only rows whose content changed (so a re-load changes nothing, not even
an id). Rows that the loaded files used to define and no longer do are deleted, children
first. Files whose content hash matches the ledger are skipped. Concurrent loads queue on a
PostgreSQL advisory lock. The caller owns the transaction: roll it back for a dry run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from incidentdb.errors import IncidentdbError
from incidentdb.seeds.rows import Ref, Row
from incidentdb.seeds.validate import SeedFile, SeedSet

if TYPE_CHECKING:
    import psycopg

LOCK_KEY = 0x1D_B5EED  # pg advisory lock shared by every writer of incidentdb data


class LoadError(IncidentdbError):
    """The database refused the load; nothing was written."""


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str  # natural key column: slug or key
    columns: tuple[str, ...]  # value columns, in staging order
    refs: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    parent: str | None = None  # self-referencing column, loaded level by level


@dataclass(frozen=True)
class LinkSpec:
    """A link table replaced per parent row: (parent column, child column) <- row value."""

    name: str
    owner_table: str
    value: str  # the Row value holding a tuple of Refs (or strings for aliases)
    owner_column: str
    item_column: str
    item_table: str | None  # None: the items are plain values


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "place",
        "slug",
        (
            "name",
            "kind",
            "parent_id",
            "iso_alpha2",
            "iso_alpha3",
            "latitude",
            "longitude",
            "geo_precision",
            "description",
        ),
        {"parent_id": "place"},
        parent="parent_id",
    ),
    TableSpec(
        "organisation",
        "slug",
        ("name", "acronym", "kind", "parent_id", "country_id", "description"),
        {"parent_id": "organisation", "country_id": "place"},
        parent="parent_id",
    ),
    TableSpec("person", "slug", ("name", "description")),
    TableSpec(
        "source",
        "slug",
        (
            "title",
            "lede",
            "publisher_id",
            "dateline_place_id",
            "published_on",
            "url",
            "language",
            "file_name",
            "body",
            "content_hash",
        ),
        {"publisher_id": "organisation", "dateline_place_id": "place"},
    ),
    TableSpec(
        "incident",
        "slug",
        (
            "title",
            "description",
            "incident_type",
            "occurred_from",
            "occurred_to",
            "country_id",
            "parent_id",
        ),
        {"country_id": "place", "parent_id": "incident"},
        parent="parent_id",
    ),
    TableSpec(
        "mission",
        "slug",
        (
            "name",
            "kind",
            "lead_organisation_id",
            "host_country_id",
            "started_from",
            "started_to",
            "ended_from",
            "ended_to",
            "mandate",
        ),
        {"lead_organisation_id": "organisation", "host_country_id": "place"},
    ),
    TableSpec(
        "mission_contributor",
        "key",
        ("mission_id", "organisation_id", "country_id", "personnel"),
        {"mission_id": "mission", "organisation_id": "organisation", "country_id": "place"},
    ),
    TableSpec(
        "person_role",
        "key",
        (
            "person_id",
            "organisation_id",
            "title",
            "is_former",
            "started_from",
            "started_to",
            "ended_from",
            "ended_to",
        ),
        {"person_id": "person", "organisation_id": "organisation"},
    ),
    TableSpec(
        "timeline_entry",
        "key",
        (
            "incident_id",
            "mission_id",
            "occurred_from",
            "occurred_to",
            "kind",
            "description",
            "place_id",
        ),
        {"incident_id": "incident", "mission_id": "mission", "place_id": "place"},
    ),
    TableSpec(
        "casualty_report",
        "key",
        (
            "incident_id",
            "category",
            "population",
            "figure",
            "qualifier",
            "count_low",
            "count_high",
            "reported_by_organisation_id",
            "reported_by_person_id",
            "as_of",
            "source_id",
        ),
        {
            "incident_id": "incident",
            "reported_by_organisation_id": "organisation",
            "reported_by_person_id": "person",
            "source_id": "source",
        },
    ),
    TableSpec(
        "statement",
        "key",
        (
            "speaker_person_id",
            "speaker_organisation_id",
            "said_from",
            "said_to",
            "place_id",
            "occasion",
            "incident_id",
            "mission_id",
            "mode",
            "summary",
            "source_id",
        ),
        {
            "speaker_person_id": "person",
            "speaker_organisation_id": "organisation",
            "place_id": "place",
            "incident_id": "incident",
            "mission_id": "mission",
            "source_id": "source",
        },
    ),
    TableSpec(
        "evidence",
        "key",
        (
            "source_id",
            "quote",
            "char_start",
            "char_end",
            "incident_id",
            "timeline_entry_id",
            "casualty_report_id",
            "statement_id",
            "mission_id",
            "mission_contributor_id",
            "person_role_id",
            "organisation_id",
            "person_id",
            "place_id",
        ),
        {
            "source_id": "source",
            "incident_id": "incident",
            "timeline_entry_id": "timeline_entry",
            "casualty_report_id": "casualty_report",
            "statement_id": "statement",
            "mission_id": "mission",
            "mission_contributor_id": "mission_contributor",
            "person_role_id": "person_role",
            "organisation_id": "organisation",
            "person_id": "person",
            "place_id": "place",
        },
    ),
)

LINKS: tuple[LinkSpec, ...] = (
    LinkSpec("organisation_alias", "organisation", "aliases", "organisation_id", "alias", None),
    LinkSpec("incident_place", "incident", "places", "incident_id", "place_id", "place"),
    LinkSpec("mission_incident", "mission", "incidents", "mission_id", "incident_id", "incident"),
)


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
    tables: dict[str, Changes] = field(default_factory=dict)

    @property
    def total(self) -> Changes:
        out = Changes()
        for c in self.tables.values():
            out.added += c.added
            out.changed += c.changed
            out.removed += c.removed
        return out


def known_keys(conn: psycopg.Connection[Any]) -> Callable[[str, set[str]], set[str]]:
    """A lookup of keys that exist in the database, for validating references."""
    key_of = {t.name: t.key for t in TABLES}

    def lookup(table: str, keys: set[str]) -> set[str]:
        col = key_of[table]
        rows = conn.execute(
            f"SELECT {col} FROM {table} WHERE {col} = ANY(%s)", (list(keys),)
        ).fetchall()
        return {r[0] for r in rows}

    return lookup


def acquire_lock(conn: psycopg.Connection[Any], on_wait: Callable[[], None] | None) -> None:
    """Take the loaders' advisory lock for this transaction, waiting for other loads."""
    got = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)).fetchone()
    if got is not None and got[0]:
        return
    if on_wait is not None:
        on_wait()
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))


def load(
    conn: psycopg.Connection[Any],
    seed_set: SeedSet,
    force: bool = False,
) -> LoadReport:
    """Write the seed set; the caller holds the lock and owns the transaction."""
    report = LoadReport()
    ledger = {
        path: (fid, digest)
        for fid, path, digest in conn.execute(
            "SELECT id, path, content_hash FROM seed_file WHERE path = ANY(%s)",
            ([f.identity for f in seed_set.files],),
        )
    }
    changed: list[SeedFile] = []
    for f in seed_set.files:
        if not force and f.identity in ledger and ledger[f.identity][1] == f.content_hash:
            report.unchanged.append(f.shown)
        else:
            changed.append(f)
            report.loaded.append(f.shown)
    if not changed:
        return report

    file_ids: dict[str, int] = {}
    counts: dict[str, int] = {}
    for row in seed_set.rows_of({f.identity for f in changed}):
        counts[row.file] = counts.get(row.file, 0) + 1
    for f in changed:
        fid = conn.execute(
            """
            INSERT INTO seed_file (path, kind, content_hash, row_count)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (path) DO UPDATE SET kind = excluded.kind,
                content_hash = excluded.content_hash, row_count = excluded.row_count,
                loaded_at = now()
            RETURNING id
            """,
            (f.identity, f.kind, f.content_hash, counts.get(f.identity, 0)),
        ).fetchone()
        assert fid is not None
        file_ids[f.identity] = fid[0]

    writer = _Writer(conn, list(file_ids.values()), {f.identity: f for f in changed})
    rows = seed_set.rows_of(set(file_ids))
    by_table: dict[str, list[Row]] = {}
    for row in rows:
        by_table.setdefault(row.table, []).append(row)
    for spec in TABLES:
        report.tables[spec.name] = writer.upsert(spec, by_table.get(spec.name, []), file_ids)
        for link in LINKS:
            if link.owner_table == spec.name:
                report.tables[link.name] = writer.replace_links(link, by_table.get(spec.name, []))
    for spec in reversed(TABLES):
        keys = [r.key for r in by_table.get(spec.name, [])]
        report.tables[spec.name].removed += writer.delete_missing(spec, keys)
    return report


class _Writer:
    def __init__(
        self, conn: psycopg.Connection[Any], file_ids: list[int], files: dict[str, SeedFile]
    ) -> None:
        self.conn = conn
        self.file_ids = file_ids
        self.files = files
        self.ids: dict[str, dict[str, int]] = {}

    def _resolve(self, refs: Sequence[Ref]) -> None:
        wanted: dict[str, set[str]] = {}
        for ref in refs:
            if ref.key not in self.ids.get(ref.table, {}):
                wanted.setdefault(ref.table, set()).add(ref.key)
        key_of = {t.name: t.key for t in TABLES}
        for table, keys in wanted.items():
            col = key_of[table]
            found = self.conn.execute(
                f"SELECT {col}, id FROM {table} WHERE {col} = ANY(%s)", (list(keys),)
            ).fetchall()
            self.ids.setdefault(table, {}).update(dict(found))

    def _value(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.ids[value.table][value.key]
        return value

    def upsert(self, spec: TableSpec, rows: list[Row], file_ids: dict[str, int]) -> Changes:
        changes = Changes()
        if not rows:
            return changes
        refs = [v for r in rows for v in _refs(r) if v.table != spec.name or (spec.parent is None)]
        self._resolve(refs)
        for level in _levels(spec, rows):
            self._resolve([v for r in level for v in _refs(r)])
            added, changed = self._upsert_level(spec, level, file_ids)
            changes.added += added
            changes.changed += changed
        return changes

    def _upsert_level(
        self, spec: TableSpec, rows: list[Row], file_ids: dict[str, int]
    ) -> tuple[int, int]:
        from psycopg import sql

        cols = (spec.key, *spec.columns, "seed_file_id")
        stage = sql.Identifier(f"stage_{spec.name}")
        target = sql.Identifier(spec.name)
        col_ids = sql.SQL(", ").join(map(sql.Identifier, cols))
        self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
        self.conn.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                stage, col_ids, target
            )
        )
        with self.conn.cursor() as cur:
            with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(stage, col_ids)) as copy:
                for row in rows:
                    values = _flat_values(spec, row)
                    copy.write_row(
                        [
                            row.key,
                            *(self._value(values.get(c)) for c in spec.columns),
                            file_ids[row.file],
                        ]
                    )
        value_cols = [sql.Identifier(c) for c in spec.columns]
        t_cols = sql.SQL(", ").join(sql.SQL("t.{}").format(c) for c in value_cols)
        s_cols = sql.SQL(", ").join(sql.SQL("s.{}").format(c) for c in value_cols)
        conflicts = self.conn.execute(
            sql.SQL(
                "SELECT s.{key}, coalesce(f.path, 'rows written by hand') FROM {stage} s "
                "JOIN {target} t ON t.{key} = s.{key} "
                "LEFT JOIN seed_file f ON f.id = t.seed_file_id "
                "WHERE (t.seed_file_id IS NULL OR NOT t.seed_file_id = ANY(%s)) "
                "AND ROW({t_cols}) IS DISTINCT FROM ROW({s_cols}) LIMIT 20"
            ).format(
                key=sql.Identifier(spec.key),
                stage=stage,
                target=target,
                t_cols=t_cols,
                s_cols=s_cols,
            ),
            (self.file_ids,),
        ).fetchall()
        if conflicts:
            raise LoadError(
                "\n".join(
                    f"{spec.name} {key!r} is already defined differently by {path}; "
                    "edit that file, or load it together with this one"
                    for key, path in conflicts
                )
            )
        ex_cols = sql.SQL(", ").join(sql.SQL("excluded.{}").format(c) for c in value_cols)
        result = self.conn.execute(
            sql.SQL(
                "INSERT INTO {target} AS t ({cols}) SELECT {cols} FROM {stage} "
                "ON CONFLICT ({key}) DO UPDATE SET ({vcols}) = ROW({ex_cols}) "
                "WHERE ROW({t_cols}) IS DISTINCT FROM ROW({ex_cols}) "
                "RETURNING t.{key}, t.id, (xmax = 0)"
            ).format(
                target=target,
                cols=col_ids,
                stage=stage,
                key=sql.Identifier(spec.key),
                vcols=sql.SQL(", ").join(value_cols),
                ex_cols=ex_cols,
                t_cols=t_cols,
            ),
        ).fetchall()
        ids = self.ids.setdefault(spec.name, {})
        added = changed = 0
        for key, id_, inserted in result:
            ids[key] = id_
            added += bool(inserted)
            changed += not inserted
        self._resolve([Ref(spec.name, r.key, ()) for r in rows])
        return added, changed

    def replace_links(self, link: LinkSpec, owners: list[Row]) -> Changes:
        from psycopg import sql

        changes = Changes()
        if not owners:
            return changes
        pairs: list[tuple[int, Any]] = []
        items = [v for r in owners for v in r.values.get(link.value, ())]
        if link.item_table:
            self._resolve(items)
        for r in owners:
            owner_id = self.ids[link.owner_table][r.key]
            for item in r.values.get(link.value, ()):
                pairs.append((owner_id, self._value(item)))
        owner_ids = [self.ids[link.owner_table][r.key] for r in owners]
        table = sql.Identifier(link.name)
        oc, ic = sql.Identifier(link.owner_column), sql.Identifier(link.item_column)
        owner_list = [p[0] for p in pairs]
        item_list = [p[1] for p in pairs]
        item_type = sql.SQL("int[]" if link.item_table else "text[]")
        removed = self.conn.execute(
            sql.SQL(
                "DELETE FROM {t} WHERE {oc} = ANY(%s) AND ({oc}, {ic}) NOT IN "
                "(SELECT * FROM unnest(%s::int[], %s::{it})) RETURNING 1"
            ).format(t=table, oc=oc, ic=ic, it=item_type),
            (owner_ids, owner_list, item_list),
        ).fetchall()
        added = self.conn.execute(
            sql.SQL(
                "INSERT INTO {t} ({oc}, {ic}) SELECT * FROM unnest(%s::int[], %s::{it}) "
                "ON CONFLICT DO NOTHING RETURNING 1"
            ).format(t=table, oc=oc, ic=ic, it=item_type),
            (owner_list, item_list),
        ).fetchall()
        changes.added, changes.removed = len(added), len(removed)
        return changes

    def delete_missing(self, spec: TableSpec, keep: list[str]) -> int:
        import psycopg
        from psycopg import sql

        try:
            with self.conn.transaction():
                removed = self.conn.execute(
                    sql.SQL(
                        "DELETE FROM {t} WHERE seed_file_id = ANY(%s) AND NOT {k} = ANY(%s) "
                        "RETURNING {k}"
                    ).format(t=sql.Identifier(spec.name), k=sql.Identifier(spec.key)),
                    (self.file_ids, keep),
                ).fetchall()
        except (psycopg.errors.ForeignKeyViolation, psycopg.errors.RestrictViolation) as exc:
            referrer = exc.diag.table_name or "other rows"
            doomed = self.conn.execute(
                sql.SQL(
                    "SELECT {k} FROM {t} WHERE seed_file_id = ANY(%s) AND NOT {k} = ANY(%s) "
                    "ORDER BY 1 LIMIT 10"
                ).format(t=sql.Identifier(spec.name), k=sql.Identifier(spec.key)),
                (self.file_ids, keep),
            ).fetchall()
            names = ", ".join(repr(r[0]) for r in doomed)
            raise LoadError(
                f"cannot remove {spec.name.replace('_', ' ')} {names}: the edited file no "
                f"longer defines it, but rows in {referrer} (from other files) still refer to "
                "it; remove those references first, or keep defining it"
            ) from None
        return len(removed)


def _refs(row: Row) -> list[Ref]:
    out: list[Ref] = []
    for v in row.values.values():
        if isinstance(v, Ref):
            out.append(v)
        elif isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], Ref):
            out.append(v[1])
    return out


def _flat_values(spec: TableSpec, row: Row) -> dict[str, Any]:
    values = dict(row.values)
    fact = values.pop("fact", None)
    if fact is not None:
        values[fact[0]] = fact[1]
    return values


def _levels(spec: TableSpec, rows: list[Row]) -> list[list[Row]]:
    """Rows grouped so that a parent defined in the batch is written before its children."""
    if spec.parent is None:
        return [rows]
    in_batch = {r.key: r for r in rows}
    depth: dict[str, int] = {}

    def level(r: Row, seen: frozenset[str] = frozenset()) -> int:
        if r.key in depth:
            return depth[r.key]
        parent = r.values.get(spec.parent or "")
        if isinstance(parent, Ref) and parent.key in in_batch and parent.key not in seen:
            d = level(in_batch[parent.key], seen | {r.key}) + 1
        else:
            d = 0
        depth[r.key] = d
        return d

    groups: dict[int, list[Row]] = {}
    for r in rows:
        groups.setdefault(level(r), []).append(r)
    return [groups[d] for d in sorted(groups)]
