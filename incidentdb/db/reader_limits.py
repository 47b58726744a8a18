"""The BI readers' time limits, enforced on their sessions while `db serve` serves.

`bi create-reader` marks its roles with READER_COMMENT and sets `statement_timeout` and
`idle_in_transaction_session_timeout` on them. Those are defaults a session may change
(`SET statement_timeout = 0`: PostgreSQL lets every role set them). The watchdog of
`db serve` makes them limits: about every second it cancels (`pg_cancel_backend`) a reader's
query that has run longer than the role's statement_timeout, and ends
(`pg_terminate_backend`) a reader's session idle in a transaction longer than the role's idle
timeout, whatever the session set. It acts a second after the limit (GRACE_MS), so that
PostgreSQL's own timer, when the session kept it, ends the query first with its own message.
The limits are read from pg_db_role_setting: the role's setting for the session's database if
it has one, else its setting for every database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from incidentdb.db.embedded import running_server, superuser_connection

if TYPE_CHECKING:
    import psycopg

# Marks the roles `bi create-reader` made: list-readers, drop-reader and this module find
# readers by it.
READER_COMMENT = "incidentdb BI reader: reads the reporting views only (bi create-reader)"
GRACE_MS = 1000.0
APPLICATION_NAME = "incidentdb db serve watchdog"

# PostgreSQL's units of time settings, in milliseconds; a bare number is milliseconds.
_UNIT_MS = {
    "us": 0.001,
    "ms": 1.0,
    "s": 1000.0,
    "min": 60_000.0,
    "h": 3_600_000.0,
    "d": 86_400_000.0,
}
_TIME = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(us|ms|s|min|h|d)?\s*$")

# The readers' sessions that are running a query or idle in a transaction, how long they have
# been so, and the readers' settings for their session's database and for every database.
_SESSIONS = """
    SELECT a.pid, r.rolname, a.state, a.query_start, a.state_change,
           extract(epoch FROM clock_timestamp() - a.query_start) * 1000,
           extract(epoch FROM clock_timestamp() - a.state_change) * 1000,
           here.setconfig, everywhere.setconfig
    FROM pg_stat_activity a
    JOIN pg_roles r ON r.oid = a.usesysid
    LEFT JOIN pg_db_role_setting here
           ON here.setrole = r.oid AND here.setdatabase = a.datid
    LEFT JOIN pg_db_role_setting everywhere
           ON everywhere.setrole = r.oid AND everywhere.setdatabase = 0
    WHERE shobj_description(r.oid, 'pg_authid') = %s
      AND a.backend_type = 'client backend'
      AND a.state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
"""
# Signal the session only if it is still in the same query (or the same idle spell).
_CANCEL = """
    SELECT pg_cancel_backend(pid) FROM pg_stat_activity
    WHERE pid = %s AND state = 'active' AND query_start = %s
"""
_TERMINATE = """
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE pid = %s AND state LIKE 'idle in transaction%%' AND state_change = %s
"""


def setting_ms(value: str | None) -> float | None:
    """A PostgreSQL time setting (500ms, 30s, 5min; a bare number is milliseconds) in
    milliseconds; None when unset, 0 (no limit) or not a time."""
    found = _TIME.match(value or "")
    if not found:
        return None
    ms = float(found.group(1)) * _UNIT_MS[found.group(2) or "ms"]
    return ms or None


def _settings(*configs: list[str] | None) -> dict[str, str]:
    """name -> value from setconfig arrays; later arrays win."""
    out: dict[str, str] = {}
    for config in configs:
        for item in config or []:
            name, _, value = item.partition("=")
            out[name] = value
    return out


@dataclass(frozen=True)
class Enforced:
    """A reader's query cancelled, or its session ended, for running over its limit."""

    pid: int
    role: str
    cancelled: bool  # False: the session idle in a transaction was ended
    elapsed_ms: float
    limit: str  # the role's setting, as stored

    def describe(self) -> str:
        seconds = f"{self.elapsed_ms / 1000:.1f} s"
        if self.cancelled:
            return (
                f"cancelled the query of reader {self.role} (process {self.pid}) after "
                f"{seconds}: its role's statement_timeout is {self.limit}"
            )
        return (
            f"ended the session of reader {self.role} (process {self.pid}), idle in a "
            f"transaction for {seconds}: its role's idle_in_transaction_session_timeout is "
            f"{self.limit}"
        )


def enforce_reader_limits(conn: psycopg.Connection[Any]) -> list[Enforced]:
    """Cancel the readers' queries over their role's statement_timeout and end their sessions
    idle in a transaction over its idle_in_transaction_session_timeout (each GRACE_MS after
    the limit); what was done. `conn` is in autocommit, as a role that may signal the readers'
    sessions (a superuser, or a member of pg_signal_backend)."""
    done = []
    for (
        pid,
        role,
        state,
        query_start,
        state_change,
        running,
        idle,
        here,
        everywhere,
    ) in conn.execute(_SESSIONS, (READER_COMMENT,)).fetchall():
        settings = _settings(everywhere, here)
        if state == "active":
            setting, elapsed, query, since = "statement_timeout", running, _CANCEL, query_start
        else:
            setting, elapsed = "idle_in_transaction_session_timeout", idle
            query, since = _TERMINATE, state_change
        limit = setting_ms(settings.get(setting))
        if limit is None or elapsed is None or float(elapsed) < limit + GRACE_MS:
            continue
        row = conn.execute(query, (pid, since)).fetchone()
        if row is not None and row[0]:
            done.append(Enforced(pid, role, state == "active", float(elapsed), settings[setting]))
    return done


class ReaderLimits:
    """Enforces the readers' limits on the embedded server in `home`, at most every `every`
    seconds, on one connection of its own (opened again after the server restarts). What it
    does, and a failure that is not the server being away, go to `log`."""

    def __init__(self, home: Path, log: TextIO, every: float = 1.0) -> None:
        self.home = home
        self.log = log
        self.every = every
        self._next = 0.0
        self._conn: psycopg.Connection[Any] | None = None
        self._failing = False

    def tick(self) -> None:
        """Enforce the limits if `every` seconds have passed since the last time."""
        import time

        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.every
        import psycopg

        try:
            conn = self._connection()
            if conn is None:
                return
            for enforced in enforce_reader_limits(conn):
                self._write(enforced.describe())
            self._failing = False
        except psycopg.OperationalError:
            self.close()  # the server restarting or stopping; try again next time
        except psycopg.Error as exc:
            self.close()
            if not self._failing:
                self._write(f"could not enforce the readers' limits: {exc}; trying again")
            self._failing = True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> psycopg.Connection[Any] | None:

        if self._conn is not None and not self._conn.closed:
            return self._conn
        server = running_server(self.home)
        if server is None:
            return None
        # The `postgres` database, not incidentdb: the watchdog never holds up its DROP.
        self._conn = superuser_connection(
            server,
            autocommit=True,
            connect_timeout=5,
            application_name=APPLICATION_NAME,
        )
        return self._conn

    def _write(self, message: str) -> None:
        print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {message}", file=self.log, flush=True)
