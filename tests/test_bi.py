"""`incidentdb bi ...` and `db serve`: the read-only login, the dictionary, TCP access."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy.engine import make_url

from incidentdb import bi
from incidentdb import views as view_files
from incidentdb.db import hba as pg_hba
from incidentdb.db import serve
from incidentdb.db.embedded import running_server
from incidentdb.db.engine import create_engine
from tests.conftest import REPO, Invoker
from tests.test_reporting_views import VIEWS

PASSWORD = "correct horse battery staple"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def reader(db: psycopg.Connection) -> Iterator[str]:
    """A role name unique to this test (roles are cluster-wide), dropped afterwards."""
    name = f"reader_{uuid.uuid4().hex[:12]}"
    yield name
    role = sql.Identifier(name)
    exists = db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if exists:
        db.execute(sql.SQL("DROP OWNED BY {}").format(role))
        db.execute(sql.SQL("DROP ROLE {}").format(role))


def _create(run: Invoker, name: str, password: str = PASSWORD) -> str:
    env = {**run.env, bi.READER_PASSWORD_ENV: password}
    result = Invoker(run.database_url, env)("bi", "create-reader", name)
    assert result.exit_code == 0, result.output
    return result.output


def _as(db: psycopg.Connection, role: str, statement: str) -> None:
    with db.transaction(force_rollback=True):
        db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        db.execute(statement)


def test_create_reader_prints_the_login_but_not_the_password(
    run: Invoker, reader: str, database_url: str
) -> None:
    output = _create(run, reader)
    assert PASSWORD not in output
    url = make_url(database_url)
    assert f"Created the read-only login {reader!r}" in output
    assert f"user:     {reader}\n" in output
    assert f"database: {url.database}\n" in output
    assert "schema:   reporting\n" in output
    assert "password: (the one you set; not shown)" in output
    if url.host:  # a server URL; the embedded default is reached through `db serve`
        assert f"host:     {url.host}\n" in output
        assert f"JDBC URL: jdbc:postgresql://{url.host}:{url.port or 5432}/{url.database}" in output
    else:
        assert "host:     127.0.0.1\nport:     5433\n" in output
        assert "incidentdb db serve" in output


def test_bi_url_prints_the_login_of_an_existing_reader(
    run: Invoker, reader: str, database_url: str
) -> None:
    created = _create(run, reader)
    shown = run("bi", "url", reader)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout in created  # the same lines create-reader printed
    login = json.loads(run("bi", "url", reader, "--format", "json").stdout)
    assert login["user"] == reader and login["schema"] == "reporting"
    assert login["database"] == make_url(database_url).database
    assert (
        login["url"]
        == f"postgresql://{reader}@{login['host']}:{login['port']}/" + (login["database"])
    )
    missing = run("bi", "url", reader[:-1])
    assert missing.exit_code == 1
    assert f"no reader {reader[:-1]!r}" in missing.output and f"Did you mean: {reader}" in (
        missing.output
    )


def test_password_is_stored_as_scram_and_can_be_changed(
    run: Invoker, reader: str, db: psycopg.Connection
) -> None:
    def verifier() -> str:
        row = db.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (reader,))
        return str(row.fetchone()[0])

    _create(run, reader)
    first = verifier()
    assert first.startswith("SCRAM-SHA-256$4096:")
    again = _create(run, reader, password="another secret")
    assert f"Updated the read-only login {reader!r}" in again
    assert "another secret" not in again
    assert verifier() != first


def test_password_prompt_is_hidden_and_confirmed(run: Invoker, reader: str) -> None:
    result = run("bi", "create-reader", reader, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Repeat for confirmation" in result.output
    mismatch = run("bi", "create-reader", reader, input="one\ntwo\none\none\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert "do not match" in mismatch.output


@pytest.mark.parametrize(
    "name", ["Metabase", "1reader", "reader; DROP TABLE incident", "pg_reader", "public", ""]
)
def test_bad_role_name_is_a_usage_error(run: Invoker, name: str) -> None:
    env = {bi.READER_PASSWORD_ENV: PASSWORD}
    result = Invoker(run.database_url, env)("bi", "create-reader", name)
    assert result.exit_code == 2
    assert "Invalid value for 'NAME'" in result.output
    assert "role name" in result.output


def test_privileged_roles_are_not_turned_into_readers(run: Invoker, database_url: str) -> None:
    user = make_url(database_url).username or "postgres"
    env = {bi.READER_PASSWORD_ENV: PASSWORD}
    result = Invoker(run.database_url, env)("bi", "create-reader", user)
    assert result.exit_code == 1
    assert "choose another name" in result.output


def test_create_reader_needs_the_reporting_views(empty_database_url: str) -> None:
    env = {bi.READER_PASSWORD_ENV: PASSWORD}
    result = Invoker(empty_database_url, env)("bi", "create-reader", "nobody_reads_this")
    assert result.exit_code == 1
    assert "run `incidentdb db upgrade`" in result.output


def test_reader_reads_the_views_and_nothing_else(
    run: Invoker, reader: str, db: psycopg.Connection
) -> None:
    _create(run, reader)
    core_tables = [
        r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    assert "incident" in core_tables
    for view in VIEWS:
        relation = f"reporting.{view}"
        assert db.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT')", (reader, relation)
        ).fetchone() == (True,)
        for privilege in ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
            assert db.execute(
                "SELECT has_table_privilege(%s, %s, %s)", (reader, relation, privilege)
            ).fetchone() == (False,), (view, privilege)
        _as(db, reader, f"SELECT * FROM reporting.{view}")
    for table in core_tables:
        held = db.execute(
            "SELECT has_table_privilege(%s, %s, "
            "'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')",
            (reader, f"public.{table}"),
        ).fetchone()
        assert held == (False,), table
    for schema, privilege, expected in [
        ("reporting", "USAGE", True),
        ("reporting", "CREATE", False),
        ("public", "CREATE", False),
    ]:
        assert db.execute(
            "SELECT has_schema_privilege(%s, %s, %s)", (reader, schema, privilege)
        ).fetchone() == (expected,)
    assert db.execute(
        "SELECT has_database_privilege(%s, current_database(), 'CONNECT'), "
        "has_database_privilege(%s, current_database(), 'CREATE')",
        (reader, reader),
    ).fetchone() == (True, False)

    refused = [
        "SELECT * FROM incident",
        "SELECT * FROM source",
        "INSERT INTO incident_type (code, label, description, sort_order) "
        "VALUES ('x', 'x', 'x', 99)",
        "UPDATE incident SET title = 'changed'",
        "DELETE FROM incident",
        "TRUNCATE incident",
        "SELECT nextval('incident_id_seq')",
        "CREATE TABLE public.scratch (i integer)",
        "CREATE TABLE reporting.scratch (i integer)",
        "CREATE VIEW reporting.scratch AS SELECT 1 AS one",
        "DROP VIEW reporting.incidents",
        "ALTER VIEW reporting.sources RENAME TO gone",
        "COMMENT ON VIEW reporting.incidents IS 'mine now'",
        "CREATE SCHEMA scratch",
    ]
    for statement in refused:
        with pytest.raises(errors.InsufficientPrivilege):
            _as(db, reader, statement)
    engine = create_engine(run.database_url or "")  # the library's own check agrees
    try:
        with engine.connect() as conn:
            assert bi.reader_privileges(conn, reader) == []
    finally:
        engine.dispose()


def test_grants_to_public_that_would_leak_are_revoked(
    run: Invoker, reader: str, db: psycopg.Connection
) -> None:
    # PostgreSQL before 15 lets PUBLIC create in schema public; a hand-made grant does the rest.
    db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")
    db.execute("GRANT SELECT ON incident TO PUBLIC")
    output = _create(run, reader)
    assert "Note: revoked CREATE on schema public from PUBLIC." in output
    assert "Note: revoked all privileges on public.incident from PUBLIC." in output
    assert db.execute(
        "SELECT has_schema_privilege(%s, 'public', 'CREATE'), "
        "has_table_privilege(%s, 'public.incident', 'SELECT')",
        (reader, reader),
    ).fetchone() == (False, False)


def test_reader_logs_in_with_its_password(
    run: Invoker, reader: str, database_url: str, db: psycopg.Connection
) -> None:
    _create(run, reader)
    with psycopg.connect(_libpq(database_url), user=reader, password=PASSWORD) as conn:
        for view in VIEWS:
            conn.execute(f"SELECT * FROM reporting.{view}").fetchall()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM incident")


def test_views_added_later_stay_readable(run: Invoker, reader: str, db: psycopg.Connection) -> None:
    _create(run, reader)
    # What a later migration does, as the same user that ran the migrations.
    db.execute("CREATE VIEW reporting.later AS SELECT slug FROM incident")
    try:
        assert db.execute(
            "SELECT has_table_privilege(%s, 'reporting.later', 'SELECT')", (reader,)
        ).fetchone() == (True,)
        _as(db, reader, "SELECT * FROM reporting.later")
    finally:
        db.execute("DROP VIEW reporting.later")


def test_dictionary_markdown_lists_every_view_with_its_comments(
    run: Invoker, db: psycopg.Connection
) -> None:
    result = run("bi", "dictionary")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# incidentdb data dictionary\n")
    for view, columns in VIEWS.items():
        heading = f"## reporting.{view} (view)"
        assert heading in text
        comment = db.execute(
            "SELECT obj_description(%s::regclass, 'pg_class')", (f"reporting.{view}",)
        ).fetchone()
        assert comment is not None and comment[0] in text
        for column in columns:
            assert f"| {column} | " in text
    assert "## public." not in text
    assert "alembic_version" not in text
    killed = db.execute("SELECT col_description('reporting.incidents'::regclass, 11)").fetchone()
    assert killed is not None and f"| killed_low | integer | yes | {killed[0]} |" in text


def test_dictionary_lists_only_what_the_reader_reads_unless_all(run: Invoker) -> None:
    by_default = run("bi", "dictionary", "--format", "json")
    assert by_default.exit_code == 0, by_default.output
    relations = json.loads(by_default.output)
    assert {(r["schema"], r["name"], r["kind"]) for r in relations} == {
        ("reporting", view, "view") for view in VIEWS
    }
    everything = run("bi", "dictionary", "--all")
    assert everything.exit_code == 0, everything.output
    assert everything.output.index("## reporting.") < everything.output.index(
        "## public.incident (table)"
    )
    assert "alembic_version" not in everything.output


def test_dictionary_as_csv_and_jsonl_has_a_row_per_column(run: Invoker) -> None:
    import csv
    import io

    relations = json.loads(run("bi", "dictionary", "--format", "json").stdout)
    expected = [
        (r["schema"], r["name"], c["name"], c["type"], c["comment"])
        for r in relations
        for c in r["columns"]
    ]
    table = list(csv.DictReader(io.StringIO(run("bi", "dictionary", "--format", "csv").stdout)))
    assert [
        (t["schema"], t["relation"], t["column"], t["type"], t["comment"]) for t in table
    ] == expected
    lines = run("bi", "dictionary", "--format", "jsonl").stdout.splitlines()
    assert [
        (d["schema"], d["relation"], d["column"], d["type"], d["comment"])
        for d in map(json.loads, lines)
    ] == expected
    assert all(t["kind"] == "view" for t in table) and len(table) > 50


def test_dictionary_descriptions_come_from_the_view_files(
    run: Invoker, db: psycopg.Connection
) -> None:
    """A comment changed in the database alone does not change the dictionary."""
    db.execute("COMMENT ON COLUMN reporting.incidents.title IS 'changed in the database'")
    db.execute("COMMENT ON VIEW reporting.sources IS 'changed in the database too'")
    result = run("bi", "dictionary", "--format", "json")
    assert result.exit_code == 0, result.output
    described = {r["name"]: r for r in json.loads(result.output)}
    for view in view_files.load():
        assert described[view.name]["comment"] == view.comment
        assert {c["name"]: c["comment"] for c in described[view.name]["columns"]} == view.columns
    assert "changed in the database" not in result.output


def test_dictionary_json(run: Invoker) -> None:
    result = run("bi", "dictionary", "--format", "json", "--all")
    assert result.exit_code == 0, result.output
    relations = json.loads(result.output)
    views = relations[: len(VIEWS)]
    assert {(r["schema"], r["kind"]) for r in views} == {("reporting", "view")}
    assert {r["name"] for r in views} == set(VIEWS)
    assert {r["schema"] for r in relations[len(VIEWS) :]} == {"public"}
    incidents = next(r for r in views if r["name"] == "incidents")
    assert incidents["comment"]
    first = incidents["columns"][0]
    assert set(first) == {"name", "type", "nullable", "comment"}
    assert [c["name"] for c in incidents["columns"]] == VIEWS["incidents"]
    assert {c["type"] for c in incidents["columns"] if c["name"].endswith("_from")} == {"date"}
    incident_table = next(
        r for r in relations if (r["schema"], r["name"]) == ("public", "incident")
    )
    slug = next(c for c in incident_table["columns"] if c["name"] == "slug")
    assert slug == {
        "name": "slug",
        "type": "character varying(200)",
        "nullable": False,
        "comment": "Stable key, e.g. 2022-kazakhstan-unrest.",
    }


def test_login_details_for_servers_and_the_embedded_socket() -> None:
    server = bi.login_details("postgresql+psycopg://u:pw@db.example:6432/idb", "r", "h", 1)
    assert (server.host, server.port, server.database, server.local_socket) == (
        "db.example",
        6432,
        "idb",
        False,
    )
    assert server.jdbc_url == "jdbc:postgresql://db.example:6432/idb"
    assert server.libpq_url == "postgresql://r@db.example:6432/idb"
    embedded = bi.login_details(
        "postgresql+psycopg://postgres@/incidentdb?host=%2Ftmp%2Fx&port=5432", "r", "::1", 5433
    )
    assert embedded.local_socket and embedded.jdbc_url == "jdbc:postgresql://[::1]:5433/incidentdb"


# --- db serve -----------------------------------------------------------------------------


def test_password_rules_go_ahead_of_trust_and_come_out_again(tmp_path: Path) -> None:
    original = "# comment\n\nlocal   all   all   trust\nhost    all   all   127.0.0.1/32   trust\n"
    hba = tmp_path / "pg_hba.conf"
    hba.write_text(original)
    assert pg_hba.require_password_logins(tmp_path)
    lines = hba.read_text().splitlines()
    assert lines[:2] == ["# comment", ""]
    assert lines[2] == pg_hba.HBA_BEGIN
    rules = pg_hba.hba_rules()
    assert lines.index(rules[0]) < lines.index("host    all   all   127.0.0.1/32   trust")
    assert rules[0].split()[:2] == ["host", "incidentdb"]
    assert not pg_hba.require_password_logins(tmp_path)
    assert hba.read_text().count(pg_hba.HBA_BEGIN) == 1
    # With TLS the same block, hostssl, replaces the other.
    assert pg_hba.require_password_logins(tmp_path, tls=True)
    assert hba.read_text().count(pg_hba.HBA_BEGIN) == 1
    assert pg_hba.hba_rules(tls=True)[0] in hba.read_text().splitlines()
    assert pg_hba.remove_serving_rules(tmp_path)
    assert hba.read_text() == original
    assert not pg_hba.remove_serving_rules(tmp_path)


def test_rules_left_by_earlier_versions_are_removed(tmp_path: Path) -> None:
    hba = tmp_path / "pg_hba.conf"
    hba.write_text(
        "# comment\n"
        + pg_hba.HBA_MARKER
        + "\n"
        + "\n".join(pg_hba.LEGACY_RULES)
        + "\n\nlocal   all   all   trust\n"
    )
    assert pg_hba.remove_serving_rules(tmp_path)
    assert hba.read_text() == "# comment\nlocal   all   all   trust\n"


def test_hosts() -> None:
    assert all(serve.is_local(h) for h in ("127.0.0.1", "localhost", "::1"))
    assert not serve.is_local("0.0.0.0") and not serve.is_local("*")
    for bad in ("", "a b", "$(reboot)", "'x'", "host;rm"):
        with pytest.raises(serve.ServeError):
            serve.validate_host(bad)
    assert (
        serve.Served("::1", 5433, "incidentdb").jdbc_url
        == "jdbc:postgresql://[::1]:5433/incidentdb"
    )


def test_serve_refuses_a_server_url() -> None:
    result = Invoker("postgresql://u@db.example/x", {})("db", "serve")
    assert result.exit_code == 1
    assert "connect to it over TCP directly" in result.output


def test_serve_rejects_a_bad_host(run_embedded: Invoker) -> None:
    result = run_embedded("db", "serve", "--host", "$(reboot)")
    assert result.exit_code == 2
    assert "not a host name or IP address" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tcp(port: int, user: str, password: str | None) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1",
        port=port,
        user=user,
        password=password,
        dbname="incidentdb",
        connect_timeout=5,
    )


def _serve(home: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENTDB_")}
    env["INCIDENTDB_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "incidentdb", "db", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_login(proc: subprocess.Popen[str], port: int, user: str) -> psycopg.Connection:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"db serve exited with {proc.returncode}: {out}{err}")
        try:
            return _tcp(port, user, PASSWORD)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _stop(proc: subprocess.Popen[str], signum: int) -> tuple[str, str]:
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out, err


def test_serve_exposes_the_embedded_database_over_tcp(run_embedded: Invoker) -> None:
    home = Path(run_embedded.env["INCIDENTDB_HOME"])
    assert run_embedded("db", "upgrade").exit_code == 0
    name = "bi_reader"  # this cluster belongs to this test alone
    with_password = Invoker(None, {**run_embedded.env, bi.READER_PASSWORD_ENV: PASSWORD})
    created = with_password("bi", "create-reader", name)
    assert created.exit_code == 0, created.output
    assert "incidentdb db serve" in created.output
    socket_port = running_server(home).port

    for signum in (signal.SIGINT, signal.SIGTERM):
        port = _free_port()
        proc = _serve(home, port)
        try:
            with _wait_for_login(proc, port, name) as conn:
                for view in VIEWS:
                    conn.execute(f"SELECT * FROM reporting.{view}").fetchall()
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute("SELECT * FROM incident")
            with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
                _tcp(port, name, "wrong").close()
            with pytest.raises(psycopg.OperationalError):
                _tcp(port, "postgres", None).close()  # no trust over TCP, not even for postgres
            assert serve.listening_on(home) == "127.0.0.1"
            served_at = json.loads(run_embedded("bi", "url", name, "--format", "json").stdout)
            assert (served_at["host"], served_at["port"]) == ("127.0.0.1", port)
            # incidentdb itself keeps working on the local socket meanwhile.
            assert run_embedded("db", "current").exit_code == 0
            out, err = _stop(proc, signum)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert f"libpq URL: postgresql://READER@127.0.0.1:{port}/incidentdb" in out
        assert f"JDBC URL:  jdbc:postgresql://127.0.0.1:{port}/incidentdb" in out
        assert "Stopped serving" in err
        server = running_server(home)
        assert server is not None and server.port == socket_port
        assert serve.listening_on(home) is None
        with pytest.raises(psycopg.OperationalError):
            _tcp(port, name, PASSWORD).close()
    assert run_embedded("db", "current").exit_code == 0


def test_serve_warns_beyond_localhost_and_reports_a_busy_port(run_embedded: Invoker) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_embedded("db", "serve", "--host", "0.0.0.0", "--port", str(port))
    assert result.exit_code == 1
    assert "Warning: listening on 0.0.0.0 lets other machines reach the database" in result.output
    assert f"port {port} on 0.0.0.0 is in use" in result.output
    home = Path(run_embedded.env["INCIDENTDB_HOME"])
    assert serve.listening_on(home) is None


def test_the_examples_in_the_docs_run_as_the_reader(
    run: Invoker, reader: str, db: psycopg.Connection
) -> None:
    from tests.test_reporting_views import insert_dataset

    insert_dataset(db)
    _create(run, reader)
    text = (REPO / "docs" / "bi.md").read_text()
    blocks = [block.split("```", 1)[0] for block in text.split("```sql\n")[1:]]
    examples = [b for b in blocks if "FROM reporting." in b and "$__" not in b]
    assert len(examples) == len(VIEWS)
    for example in examples:
        with db.transaction(force_rollback=True):
            db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(reader)))
            assert db.execute(example).fetchall(), example
