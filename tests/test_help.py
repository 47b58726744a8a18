"""Every command has help with an example, and --help stays light (no heavy imports)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from incidentdb.cli import cli


def _command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command and group in the tree, the top-level group included."""
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _command_paths(sub, (*path, name))


COMMAND_PATHS = list(_command_paths(cli))


def test_the_tree_is_walked() -> None:
    assert ("report", "casualties") in COMMAND_PATHS
    assert ("report", "incident") in COMMAND_PATHS
    assert ("db", "upgrade") in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "incidentdb")
def test_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    # The top-level help calls its examples "Quick start".
    heading = "Example" if path else "Quick start"
    assert heading in result.output, f"`incidentdb {' '.join(path)} --help` has no example"


HEAVY = ("sqlalchemy", "alembic", "pydantic", "rich", "psycopg")


@pytest.mark.parametrize(
    "args", [["--help"], ["report", "--help"], ["report", "casualties", "--help"]]
)
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from incidentdb.cli import cli\n"
        f"result = CliRunner().invoke(cli, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported by {' '.join(args)}: {done.stdout.strip()}"
