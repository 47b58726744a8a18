"""Progress through the whole write: the library names each step as it starts, and a command
in a pipe prints one line when it starts and its summary when it ends."""

from __future__ import annotations

from pathlib import Path

from incidentdb.db.settings import libpq_url
from incidentdb.imports.acled import Acled
from incidentdb.imports.common import run_import
from incidentdb.seeds.run import load_seeds
from tests.conftest import SEEDS, Invoker
from tests.test_imports import acled_rows, write_acled


def test_an_import_names_every_database_step_as_it_starts(
    database_url: str, tmp_path: Path
) -> None:
    file = write_acled(tmp_path / "export.csv", acled_rows())
    steps: list[str] = []
    read: list[int] = []
    report = run_import(
        libpq_url(database_url), file, Acled(), on_step=steps.append, on_bytes=read.append
    )
    assert report.total.added > 0
    assert steps[0] == "copy into staging"
    written = [s.removeprefix("write ") for s in steps if s.startswith("write ")]
    # every table the import wrote to was announced before it was written
    assert {t for t, c in report.tables.items() if c.added} <= set(written)
    assert read and read[-1] == file.stat().st_size


def test_a_seed_load_names_its_reading_and_writing_steps(database_url: str) -> None:
    steps: list[str] = []
    load_seeds(libpq_url(database_url), [SEEDS], on_step=steps.append)
    assert steps[0].startswith("reading ") and steps[0].endswith(" seed files")
    assert "write incident" in steps and "remove incident" in steps
    assert steps.index("write incident") < steps.index("remove incident")


def test_in_a_pipe_an_import_prints_a_start_line_and_a_summary(
    run: Invoker, tmp_path: Path
) -> None:
    file = write_acled(tmp_path / "export.csv", acled_rows())
    result = run("import", "acled", str(file))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"Importing export.csv ({file.stat().st_size:,} bytes)..."
    assert lines[-1].startswith("Added ")


def test_quiet_prints_the_summary_only(run: Invoker) -> None:
    result = run("seed", "load", "--quiet", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "Loading seeds" not in result.stderr
    loud = run("seed", "load", "--dry-run", str(SEEDS))
    assert loud.stderr.splitlines()[0] == "Loading seeds..."
