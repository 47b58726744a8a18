"""The removal half of a write: claims of co-defining files, and rows the loaded files no
longer define (handed to a file that still defines them, else deleted, children first),
refused where another file still refers to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidentdb.write.results import Changes, LoadError
from incidentdb.write.tables import TableGraph, TableSpec

if TYPE_CHECKING:
    import psycopg


class Removal:
    """Steps of BulkLoader that remove rows; BulkLoader sets these attributes."""

    conn: psycopg.Connection[Any]
    file_ids: dict[str, int]
    graph: TableGraph
    batch_rows: int | None
    tables: dict[str, Changes]  # the changes per table so far

    def _staged_keys(self, spec: TableSpec) -> Any:
        """The table holding every key this load staged for `spec` (its stage, or the keys
        kept from each batch)."""
        from psycopg import sql

        if self.batch_rows is None:
            return sql.Identifier(f"stage_{spec.name}")
        return sql.Identifier(f"keys_{spec.name}")

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
                # The rows' own links would go by cascade, uncounted: they go first, counted.
                for link in self.graph.links:
                    if link.owner_table == spec.name:
                        self.tables.setdefault(link.name, Changes()).removed += self.conn.execute(
                            sql.SQL(
                                "DELETE FROM {l} WHERE {oc} IN (SELECT t.id FROM {t} t WHERE {m})"
                            ).format(
                                l=sql.Identifier(link.name),
                                oc=sql.Identifier(link.owner_column),
                                t=target,
                                m=missing,
                            ),
                            (ids,),
                        ).rowcount
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
