"""`incidentdb db ...` on a server URL and on the embedded default."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from incidentdb.cli import cli
from incidentdb.db import migrations
from tests.conftest import Invoker


def test_status_reports_database_and_revision(run: Invoker) -> None:
    result = run("db", "status")
    assert result.exit_code == 0, result.output
    assert "reachable: yes" in result.output
    assert f"revision:  {migrations.head_revision()}" in result.output
    assert "(up to date)" in result.output


def test_current_and_history(run: Invoker) -> None:
    result = run("db", "current")
    assert result.exit_code == 0
    assert result.output.strip() == f"{migrations.head_revision()} (head)"
    history = run("db", "history")
    assert history.exit_code == 0
    assert "base -> 0001: Initial schema" in history.output


def test_downgrade_and_upgrade(run: Invoker) -> None:
    down = run("db", "downgrade", "base", "--yes")
    assert down.exit_code == 0, down.output
    assert run("db", "current").output.strip() == "base (empty)"
    up = run("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert run("db", "current").output.strip() == f"{migrations.head_revision()} (head)"


def test_url_masks_password_unless_asked() -> None:
    env = {"INCIDENTDB_DATABASE_URL": "postgresql://alice:s3cret@db.example:5432/research"}
    masked = CliRunner().invoke(cli, ["db", "url"], env=env)
    assert masked.exit_code == 0
    assert masked.output.strip() == "postgresql+psycopg://alice:***@db.example:5432/research"
    shown = CliRunner().invoke(cli, ["db", "url", "--show-password"], env=env)
    assert "alice:s3cret@" in shown.output


def test_unreachable_server_is_one_line_and_exit_1() -> None:
    env = {"INCIDENTDB_DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/nowhere"}
    result = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL at 127.0.0.1:1" in result.output
    assert "pw" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("url", ["mysql://x@h/db", "not a url", "postgresql://h:5432"])
def test_a_bad_url_names_the_setting_not_the_command(url: str) -> None:
    by_option = CliRunner().invoke(cli, ["--database-url", url, "report", "casualties"])
    by_env = CliRunner().invoke(cli, ["report", "casualties"], env={"INCIDENTDB_DATABASE_URL": url})
    for result, setting in ((by_option, "--database-url"), (by_env, "INCIDENTDB_DATABASE_URL")):
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"Error: {setting}: "), result.output
        assert "Usage:" not in result.output


def test_status_and_history_as_json(run: Invoker) -> None:
    import json

    status = json.loads(run("db", "status", "--format", "json").stdout)
    assert status["reachable"] is True and status["kind"] in ("server", "embedded")
    assert status["revision"] == status["head"] == migrations.head_revision()
    assert status["up_to_date"] is True and status["problem"] is None
    history = json.loads(run("db", "history", "--format", "json").stdout)
    assert [h["revision"] for h in history] == [r for r, _, _ in migrations.history()]
    assert history[-1] == {
        "revision": "0001",
        "down_revision": None,
        "message": history[-1]["message"],
    }
    assert history[-1]["message"].startswith("Initial schema")
    unreachable = CliRunner().invoke(
        cli, ["--database-url", "postgresql://u@127.0.0.1:1/x", "db", "status", "--format", "json"]
    )
    assert unreachable.exit_code == 1
    assert json.loads(unreachable.stdout)["reachable"] is False


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _leaf_commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_the_database_url_may_follow_the_command(run: Invoker) -> None:
    """Given after the subcommand, --database-url wins over the environment and over the
    global option; every command accepts it."""
    env = {"INCIDENTDB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    after = CliRunner().invoke(cli, ["db", "current", "--database-url", run.database_url], env=env)
    assert after.exit_code == 0, after.output
    assert after.stdout.strip() == f"{migrations.head_revision()} (head)"
    both = CliRunner().invoke(
        cli,
        [
            "--database-url",
            env["INCIDENTDB_DATABASE_URL"],
            "db",
            "current",
            "--database-url",
            run.database_url,
        ],
    )
    assert both.exit_code == 0, both.output
    wrong = CliRunner().invoke(cli, ["db", "current", "--database-url", "mysql://x@h/db"])
    assert wrong.exit_code == 2 and wrong.output.startswith("Error: --database-url: ")
    commands = _leaf_commands(cli)
    assert len(commands) > 25
    for path in commands:
        help_text = CliRunner().invoke(cli, [*path, "--help"]).output
        assert "--database-url URL" in help_text, path


def test_embedded_default_creates_upgrades_and_persists(run_embedded: Invoker) -> None:
    home = Path(run_embedded.env["INCIDENTDB_HOME"])
    up = run_embedded("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert (home / "pgdata" / "PG_VERSION").read_text().strip() == "18"
    status = run_embedded("db", "status")
    assert "kind:      embedded PostgreSQL" in status.output
    assert "server:    PostgreSQL 18" in status.output
    # Data persists across a stop and a restart.
    stop = run_embedded("db", "stop")
    assert stop.exit_code == 0 and "Stopped" in stop.output
    again = run_embedded("db", "current")
    assert again.output.strip() == f"{migrations.head_revision()} (head)"


def test_stop_without_embedded_server(run: Invoker) -> None:
    result = run("db", "stop")
    assert result.exit_code == 0
    assert "no embedded server" in result.output
