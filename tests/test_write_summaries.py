"""What `seed load`, `seed unload` and `import` say they did: one sentence for people, one JSON
object for programs, and both agree with the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg

from incidentdb.cli.changes import sentence
from incidentdb.write.results import Changes
from tests.conftest import SEEDS, Invoker
from tests.snapshots import row_counts
from tests.test_imports import acled_rows, write_acled

LEDGER = {"seed_file", "seed_file_claim"}


def _net(summary: dict[str, Any], before: dict[str, int], after: dict[str, int]) -> None:
    """Each table the summary names grew by what it says was added less what was removed,
    and no other table changed but the ledger of loaded files (and its claims)."""
    for table, c in summary["tables"].items():
        assert after.get(table, 0) - before.get(table, 0) == c["added"] - c["removed"], table
    others = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    assert others - summary["tables"].keys() <= LEDGER, others


def test_the_sentence_is_past_for_a_write_and_conditional_for_a_dry_run() -> None:
    assert sentence(Changes(818605, 1200, 0), dry_run=False) == (
        "Added 818,605 rows, changed 1,200 and removed 0."
    )
    assert sentence(Changes(818605, 0, 3), dry_run=True, source="export.csv") == (
        "Would add 818,605 rows, change 0 and remove 3 from export.csv (dry run: nothing written)."
    )


def test_seed_load_as_json_is_what_was_written(run: Invoker, db: psycopg.Connection) -> None:
    before = row_counts(db)
    dry = run("seed", "load", str(SEEDS), "--dry-run", "--format", "json", "-q")
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.stdout)
    assert planned["dry_run"] is True and row_counts(db) == before

    result = run("seed", "load", str(SEEDS), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["dry_run"] is False
    assert summary["total"] == planned["total"] and summary["total"]["added"] > 0
    _net(summary, before, row_counts(db))
    assert sum(t["added"] for t in summary["tables"].values()) == summary["total"]["added"]
    assert len(summary["files"]["loaded"]) == len(list(SEEDS.glob("*.yaml")))
    assert "Added" not in result.stdout  # the sentence is for people, on stderr

    again = json.loads(run("seed", "load", str(SEEDS), "--format", "json", "-q").stdout)
    assert again["total"] == {"added": 0, "changed": 0, "removed": 0}
    assert again["files"]["loaded"] == [] and len(again["files"]["unchanged"]) == len(
        summary["files"]["loaded"]
    )


def test_seed_unload_as_json_counts_the_rows_removed(run: Invoker, db: psycopg.Connection) -> None:
    assert run("seed", "load", str(SEEDS), "-q").exit_code == 0
    before = row_counts(db)
    article = next(p for p in SEEDS.glob("*.yaml") if p.name != "registry.yaml")
    result = run("seed", "unload", str(article), "--format", "json", "--yes")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(summary["files"]["withdrawn"]) == 1
    assert summary["total"]["added"] == 0 and summary["total"]["removed"] > 0
    _net(summary, before, row_counts(db))


def test_import_as_json_and_as_text(run: Invoker, db: psycopg.Connection, tmp_path: Path) -> None:
    export = write_acled(tmp_path / "export.csv", acled_rows())
    before = row_counts(db)
    result = run("import", "acled", str(export), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["total"]["added"] > 0
    _net(summary, before, row_counts(db))
    assert summary["files"]["loaded"] == [str(export)]

    again = run("import", "acled", str(export), "-q")
    assert again.exit_code == 0
    assert again.stdout == ""
    assert f"Nothing to do: {export} is already imported and unchanged." in again.stderr
