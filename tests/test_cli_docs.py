"""docs/cli.md is the commands' own help, current; it lists every environment variable the
package reads; no help text points at a file that an installed wheel does not carry."""

from __future__ import annotations

import re

from incidentdb.cli import cli
from incidentdb.cli.reference import ENVIRONMENT, render
from tests.conftest import REPO

PAGE = REPO / "docs" / "cli.md"


def test_the_command_reference_is_current() -> None:
    assert PAGE.read_text() == render(), "docs/cli.md is stale: run python scripts/cli_docs.py"


def test_every_command_has_its_section() -> None:
    def paths(group: object, prefix: str) -> list[str]:
        import click

        assert isinstance(group, click.Group)
        found = [prefix]
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found += paths(command, f"{prefix} {name}")
            else:
                found.append(f"{prefix} {name}")
        return found

    sections = re.findall(r"^## (incidentdb.*)$", PAGE.read_text(), flags=re.M)
    assert sorted(sections) == sorted(paths(cli, "incidentdb"))


def test_every_environment_variable_is_listed() -> None:
    read = set()
    for source in (REPO / "incidentdb").rglob("*.py"):
        read |= set(re.findall(r"\bINCIDENTDB_[A-Z_]+\b", source.read_text()))
    for source in (REPO / "tests").glob("*.py"):
        read |= set(re.findall(r"environ[^\n]*\"(INCIDENTDB_[A-Z_]+)\"", source.read_text()))
    assert read <= {name for name, _ in ENVIRONMENT}, read - {name for name, _ in ENVIRONMENT}


def test_no_help_points_into_the_source_tree() -> None:
    """A wheel carries the package, not docs/ or the README: help must not send users there."""
    text = render()
    assert not re.search(r"\bdocs/|README", text.split("## incidentdb\n", 1)[1])
