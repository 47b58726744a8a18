"""How a BI tool reaches the database as the reader: host, port, database, JDBC and libpq URLs."""

from __future__ import annotations

from dataclasses import dataclass

from incidentdb.bi.reader import REPORTING_SCHEMA


@dataclass(frozen=True)
class Login:
    """How a BI tool reaches the database as the reader."""

    host: str
    port: int
    database: str
    user: str
    schema: str
    local_socket: bool  # the URL names a Unix socket: the embedded server, not yet served
    tls: bool = False  # served with --tls: clients must use TLS

    @property
    def jdbc_url(self) -> str:
        url = f"jdbc:postgresql://{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")

    @property
    def libpq_url(self) -> str:
        url = f"postgresql://{self.user}@{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")


def login_details(url: str, user: str, tcp_host: str, tcp_port: int, tls: bool = False) -> Login:
    """The login for `user` on the database at `url`.

    A Unix-socket URL (the embedded server) is reached over TCP through `incidentdb db serve`,
    at tcp_host:tcp_port (with TLS if `tls`: `db serve --tls`).
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    query_host = parsed.query.get("host")
    host = parsed.host or (query_host if isinstance(query_host, str) else None) or "localhost"
    local_socket = host.startswith("/")
    port = parsed.port or 5432
    if local_socket:
        host, port = tcp_host, tcp_port
    return Login(
        host=host,
        port=port,
        database=parsed.database or "",
        user=user,
        schema=REPORTING_SCHEMA,
        local_socket=local_socket,
        tls=tls and local_socket,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
