"""The BI reader as a hostile user would use it, logged in over TCP with its password.

On the embedded default the login goes through `incidentdb db serve`; with
INCIDENTDB_TEST_DATABASE_URL it is a direct TCP connection to that server. Every write, DDL
statement, temporary table, large object, lock and endless query is refused, the database is
unchanged, and a reader holding a transaction open does not hold up a load.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy.engine import make_url

from incidentdb import bi
from incidentdb.db.locks import LOCK_KEY
from tests.conftest import REPO, TEST_URL_ENV, Invoker, _fresh_database
from tests.reliability import SEEDS, Cli, cli_env, libpq
from tests.snapshots import snapshot

PASSWORD = "correct horse battery staple"
STATEMENT_TIMEOUT = "1s"
IDLE_TIMEOUT = "2s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(home: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENTDB_")}
    env["INCIDENTDB_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "incidentdb", "db", "serve", "--port", str(port), *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_tcp(
    proc: subprocess.Popen[str], connect: Callable[[], psycopg.Connection[Any]]
) -> psycopg.Connection[Any]:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"db serve exited with {proc.returncode}: {out}{err}")
        try:
            return connect()
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop_serve(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """Stop `db serve` as Ctrl-C would (if it still runs); its output."""
    if proc.poll() is None:
        proc.terminate()
    try:
        return proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


@dataclass
class ReaderLogin:
    """Where the reader logs in over TCP, and the database's URL for incidentdb itself."""

    name: str
    host: str
    port: int
    database: str
    database_url: str | None  # None: the embedded default in `home`
    home: Path | None
    create_output: str

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.name,
            password=PASSWORD,
            dbname=kwargs.pop("dbname", self.database),
            connect_timeout=5,
            **kwargs,
        )

    def admin(self) -> psycopg.Connection[Any]:
        if self.database_url:
            return psycopg.connect(libpq(self.database_url), autocommit=True)
        from incidentdb.db.embedded import running_server

        server = running_server(self.home or Path())
        assert server is not None
        return psycopg.connect(
            host=str(server.socket_dir),
            port=server.port,
            user="postgres",
            dbname="incidentdb",
            autocommit=True,
        )

    def cli_env(self) -> dict[str, str]:
        return cli_env(self.database_url, self.home)


def _create_reader(
    invoker: Invoker,
    name: str,
    statement_timeout: str = STATEMENT_TIMEOUT,
    idle_timeout: str = IDLE_TIMEOUT,
) -> str:
    env = {**invoker.env, bi.READER_PASSWORD_ENV: PASSWORD}
    result = Invoker(invoker.database_url, env)(
        "bi",
        "create-reader",
        name,
        "--statement-timeout",
        statement_timeout,
        "--idle-timeout",
        idle_timeout,
    )
    assert result.exit_code == 0, result.output
    return result.output


@contextmanager
def served_reader(
    prefix: str,
    seeds: bool = True,
    statement_timeout: str = STATEMENT_TIMEOUT,
    idle_timeout: str = IDLE_TIMEOUT,
) -> Iterator[ReaderLogin]:
    """A migrated embedded database in a temporary INCIDENTDB_HOME (with the seeds loaded),
    a reader `bi_reader` on it, served by `db serve` on a free port while the block runs."""
    home = Path(tempfile.mkdtemp(prefix=prefix)) / "home"
    run = Invoker(None, {"INCIDENTDB_HOME": str(home), "INCIDENTDB_DATABASE_URL": ""})
    try:
        assert run("db", "upgrade").exit_code == 0
        if seeds:
            assert run("seed", "load", str(SEEDS)).exit_code == 0
        name = "bi_reader"  # this server belongs to the caller alone
        output = _create_reader(run, name, statement_timeout, idle_timeout)
        port = free_port()
        proc = start_serve(home, port)
        reader = ReaderLogin(name, "127.0.0.1", port, "incidentdb", None, home, output)
        try:
            wait_for_tcp(proc, reader.connect).close()
            yield reader
        finally:
            stop_serve(proc)
    finally:
        from incidentdb.db.embedded import stop_server

        stop_server(home)
        shutil.rmtree(home.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def login(request: pytest.FixtureRequest) -> Iterator[ReaderLogin]:
    if os.environ.get(TEST_URL_ENV):
        test_server = request.getfixturevalue("test_server")
        template = request.getfixturevalue("template_db")
        for url in _fresh_database(test_server, template):
            run = Invoker(url, {})
            assert run("seed", "load", str(SEEDS)).exit_code == 0
            name = f"reader_{uuid.uuid4().hex[:12]}"
            output = _create_reader(run, name)
            parsed = make_url(url)
            try:
                yield ReaderLogin(
                    name,
                    parsed.host or "127.0.0.1",
                    parsed.port or 5432,
                    parsed.database or "",
                    url,
                    None,
                    output,
                )
            finally:
                with psycopg.connect(libpq(url), autocommit=True) as conn:
                    role = sql.Identifier(name)
                    conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
                    conn.execute(sql.SQL("DROP ROLE {}").format(role))
        return
    with served_reader("incidentdb-reader-") as reader:
        yield reader


@pytest.fixture
def unchanged(login: ReaderLogin) -> Iterator[psycopg.Connection[Any]]:
    """The reader's TCP connection; afterwards the database must be as it was."""
    with login.admin() as admin:
        before = snapshot(admin)
        large_objects = admin.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone()
        with login.connect(autocommit=True) as conn:
            yield conn
        assert snapshot(admin) == before
        assert (
            admin.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone()
            == large_objects
        )


REFUSED = {
    # writes, to core tables and to the views
    "insert": "INSERT INTO incident_type (code, label, description, sort_order) "
    "VALUES ('x', 'x', 'x', 99)",
    "update": "UPDATE incident SET title = 'changed'",
    "delete": "DELETE FROM casualty_report",
    "truncate": "TRUNCATE seed_file",
    "insert-view": "INSERT INTO reporting.incidents (incident_slug) VALUES ('x')",
    "update-view": "UPDATE reporting.incidents SET title = 'changed'",
    "read-core": "SELECT * FROM source",
    "sequence": "SELECT nextval('incident_id_seq')",
    "copy-from": "COPY incident_type FROM STDIN",
    # DDL
    "create-table": "CREATE TABLE public.scratch (i integer)",
    "create-view": "CREATE VIEW reporting.scratch AS SELECT 1 AS one",
    "create-function": "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "create-schema": "CREATE SCHEMA scratch",
    "drop-view": "DROP VIEW reporting.incidents",
    "alter-view": "ALTER VIEW reporting.sources RENAME TO gone",
    "comment": "COMMENT ON VIEW reporting.incidents IS 'mine now'",
    # temporary tables
    "temp-table": "CREATE TEMP TABLE scratch (i integer)",
    "temp-table-as": "CREATE TEMPORARY TABLE scratch AS SELECT * FROM reporting.incidents",
    # large objects, which would outlive the session
    "lo_from_bytea": "SELECT lo_from_bytea(0, 'x'::bytea)",
    "lo_create": "SELECT lo_create(0)",
    "lo_creat": "SELECT lo_creat(-1)",
    "lo_import": "SELECT lo_import('/etc/hostname')",
    # the writers' locks, and locks that would hold writers up
    "advisory-lock": f"SELECT pg_advisory_lock({LOCK_KEY})",
    "advisory-xact-lock": f"SELECT pg_advisory_xact_lock({LOCK_KEY})",
    "try-advisory-lock": f"SELECT pg_try_advisory_lock({LOCK_KEY})",
    "advisory-shared": f"SELECT pg_advisory_lock_shared({LOCK_KEY})",
    "lock-ledger": "LOCK TABLE public.seed_file IN SHARE ROW EXCLUSIVE MODE",
    "lock-ledger-share": "LOCK TABLE public.seed_file IN ACCESS SHARE MODE",
    "lock-view-exclusive": "LOCK TABLE reporting.incidents IN ACCESS EXCLUSIVE MODE",
    "lock-view-share-row": "LOCK TABLE reporting.incidents IN SHARE ROW EXCLUSIVE MODE",
    "select-for-update": "SELECT * FROM reporting.incidents FOR UPDATE",
    "select-for-share": "SELECT * FROM reporting.incidents FOR KEY SHARE",
}


@pytest.mark.parametrize("statement", list(REFUSED.values()), ids=list(REFUSED))
def test_the_reader_is_refused(
    statement: str, unchanged: psycopg.Connection[Any], record_property: Any
) -> None:
    # A write to a view that joins tables is refused before privileges are looked at.
    expected = (
        (errors.InsufficientPrivilege, errors.ObjectNotInPrerequisiteState)
        if "reporting.incidents (" in statement or "UPDATE reporting." in statement
        else errors.InsufficientPrivilege
    )
    with pytest.raises(expected), unchanged.transaction():
        unchanged.execute(statement)
    record_property("bad_inputs", 1)


def test_the_reader_reads_the_views(unchanged: psycopg.Connection[Any]) -> None:
    rows = unchanged.execute("SELECT incident_slug FROM reporting.incidents").fetchall()
    assert rows == [("2022-kazakhstan-unrest",)]


def test_a_long_query_is_cancelled(
    login: ReaderLogin, unchanged: psycopg.Connection[Any], record_property: Any
) -> None:
    assert unchanged.execute("SHOW statement_timeout").fetchone() == (STATEMENT_TIMEOUT,)
    started = time.monotonic()
    with pytest.raises(errors.QueryCanceled, match="statement timeout"):
        unchanged.execute("SELECT pg_sleep(30)")
    assert time.monotonic() - started < 10
    record_property("bad_inputs", 1)


def test_a_session_idle_in_a_transaction_is_ended(login: ReaderLogin, record_property: Any) -> None:
    with login.connect() as conn:  # not autocommit: the first query opens a transaction
        conn.execute("SELECT count(*) FROM reporting.incidents").fetchone()
        time.sleep(4)
        with pytest.raises((psycopg.OperationalError, errors.IdleInTransactionSessionTimeout)):
            conn.execute("SELECT 1").fetchone()
    record_property("bad_inputs", 1)


def test_a_reader_in_a_transaction_does_not_hold_up_a_load(
    login: ReaderLogin, tmp_path: Path
) -> None:
    """The reader reads every view in an open transaction (the locks a reader can hold);
    a seed load, which takes the writers' lock, finishes meanwhile."""
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    registry = folder / "registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("name: Russia", "name: Russia (edited)", 1),
        encoding="utf-8",
    )
    with login.connect() as reader:
        for view in ("incidents", "casualty_reports", "organisations", "sources"):
            reader.execute(f"SELECT * FROM reporting.{view}").fetchall()
        started = time.monotonic()
        load = Cli(
            ["seed", "load", folder],
            name="load-beside-reader",
            env=login.cli_env(),
            workdir=tmp_path,
        )
        # The transaction stays open, and busy: idle in it past the role's idle timeout, the
        # session would be ended (a test of its own) and its locks with it.
        while load.running() and time.monotonic() - started < 60:
            reader.execute("SELECT 1").fetchone()
            time.sleep(0.2)
        result = load.finish(timeout=5)
        elapsed = time.monotonic() - started
        reader.rollback()
    assert result.returncode == 0, result
    assert "waiting" not in result.stderr, result
    assert elapsed < 30


def test_connect_to_other_databases(login: ReaderLogin, record_property: Any) -> None:
    """Served by incidentdb: TCP logins reach database incidentdb only. On a server
    incidentdb does not manage, create-reader says what the administrator must do."""
    if login.home is None:
        assert "Warning:" in login.create_output
        assert f"'host all {login.name} all reject'" in login.create_output
        return
    assert "logins reach database 'incidentdb' only" in login.create_output
    for database in ("postgres", "template1"):
        with pytest.raises(psycopg.OperationalError, match="pg_hba.conf rejects"):
            login.connect(dbname=database).close()
    record_property("bad_inputs", 2)


def test_list_and_drop_readers(run: Invoker, db: psycopg.Connection[Any]) -> None:
    name = f"reader_{uuid.uuid4().hex[:12]}"
    _create_reader(run, name)
    try:
        listed = run("bi", "list-readers", "--format", "json")
        assert listed.exit_code == 0, listed.output
        import json

        mine = [r for r in json.loads(listed.output) if r["name"] == name]
        assert mine == [
            {
                "name": name,
                "can_login": True,
                "reads_here": True,
                "statement_timeout": STATEMENT_TIMEOUT,
                "idle_timeout": IDLE_TIMEOUT,
                "sessions": 0,
                "beyond_reading": [],
            }
        ]
        table = run("bi", "list-readers")
        assert name in table.output and "none" in table.output
        # A role that create-reader did not make is not dropped.
        other = f"other_{uuid.uuid4().hex[:12]}"
        db.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(other)))
        try:
            refused = run("bi", "drop-reader", other)
            assert refused.exit_code == 1
            assert "was not made by `incidentdb bi create-reader`" in refused.output
        finally:
            db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(other)))
        dropped = run("bi", "drop-reader", name)
        assert dropped.exit_code == 0, dropped.output
        assert f"Dropped the reader {name!r}" in dropped.output
        assert db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None
        missing = run("bi", "drop-reader", name)
        assert missing.exit_code == 1 and "there is no role" in missing.output
    finally:
        if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.mark.parametrize(
    ("option", "value", "setting"),
    [
        ("--statement-timeout", "0", "statement_timeout"),
        ("--statement-timeout", "forever", "statement_timeout"),
        ("--idle-timeout", "-1s", "idle_in_transaction_session_timeout"),
    ],
)
def test_a_bad_timeout_is_a_usage_error(
    run: Invoker, option: str, value: str, setting: str
) -> None:
    env = {bi.READER_PASSWORD_ENV: PASSWORD}
    result = Invoker(run.database_url, env)("bi", "create-reader", "never_made", option, value)
    assert result.exit_code == 2, result.output
    assert f"{setting}: expected a duration" in result.output


def test_public_loses_temp_in_this_database_only(run: Invoker, db: psycopg.Connection[Any]) -> None:
    """TEMP is taken from PUBLIC in the reader's database alone; the server's other
    databases keep PostgreSQL's defaults."""
    name = f"reader_{uuid.uuid4().hex[:12]}"
    _create_reader(run, name)
    database = db.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    try:
        assert db.execute(
            "SELECT has_database_privilege(%s, %s, 'TEMP'), "
            "has_database_privilege(%s, 'postgres', 'TEMP')",
            (name, database, name),
        ).fetchone() == (False, True)
        assert db.execute(
            "SELECT has_function_privilege(%s, 'lo_from_bytea(oid, bytea)', 'EXECUTE')", (name,)
        ).fetchone() == (False,)
    finally:
        db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


# -- the writers' lock ------------------------------------------------------------------------


def _writer(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(libpq(url))


def test_writers_queue_on_the_ledger_lock(database_url: str) -> None:
    """The second writer says it waits (once), then gets the lock when the first commits."""
    import threading

    from incidentdb.db.locks import acquire_writer_lock, writer_holding

    with _writer(database_url) as first, _writer(database_url) as second:
        acquire_writer_lock(first, None)
        assert first.info.backend_pid in writer_holding(first)
        waited: list[bool] = []
        done = threading.Event()

        def take() -> None:
            acquire_writer_lock(second, lambda: waited.append(True))
            done.set()

        thread = threading.Thread(target=take)
        thread.start()
        time.sleep(0.5)
        assert waited == [True] and not done.is_set()
        first.commit()
        assert done.wait(10)
        thread.join()
        assert second.info.backend_pid in writer_holding(first)
        second.rollback()
        assert writer_holding(first) == []


def test_before_the_first_migration_writers_take_the_advisory_lock(
    empty_database_url: str,
) -> None:
    from incidentdb.db.locks import acquire_writer_lock

    with _writer(empty_database_url) as first, _writer(empty_database_url) as probe:
        acquire_writer_lock(first, None)
        taken = probe.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)).fetchone()
        assert taken == (False,)
        first.rollback()
        taken = probe.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)).fetchone()
        assert taken == (True,)


def test_the_writers_lock_needs_a_transaction(database_url: str) -> None:
    from incidentdb.db.locks import acquire_writer_lock

    with psycopg.connect(libpq(database_url), autocommit=True) as conn:
        with pytest.raises(ValueError, match="autocommit"):
            acquire_writer_lock(conn, None)
