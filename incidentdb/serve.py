"""Serving the embedded PostgreSQL over TCP, with password logins, for BI tools.

pgserver starts the embedded server on a Unix socket only. A BI tool needs a host and a port,
so `incidentdb db serve` restarts the server listening on HOST:PORT as well, after making sure
that every TCP login needs a password (SCRAM-SHA-256; the local socket stays trust, as
incidentdb itself uses it), and restarts it socket-only again when done.
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from incidentdb.embedded import (
    DATABASE_NAME,
    ensure_server,
    pgdata_path,
    restart_server,
    running_server,
)
from incidentdb.errors import IncidentdbError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5433
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

HBA_MARKER = "# incidentdb db serve: TCP logins need a password (SCRAM-SHA-256)."
HBA_RULES = (
    "host    all             all             127.0.0.1/32            scram-sha-256",
    "host    all             all             ::1/128                 scram-sha-256",
    "host    all             all             all                     scram-sha-256",
    "host    replication     all             all                     scram-sha-256",
)

# What listen_addresses accepts for one address: a host name, an IPv4 or IPv6 address, or *.
_HOST = re.compile(r"^(\*|[A-Za-z0-9][A-Za-z0-9.:-]*)$")


class ServeError(IncidentdbError):
    """The embedded server cannot be served over TCP as asked."""


@dataclass(frozen=True)
class Served:
    """Where the embedded database can be reached over TCP."""

    host: str
    port: int
    database: str

    def libpq_url(self, user: str) -> str:
        return f"postgresql://{user}@{_url_host(self.host)}:{self.port}/{self.database}"

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{_url_host(self.host)}:{self.port}/{self.database}"


def _url_host(host: str) -> str:
    if host == "*":
        return "localhost"
    return f"[{host}]" if ":" in host else host


def validate_host(host: str) -> str:
    if not _HOST.match(host):
        raise ServeError(
            f"{host!r} is not a host name or IP address to listen on (e.g. 127.0.0.1, ::1 or *)"
        )
    return host


def is_local(host: str) -> bool:
    """True when listening on `host` keeps the database to this machine."""
    return host in LOCAL_HOSTS


def require_password_logins(pgdata: Path) -> bool:
    """Make every TCP login to the server need a password; True if pg_hba.conf changed.

    The rules go ahead of initdb's `trust` lines for TCP, which they shadow (the first
    matching line wins). Takes effect at the next server start or reload.
    """
    path = pgdata / "pg_hba.conf"
    text = path.read_text()
    if HBA_MARKER in text:
        return False
    lines = text.splitlines(keepends=True)
    first_rule = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
        len(lines),
    )
    block = [HBA_MARKER + "\n", *(rule + "\n" for rule in HBA_RULES), "\n"]
    # Rewritten in place, so the file keeps its owner (the server's system user) and mode.
    path.write_text("".join(lines[:first_rule] + block + lines[first_rule:]))
    return True


def listening_on(home: Path) -> str | None:
    """The TCP address the embedded server listens on; None when socket-only or stopped."""
    try:
        lines = (pgdata_path(home) / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    address = lines[5].strip() if len(lines) > 5 else ""
    return address or None


def _check_port_free(host: str, port: int) -> None:
    try:
        addresses = socket.getaddrinfo(
            None if host == "*" else host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    for family, type_, proto, _, address in addresses:
        with socket.socket(family, type_, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise ServeError(
                        f"port {port} on {host} is in use; choose another with --port"
                    ) from exc
                # Other errors (no IPv6 on this machine, say) are PostgreSQL's to judge.


@contextmanager
def served(home: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Iterator[Served]:
    """The embedded server in `home`, listening on host:port with password logins, meanwhile.

    Starts the server if needed; afterwards it listens on its Unix socket only, as before.
    """
    validate_host(host)
    ensure_server(home)
    server = running_server(home)
    if server is None:
        raise ServeError(f"the embedded PostgreSQL in {pgdata_path(home)} is not running")
    already = listening_on(home)
    if already:
        raise ServeError(
            f"the embedded PostgreSQL in {home} already listens on {already}:{server.port}; "
            "stop the `incidentdb db serve` that serves it (or, if it was killed, run "
            "`incidentdb db stop`)"
        )
    _check_port_free(host, port)
    require_password_logins(pgdata_path(home))
    socket_only = ["-h", "", "-p", str(server.port), "-k", str(server.socket_dir)]
    try:
        restart_server(home, ["-h", host, "-p", str(port), "-k", str(server.socket_dir)])
    except IncidentdbError:
        restart_server(home, socket_only)
        raise
    try:
        yield Served(host=host, port=port, database=DATABASE_NAME)
    finally:
        if running_server(home) is not None:
            restart_server(home, socket_only)


def still_served(home: Path, served: Served) -> bool:
    """True while the embedded server still listens where `served` says."""
    server = running_server(home)
    return server is not None and server.port == served.port and listening_on(home) is not None
