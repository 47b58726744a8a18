"""The writers' lock: one writer of incidentdb data at a time (loads, imports, migrations).

Writers lock the ledger table, `public.seed_file`, in SHARE ROW EXCLUSIVE mode for the rest
of their transaction. That mode conflicts with itself, so writers queue; it does not conflict
with the ACCESS SHARE lock that reading takes, so `seed list` and reports never wait. Taking it
needs UPDATE, DELETE or TRUNCATE on the table, which a BI reader (`bi create-reader`) does not
have: a reader cannot hold the writers up. (An advisory lock, which every role can take, could.)

Before the first migration the ledger does not exist yet: the writer (a `db upgrade` on an
empty database) takes the advisory lock LOCK_KEY instead, and the ledger's lock as well if
another migration created the table meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Connection

LOCK_KEY = 0x1D_B5EED  # the advisory lock of writers before the ledger exists
LEDGER = "public.seed_file"
_LOCK = f"LOCK TABLE {LEDGER} IN SHARE ROW EXCLUSIVE MODE"


def acquire_writer_lock(conn: psycopg.Connection[Any], on_wait: Callable[[], None] | None) -> None:
    """Take the writers' lock for the rest of this transaction, waiting for other writers.

    Calls on_wait once, before waiting, if another writer holds the lock. The connection must
    not be in autocommit mode (the lock would end with the statement).
    """
    import psycopg

    if conn.autocommit:
        raise ValueError("the writers' lock needs a transaction; the connection is in autocommit")
    if not _ledger_exists(conn):
        _advisory(conn, on_wait)
        if _ledger_exists(conn):  # created by the writer we waited for
            conn.execute(_LOCK)
        return
    try:
        with conn.transaction():  # a savepoint: the failed NOWAIT must not end the transaction
            conn.execute(_LOCK + " NOWAIT")
        return
    except psycopg.errors.LockNotAvailable:
        pass
    if on_wait is not None:
        on_wait()
    conn.execute(_LOCK)


def acquire_writer_lock_sa(connection: Connection, on_wait: Callable[[], None] | None) -> None:
    """acquire_writer_lock on a SQLAlchemy connection, in its transaction."""
    import psycopg
    from sqlalchemy import text

    connection.execute(text("SELECT 1"))  # begins SQLAlchemy's transaction if none is open
    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise TypeError(f"incidentdb needs a psycopg 3 connection, got {type(raw).__name__}")
    acquire_writer_lock(raw, on_wait)


def _ledger_exists(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (LEDGER,)).fetchone()
    return bool(row and row[0])


def _advisory(conn: psycopg.Connection[Any], on_wait: Callable[[], None] | None) -> None:
    got = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)).fetchone()
    if got is not None and got[0]:
        return
    if on_wait is not None:
        on_wait()
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))


def writer_holding(conn: psycopg.Connection[Any]) -> list[int]:
    """The backend pids holding the writers' lock now (for tests and diagnostics)."""
    rows = conn.execute(
        """
        SELECT l.pid FROM pg_locks l
        WHERE l.granted AND l.locktype = 'relation' AND l.mode = 'ShareRowExclusiveLock'
          AND l.relation = to_regclass(%s)
        ORDER BY 1
        """,
        (LEDGER,),
    ).fetchall()
    return [r[0] for r in rows]
