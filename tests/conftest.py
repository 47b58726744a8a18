"""Test databases: a real PostgreSQL, one fresh database per test cloned from a migrated template.

By default the suite runs on an embedded PostgreSQL in a temporary INCIDENTDB_HOME.
INCIDENTDB_TEST_DATABASE_URL points it at a server instead (any database there that the user
can connect to; the suite creates and drops its own databases beside it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql
from sqlalchemy.engine import make_url

from incidentdb.cli import cli

TEST_URL_ENV = "INCIDENTDB_TEST_DATABASE_URL"
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@dataclass
class TestServer:
    admin_url: str  # SQLAlchemy URL of a maintenance database on the server

    def url_for(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(_libpq(self.admin_url), autocommit=True)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


_counter = itertools.count()


@pytest.fixture(scope="session")
def test_server() -> Iterator[TestServer]:
    explicit = os.environ.get(TEST_URL_ENV)
    if explicit:
        from incidentdb.db.settings import normalise_url

        yield TestServer(normalise_url(explicit))
        return
    from incidentdb.db.embedded import ensure_server, stop_server

    # Not under pytest's basetemp: pytest prunes old basetemps, which must not pull the
    # data directory from under a server that another session is still using.
    home = Path(tempfile.mkdtemp(prefix="incidentdb-test-"))
    url = ensure_server(home)
    yield TestServer(make_url(url).set(database="postgres").render_as_string(hide_password=False))
    stop_server(home)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(test_server: TestServer) -> Iterator[str]:
    """A database migrated to head, cloned for every test that needs one."""
    from incidentdb.db import migrations
    from incidentdb.db.engine import create_engine

    name = f"incidentdb_tmpl_{os.getpid()}"
    with test_server.admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    engine = create_engine(test_server.url_for(name))
    with engine.begin() as conn:
        migrations.upgrade(conn)
    engine.dispose()
    yield name
    with test_server.admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _fresh_database(test_server: TestServer, template: str | None) -> Iterator[str]:
    name = f"incidentdb_test_{os.getpid()}_{next(_counter)}"
    with test_server.admin() as conn:
        stmt = "CREATE DATABASE {} TEMPLATE {}" if template else "CREATE DATABASE {}"
        ids = [sql.Identifier(name)] + ([sql.Identifier(template)] if template else [])
        conn.execute(sql.SQL(stmt).format(*ids))
    try:
        yield test_server.url_for(name)
    finally:
        with test_server.admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def database_url(test_server: TestServer, template_db: str) -> Iterator[str]:
    """URL of a fresh database at the head revision, for this test alone."""
    yield from _fresh_database(test_server, template_db)


@pytest.fixture
def empty_database_url(test_server: TestServer) -> Iterator[str]:
    """URL of a fresh, never-migrated database, for this test alone."""
    yield from _fresh_database(test_server, None)


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection]:
    """A psycopg connection to the test's database, for assertions."""
    with psycopg.connect(_libpq(database_url), autocommit=True) as conn:
        yield conn


@dataclass
class Invoker:
    database_url: str | None
    env: dict[str, str]

    def __call__(self, *args: str, input: str | None = None) -> Result:
        env = dict(self.env)
        if self.database_url:
            env["INCIDENTDB_DATABASE_URL"] = self.database_url
        return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def run(database_url: str) -> Invoker:
    """Run the CLI against the test's database: run("report", "casualties")."""
    return Invoker(database_url, {})


@pytest.fixture
def run_embedded() -> Iterator[Invoker]:
    """Run the CLI with no URL: the embedded default, in a fresh INCIDENTDB_HOME."""
    home = Path(tempfile.mkdtemp(prefix="incidentdb-home-")) / "home"
    env = {"INCIDENTDB_HOME": str(home), "INCIDENTDB_DATABASE_URL": ""}
    yield Invoker(None, env)
    from incidentdb.db.embedded import stop_server

    stop_server(home)
    shutil.rmtree(home.parent, ignore_errors=True)
