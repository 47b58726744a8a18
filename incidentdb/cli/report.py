"""`incidentdb report ...`: options in, one library call, rows out.

The reports themselves live in `incidentdb.reports` (rows from the `reporting` views); how they
look as tables in `incidentdb.cli.layouts`, and how rows are printed in `incidentdb.cli.output`.
Both are imported inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from incidentdb.cli.context import AppContext, pass_app
from incidentdb.cli.output import format_option
from incidentdb.cli.params import (
    category_option,
    check_period,
    country_option,
    incident_option,
    organisation_option,
    page_options,
    period_options,
)

if TYPE_CHECKING:
    from incidentdb.reports import Listing
    from incidentdb.reports.core import Connection


@click.group()
def report() -> None:
    """Reports for briefings, read through the `reporting` views (the numbers BI tools see).

    Every report prints a table by default; --format csv, json or jsonl gives the same rows
    to programs, with the view's column names as keys (`incidentdb bi dictionary` lists
    them).

    \b
    Examples:
      incidentdb report casualties --incident 2022-kazakhstan-unrest
      incidentdb report timeline --country kz
      incidentdb report incident 2022-kazakhstan-unrest --format json
      incidentdb report summary --since 2022-01-01 --format csv > summary.csv
    """


def _show(app: AppContext, fmt: str, produce: Callable[[Connection, bool], Listing]) -> None:
    """Run a report and print it. Rows are written as the server sends them (machine formats,
    and tables drawn part by part), so a long report starts at once and memory stays flat."""
    from incidentdb import reports
    from incidentdb.cli import layouts, output

    with reports.connect(app.url) as conn:
        listing = produce(conn, True)
        if fmt != "table":
            output.write_records(fmt, output.RowSource(listing.columns, listing.all_rows()))
            return
        if listing.stream is None:  # no rows, or a short list
            output.write_tables(layouts.tables(listing))
            return
        columns = layouts.plain_table(listing)
        if columns is not None:
            _paged(output.table_chunks(columns, listing.stream, sys.stdout))
        else:
            _paged(output.block_chunks(layouts.tables(listing), sys.stdout))


def _paged(chunks: Iterator[str]) -> None:
    """On a terminal through a pager, as `git log` does (less quits at once if it all fits
    on one screen; PAGER=cat turns it off); elsewhere straight to stdout."""
    if sys.stdout.isatty():
        import os

        os.environ.setdefault("LESS", "FRX")
        click.echo_via_pager(chunks)
        return
    for text in chunks:
        sys.stdout.write(text)


def _country(conn: Connection, country: str | None) -> str | None:
    """The country's ISO code; a name that is no country is a usage error (exit 2)."""
    from incidentdb.errors import NotFound
    from incidentdb.reports import resolve_country

    if country is None:
        return None
    try:
        return resolve_country(conn, country)
    except NotFound as exc:
        raise click.BadParameter(str(exc), param_hint="'--country'") from exc


@dataclass(frozen=True)
class ReportCommand:
    """One `incidentdb report NAME`: its options (in --help order), its help and whether it
    pages (--limit, --offset) and streams. The command calls `reports.NAME` with its options."""

    name: str
    options: tuple[Callable[[Any], Any], ...]
    help: str
    paged: bool = True


REPORTS = (
    ReportCommand(
        "casualties",
        (
            incident_option(),
            country_option("Only incidents in this country"),
            organisation_option("Only figures reported by this organisation"),
            category_option(),
            period_options("incidents"),
        ),
        """Casualty figures: one row per report, as reported, with who reported them.

    Each row keeps the figure's words ("more than 4,500"), its qualifier and the bounds it
    implies, and the range across all reports of its incident and category (range_low,
    range_high). Conflicting reports are shown side by side, never summed.

    \b
    Example:
      incidentdb report casualties --incident 2022-kazakhstan-unrest --category killed
    """,
    ),
    ReportCommand(
        "timeline",
        (
            incident_option("Only this incident and its missions"),
            country_option("Only incidents in, and missions hosted by, this country"),
            period_options("events"),
        ),
        """What happened when, in date order; a date known only as a range shows as one.

    \b
    Example:
      incidentdb report timeline --incident 2022-kazakhstan-unrest
    """,
    ),
    ReportCommand(
        "missions",
        (
            incident_option("Only missions that responded to this incident"),
            country_option("Only missions hosted by this country"),
            organisation_option("Only missions this organisation led or contributed to"),
            period_options("missions active"),
        ),
        """Missions: lead organisation, kind, host country, dates, incidents, contributors.

    \b
    Example:
      incidentdb report missions --organisation csto
    """,
    ),
    ReportCommand(
        "organisations",
        (
            incident_option("Only organisations involved in this incident"),
            country_option("Only organisations of this country"),
        ),
        """Organisations: kind, parent body, country, aliases.

    With --incident: those that reported its figures, led or joined its missions, spoke
    about it, or in which a person who did holds a role.

    \b
    Example:
      incidentdb report organisations --incident 2022-kazakhstan-unrest
    """,
    ),
    ReportCommand(
        "persons",
        (
            incident_option("Only persons who spoke about this incident or reported its figures"),
            organisation_option("Only roles in this organisation"),
        ),
        """Persons with their roles and the periods they held them (one row per role).

    \b
    Example:
      incidentdb report persons --organisation csto
    """,
    ),
    ReportCommand(
        "statements",
        (
            incident_option("Only statements about this incident or its missions"),
            country_option(
                "Only statements about incidents in, or missions hosted by, this country"
            ),
            organisation_option("Only statements by, or on behalf of, this organisation"),
            period_options("statements made"),
        ),
        """Statements: who said what, when and where, about what, with the quote.

    \b
    Example:
      incidentdb report statements --incident 2022-kazakhstan-unrest --format jsonl
    """,
    ),
    ReportCommand(
        "sources",
        (
            incident_option("Only sources of facts about this incident"),
            organisation_option("Only sources this organisation published"),
            period_options("sources published"),
        ),
        """Sources: publisher, date, title, and how many facts each supports.

    \b
    Example:
      incidentdb report sources --organisation tass
    """,
    ),
    ReportCommand(
        "incidents",
        (country_option("Only incidents in this country"), period_options("incidents")),
        """Incidents: type, dates, country, and the range of reported deaths and injuries.

    Lists the slugs the other reports' --incident options take.

    \b
    Example:
      incidentdb report incidents --country Kazakhstan
    """,
    ),
    ReportCommand(
        "summary",
        (country_option("Only incidents in this country"), period_options("incidents")),
        """Counts per year, country and incident type, with the range of deaths and injuries.

    Ranges add up across different incidents only: the low end sums each incident's lowest
    figure; the high end is blank unless every incident in the row has an upper bound.

    \b
    Example:
      incidentdb report summary --since 2022-01-01 --until 2022-12-31
    """,
        paged=False,
    ),
)


def _command(spec: ReportCommand) -> click.Command:
    """The click command of one report: its options in, `reports.NAME(conn, ...)`, rows out."""

    def run(app: AppContext, fmt: str, **options: Any) -> None:
        check_period(options.get("since"), options.get("until"))
        from incidentdb import reports

        produce = getattr(reports, spec.name)
        if spec.paged:
            page = reports.Page(options.pop("limit"), options.pop("offset"))

        def listing(conn: Connection, stream: bool) -> Listing:
            filters = dict(options)
            if "country" in filters:
                filters["country"] = _country(conn, filters["country"])
            if spec.paged:
                filters.update(page=page, stream=stream)
            return produce(conn, **filters)  # type: ignore[no-any-return]

        _show(app, fmt, listing)

    decorated: Callable[..., Any] = pass_app(run)
    decorated = format_option()(decorated)
    if spec.paged:
        decorated = page_options()(decorated)
    for option in reversed(spec.options):
        decorated = option(decorated)
    return click.command(spec.name, help=spec.help)(decorated)


for _spec in REPORTS:
    report.add_command(_command(_spec))
