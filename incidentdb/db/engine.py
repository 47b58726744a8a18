"""Engines and connections, with unreachable servers turned into clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from incidentdb.db.settings import Settings, mask_password
from incidentdb.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the database in use, starting the embedded server if needed."""
    if settings.url is not None:
        return settings.url
    from incidentdb.db.embedded import ensure_server

    return ensure_server(settings.home)


def create_engine(url: str) -> Engine:
    import sqlalchemy

    return sqlalchemy.create_engine(url, pool_pre_ping=False, future=True)


def describe_host(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    port = parsed.port or parsed.query.get("port") or 5432
    if isinstance(port, tuple):
        port = port[0]
    return f"{host}:{port}" if not str(host).startswith("/") else str(host)


@contextmanager
def connect(engine: Engine, read_only: bool = False) -> Iterator[Connection]:
    """A connection in a transaction that commits on success and rolls back on error.

    `read_only`: the transaction is READ ONLY, so that PostgreSQL itself refuses any write
    (what reports and the data dictionary use)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    try:
        conn = engine.connect()
    except OperationalError as exc:
        raise unavailable(str(engine.url.render_as_string(hide_password=False)), exc) from exc
    with conn:
        with conn.begin():
            if read_only:
                conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn


def unavailable(url: str, exc: BaseException) -> DatabaseUnavailable:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    return DatabaseUnavailable(
        f"cannot connect to PostgreSQL at {describe_host(url)} ({mask_password(url)}): {first}. "
        "Check that the server is running and the URL in INCIDENTDB_DATABASE_URL or "
        "--database-url is right."
    )
