"""What a seed load, an unload or an import changed: the command's summary.

For people (`--format table`, the default) a table of the tables touched and one sentence,
on stderr: past tense for what was written, the conditional for a dry run, thousands
separators. For programs (`--format json`) one object on stdout, the same for every write
command:

    {"dry_run": false, "files": {"loaded": [...], "unchanged": [...], "withdrawn": [...],
     "gone": [...]}, "tables": {"incident": {"added": 1, "changed": 0, "removed": 0}, ...},
     "total": {"added": 73, "changed": 0, "removed": 0}}
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from incidentdb.cli.output import format_option, write_document

if TYPE_CHECKING:
    from incidentdb.write.results import Changes, LoadReport

SUMMARY_FORMATS = ("table", "json")

summary_format_option = format_option(SUMMARY_FORMATS)


def sentence(total: Changes, dry_run: bool, source: str | None = None) -> str:
    """ "Added 1,234 rows, changed 5, removed 0." or, for a dry run, what would be done."""
    of = f" from {source}" if source else ""
    if dry_run:
        return (
            f"Would add {total.added:,} rows, change {total.changed:,} and remove "
            f"{total.removed:,}{of} (dry run: nothing written)."
        )
    return (
        f"Added {total.added:,} rows, changed {total.changed:,} and removed {total.removed:,}{of}."
    )


def document(report: LoadReport, dry_run: bool) -> dict[str, Any]:
    """The summary as one JSON-ready object (see the module's docstring)."""
    return {
        "dry_run": dry_run,
        "files": {
            "loaded": report.loaded,
            "unchanged": report.unchanged,
            "withdrawn": report.withdrawn,
            "gone": report.gone,
        },
        "tables": {table: asdict(c) for table, c in report.tables.items() if c.total},
        "total": asdict(report.total),
    }


def echo_summary(
    report: LoadReport,
    dry_run: bool,
    fmt: str,
    source: str | None = None,
    nothing: str = "Nothing to do: every file is loaded and unchanged.",
) -> None:
    """Print the summary: JSON on stdout, or on stderr each file's fate (unless the write had
    one `source`), the tables touched and the sentence; `nothing` when nothing changed."""
    if fmt == "json":
        write_document("json", document(report, dry_run))
        return
    if source is None:
        for name in report.unchanged:
            click.echo(f"unchanged  {name}", err=True)
        for name in report.loaded:
            click.echo(f"{'would load' if dry_run else 'loaded    '} {name}", err=True)
        for name in report.withdrawn:
            click.echo(f"{'would withdraw' if dry_run else 'withdrawn '} {name}", err=True)
    if not (report.loaded or report.withdrawn):
        click.echo(nothing, err=True)
        return
    width = max([len(t) for t in report.tables] or [5])
    click.echo(f"{'table':<{width}}  {'added':>9} {'changed':>9} {'removed':>9}", err=True)
    for table, c in report.tables.items():
        if c.total:
            click.echo(f"{table:<{width}}  {c.added:>9,} {c.changed:>9,} {c.removed:>9,}", err=True)
    click.echo(sentence(report.total, dry_run, source), err=True)
