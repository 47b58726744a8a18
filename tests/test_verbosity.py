"""--quiet, --verbose and --debug: before or after the command's name, on every command."""

from __future__ import annotations

import re

import pytest

from incidentdb.cli import cli
from tests.conftest import SEEDS, Invoker
from tests.test_cli_db import _leaf_commands

STAMP = r"\[\s*\d+\.\d\ds(?: [a-z.]+)?\] "


@pytest.mark.parametrize("command", _leaf_commands(cli), ids=" ".join)
def test_every_command_takes_the_three_options(command: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--quiet", "-q", "--verbose", "-v", "--debug"):
        assert re.search(rf"(^|[\s,]){option}\b", result.output, re.MULTILINE), option


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_says_which_database_and_how_long(run: Invoker, where: str) -> None:
    args = ["report", "summary"]
    args = ["-v", *args] if where == "before" else [*args, "-v"]
    assert run("seed", "load", str(SEEDS)).exit_code == 0
    plain = run("report", "summary")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == plain.stdout  # the result is the same
    lines = result.stderr.splitlines()
    assert re.fullmatch(STAMP + r"database: postgresql\+psycopg://.+", lines[0]), lines
    assert re.fullmatch(STAMP + r"done in \d+\.\d\d s", lines[-1]), lines
    assert plain.stderr == ""


def test_verbose_names_each_step_of_a_load_with_its_time(run: Invoker) -> None:
    result = run("seed", "load", "--verbose", str(SEEDS))
    assert result.exit_code == 0, result.output
    steps = [line for line in result.stderr.splitlines() if re.match(STAMP, line)]
    assert any(re.fullmatch(STAMP + r"reading \d+ seed files", s) for s in steps), steps
    assert any(re.fullmatch(STAMP + "write incident", s) for s in steps), steps
    assert result.stderr.splitlines()[-2].startswith("Added ")  # the summary, then the time


def test_the_database_line_hides_the_password(tmp_path: object) -> None:
    url = "postgresql://someone:hunter2secret@127.0.0.1:1/nowhere"
    result = Invoker(None, {})("--database-url", url, "-v", "report", "summary")
    assert result.exit_code == 1
    assert "hunter2secret" not in result.output
    assert re.search(STAMP + r"database: postgresql\+psycopg://someone:\*\*\*@", result.stderr)


def test_debug_shows_the_sql_and_an_errors_traceback(run: Invoker) -> None:
    result = run("report", "casualties", "--category", "killed", "--debug")
    assert result.exit_code == 0, result.output
    assert re.search(STAMP.replace(r"(?: [a-z.]+)?", " reports") + "SELECT ", result.stderr)
    assert "parameters: {'category': 'killed'" in result.stderr

    failed = run("--debug", "report", "incident", "no-such-incident")
    assert failed.exit_code == 1
    error = "Error: no incident no-such-incident."
    assert error in failed.stderr
    after = failed.stderr[failed.stderr.index(error) :]
    assert "Traceback (most recent call last):" in after
    assert after.rstrip().splitlines()[-2].startswith("incidentdb.errors.NotFound: ")

    quiet_error = run("report", "incident", "no-such-incident")
    assert "Traceback" not in quiet_error.stderr
    assert quiet_error.stderr.startswith(error)


@pytest.mark.parametrize("args", [["-q", "seed", "load"], ["seed", "load", "-q"]])
def test_quiet_leaves_the_summary_only(run: Invoker, args: list[str]) -> None:
    result = run(*args, str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "Loading seeds" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Added ")


def test_quiet_and_verbose_contradict_each_other(run: Invoker) -> None:
    for args in (["-q", "report", "summary", "-v"], ["report", "summary", "--debug", "-q"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "--quiet and --verbose/--debug contradict each other" in result.stderr
