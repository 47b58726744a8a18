"""The late half of writing a table: its link tables (many-to-many) replaced for the rows
staged, and references set after every row is in (a row's parent of the same table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidentdb.write.results import Changes, LoadError
from incidentdb.write.tables import LinkSpec, TableGraph, TableSpec

if TYPE_CHECKING:
    import psycopg


class LateSteps:
    """Steps of BulkLoader after a table's upsert; BulkLoader sets these attributes."""

    conn: psycopg.Connection[Any]
    graph: TableGraph

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
