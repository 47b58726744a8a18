"""`incidentdb report incident SLUG`: the dossier of one incident, whole or one part at a time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from incidentdb.cli.context import AppContext, pass_app
from incidentdb.cli.output import format_option
from incidentdb.reports.dossier import PARTS

if TYPE_CHECKING:
    from incidentdb.reports import Dossier


@click.command()
@click.argument("slug")
@click.option(
    "--section",
    type=click.Choice(PARTS),
    help="Only this part of the dossier, as its own rows (any format).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each part to its own file in this folder (SECTION.csv, .json or .jsonl) "
    "instead of printing.",
)
@format_option()
@pass_app
def incident(
    app: AppContext, slug: str, section: str | None, output_dir: Path | None, fmt: str
) -> None:
    """The dossier of one incident: everything known about it, with its sources' quotes.

    The incident, its timeline, casualty reports, missions, the organisations and persons
    involved, statements about it, and its sources with the quotes taken from them. JSON is
    one object with a key per section. A CSV holds one table: choose a part with --section,
    or write one file per part with --output-dir.

    \b
    Examples:
      incidentdb report incident 2022-kazakhstan-unrest
      incidentdb report incident 2022-kazakhstan-unrest --section casualty_reports --format csv
      incidentdb report incident 2022-kazakhstan-unrest --format csv --output-dir dossier/
    """
    if output_dir is not None and (fmt == "table" or section is not None):
        raise click.UsageError(
            "--output-dir writes every part as csv, json or jsonl: give --format, and no --section."
        )
    if fmt == "csv" and section is None and output_dir is None:
        raise click.UsageError(
            "a CSV holds one table: choose a part with --section "
            f"({', '.join(PARTS)}), or write one file per part with --output-dir."
        )
    from incidentdb import reports
    from incidentdb.cli import layouts, output

    with reports.connect(app.url) as conn:
        dossier = reports.dossier(conn, slug)
    if output_dir is not None:
        _write_parts(dossier, output_dir, fmt)
    elif section is not None and fmt == "table":
        output.write_tables(layouts.dossier_tables(dossier, section))
    elif section is not None:
        output.write_records(fmt, dossier.part(section))
    elif fmt == "table":
        output.write_tables(layouts.dossier_tables(dossier))
    else:
        output.write_document(fmt, dossier.document())


def _write_parts(dossier: Dossier, folder: Path, fmt: str) -> None:
    """One file per part of the dossier; a line on stderr says what was written."""
    from incidentdb.cli import output

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PARTS:
        part = dossier.part(name)
        path = folder / f"{name}.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as out:
            output.write_records(fmt, part, out)
        written.append(
            f"{path.name} ({len(part.rows):,} {'row' if len(part.rows) == 1 else 'rows'})"
        )
    click.echo(f"Wrote {len(written)} files to {folder}: {', '.join(written)}.", err=True)
