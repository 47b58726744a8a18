"""Temporary staging tables: one per table and link table of the graph, holding references
as keys (slugs) until the write resolves them to ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidentdb.write.tables import TableGraph

if TYPE_CHECKING:
    import psycopg


def create_stages(conn: psycopg.Connection[Any], tables: TableGraph, batched: bool) -> None:
    """The stages, dropped at commit; with `batched`, also a table per stage keeping the keys
    of the batches already written (for the removal at the end)."""
    from psycopg import sql

    for spec in tables.tables:
        stage = sql.Identifier(f"stage_{spec.name}")
        cols = sql.SQL(", ").join(map(sql.Identifier, (spec.key, *spec.columns, "seed_file_id")))
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
        conn.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                stage, cols, sql.Identifier(spec.name)
            )
        )
        for col in spec.refs:
            conn.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE text").format(
                    stage, sql.Identifier(col)
                )
            )
        conn.execute(
            sql.SQL(
                "ALTER TABLE {} ADD COLUMN _weak boolean NOT NULL, "
                "ADD COLUMN _held boolean NOT NULL DEFAULT false"
            ).format(stage)
        )
    conn.execute("DROP TABLE IF EXISTS wanted_claim")
    conn.execute("CREATE TEMP TABLE wanted_claim (LIKE seed_file_claim) ON COMMIT DROP")
    if batched:
        for spec in tables.tables:
            keys = sql.Identifier(f"keys_{spec.name}")
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(keys))
            conn.execute(
                sql.SQL("CREATE TEMP TABLE {} ({} text NOT NULL) ON COMMIT DROP").format(
                    keys, sql.Identifier(spec.key)
                )
            )
    conn.execute("DROP TABLE IF EXISTS stage_claim")
    conn.execute(
        "CREATE TEMP TABLE stage_claim (table_name text NOT NULL, row_key text NOT NULL, "
        "seed_file_id integer NOT NULL) ON COMMIT DROP"
    )
    for link in tables.links:
        stage = sql.Identifier(f"stage_{link.name}")
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
        conn.execute(
            sql.SQL(
                "CREATE TEMP TABLE {} (owner text NOT NULL, item text NOT NULL) ON COMMIT DROP"
            ).format(stage)
        )
