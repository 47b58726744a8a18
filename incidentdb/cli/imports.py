"""`incidentdb import ...`: the peers' datasets (UCDP GED, ACLED) beside the coded articles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from incidentdb.cli.changes import echo_summary, summary_format_option
from incidentdb.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from incidentdb.imports.common import Dataset

FILE = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")


@click.group(name="import")
def import_() -> None:
    """Import the peers' event datasets into the same schema as the coded articles.

    Imports go through the seed loader: all or nothing, a re-import of the same file changes
    nothing, and a newer export of the same dataset updates the events that changed.
    The mapping is documented in the project's documentation.

    \b
    Examples:
      incidentdb import ucdp-ged ged231-csv.zip.csv
      incidentdb import acled 2022-01-01-2022-12-31-Kazakhstan.csv --dry-run
    """


@import_.command(name="ucdp-ged")
@FILE
@click.option(
    "--release", metavar="VERSION", help="GED release, e.g. 23.1 (default: from the file name)."
)
@DRY_RUN
@summary_format_option
@pass_app
def ucdp_ged(app: AppContext, file: Path, release: str | None, dry_run: bool, fmt: str) -> None:
    """Import a UCDP GED file (CSV, or GeoJSON with one point feature per event).

    \b
    Example:
      incidentdb import ucdp-ged ucdp-ged-23.1-central-african-republic.geojson
    """
    from incidentdb.imports.ucdp import UcdpGed

    _run(app, file, UcdpGed(release), dry_run, fmt)


@import_.command()
@FILE
@click.option(
    "--date-format",
    metavar="FORMAT",
    help="How event_date is written, as a strptime format, e.g. %m/%d/%Y for US-style dates. "
    "Without it, dates with slashes are read only when they read one way.",
)
@DRY_RUN
@summary_format_option
@pass_app
def acled(app: AppContext, file: Path, date_format: str | None, dry_run: bool, fmt: str) -> None:
    """Import an ACLED CSV export (one incident per event_id_cnty, whatever the rows).

    \b
    Examples:
      incidentdb import acled 2022-01-01-2022-12-31-Kazakhstan.csv
      incidentdb import acled export.csv --date-format %m/%d/%Y
    """
    from incidentdb.imports.acled import Acled

    if date_format is not None and "%" not in date_format:
        raise click.BadParameter(
            f"{date_format!r} is not a strptime format (e.g. %d/%m/%Y)",
            param_hint="'--date-format'",
        )
    _run(app, file, Acled(date_format), dry_run, fmt)


def _run(app: AppContext, file: Path, dataset: Dataset, dry_run: bool, fmt: str) -> None:
    from incidentdb.cli.progress import job_progress, say_waiting
    from incidentdb.imports.common import run_import

    size = file.stat().st_size if file.is_file() else None
    with job_progress(f"Importing {file.name}", size) as hooks:
        report = run_import(
            app.url,
            file,
            dataset,
            dry_run=dry_run,
            on_wait=say_waiting,
            on_bytes=hooks.on_bytes,
            on_step=hooks.on_step,
        )
    echo_summary(
        report,
        dry_run,
        fmt,
        source=str(file),
        nothing=f"Nothing to do: {file} is already imported and unchanged.",
    )
