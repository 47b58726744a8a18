"""Options that several commands share, defined once.

Only click at import time: these decorators run when `incidentdb --help` loads the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DATE_FORMAT = "%Y-%m-%d"


def country_option(help: str = "Only this country") -> Callable[[F], F]:
    return click.option(
        "--country",
        metavar="COUNTRY",
        help=f"{help}: an ISO code (KZ, KAZ) or name (Kazakhstan), in any case.",
    )


def incident_option(help: str = "Only this incident") -> Callable[[F], F]:
    return click.option("--incident", metavar="SLUG", help=f"{help} (its slug).")


def organisation_option(help: str) -> Callable[[F], F]:
    return click.option("--organisation", metavar="SLUG", help=f"{help} (its slug).")


def category_option() -> Callable[[F], F]:
    from typing import get_args

    from incidentdb.vocabulary import CasualtyCategoryCode

    return click.option(
        "--category",
        type=click.Choice(get_args(CasualtyCategoryCode), case_sensitive=False),
        help="Only this casualty category.",
    )


def page_options() -> Callable[[F], F]:
    """--limit and --offset: one page of a report's rows, in the report's order."""

    def decorate(f: F) -> F:
        f = click.option(
            "--offset",
            type=click.IntRange(min=0),
            default=0,
            metavar="N",
            help="Skip the first N rows (with --limit, to page through a long report).",
        )(f)
        return click.option(
            "--limit",
            type=click.IntRange(min=0),
            metavar="N",
            help="At most N rows.",
        )(f)

    return decorate


def _to_date(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> Any:
    return value.date() if value is not None else None


def period_options(what: str) -> Callable[[F], F]:
    """--since and --until (YYYY-MM-DD, both days included), as dates."""

    def decorate(f: F) -> F:
        for name, side in (("--until", "on or before"), ("--since", "on or after")):
            f = click.option(
                name,
                type=click.DateTime([DATE_FORMAT]),
                metavar="YYYY-MM-DD",
                callback=_to_date,
                help=f"Only {what} {side} this day (a date range counts if it overlaps).",
            )(f)
        return f

    return decorate


def check_period(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and until < since:
        raise click.BadParameter(f"{until} is before --since {since}.", param_hint="--until")
