"""The psycopg connection under a SQLAlchemy one, and a one-value query on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Connection


def driver_connection(connection: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under a SQLAlchemy one, in the same transaction."""
    import psycopg

    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise TypeError(f"incidentdb needs a psycopg 3 connection, got {type(raw).__name__}")
    return raw


def scalar(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the query's first row; None without a row."""
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]
