"""Faults in the middle of a write: a killed load, a killed import, a killed session, a killed
server. Nothing half-written stays behind, and the next run gives what an uninterrupted one
gives.

Every write is one transaction, so PostgreSQL itself guarantees this; these tests show that
incidentdb does not break the guarantee (no commit half-way, no state outside the database),
and that the embedded server comes back after a crash with its committed data.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from benchmarks.synthetic import write_acled, write_seed
from tests.conftest import Invoker, _fresh_database
from tests.reliability import (
    SEEDS,
    Cli,
    activity,
    cli_env,
    facts,
    gone,
    libpq,
    postmaster_pid,
    postmasters,
    run_cli,
    wait_until,
    writing,
)
from tests.shared_data import UCDP_SAMPLE, require
from tests.snapshots import row_counts, snapshot

if TYPE_CHECKING:
    from tests.conftest import TestServer

pytestmark = pytest.mark.slow

ACLED_EVENTS = 12_000  # an import of several seconds: long enough to be killed half-way
SEED_INCIDENTS = 4_000


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    acled = folder / "acled-synthetic.csv"
    write_acled(acled, ACLED_EVENTS)
    # In a folder of its own: ledger names are relative to the folder loaded, and the
    # synthetic registry.yaml must not pass for an edit of seeds/registry.yaml.
    write_seed(folder / "seed-root" / "synthetic", SEED_INCIDENTS)
    return {"acled": acled, "seeds": folder / "seed-root"}


@pytest.fixture(scope="module")
def uninterrupted(
    test_server: TestServer, template_db: str, inputs: dict[str, Path]
) -> Iterator[dict[str, Any]]:
    """What the TASS seed, the UCDP sample, the synthetic seeds and the synthetic ACLED file,
    loaded one after the other without a fault, leave in a database."""
    for url in _fresh_database(test_server, template_db):
        run = Invoker(url, {})
        for args in (
            ("seed", "load", str(SEEDS)),
            ("import", "ucdp-ged", "-q", str(require(UCDP_SAMPLE))),
            ("seed", "load", str(inputs["seeds"])),
            ("import", "acled", "-q", str(inputs["acled"])),
        ):
            result = run(*args)
            assert result.exit_code == 0, result.output
        with psycopg.connect(libpq(url)) as conn:
            expected = {"row_counts": row_counts(conn), "facts": facts(conn)}
        yield expected


def prepare(env: dict[str, str], workdir: Path) -> dict[str, str]:
    """The database with the TASS seed and the UCDP sample committed, as before any fault."""
    for n, args in enumerate(
        (["seed", "load", SEEDS], ["import", "ucdp-ged", "-q", require(UCDP_SAMPLE)]), start=1
    ):
        result = run_cli(args, name=f"before-{n}", env=env, workdir=workdir)
        assert result.returncode == 0, result
    return env


def finish_and_compare(
    db: psycopg.Connection[Any], env: dict[str, str], inputs: dict[str, Path], workdir: Path
) -> dict[str, Any]:
    """Run what was interrupted (and the rest) to the end; the database it leaves."""
    for n, args in enumerate(
        (["seed", "load", inputs["seeds"]], ["import", "acled", "-q", inputs["acled"]]), start=1
    ):
        result = run_cli(args, name=f"after-{n}", env=env, workdir=workdir)
        assert result.returncode == 0, result
        assert "Traceback" not in result.output, result
    return {"row_counts": row_counts(db), "facts": facts(db)}


# Where a writer is when it is killed: streaming rows into its staging tables, or writing
# them from there into the tables for good (a plain INSERT for keys the tables do not hold,
# the upsert for the others; not the bookkeeping inserts into its own staging tables).
def _staging(statement: str) -> bool:
    return statement.startswith("COPY")


def _writing_tables(statement: str) -> bool:
    if statement.startswith("WITH WRITTEN"):
        return True
    return statement.startswith('INSERT INTO "') and not statement.startswith(
        ('INSERT INTO "STAGE_', 'INSERT INTO "KEYS_')
    )


PHASES = {"staging": _staging, "writing": _writing_tables}


def kill_while_writing(process: Cli, db: psycopg.Connection[Any], phase: str) -> None:
    """SIGKILL the process as soon as its backend is seen in `phase`."""
    seen = PHASES[phase]
    wait_until(
        lambda: (
            any(seen(q.lstrip().upper()) for q in activity(db, process.name))
            or not process.running()
        ),
        f"{process.name} {phase}",
        every=0.005,
    )
    process.kill()
    assert process.finish().returncode == -9, f"{process.name} ended before it was killed"


@pytest.mark.parametrize("phase", sorted(PHASES))
@pytest.mark.parametrize("what", ["import", "seed load"])
def test_a_killed_writer_leaves_nothing_behind(
    what: str,
    phase: str,
    database_url: str,
    db: psycopg.Connection[Any],
    inputs: dict[str, Path],
    uninterrupted: dict[str, Any],
    tmp_path: Path,
    record_property: Any,
) -> None:
    """SIGKILL an import or a load half-way, while it stages rows or while it writes them into
    the tables: the database is exactly as it was (every row, every row version), and running
    it again gives the uninterrupted result."""
    env = prepare(cli_env(database_url), tmp_path)
    before = snapshot(db)
    args = (
        ["import", "acled", "-q", inputs["acled"]]
        if what == "import"
        else ["seed", "load", inputs["seeds"]]
    )
    victim = Cli(args, name="victim", env=env, workdir=tmp_path)
    kill_while_writing(victim, db, phase)
    # PostgreSQL rolls the transaction back when it sees the client gone.
    wait_until(lambda: gone(db, "victim"), "the killed client's session to end")
    assert snapshot(db) == before

    assert finish_and_compare(db, env, inputs, tmp_path) == uninterrupted
    record_property("faults", 1)


def test_a_terminated_session_leaves_nothing_behind(
    database_url: str,
    db: psycopg.Connection[Any],
    inputs: dict[str, Path],
    uninterrupted: dict[str, Any],
    tmp_path: Path,
    record_property: Any,
) -> None:
    """The server ends the import's session half-way (pg_terminate_backend, as an operator or
    a failover does): the import says what happened in one line, exit 1, nothing written."""
    env = prepare(cli_env(database_url), tmp_path)
    before = snapshot(db)
    victim = Cli(
        ["import", "acled", "-q", inputs["acled"]], name="victim", env=env, workdir=tmp_path
    )
    wait_until(lambda: writing(db, "victim"), "rows being written")
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'"
    )
    result = victim.finish()
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    # One error line says what happened (psycopg may log a line of its own before it).
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and result.stderr.rstrip().endswith(errors[0]), result
    assert snapshot(db) == before

    assert finish_and_compare(db, env, inputs, tmp_path) == uninterrupted
    record_property("faults", 1)


@pytest.fixture
def embedded_home() -> Iterator[Path]:
    home = Path(tempfile.mkdtemp(prefix="incidentdb-crash-")) / "home"
    yield home
    from incidentdb.db.embedded import stop_server

    stop_server(home)
    shutil.rmtree(home.parent, ignore_errors=True)


def test_the_embedded_server_killed_under_a_load_recovers(
    embedded_home: Path,
    inputs: dict[str, Path],
    uninterrupted: dict[str, Any],
    tmp_path: Path,
    record_property: Any,
) -> None:
    """SIGKILL the embedded PostgreSQL while an import writes: the import fails with a one-line
    error; the next command starts the server again (PostgreSQL replays its WAL), and every
    committed load is intact. Then the import runs to the end as if nothing happened."""
    env = cli_env(home=embedded_home)
    pgdata = embedded_home / "pgdata"
    upgraded = run_cli(["db", "upgrade"], name="upgrade", env=env, workdir=tmp_path)
    assert upgraded.returncode == 0, upgraded
    prepare(env, tmp_path)
    url = run_cli(["db", "url"], name="url", env=env, workdir=tmp_path).stdout.strip()
    with psycopg.connect(libpq(url), autocommit=True) as db:
        committed = {"row_counts": row_counts(db), "facts": facts(db)}
        victim = Cli(
            ["import", "acled", "-q", inputs["acled"]], name="victim", env=env, workdir=tmp_path
        )
        wait_until(lambda: writing(db, "victim"), "rows being written")
        crashed = postmaster_pid(pgdata)
        os.kill(crashed, signal.SIGKILL)
    result = victim.finish()
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result

    # The next command, straight away, finds the server dead and starts it again.
    listed = run_cli(
        ["seed", "list", "--format", "jsonl"], name="after-crash", env=env, workdir=tmp_path
    )
    assert listed.returncode == 0, listed
    assert "Traceback" not in listed.output, listed
    assert len(listed.stdout.splitlines()) == 3, listed  # the seed, its registry, the UCDP sample
    assert postmaster_pid(pgdata) != crashed
    assert len(postmasters(pgdata)) == 1
    log = (pgdata / "log").read_text(encoding="utf-8", errors="replace")
    assert "not properly shut down; automatic recovery in progress" in log
    url = run_cli(["db", "url"], name="url-2", env=env, workdir=tmp_path).stdout.strip()
    with psycopg.connect(libpq(url), autocommit=True) as db:
        assert {"row_counts": row_counts(db), "facts": facts(db)} == committed
        assert finish_and_compare(db, env, inputs, tmp_path) == uninterrupted
    record_property("faults", 1)
