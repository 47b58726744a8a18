"""Several incidentdb processes at once: loads queue on one lock, and the result is one load.

Real processes (`python -m incidentdb`), not threads: each has its own connection and
transaction, as when several analysts, or an analyst and a cron job, load at the same time.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from incidentdb.db import migrations
from incidentdb.db.locks import LEDGER
from incidentdb.write.content_hash import file_sha256
from tests.conftest import Invoker, _fresh_database
from tests.reliability import (
    SEEDS,
    WAITING,
    Cli,
    cli_env,
    duplicates,
    facts,
    libpq,
    lock_queue,
    postmasters,
    run_cli,
    wait_until,
    watch_lock,
)
from tests.shared_data import UCDP_SAMPLE, require
from tests.snapshots import row_counts

if TYPE_CHECKING:
    from tests.conftest import TestServer

LOADS = 4


@pytest.fixture(scope="module")
def one_load(test_server: TestServer, template_db: str) -> Iterator[dict[str, Any]]:
    """What one seed load and one import, run one after the other, leave in a database."""
    for url in _fresh_database(test_server, template_db):
        run = Invoker(url, {})
        loaded = run("seed", "load", str(SEEDS))
        assert loaded.exit_code == 0, loaded.output
        imported = run("import", "ucdp-ged", "-q", str(require(UCDP_SAMPLE)))
        assert imported.exit_code == 0, imported.output
        with psycopg.connect(libpq(url)) as conn:
            expected = {"row_counts": row_counts(conn), "facts": facts(conn)}
        yield expected


def assert_one_load(db: psycopg.Connection[Any], expected: dict[str, Any]) -> None:
    assert duplicates(db) == {}
    assert row_counts(db) == expected["row_counts"]
    assert facts(db) == expected["facts"]
    ledger = db.execute("SELECT identity FROM seed_file ORDER BY identity").fetchall()
    assert [r[0] for r in ledger] == [
        f"import:ucdp-ged:{file_sha256(UCDP_SAMPLE)[:12]}",
        "registry:incidentdb-core",
        "source:tass-2022-01-25-csto-mission-kazakhstan",
    ]


def test_four_loads_queue_behind_a_running_import(
    database_url: str,
    db: psycopg.Connection[Any],
    one_load: dict[str, Any],
    tmp_path: Path,
    record_property: Any,
) -> None:
    """An import holds the lock while four loads of the same files start: they wait, say so,
    and then find the files loaded by the first of them; no error, no duplicate."""
    env = cli_env(database_url)
    # A writer already holds the lock (as a long load would), so that every process below
    # certainly starts while another holds it: the import first in the queue, then the loads.
    with psycopg.connect(libpq(database_url)) as gate:
        gate.execute(f"LOCK TABLE {LEDGER} IN SHARE ROW EXCLUSIVE MODE")
        with watch_lock(database_url) as seen:
            importer = Cli(
                ["import", "ucdp-ged", "-q", UCDP_SAMPLE],
                name="import",
                env=env,
                workdir=tmp_path,
            )
            wait_until(lambda: lock_queue(db).get("import") is False, "the import to queue")
            loads = [
                Cli(["seed", "load", SEEDS], name=f"load-{n}", env=env, workdir=tmp_path)
                for n in range(1, LOADS + 1)
            ]
            wait_until(
                lambda: sum(1 for g in lock_queue(db).values() if not g) == LOADS + 1,
                "every process to queue for the lock",
            )
            gate.commit()  # the writers' lock ends with the gate's transaction
            results = [p.finish() for p in [importer, *loads]]

    for result in results:
        assert result.returncode == 0, result
        assert WAITING in result.stderr, result
        assert "deadlock" not in result.output.lower(), result
    # The import ran while the four loads were waiting for it.
    loads_waiting = frozenset(f"load-{n}" for n in range(1, LOADS + 1))
    assert any(
        holder == "import" and waiters >= loads_waiting
        for holder, waiters in seen.holder_with_waiters
    ), seen
    assert sum("Nothing to do" in r.stderr for r in results[1:]) == LOADS - 1
    assert_one_load(db, one_load)
    record_property("loads_at_once", len(results))  # in the queue at once (and the gate)


def test_loads_and_an_import_started_together(
    database_url: str,
    db: psycopg.Connection[Any],
    one_load: dict[str, Any],
    tmp_path: Path,
    record_property: Any,
) -> None:
    """Four loads and an import started at the same instant, in no set order: each one that
    had to wait said so, all succeed, and the database is what one load gives."""
    env = cli_env(database_url)
    with watch_lock(database_url) as seen:
        processes = [
            Cli(["seed", "load", SEEDS], name=f"load-{n}", env=env, workdir=tmp_path)
            for n in range(1, LOADS + 1)
        ]
        processes.append(
            Cli(
                ["import", "ucdp-ged", "-q", UCDP_SAMPLE],
                name="import",
                env=env,
                workdir=tmp_path,
            )
        )
        results = {p.name: p.finish() for p in processes}

    for name, result in results.items():
        assert result.returncode == 0, result
        assert "deadlock" not in result.output.lower(), result
        if name in seen.waited:
            assert WAITING in result.stderr, result
    assert sum("Nothing to do" not in r.stderr for n, r in results.items() if n != "import") == 1
    assert_one_load(db, one_load)
    record_property("loads_at_once", len(results))


def test_migrations_at_once_on_a_server(
    empty_database_url: str, tmp_path: Path, record_property: Any
) -> None:
    """Four `db upgrade` at once on an empty database: one migrates, the others wait for it
    and find nothing to do."""
    env = cli_env(empty_database_url)
    processes = [
        Cli(["db", "upgrade"], name=f"upgrade-{n}", env=env, workdir=tmp_path) for n in range(4)
    ]
    for process in processes:
        result = process.finish()
        assert result.returncode == 0, result
        assert f"at revision {migrations.head_revision()}" in result.stderr, result
    record_property("loads_at_once", len(processes))


@pytest.fixture
def fresh_home() -> Iterator[Path]:
    """An INCIDENTDB_HOME that does not exist yet (short path: the server's socket lives in it)."""
    home = Path(tempfile.mkdtemp(prefix="incidentdb-rel-")) / "home"
    yield home
    from incidentdb.db.embedded import stop_server

    stop_server(home)
    shutil.rmtree(home.parent, ignore_errors=True)


def test_commands_at_once_share_one_embedded_server(
    fresh_home: Path, tmp_path: Path, record_property: Any
) -> None:
    """On a fresh machine (no URL, empty INCIDENTDB_HOME), four `db upgrade` and a `db status`
    at once: one creates and starts the server, all use it, one migrates."""
    env = cli_env(home=fresh_home)
    processes = [
        Cli(["db", "upgrade"], name=f"upgrade-{n}", env=env, workdir=tmp_path) for n in range(4)
    ]
    processes.append(Cli(["db", "status"], name="status", env=env, workdir=tmp_path))
    results = [p.finish() for p in processes]
    for result in results:
        assert result.returncode == 0, result
        assert "Traceback" not in result.output, result
    assert "reachable: yes" in results[-1].stdout
    assert len(postmasters(fresh_home / "pgdata")) == 1

    current = run_cli(["db", "current"], name="current", env=env, workdir=tmp_path)
    assert current.stdout.startswith(migrations.head_revision()), current
    assert len(postmasters(fresh_home / "pgdata")) == 1
    record_property("loads_at_once", len(processes))
