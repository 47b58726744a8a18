"""One write transaction, as seed loads, withdrawals and imports all run it: connect, check
that the schema is at head, take the writers' lock, hand the connection over; then commit,
or roll back for a dry run or on any error. A row the database refuses becomes a LoadError
that says which constraint, so no traceback reaches the user. Garbage is collected less
often while it runs (write/gc_tuning.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from incidentdb.write.bulk import LoadError
from incidentdb.write.gc_tuning import fewer_collections

if TYPE_CHECKING:
    import psycopg


@contextmanager
def writing(
    url: str,
    on_wait: Callable[[], None] | None = None,
    dry_run: bool = False,
    where: str = "",
) -> Iterator[psycopg.Connection[Any]]:
    """A connection holding the writers' lock, in a transaction that is committed when the
    block ends normally (rolled back for `dry_run`) and rolled back when it raises.
    `where` (a file name) starts the message of a refusal by the database."""
    import psycopg

    from incidentdb.db.locks import acquire_writer_lock
    from incidentdb.db.settings import libpq_url

    with fewer_collections(), psycopg.connect(libpq_url(url)) as conn:
        require_schema(conn)
        acquire_writer_lock(conn, on_wait)
        try:
            yield conn
        except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
            conn.rollback()
            prefix = f"{where}: " if where else ""
            raise LoadError(
                f"{prefix}the database refused the data: {exc.diag.message_primary}"
                f" ({exc.diag.constraint_name or exc.sqlstate})"
            ) from None
        except BaseException:
            conn.rollback()
            raise
        if dry_run:
            conn.rollback()
        else:
            conn.commit()


def require_schema(conn: psycopg.Connection[Any]) -> None:
    """SchemaError unless the database is migrated to this version's head revision."""
    import psycopg

    from incidentdb.db.migrations import head_revision
    from incidentdb.errors import UPGRADE_HINT, SchemaError

    try:
        with conn.transaction():
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.errors.UndefinedTable:
        row = None
    head = head_revision()
    if row is None or row[0] != head:
        raise SchemaError(
            f"the database schema is at {row[0] if row else 'no revision (empty database)'}, "
            f"not {head}; {UPGRADE_HINT}"
        )
