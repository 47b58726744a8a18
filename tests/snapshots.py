"""Whole-database snapshots, to show that a refused load left everything exactly as it was."""

from __future__ import annotations

from typing import Any

import psycopg


def snapshot(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in public (with its xmin, so rewrites show), sorted."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        rows = conn.execute(f'SELECT xmin::text, t.* FROM "{table}" t').fetchall()
        out[table] = sorted(rows, key=repr)
    return out


def row_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot(conn).items()}
