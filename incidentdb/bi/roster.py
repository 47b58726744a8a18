"""The reader roles already on the server: list-readers and drop-reader.

The roles create-reader made carry its comment (READER_COMMENT); roles are server-wide, so
the list covers every database of the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidentdb.bi.driver import driver_connection
from incidentdb.bi.privileges import REPORTING_SCHEMA, leaks
from incidentdb.bi.reader import READER_COMMENT, BiError, validate_role_name

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class ReaderInfo:
    """A reader role as list-readers shows it."""

    name: str
    can_login: bool
    reads_here: bool  # has USAGE on the reporting schema of this database
    statement_timeout: str | None
    idle_timeout: str | None
    sessions: int  # connections open now
    beyond_reading: list[str]  # what it can do here beyond reading the views; [] is right


def list_readers(connection: Connection) -> list[ReaderInfo]:
    """The roles create-reader made (on the whole server; roles are server-wide)."""
    conn = driver_connection(connection)
    rows = conn.execute(
        """
        SELECT r.rolname, r.rolcanlogin,
               has_schema_privilege(r.oid, %s, 'USAGE'),
               (SELECT array_to_string(s.setconfig, chr(10)) FROM pg_db_role_setting s
                WHERE s.setrole = r.oid AND s.setdatabase = 0),
               (SELECT count(*) FROM pg_stat_activity a WHERE a.usesysid = r.oid)
        FROM pg_roles r
        WHERE shobj_description(r.oid, 'pg_authid') = %s
        ORDER BY r.rolname
        """,
        (REPORTING_SCHEMA, READER_COMMENT),
    ).fetchall()
    readers = []
    for name, can_login, reads_here, config, sessions in rows:
        settings = dict(line.split("=", 1) for line in (config or "").splitlines() if "=" in line)
        readers.append(
            ReaderInfo(
                name=name,
                can_login=can_login,
                reads_here=reads_here,
                statement_timeout=settings.get("statement_timeout"),
                idle_timeout=settings.get("idle_in_transaction_session_timeout"),
                sessions=int(sessions),
                beyond_reading=leaks(conn, name),
            )
        )
    return readers


def drop_reader(connection: Connection, name: str) -> int:
    """Drop the reader role `name` (made by create-reader) and its grants; its open sessions
    are ended. The number of sessions ended. The caller owns the transaction.

    A role that has grants in other databases of the server cannot be dropped from here:
    BiError names them (run drop-reader in each first).
    """
    import psycopg
    from psycopg import sql

    validate_role_name(name)
    conn = driver_connection(connection)
    row = conn.execute(
        "SELECT shobj_description(oid, 'pg_authid'), oid FROM pg_roles WHERE rolname = %s",
        (name,),
    ).fetchone()
    if row is None:
        raise BiError(f"there is no role {name!r}; `incidentdb bi list-readers` lists the readers")
    if row[0] != READER_COMMENT:
        raise BiError(
            f"role {name!r} was not made by `incidentdb bi create-reader`; drop-reader drops "
            "readers only"
        )
    role = sql.Identifier(name)
    conn.execute(sql.SQL("DROP OWNED BY {}").format(role))  # its grants in this database
    try:
        with conn.transaction():
            conn.execute(sql.SQL("DROP ROLE {}").format(role))
    except psycopg.errors.DependentObjectsStillExist as exc:
        detail = " ".join((exc.diag.message_detail or "").split())
        raise BiError(
            f"role {name!r} still has rights in other databases of the server ({detail}); run "
            f"`incidentdb bi drop-reader {name}` on each of them first. Nothing was changed"
        ) from None
    # Ending another role's sessions needs superuser or pg_signal_backend; else they stay
    # open until they end (the role can no longer log in).
    ended = conn.execute(
        """
        SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE usesysid = %s
          AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
               OR pg_has_role('pg_signal_backend', 'MEMBER'))
        """,
        (row[1],),
    ).fetchone()
    return int(ended[0]) if ended else 0


def reader_privileges(connection: Connection, name: str) -> list[str]:
    """What the role can do beyond reading the reporting views; [] for a proper reader."""
    return leaks(driver_connection(connection), validate_role_name(name))
