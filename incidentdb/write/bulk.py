"""The set-based write path shared by seed files and imports, in one transaction.

Rows are streamed with COPY into temporary staging tables that hold references as keys
(slugs). Then, per table in dependency order, one INSERT ... SELECT resolves the keys to ids
with joins and upserts with ON CONFLICT DO UPDATE ... WHERE the content differs, so a re-load
changes nothing, not even an id. Rows that the loaded files used to define and no longer do
are deleted, children first. Rows another loaded file defines differently are refused.
Concurrent writers queue on the writers' lock (incidentdb.db.locks). The caller owns the
transaction: roll it back for a dry run. Memory stays flat: Python holds one buffer of rows
at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from incidentdb.errors import IncidentdbError
from incidentdb.write.rows import Ref, Row
from incidentdb.write.tables import LinkSpec, TableSpec, graph

if TYPE_CHECKING:
    import psycopg


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


def known_keys(conn: psycopg.Connection[Any]) -> Callable[[str, set[str]], set[str]]:
    """A lookup of keys that exist in the database, for validating references."""
    tables = graph()

    def lookup(table: str, keys: set[str]) -> set[str]:
        col = tables.key_of(table)
        rows = conn.execute(
            f"SELECT {col} FROM {table} WHERE {col} = ANY(%s)", (list(keys),)
        ).fetchall()
        return {r[0] for r in rows}

    return lookup


class BulkLoader:
    """Stage rows with COPY, then apply them set-based. One instance per transaction."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        file_ids: dict[str, int],
        buffer_rows: int = 20_000,
        adopt_from: str | None = None,
        batch_rows: int | None = None,
    ) -> None:
        """`adopt_from`: a LIKE pattern of ledger paths whose rows this load may take over
        (a newer export of the same dataset updates the events an older one loaded).

        `batch_rows`: write every time this many rows are staged, so that memory and the
        stages stay bounded. Only for feeders that add a row after the rows it refers to
        (an import, event by event); a seed set refers across files, and loads at once."""
        self.conn = conn
        self.file_ids = file_ids
        self.adopt_from = adopt_from
        self.buffer_rows = buffer_rows
        self.batch_rows = batch_rows
        self.tables: dict[str, Changes] = {}
        self._staged = 0
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.row_counts: dict[str, int] = dict.fromkeys(file_ids, 0)
        self.graph = graph()
        # Seconds spent per step in the database (staging COPY, each table's statements),
        # for benchmarks and progress; what is not here is Python's.
        self.timings: dict[str, float] = {}
        self._accepts = {t.name: self.graph.accepts(t.name) for t in self.graph.tables}
        self._columns = {t.name: t.columns for t in self.graph.tables}
        self._links_of: dict[str, list[str]] = {t.name: [] for t in self.graph.tables}
        for link in self.graph.links:
            self._links_of[link.owner_table].append(link.name)
        self._weak_seen: set[tuple[str, str]] = set()
        self._adoptable: list[int] = []
        if adopt_from is not None:
            self._adoptable = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM seed_file WHERE identity LIKE %s AND NOT id = ANY(%s)",
                    (adopt_from, list(file_ids.values())),
                )
            ]
        # Owners whose rows this load may rewrite: its own files and adoptable ones.
        self._free_owners = list(file_ids.values()) + self._adoptable
        self._create_stages()

    # -- staging -------------------------------------------------------------------
    def _create_stages(self) -> None:
        from psycopg import sql

        for spec in self.graph.tables:
            stage = sql.Identifier(f"stage_{spec.name}")
            cols = sql.SQL(", ").join(
                map(sql.Identifier, (spec.key, *spec.columns, "seed_file_id"))
            )
            self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
            self.conn.execute(
                sql.SQL(
                    "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
                ).format(stage, cols, sql.Identifier(spec.name))
            )
            for col in spec.refs:
                self.conn.execute(
                    sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE text").format(
                        stage, sql.Identifier(col)
                    )
                )
            self.conn.execute(
                sql.SQL(
                    "ALTER TABLE {} ADD COLUMN _weak boolean NOT NULL, "
                    "ADD COLUMN _held boolean NOT NULL DEFAULT false"
                ).format(stage)
            )
        self.conn.execute("DROP TABLE IF EXISTS wanted_claim")
        self.conn.execute("CREATE TEMP TABLE wanted_claim (LIKE seed_file_claim) ON COMMIT DROP")
        if self.batch_rows is not None:
            for spec in self.graph.tables:
                keys = sql.Identifier(f"keys_{spec.name}")
                self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(keys))
                self.conn.execute(
                    sql.SQL("CREATE TEMP TABLE {} ({} text NOT NULL) ON COMMIT DROP").format(
                        keys, sql.Identifier(spec.key)
                    )
                )
        self.conn.execute("DROP TABLE IF EXISTS stage_claim")
        self.conn.execute(
            "CREATE TEMP TABLE stage_claim (table_name text NOT NULL, row_key text NOT NULL, "
            "seed_file_id integer NOT NULL) ON COMMIT DROP"
        )
        for link in self.graph.links:
            stage = sql.Identifier(f"stage_{link.name}")
            self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
            self.conn.execute(
                sql.SQL(
                    "CREATE TEMP TABLE {} (owner text NOT NULL, item text NOT NULL) ON COMMIT DROP"
                ).format(stage)
            )

    def add(self, row: Row) -> None:
        if row.weak:
            # Reference rows (countries, places, actors) recur on every event of an import:
            # stage each once. The set grows with distinct entities, not with events.
            seen = (row.table, row.key)
            if seen in self._weak_seen:
                return
            self._weak_seen.add(seen)
        values = row.values
        if "fact" in values:  # evidence: the fact's column, named by the row
            values = dict(values)
            column, ref = values.pop("fact")
            values[column] = ref
        if not values.keys() <= self._accepts[row.table]:
            unknown = values.keys() - self._accepts[row.table]
            raise ValueError(f"{row.table} has no column {', '.join(sorted(unknown))}")
        get = values.get
        cells = [v.key if type(v) is Ref else v for v in map(get, self._columns[row.table])]
        if row.also:
            definers = [self.file_ids[d] for d in row.definers() if d in self.file_ids]
            for other in definers[1:]:
                self._buffer("claim", (row.table, row.key, other))
            for identity in row.definers():
                if identity in self.row_counts:
                    self.row_counts[identity] += 1
            owner = definers[0]
        else:
            owner = self.file_ids[row.file]
            self.row_counts[row.file] += 1
        self._buffer(row.table, (row.key, *cells, owner, row.weak))
        self._staged += 1
        for link in self._links_of[row.table]:
            for item in get(link, ()):
                self._buffer(link, (row.key, item.key if type(item) is Ref else item))
        if self.batch_rows is not None and self._staged >= self.batch_rows:
            self._apply_batch()

    def _buffer(self, name: str, values: tuple[Any, ...]) -> None:
        buf = self.buffers.setdefault(name, [])
        buf.append(values)
        if len(buf) >= self.buffer_rows:
            self._flush(name)

    @contextmanager
    def _timed(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - start

    def _flush(self, name: str) -> None:
        from psycopg import sql

        buf = self.buffers.get(name)
        if not buf:
            return
        if name in self.graph.by_name:
            spec = self.graph.spec(name)
            names = (spec.key, *spec.columns, "seed_file_id", "_weak")
            columns: Any = sql.SQL(" ({})").format(sql.SQL(", ").join(map(sql.Identifier, names)))
        else:
            columns = sql.SQL("")
        with self._timed("copy into staging"), self.conn.cursor() as cur:
            with cur.copy(
                sql.SQL("COPY {}{} FROM STDIN").format(sql.Identifier(f"stage_{name}"), columns)
            ) as copy:
                for values in buf:
                    copy.write_row(values)
        buf.clear()

    # -- applying ------------------------------------------------------------------
    def apply(self) -> dict[str, Changes]:
        """Write what is staged, then remove the rows this load's files no longer define;
        the changes per table."""
        self._apply_batch()
        with self._timed("claims"):
            self._sync_claims()
        for spec in reversed(self.graph.tables):
            with self._timed(f"remove {spec.name}"):
                self._changes(spec.name).removed += self._delete_missing(spec)
        for identity, fid in self.file_ids.items():
            self.conn.execute(
                "UPDATE seed_file SET row_count = %s WHERE id = %s",
                (self.row_counts[identity], fid),
            )
        return self.tables

    def _changes(self, table: str) -> Changes:
        return self.tables.setdefault(table, Changes())

    def _apply_batch(self) -> None:
        """Write the staged rows, table by table in dependency order. When loading in
        batches, the stages are emptied afterwards and their keys kept for the removal."""
        from psycopg import sql

        for name in list(self.buffers):
            self._flush(name)
        with self._timed("analyse staging"):
            # Statistics, no index: every statement on a stage joins all of it (hash joins).
            for name in [t.name for t in self.graph.tables] + [x.name for x in self.graph.links]:
                self.conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(f"stage_{name}")))
        for spec in self.graph.tables:
            with self._timed(f"write {spec.name}"):
                changes = self._upsert(spec)
                changes.changed += self._set_late_references(spec)
                self._changes(spec.name).added += changes.added
                self._changes(spec.name).changed += changes.changed
            with self._timed("claims"):
                self._want_claims(spec)
            for link in self.graph.links:
                if link.owner_table == spec.name:
                    with self._timed(f"write {link.name}"):
                        done = self._replace_links(link)
                        self._changes(link.name).added += done.added
                        self._changes(link.name).removed += done.removed
        if self.batch_rows is None:
            return
        with self._timed("keep staged keys"):
            for spec in self.graph.tables:
                stage = sql.Identifier(f"stage_{spec.name}")
                self.conn.execute(
                    sql.SQL("INSERT INTO {} SELECT {} FROM {}").format(
                        sql.Identifier(f"keys_{spec.name}"), sql.Identifier(spec.key), stage
                    )
                )
            names = [t.name for t in self.graph.tables] + [x.name for x in self.graph.links]
            self.conn.execute(
                sql.SQL("TRUNCATE {}").format(
                    sql.SQL(", ").join(sql.Identifier(f"stage_{n}") for n in [*names, "claim"])
                )
            )
        self._staged = 0

    def _staged_keys(self, spec: TableSpec) -> Any:
        """The table holding every key this load staged for `spec` (its stage, or the keys
        kept from each batch)."""
        from psycopg import sql

        if self.batch_rows is None:
            return sql.Identifier(f"stage_{spec.name}")
        return sql.Identifier(f"keys_{spec.name}")

    def _resolved_select(self, spec: TableSpec, where: Any) -> Any:
        """SELECT of the staged rows with every reference resolved to an id."""
        from psycopg import sql

        joins = []
        exprs = []
        for col in spec.early:
            if col in spec.refs:
                alias = sql.Identifier(f"j_{col}")
                target = spec.refs[col]
                joins.append(
                    sql.SQL("LEFT JOIN {t} {a} ON {a}.{k} = s.{c}").format(
                        t=sql.Identifier(target),
                        a=alias,
                        k=sql.Identifier(self.graph.key_of(target)),
                        c=sql.Identifier(col),
                    )
                )
                exprs.append(sql.SQL("{}.id AS {}").format(alias, sql.Identifier(col)))
            else:
                exprs.append(sql.SQL("s.{}").format(sql.Identifier(col)))
        return sql.SQL(
            "SELECT DISTINCT ON (s.{key}) s.{key}, {exprs}, "
            "CASE WHEN s._weak THEN NULL ELSE s.seed_file_id END AS seed_file_id "
            "FROM {stage} s {joins} WHERE {where} "
            "AND NOT (s._weak AND EXISTS (SELECT 1 FROM {target} x WHERE x.{key} = s.{key})) "
            "ORDER BY s.{key}, s._weak"
        ).format(
            key=sql.Identifier(spec.key),
            target=sql.Identifier(spec.name),
            exprs=sql.SQL(", ").join(exprs),
            stage=sql.Identifier(f"stage_{spec.name}"),
            joins=sql.SQL(" ").join(joins),
            where=where,
        )

    def _upsert(self, spec: TableSpec) -> Changes:
        from psycopg import sql

        changes = Changes()
        self._check_references(spec)
        if spec.parent is None:
            added, changed = self._upsert_ready(spec, sql.SQL("true"))
            return Changes(added, changed)
        # Parents defined in the same batch go first: write whatever is ready, in rounds.
        parent = sql.Identifier(spec.parent)
        key = sql.Identifier(spec.key)
        target = sql.Identifier(spec.name)
        stage = sql.Identifier(f"stage_{spec.name}")
        self.conn.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS _round integer").format(stage)
        )
        ready = sql.SQL(
            "s._round IS NULL AND (s.{p} IS NULL OR EXISTS "
            "(SELECT 1 FROM {t} x WHERE x.{k} = s.{p}))"
        ).format(p=parent, t=target, k=key)
        round_ = 0
        while True:
            round_ += 1
            marked = self.conn.execute(
                sql.SQL("UPDATE {st} s SET _round = %s WHERE {ready}").format(
                    st=stage, ready=ready
                ),
                (round_,),
            ).rowcount
            if marked == 0:
                break
            # The planner must see how many rows this round holds (else it guesses one, and
            # joins by nested loops).
            self.conn.execute(sql.SQL("ANALYZE {}").format(stage))
            added, changed = self._upsert_ready(
                spec, sql.SQL("s._round = {}").format(sql.Literal(round_))
            )
            changes.added += added
            changes.changed += changed
        left = self.conn.execute(
            sql.SQL("SELECT DISTINCT {k} FROM {st} WHERE _round IS NULL LIMIT 5").format(
                k=key, st=stage
            )
        ).fetchall()
        if changes.added + changes.changed > 1000:
            self.conn.execute(sql.SQL("ANALYZE {}").format(target))
        if not left:
            # Rows already in the table can close a cycle too (a loaded earlier with parent
            # b, now b with parent a). Only a row that was there before can be an ancestor
            # of another, so walk up from the staged rows the table held.
            left = self.conn.execute(
                sql.SQL(
                    "WITH RECURSIVE up (start, id, depth) AS ("
                    "SELECT t.id, t.{p}, 1 FROM {t} t JOIN {st} s ON s.{k} = t.{k} "
                    "WHERE s._held AND NOT s._weak AND t.{p} IS NOT NULL "
                    "UNION ALL SELECT up.start, t.{p}, up.depth + 1 FROM up "
                    "JOIN {t} t ON t.id = up.id "
                    "WHERE up.id <> up.start AND t.{p} IS NOT NULL AND up.depth < 1000) "
                    "SELECT DISTINCT t.{k} FROM up JOIN {t} t ON t.id = up.start "
                    "WHERE up.id = up.start LIMIT 5"
                ).format(p=parent, t=target, st=stage, k=key)
            ).fetchall()
        if left:
            names = ", ".join(repr(r[0]) for r in left)
            problems = [
                (
                    spec.name,
                    r[0],
                    f"{spec.name} {r[0]!r}: its parents lead back to it ({spec.name}s "
                    f"{names} form a cycle); a {spec.name} cannot be its own ancestor",
                )
                for r in left
            ]
            raise LoadError("\n".join(p for _, _, p in problems), problems)
        return changes

    def _check_references(self, spec: TableSpec) -> None:
        from psycopg import sql

        for col, target in spec.refs.items():
            if col == spec.parent or col in spec.late:
                continue
            missing = self.conn.execute(
                sql.SQL(
                    "SELECT s.{k}, s.{c} FROM {st} s WHERE s.{c} IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM {t} x WHERE x.{tk} = s.{c}) LIMIT 5"
                ).format(
                    k=sql.Identifier(spec.key),
                    c=sql.Identifier(col),
                    st=sql.Identifier(f"stage_{spec.name}"),
                    t=sql.Identifier(target),
                    tk=sql.Identifier(self.graph.key_of(target)),
                )
            ).fetchall()
            if missing:
                raise LoadError(
                    "\n".join(
                        f"{spec.name} {k!r}: {col} refers to {target} {ref!r}, which does not exist"
                        for k, ref in missing
                    )
                )

    def _upsert_ready(self, spec: TableSpec, where: Any) -> tuple[int, int]:
        """Write the staged rows matching `where`: (added, changed). Keys the table does not
        hold yet are inserted plainly; only the others go through the upsert, which compares
        their content and checks who else defines them."""
        from psycopg import sql

        target = sql.Identifier(spec.name)
        key = sql.Identifier(spec.key)
        stage = sql.Identifier(f"stage_{spec.name}")
        held = sql.SQL("EXISTS (SELECT 1 FROM {t} h WHERE h.{k} = s.{k})").format(t=target, k=key)
        any_held = self.conn.execute(
            sql.SQL("SELECT EXISTS (SELECT 1 FROM {st} s WHERE {w} AND {held})").format(
                st=stage, w=where, held=held
            )
        ).fetchone() == (True,)
        if not any_held:  # a first load: nothing to compare, nobody else defines these rows
            added = self._insert_new(spec, where)
            changed = 0
        else:
            # Which keys the table held before this statement, so that the rows inserted
            # next are not taken for held ones.
            self.conn.execute(
                sql.SQL("UPDATE {st} s SET _held = {held} WHERE {w}").format(
                    st=stage, held=held, w=where
                )
            )
            added = self._insert_new(spec, sql.SQL("{} AND NOT s._held").format(where))
            more, changed = self._upsert_held(spec, sql.SQL("{} AND s._held").format(where))
            added += more
        if added + changed > 1000:
            # Later statements join on this table; without fresh statistics the planner
            # takes the rows just written for an empty table and picks nested loops.
            self.conn.execute(sql.SQL("ANALYZE {}").format(target))
        return added, changed

    def _insert_new(self, spec: TableSpec, where: Any) -> int:
        """The fast path: a plain INSERT ... SELECT of rows whose keys are new."""
        from psycopg import sql

        cols = sql.SQL(", ").join(map(sql.Identifier, (spec.key, *spec.early, "seed_file_id")))
        return self.conn.execute(
            sql.SQL("INSERT INTO {t} ({cols}) SELECT {cols} FROM ({r}) r").format(
                t=sql.Identifier(spec.name), cols=cols, r=self._resolved_select(spec, where)
            )
        ).rowcount

    def _upsert_held(self, spec: TableSpec, where: Any) -> tuple[int, int]:
        """Upsert staged rows whose keys the table holds: (added, changed)."""
        from psycopg import sql

        resolved = sql.Identifier(f"resolved_{spec.name}")
        target = sql.Identifier(spec.name)
        key = sql.Identifier(spec.key)
        self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(resolved))
        self.conn.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS {}").format(
                resolved, self._resolved_select(spec, where)
            )
        )
        value_cols = [sql.Identifier(c) for c in spec.early]
        t_cols = sql.SQL(", ").join(sql.SQL("t.{}").format(c) for c in value_cols)
        r_cols = sql.SQL(", ").join(sql.SQL("r.{}").format(c) for c in value_cols)
        # Defined differently by a file this load does not write: its owner, or another
        # file that claims the row too.
        conflicts = self.conn.execute(
            sql.SQL(
                "SELECT r.{key}, coalesce(f.location, f.identity, 'rows written by hand') "
                "FROM {r} r JOIN {target} t ON t.{key} = r.{key} "
                "LEFT JOIN LATERAL (SELECT t.seed_file_id AS id "
                "WHERE NOT (t.seed_file_id IS NULL OR t.seed_file_id = ANY(%(free)s)) "
                "UNION ALL SELECT c.seed_file_id FROM seed_file_claim c "
                "WHERE c.table_name = %(table)s AND c.row_key = r.{key} "
                "AND NOT c.seed_file_id = ANY(%(free)s) LIMIT 1) other ON true "
                "LEFT JOIN seed_file f ON f.id = other.id "
                "WHERE (other.id IS NOT NULL OR NOT (t.seed_file_id IS NULL "
                "OR t.seed_file_id = ANY(%(free)s))) "
                "AND ROW({t_cols}) IS DISTINCT FROM ROW({r_cols}) LIMIT 20"
            ).format(key=key, r=resolved, target=target, t_cols=t_cols, r_cols=r_cols),
            {"free": self._free_owners, "table": spec.name},
        ).fetchall()
        if conflicts:
            problems = [
                (
                    spec.name,
                    k,
                    f"{spec.name} {k!r} is already defined differently by {path}; "
                    "edit that file, or load it together with this one",
                )
                for k, path in conflicts
            ]
            raise LoadError("\n".join(p for _, _, p in problems), problems)
        cols = sql.SQL(", ").join(map(sql.Identifier, (spec.key, *spec.early, "seed_file_id")))
        ex_cols = sql.SQL(", ").join(sql.SQL("excluded.{}").format(c) for c in value_cols)
        # A row whose owner is written by this load (or is adoptable, or none) passes to the
        # file that defines it now; a row another file owns keeps its owner.
        result = self.conn.execute(
            sql.SQL(
                "WITH written AS (INSERT INTO {target} AS t ({cols}) SELECT {cols} FROM {r} "
                "ON CONFLICT ({key}) DO UPDATE SET ({vcols}, seed_file_id) = ROW({ex_cols}, "
                "CASE WHEN excluded.seed_file_id IS NOT NULL AND (t.seed_file_id IS NULL "
                "OR t.seed_file_id = ANY(%(free)s)) "
                "THEN excluded.seed_file_id ELSE t.seed_file_id END) "
                "WHERE ROW({t_cols}) IS DISTINCT FROM ROW({ex_cols}) OR ("
                "excluded.seed_file_id IS NOT NULL AND (t.seed_file_id IS NULL "
                "OR t.seed_file_id = ANY(%(free)s)) "
                "AND t.seed_file_id IS DISTINCT FROM excluded.seed_file_id) "
                "RETURNING (xmax = 0) AS inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FROM written"
            ).format(
                target=target,
                cols=cols,
                r=resolved,
                key=key,
                vcols=sql.SQL(", ").join(value_cols),
                ex_cols=ex_cols,
                t_cols=t_cols,
            ),
            {"free": self._free_owners},
        ).fetchone()
        assert result is not None
        added, written = result
        return added, written - added

    def _replace_links(self, link: LinkSpec) -> Changes:
        from psycopg import sql

        owner_t = sql.Identifier(link.owner_table)
        owner_k = sql.Identifier(self.graph.key_of(link.owner_table))
        table = sql.Identifier(link.name)
        oc, ic = sql.Identifier(link.owner_column), sql.Identifier(link.item_column)
        stage_owner = sql.Identifier(f"stage_{link.owner_table}")
        stage_link = sql.Identifier(f"stage_{link.name}")
        if link.item_table:
            item_t = sql.Identifier(link.item_table)
            item_k = sql.Identifier(self.graph.key_of(link.item_table))
            wanted = sql.SQL(
                "SELECT DISTINCT o.id AS owner_id, i.id AS item FROM {sl} sl "
                "JOIN {ot} o ON o.{ok} = sl.owner JOIN {it} i ON i.{ik} = sl.item"
            ).format(sl=stage_link, ot=owner_t, ok=owner_k, it=item_t, ik=item_k)
        else:
            wanted = sql.SQL(
                "SELECT DISTINCT o.id AS owner_id, sl.item AS item FROM {sl} sl "
                "JOIN {ot} o ON o.{ok} = sl.owner"
            ).format(sl=stage_link, ot=owner_t, ok=owner_k)
        removed = self.conn.execute(
            sql.SQL(
                "DELETE FROM {t} l USING {ot} o WHERE l.{oc} = o.id "
                "AND o.{ok} IN (SELECT {ok} FROM {so}) "
                "AND NOT EXISTS (SELECT 1 FROM ({w}) w WHERE w.owner_id = l.{oc} "
                "AND w.item = l.{ic})"
            ).format(t=table, ot=owner_t, oc=oc, ok=owner_k, so=stage_owner, w=wanted, ic=ic)
        ).rowcount
        added = self.conn.execute(
            sql.SQL(
                "INSERT INTO {t} ({oc}, {ic}) SELECT owner_id, item FROM ({w}) w "
                "ON CONFLICT DO NOTHING"
            ).format(t=table, oc=oc, ic=ic, w=wanted)
        ).rowcount
        return Changes(added=max(added, 0), removed=max(removed, 0))

    def _set_late_references(self, spec: TableSpec) -> int:
        """Point the staged rows' references to rows of their own table (a report that
        supersedes another), once every row of the table is written; the rows changed."""
        from psycopg import sql

        if not spec.late:
            return 0
        target = sql.Identifier(spec.name)
        key = sql.Identifier(spec.key)
        stage = sql.Identifier(f"stage_{spec.name}")
        for col in spec.late:
            missing = self.conn.execute(
                sql.SQL(
                    "SELECT s.{k}, s.{c} FROM {st} s WHERE s.{c} IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM {t} x WHERE x.{k} = s.{c}) LIMIT 5"
                ).format(k=key, c=sql.Identifier(col), st=stage, t=target)
            ).fetchall()
            if missing:
                raise LoadError(
                    "\n".join(
                        f"{spec.name} {k!r}: {col} refers to {spec.name} {ref!r}, which does "
                        "not exist"
                        for k, ref in missing
                    )
                )
        late = [sql.Identifier(c) for c in spec.late]
        joins = sql.SQL(" ").join(
            sql.SQL("LEFT JOIN {t} {a} ON {a}.{k} = s.{c}").format(
                t=target, a=sql.Identifier(f"j_{c}"), k=key, c=sql.Identifier(c)
            )
            for c in spec.late
        )
        ids = sql.SQL(", ").join(
            sql.SQL("{}.id AS {}").format(sql.Identifier(f"j_{c}"), sql.Identifier(c))
            for c in spec.late
        )
        return self.conn.execute(
            sql.SQL(
                "UPDATE {t} t SET ({cols}) = ROW({r_cols}) FROM (SELECT s.{k} AS _key, {ids} "
                "FROM {st} s {joins} WHERE NOT s._weak) r WHERE t.{k} = r._key "
                "AND ROW({t_cols}) IS DISTINCT FROM ROW({r_cols})"
            ).format(
                t=target,
                cols=sql.SQL(", ").join(late),
                k=key,
                ids=ids,
                st=stage,
                joins=joins,
                t_cols=sql.SQL(", ").join(sql.SQL("t.{}").format(c) for c in late),
                r_cols=sql.SQL(", ").join(sql.SQL("r.{}").format(c) for c in late),
            )
        ).rowcount

    def _sync_claims(self) -> None:
        """The files' claims become what they define now; unchanged claims stay as they are."""
        ids = list(self.file_ids.values())
        self.conn.execute(
            "DELETE FROM seed_file_claim c WHERE c.seed_file_id = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM wanted_claim w WHERE (w.table_name, w.row_key, w.seed_file_id) "
            "= (c.table_name, c.row_key, c.seed_file_id))",
            (ids,),
        )
        self.conn.execute(
            "INSERT INTO seed_file_claim SELECT * FROM wanted_claim ON CONFLICT DO NOTHING"
        )

    def _want_claims(self, spec: TableSpec) -> None:
        """Record the files that define a staged row besides its owner: the other files of
        this load that define it, and this load's file where another file owns the row."""
        from psycopg import sql

        target = sql.Identifier(spec.name)
        key = sql.Identifier(spec.key)
        stage = sql.Identifier(f"stage_{spec.name}")
        self.conn.execute(
            sql.SQL(
                "INSERT INTO wanted_claim (table_name, row_key, seed_file_id) "
                "SELECT %(table)s, s.{k}, s.seed_file_id FROM {st} s JOIN {t} t ON t.{k} = s.{k} "
                "WHERE NOT s._weak AND t.seed_file_id IS DISTINCT FROM s.seed_file_id "
                "UNION SELECT c.table_name, c.row_key, c.seed_file_id FROM stage_claim c "
                "JOIN {t} t ON t.{k} = c.row_key "
                "WHERE c.table_name = %(table)s AND t.seed_file_id IS DISTINCT FROM c.seed_file_id"
            ).format(k=key, st=stage, t=target),
            {"table": spec.name},
        )

    def _refuse_dangling(self, spec: TableSpec, missing: Any) -> None:
        """Rows of other files that refer to rows about to go. A foreign key that cascades
        (another article's figures on this file's incident) would delete them silently, and
        one that sets NULL would unlink them: refuse instead, naming them. This load's own
        referring rows went already (children are removed first)."""
        from psycopg import sql

        ids = list(self.file_ids.values())
        found: list[str] = []
        for child in self.graph.tables:
            for col, parent in child.refs.items():
                if parent != spec.name or (child is spec and col == spec.parent):
                    continue
                hits = self.conn.execute(
                    sql.SQL(
                        "SELECT c.{ck}, coalesce(f.location, f.identity) FROM {c} c "
                        "JOIN {t} t ON t.id = c.{col} "
                        "LEFT JOIN seed_file f ON f.id = c.seed_file_id "
                        "WHERE t.{m} AND c.seed_file_id IS NOT NULL "
                        "AND NOT c.seed_file_id = ANY(%s) LIMIT 5"
                    ).format(
                        ck=sql.Identifier(child.key),
                        c=sql.Identifier(child.name),
                        t=sql.Identifier(spec.name),
                        col=sql.Identifier(col),
                        m=missing,
                    ),
                    (ids, ids),
                ).fetchall()
                found += [f"{child.name} {key!r} (from {where})" for key, where in hits]
        for link in self.graph.links:
            if link.item_table != spec.name:
                continue
            owner = self.graph.spec(link.owner_table)
            hits = self.conn.execute(
                sql.SQL(
                    "SELECT o.{ok}, coalesce(f.location, f.identity) FROM {l} l "
                    "JOIN {t} t ON t.id = l.{ic} JOIN {o} o ON o.id = l.{oc} "
                    "LEFT JOIN seed_file f ON f.id = o.seed_file_id "
                    "WHERE t.{m} AND o.seed_file_id IS NOT NULL "
                    "AND NOT o.seed_file_id = ANY(%s) LIMIT 5"
                ).format(
                    ok=sql.Identifier(owner.key),
                    l=sql.Identifier(link.name),
                    t=sql.Identifier(spec.name),
                    ic=sql.Identifier(link.item_column),
                    o=sql.Identifier(owner.name),
                    oc=sql.Identifier(link.owner_column),
                    m=missing,
                ),
                (ids, ids),
            ).fetchall()
            found += [f"{owner.name} {key!r} (from {where})" for key, where in hits]
        if found:
            doomed = self.conn.execute(
                sql.SQL("SELECT t.{k} FROM {t} t WHERE t.{m} ORDER BY 1 LIMIT 10").format(
                    t=sql.Identifier(spec.name), k=sql.Identifier(spec.key), m=missing
                ),
                (ids,),
            ).fetchall()
            names = ", ".join(repr(r[0]) for r in doomed)
            raise LoadError(
                f"cannot remove {spec.name.replace('_', ' ')} {names}: no file loaded defines "
                "it any more, but other files still refer to it or add to it: "
                + "; ".join(found[:10])
                + ". Withdraw or edit those files first, or keep defining it"
            )

    def _delete_missing(self, spec: TableSpec) -> int:
        """Rows this load's files owned and no longer define: passed to another file that
        still defines them (a claim), else deleted."""
        import psycopg
        from psycopg import sql

        ids = list(self.file_ids.values())
        target = sql.Identifier(spec.name)
        key = sql.Identifier(spec.key)
        stage = self._staged_keys(spec)
        if self.batch_rows is not None:
            self.conn.execute(sql.SQL("ANALYZE {}").format(stage))
        missing = sql.SQL(
            "seed_file_id = ANY(%s) AND NOT EXISTS (SELECT 1 FROM {st} s WHERE s.{k} = t.{k})"
        ).format(st=stage, k=key)
        self.conn.execute(
            sql.SQL(
                "UPDATE {t} t SET seed_file_id = c.seed_file_id FROM (SELECT DISTINCT ON (row_key) "
                "row_key, seed_file_id FROM seed_file_claim WHERE table_name = %s "
                "AND NOT seed_file_id = ANY(%s) ORDER BY row_key, seed_file_id) c "
                "WHERE t.{k} = c.row_key AND t.{m}"
            ).format(t=target, k=key, m=missing),
            (spec.name, ids, ids),
        )
        self.conn.execute(
            sql.SQL(
                "DELETE FROM seed_file_claim c USING {t} t WHERE c.table_name = %s "
                "AND c.row_key = t.{k} AND c.seed_file_id = t.seed_file_id"
            ).format(t=target, k=key),
            (spec.name,),
        )
        self._refuse_dangling(spec, missing)
        try:
            with self.conn.transaction():
                return self.conn.execute(
                    sql.SQL("DELETE FROM {t} t WHERE {m}").format(t=target, m=missing), (ids,)
                ).rowcount
        except (psycopg.errors.ForeignKeyViolation, psycopg.errors.RestrictViolation) as exc:
            referrer = exc.diag.table_name or "other rows"
            doomed = self.conn.execute(
                sql.SQL("SELECT t.{k} FROM {t} t WHERE {m} ORDER BY 1 LIMIT 10").format(
                    t=target, k=key, m=missing
                ),
                (ids,),
            ).fetchall()
            names = ", ".join(repr(r[0]) for r in doomed)
            raise LoadError(
                f"cannot remove {spec.name.replace('_', ' ')} {names}: no file loaded defines "
                f"it any more, but rows in {referrer} (from other files) still refer to "
                "it; remove those references first, or keep defining it"
            ) from None
