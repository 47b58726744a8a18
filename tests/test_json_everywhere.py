"""Every command that prints rows or a result takes --format json, and its stdout parses."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import click
import psycopg
from psycopg import sql

from incidentdb import bi
from incidentdb.cli import cli
from tests.conftest import SEEDS, Invoker
from tests.test_imports import acled_rows, write_acled
from tests.test_reports import LISTINGS, UNREST

ARTICLE = SEEDS / "tass-2022-01-25-csto-mission-kazakhstan.yaml"


def _with_json(group: click.Group, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _with_json(command, (*path, name))
            continue
        for param in command.params:
            if (
                isinstance(param, click.Option)
                and "--format" in param.opts
                and isinstance(param.type, click.Choice)
                and "json" in param.type.choices
            ):
                found.add((*path, name))
    return found


def test_every_json_format_parses(run: Invoker, db: psycopg.Connection, tmp_path: Path) -> None:
    reader = f"reader_{uuid.uuid4().hex[:12]}"
    export = write_acled(tmp_path / "export.csv", acled_rows())
    # In this order: what loads comes first, what lists and reports next, what removes last.
    calls: list[tuple[str, ...]] = [
        ("seed", "validate", str(SEEDS)),
        ("seed", "load", str(SEEDS), "-q"),
        ("import", "acled", str(export), "-q"),
        ("db", "status"),
        ("db", "history"),
        ("seed", "list"),
        ("bi", "dictionary"),
        ("bi", "list-readers"),
        ("bi", "url", reader),
        *(("report", name) for name in LISTINGS),
        ("report", "incident", UNREST),
        ("seed", "unload", str(ARTICLE), "--yes"),
    ]
    assert {c[:2] for c in calls} | {("import", "ucdp-ged")} == _with_json(cli)
    env = {bi.READER_PASSWORD_ENV: "a password"}
    try:
        assert Invoker(run.database_url, env)("bi", "create-reader", reader).exit_code == 0
        for call in calls:
            result = run(*call, "--format", "json")
            assert result.exit_code == 0, (call, result.output)
            assert json.loads(result.stdout) is not None, call
    finally:
        role = sql.Identifier(reader)
        if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reader,)).fetchone():
            db.execute(sql.SQL("DROP OWNED BY {}").format(role))
            db.execute(sql.SQL("DROP ROLE {}").format(role))


def test_seed_validate_as_json_lists_every_problem(tmp_path: Path) -> None:
    from click.testing import CliRunner

    bad = tmp_path / "bad.yaml"
    bad.write_text("source: {slug: x}\nincidents: [{slug: y, nonsense: 1}]\n")
    result = CliRunner().invoke(cli, ["seed", "validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert {(p["file"], p["line"], p["field"]) for p in report["problems"]} >= {
        (str(bad), 1, "source.file")
    }
    assert all(p["message"] for p in report["problems"]) and len(report["problems"]) > 1
    assert report["problem_count"] == len(report["problems"])
