"""Commands that delete data ask first on a terminal, and need --yes elsewhere; a refusal or a
"no" writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from incidentdb.db import migrations
from tests.conftest import REPO, SEEDS, Invoker
from tests.snapshots import snapshot

ARTICLE = SEEDS / "tass-2022-01-25-csto-mission-kazakhstan.yaml"


def on_terminal(run: Invoker, answer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`incidentdb ARGS` in a real process whose input is a terminal, answering `answer`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENTDB_")}
    env["INCIDENTDB_DATABASE_URL"] = str(run.database_url)
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "incidentdb", *args],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        os.close(follower)
        os.write(leader, f"{answer}\n".encode())  # the terminal holds the line until it is read
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(leader)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def refused_without_yes(result: Any) -> None:
    assert result.exit_code == 2, result.output
    assert "needs --yes" in result.output and "Nothing was written." in result.output


def test_unload_needs_yes_where_nobody_can_answer(run: Invoker, db: psycopg.Connection) -> None:
    assert run("seed", "load", str(SEEDS)).exit_code == 0
    before = snapshot(db)
    refused_without_yes(run("seed", "unload", str(ARTICLE)))
    assert snapshot(db) == before
    assert run("seed", "unload", str(ARTICLE), "--dry-run").exit_code == 0  # writes nothing
    assert snapshot(db) == before
    assert run("seed", "unload", str(ARTICLE), "--yes").exit_code == 0
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (0,)


def test_unload_on_a_terminal_asks(run: Invoker, db: psycopg.Connection) -> None:
    assert run("seed", "load", str(SEEDS)).exit_code == 0
    before = snapshot(db)
    no = on_terminal(run, "n", "seed", "unload", str(ARTICLE))
    assert no.returncode == 1, no.stderr
    assert "Withdraw 1 file(s)" in no.stderr and "[y/N]" in no.stderr
    assert "not confirmed" in no.stderr
    assert snapshot(db) == before
    yes = on_terminal(run, "y", "seed", "unload", str(ARTICLE))
    assert yes.returncode == 0, yes.stderr
    assert "withdrawn" in yes.stderr
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (0,)


def test_prune_asks_only_when_it_would_withdraw(
    run: Invoker, db: psycopg.Connection, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    assert run("seed", "load", str(folder)).exit_code == 0
    assert run("seed", "load", "--prune", str(folder)).exit_code == 0  # nothing to withdraw
    (folder / ARTICLE.name).unlink()
    before = snapshot(db)
    refused_without_yes(run("seed", "load", "--prune", str(folder)))
    assert snapshot(db) == before
    no = on_terminal(run, "n", "seed", "load", "--prune", str(folder))
    assert no.returncode == 1 and "not confirmed" in no.stderr, no.stderr
    assert snapshot(db) == before
    assert run("seed", "load", "--prune", "--yes", str(folder)).exit_code == 0
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (0,)


def test_downgrade_asks(run: Invoker, db: psycopg.Connection) -> None:
    head = migrations.head_revision()
    previous = migrations.script_directory().get_revision(head).down_revision
    assert isinstance(previous, str)
    refused_without_yes(run("db", "downgrade", previous))
    assert run("db", "current").output.startswith(head)
    no = on_terminal(run, "n", "db", "downgrade", previous)
    assert no.returncode == 1, no.stderr
    assert f"Downgrade the schema from {head} to {previous}" in no.stderr
    assert "Aborted" in no.stderr
    assert run("db", "current").output.startswith(head)
    yes = on_terminal(run, "y", "db", "downgrade", previous)
    assert yes.returncode == 0, yes.stderr
    assert run("db", "current").output.startswith(previous)
    assert run("db", "downgrade", previous).exit_code == 0  # already there: nothing to ask
