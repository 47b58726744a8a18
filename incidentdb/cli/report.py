"""`incidentdb report ...`: options in, one library call, rows out.

The reports themselves live in `incidentdb.reports` (rows from the `reporting` views); how they
look as tables in `incidentdb.cli.layouts`, and how rows are printed in `incidentdb.cli.output`.
Both are imported inside the commands.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

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


@report.command()
@incident_option()
@country_option("Only incidents in this country")
@organisation_option("Only figures reported by this organisation")
@category_option()
@period_options("incidents")
@page_options()
@format_option()
@pass_app
def casualties(
    app: AppContext,
    incident: str | None,
    country: str | None,
    organisation: str | None,
    category: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Casualty figures: one row per report, as reported, with who reported them.

    Each row keeps the figure's words ("more than 4,500"), its qualifier and the bounds it
    implies, and the range across all reports of its incident and category (range_low,
    range_high). Conflicting reports are shown side by side, never summed.

    \b
    Example:
      incidentdb report casualties --incident 2022-kazakhstan-unrest --category killed
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.casualties(
            conn,
            incident=incident,
            country=_country(conn, country),
            organisation=organisation,
            category=category,
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only this incident and its missions")
@country_option("Only incidents in, and missions hosted by, this country")
@period_options("events")
@page_options()
@format_option()
@pass_app
def timeline(
    app: AppContext,
    incident: str | None,
    country: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """What happened when, in date order; a date known only as a range shows as one.

    \b
    Example:
      incidentdb report timeline --incident 2022-kazakhstan-unrest
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.timeline(
            conn,
            incident=incident,
            country=_country(conn, country),
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only missions that responded to this incident")
@country_option("Only missions hosted by this country")
@organisation_option("Only missions this organisation led or contributed to")
@period_options("missions active")
@page_options()
@format_option()
@pass_app
def missions(
    app: AppContext,
    incident: str | None,
    country: str | None,
    organisation: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Missions: lead organisation, kind, host country, dates, incidents, contributors.

    \b
    Example:
      incidentdb report missions --organisation csto
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.missions(
            conn,
            incident=incident,
            country=_country(conn, country),
            organisation=organisation,
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only organisations involved in this incident")
@country_option("Only organisations of this country")
@page_options()
@format_option()
@pass_app
def organisations(
    app: AppContext,
    incident: str | None,
    country: str | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Organisations: kind, parent body, country, aliases.

    With --incident: those that reported its figures, led or joined its missions, spoke
    about it, or in which a person who did holds a role.

    \b
    Example:
      incidentdb report organisations --incident 2022-kazakhstan-unrest
    """
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.organisations(
            conn,
            incident=incident,
            country=_country(conn, country),
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only persons who spoke about this incident or reported its figures")
@organisation_option("Only roles in this organisation")
@page_options()
@format_option()
@pass_app
def persons(
    app: AppContext,
    incident: str | None,
    organisation: str | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Persons with their roles and the periods they held them (one row per role).

    \b
    Example:
      incidentdb report persons --organisation csto
    """
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.persons(
            conn,
            incident=incident,
            organisation=organisation,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only statements about this incident or its missions")
@country_option("Only statements about incidents in, or missions hosted by, this country")
@organisation_option("Only statements by, or on behalf of, this organisation")
@period_options("statements made")
@page_options()
@format_option()
@pass_app
def statements(
    app: AppContext,
    incident: str | None,
    country: str | None,
    organisation: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Statements: who said what, when and where, about what, with the quote.

    \b
    Example:
      incidentdb report statements --incident 2022-kazakhstan-unrest --format jsonl
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.statements(
            conn,
            incident=incident,
            country=_country(conn, country),
            organisation=organisation,
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@incident_option("Only sources of facts about this incident")
@organisation_option("Only sources this organisation published")
@period_options("sources published")
@page_options()
@format_option()
@pass_app
def sources(
    app: AppContext,
    incident: str | None,
    organisation: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Sources: publisher, date, title, and how many facts each supports.

    \b
    Example:
      incidentdb report sources --organisation tass
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.sources(
            conn,
            incident=incident,
            organisation=organisation,
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@country_option("Only incidents in this country")
@period_options("incidents")
@page_options()
@format_option()
@pass_app
def incidents(
    app: AppContext,
    country: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    offset: int,
    fmt: str,
) -> None:
    """Incidents: type, dates, country, and the range of reported deaths and injuries.

    Lists the slugs the other reports' --incident options take.

    \b
    Example:
      incidentdb report incidents --country Kazakhstan
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.incidents(
            conn,
            country=_country(conn, country),
            since=since,
            until=until,
            page=reports.Page(limit, offset),
            stream=stream,
        ),
    )


@report.command()
@country_option("Only incidents in this country")
@period_options("incidents")
@format_option()
@pass_app
def summary(
    app: AppContext,
    country: str | None,
    since: dt.date | None,
    until: dt.date | None,
    fmt: str,
) -> None:
    """Counts per year, country and incident type, with the range of deaths and injuries.

    Ranges add up across different incidents only: the low end sums each incident's lowest
    figure; the high end is blank unless every incident in the row has an upper bound.

    \b
    Example:
      incidentdb report summary --since 2022-01-01 --until 2022-12-31
    """
    check_period(since, until)
    from incidentdb import reports

    _show(
        app,
        fmt,
        lambda conn, stream: reports.summary(
            conn, country=_country(conn, country), since=since, until=until
        ),
    )
