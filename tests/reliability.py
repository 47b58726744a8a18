"""Helpers for the reliability tests: incidentdb as real processes, and what the database holds.

A `Cli` is `python -m incidentdb ...` in a process of its own, as a user or a cron job runs it,
with its output in files (no pipe to fill up) and its peak memory read from the kernel when it
ends. Each process sets PGAPPNAME, so its PostgreSQL backend can be told apart from the others
in pg_stat_activity and pg_locks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy.engine import make_url

from incidentdb.db.locks import LEDGER

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
WAITING = "Another load is running; waiting for it to finish..."

T = TypeVar("T")


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def cli_env(database_url: str | None = None, home: Path | None = None) -> dict[str, str]:
    """The environment of a CLI process: a server URL, or the embedded default in `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INCIDENTDB_", "PG"))}
    env["INCIDENTDB_DATABASE_URL"] = database_url or ""
    if home is not None:
        env["INCIDENTDB_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Finished:
    name: str
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    peak_memory: int  # peak resident memory in bytes (Linux; 0 where there is no /proc)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        return (
            f"{self.name}: incidentdb {' '.join(self.args)} -> exit {self.returncode}\n"
            f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
        )


class Cli:
    """`python -m incidentdb ARGS` running in a process of its own."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        name: str,
        env: dict[str, str],
        workdir: Path,
        cwd: Path = REPO,
    ) -> None:
        self.name = name
        self.args = tuple(str(a) for a in args)
        workdir.mkdir(parents=True, exist_ok=True)
        self._out = workdir / f"{name}.stdout"
        self._err = workdir / f"{name}.stderr"
        with self._out.open("wb") as out, self._err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "incidentdb", *self.args],
                env={**env, "PGAPPNAME": name},
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        self.result: Finished | None = None
        self._peak = 0
        self._sampler = threading.Thread(target=self._sample_memory, daemon=True)
        self._sampler.start()

    def _sample_memory(self, every: float = 0.02) -> None:
        """Track the process's peak memory while it runs: the kernel's high-water mark of its
        own address space (VmHWM), read once it runs incidentdb. (ru_maxrss from wait4 would
        count the test process's memory too: the child was forked from it before exec.)"""
        proc = Path(f"/proc/{self.pid}")
        while self.result is None:
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
                if cmdline[1:3] == [b"-m", b"incidentdb"]:
                    for line in (proc / "status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self._peak = max(self._peak, int(line.split()[1]) * 1024)
            except (OSError, ValueError, IndexError):
                if not proc.exists():
                    return
            time.sleep(every)

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.result is None and self._reap(block=False) is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no rollback on the client's side."""
        if self.result is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def finish(self, timeout: float = 300) -> Finished:
        deadline = time.monotonic() + timeout
        while self.result is None:
            if self._reap(block=False) is not None:
                break
            if time.monotonic() > deadline:
                self.kill()
                self._reap(block=True)
                assert self.result is not None
                raise AssertionError(f"timed out after {timeout:.0f} s\n{self.result}")
            time.sleep(0.02)
        assert self.result is not None
        return self.result

    def _reap(self, block: bool) -> Finished | None:
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return None
        code = os.waitstatus_to_exitcode(status)
        self.process.returncode = code
        self.result = Finished(
            self.name,
            self.args,
            code,
            self._out.read_text(encoding="utf-8", errors="replace"),
            self._err.read_text(encoding="utf-8", errors="replace"),
            self._peak,
        )
        return self.result


def run_cli(
    args: Sequence[str], *, name: str, env: dict[str, str], workdir: Path, timeout: float = 300
) -> Finished:
    return Cli(args, name=name, env=env, workdir=workdir).finish(timeout)


def wait_until(probe: Callable[[], T], what: str, timeout: float = 60, every: float = 0.02) -> T:
    """Poll `probe` until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# -- what the database shows ------------------------------------------------------------------


def lock_queue(conn: psycopg.Connection[Any]) -> dict[str, bool]:
    """Processes (by application name) holding (True) or awaiting (False) the writers' lock."""
    rows = conn.execute(
        """
        SELECT a.application_name, l.granted
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation' AND l.mode = 'ShareRowExclusiveLock'
          AND l.relation = to_regclass(%s)
        """,
        (LEDGER,),
    ).fetchall()
    return {name: granted for name, granted in rows}


def activity(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """The statements that the backends of the process `name` are running right now."""
    rows = conn.execute(
        "SELECT query FROM pg_stat_activity WHERE application_name = %s AND state = 'active' "
        "AND datname = current_database()",
        (name,),
    ).fetchall()
    return [r[0] for r in rows]


WRITES = ("COPY", "INSERT", "WITH WRITTEN", "UPDATE", "DELETE")


def writing(conn: psycopg.Connection[Any], name: str, statements: tuple[str, ...] = WRITES) -> bool:
    """True while the process `name` runs a statement that begins with one of `statements`:
    by default any that streams or writes rows."""
    return any(q.lstrip().upper().startswith(statements) for q in activity(conn, name))


def gone(conn: psycopg.Connection[Any], name: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
    ).fetchone()
    return row is not None and row[0] == 0


@dataclass
class LockWatch:
    """What a watcher saw of the writers' lock while processes ran."""

    waited: set[str] = field(default_factory=set)  # seen waiting for the lock
    held: set[str] = field(default_factory=set)  # seen holding it
    most_at_once: int = 0  # most processes in the lock's queue (holder and waiters) at once
    holder_with_waiters: list[tuple[str, frozenset[str]]] = field(default_factory=list)


@contextmanager
def watch_lock(url: str, every: float = 0.01) -> Iterator[LockWatch]:
    """Poll the lock queue in a thread of its own while the block runs."""
    seen = LockWatch()
    stop = threading.Event()
    failure: list[BaseException] = []

    def poll() -> None:
        try:
            with psycopg.connect(libpq(url), autocommit=True) as conn:
                while not stop.is_set():
                    queue = lock_queue(conn)
                    seen.waited |= {n for n, granted in queue.items() if not granted}
                    holders = {n for n, granted in queue.items() if granted}
                    seen.held |= holders
                    seen.most_at_once = max(seen.most_at_once, len(queue))
                    waiters = frozenset(n for n, granted in queue.items() if not granted)
                    for holder in holders:
                        if waiters and (holder, waiters) not in seen.holder_with_waiters:
                            seen.holder_with_waiters.append((holder, waiters))
                    time.sleep(every)
        except BaseException as exc:  # reported in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(10)
    if failure:
        raise failure[0]


def _relations(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in conn.execute(
            """
            SELECT n.nspname, c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version')
               OR (n.nspname = 'reporting' AND c.relkind = 'v')
            ORDER BY 1, 2
            """
        )
    ]


def _columns(conn: psycopg.Connection[Any], schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (schema, table),
        )
    ]


def _internal(column: str) -> bool:
    """Columns whose values depend on the order rows were written, not on the facts."""
    return column == "id" or column.endswith("_id") or column == "loaded_at"


def facts(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table and every reporting view, without internal ids and load times, sorted.

    Two databases with equal facts hold the same things, whatever order they were loaded in:
    the views join the ids back to slugs, so the relations between rows are compared too.
    """
    from psycopg import sql

    out: dict[str, list[tuple[Any, ...]]] = {}
    for schema, table in _relations(conn):
        cols = [c for c in _columns(conn, schema, table) if not _internal(c)]
        query = sql.SQL("SELECT {} FROM {}.{}").format(
            sql.SQL(", ").join(map(sql.Identifier, cols)) if cols else sql.SQL("1"),
            sql.Identifier(schema),
            sql.Identifier(table),
        )
        out[f"{schema}.{table}"] = sorted(conn.execute(query).fetchall(), key=repr)
    return out


def duplicates(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Tables holding the same row (ids aside) more than once, with how many extra copies."""
    from psycopg import sql

    found: dict[str, int] = {}
    for schema, table in _relations(conn):
        if schema != "public":
            continue
        cols = [c for c in _columns(conn, schema, table) if c not in ("id", "loaded_at")]
        row = conn.execute(
            sql.SQL(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {} GROUP BY {}) g"
            ).format(sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, cols)))
        ).fetchone()
        if row is not None and row[0]:
            found[table] = int(row[0])
    return found


def tables_present(conn: psycopg.Connection[Any]) -> set[str]:
    return {f"{s}.{t}" for s, t in _relations(conn)}


# -- the embedded server ----------------------------------------------------------------------


def postmasters(pgdata: Path) -> list[int]:
    """Pids of live postmasters on this data directory (backends are not counted)."""
    import psutil

    wanted = {str(pgdata), str(pgdata.resolve())}
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["status"] == psutil.STATUS_ZOMBIE or not cmdline:
            continue
        if Path(cmdline[0]).name != "postgres" or "-D" not in cmdline:
            continue
        if cmdline[cmdline.index("-D") + 1 :][:1] and cmdline[cmdline.index("-D") + 1] in wanted:
            found.append(proc.info["pid"])
    return found


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])
