"""What every report shares: the connection, the result shape, filters and slug checks.

Reports read through the `reporting` views (the same numbers a BI dashboard shows); a filter
the views cannot express joins the core tables by slug. User input only ever reaches SQL as a
bound parameter: the fragments composed here are constants.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidentdb.errors import UPGRADE_HINT, NotFound, SchemaError

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

    Connection = psycopg.Connection[Any]

_log = logging.getLogger("incidentdb.reports")

# The columns of each reporting view that reports return, in order: the documented keys of
# the JSON and CSV output (docs/reports.md). Columns a later migration adds stay out of the
# output until they are added here.
# fmt: off
VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "incidents": (
        "incident_slug", "title", "incident_type", "incident_type_label", "description",
        "occurred_from", "occurred_to", "country_iso2", "country_name", "parent_incident_slug",
        "killed_low", "killed_high", "injured_low", "injured_high", "casualty_report_count",
        "source_count", "killed_source_count", "killed_latest", "killed_latest_source_slug",
        "killed_latest_on", "injured_source_count", "injured_latest",
        "injured_latest_source_slug", "injured_latest_on",
    ),
    "casualty_reports": (
        "incident_slug", "report_key", "category", "population", "reported_count", "qualifier",
        "qualifier_label", "figure_as_reported", "count_low", "count_high", "range_low",
        "range_high", "reported_by", "reported_by_slug", "as_of", "source_slug", "source_title",
        "publisher", "published_on", "quote", "as_of_from", "as_of_to", "reported_by_person",
        "reported_by_organisation", "supersedes_key", "superseded_by_key", "part_of_key",
        "status", "in_range",
    ),
    "timeline": (
        "incident_slug", "mission_slug", "occurred_from", "occurred_to", "kind", "kind_label",
        "description", "place_name", "quote", "source_title",
    ),
    "missions": (
        "mission_slug", "name", "lead_organisation", "lead_organisation_slug", "mission_kind",
        "host_country_iso2", "host_country_name", "started_on", "started_from", "started_to",
        "ended_on", "ended_from", "ended_to", "mandate", "incident_slugs", "contributors",
        "quote",
    ),
    "organisations": (
        "organisation_slug", "name", "acronym", "kind", "kind_label", "parent_slug",
        "parent_name", "country_iso2", "aliases", "description",
    ),
    "persons": (
        "person_slug", "name", "role_title", "organisation_slug", "organisation_name",
        "is_former", "started_from", "started_to", "ended_from", "ended_to", "description",
    ),
    "statements": (
        "statement_key", "speaker", "speaker_slug", "speaker_organisation", "said_from",
        "said_to", "place_name", "occasion", "incident_slug", "mission_slug", "mode", "summary",
        "quote", "source_slug", "source_title", "publisher", "published_on",
    ),
    "sources": (
        "source_slug", "title", "publisher", "published_on", "dateline", "url", "language",
        "fact_count", "content_hash",
    ),
}
# fmt: on


@dataclass(frozen=True)
class Listing:
    """A report's rows. `columns` names every key of every row, in order, even with no rows;
    `whole` is False when the rows are one page of the report."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    whole: bool = True
    # Streamed instead (a server-side cursor, read while the connection is open): the rows,
    # then `rows` stays empty. Only a result with at least one row is streamed.
    stream: Iterator[dict[str, Any]] | None = None

    @property
    def empty(self) -> bool:
        return not self.rows and self.stream is None

    def all_rows(self) -> Iterator[dict[str, Any]]:
        """The rows, streamed or not (a stream can be read once)."""
        return self.stream if self.stream is not None else iter(self.rows)


@dataclass(frozen=True)
class Page:
    """Rows `offset` + 1 to `offset` + `limit` of a report, in its order (no limit: all)."""

    limit: int | None = None
    offset: int = 0

    @property
    def everything(self) -> bool:
        return self.limit is None and self.offset == 0


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    """A read-only connection whose queries all see one snapshot (repeatable read).

    psycopg directly, not an engine: a report is a handful of queries, and this keeps the
    command's start-up short.
    """
    import psycopg

    from incidentdb.db.settings import libpq_url

    with psycopg.connect(libpq_url(url), application_name="incidentdb report") as conn:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        yield conn


STREAM_BATCH = 2000  # rows per round trip of a streamed result
_cursor_names = itertools.count(1)


def fetch(
    conn: Connection, query: str | sql.Composed, params: Mapping[str, Any], stream: bool = False
) -> Listing:
    """Run one query (constant SQL, values as parameters); the rows and column names.

    With `stream`, through a server-side cursor: the first row is read at once (so that an
    empty result is known), the others in batches as the caller reads `Listing.stream`,
    which it must do before the connection's transaction ends. Memory stays flat."""
    from psycopg.rows import dict_row

    if not stream:
        with conn.cursor(row_factory=dict_row) as cur:
            _execute(cur, query, params)
            return Listing("", _columns(cur), cur.fetchall())
    server = conn.cursor(name=f"report_rows_{next(_cursor_names)}", row_factory=dict_row)
    try:
        _execute(server, query, params)
        server.itersize = STREAM_BATCH
        columns = _columns(server)
        first = server.fetchone()
    except BaseException:
        server.close()
        raise
    if first is None:
        server.close()
        return Listing("", columns, [])
    return Listing("", columns, [], stream=_streamed(server, first))


def _execute(cur: Any, query: str | sql.Composed, params: Mapping[str, Any]) -> None:
    from psycopg import errors

    if _log.isEnabledFor(logging.DEBUG):  # --debug
        text = query if isinstance(query, str) else query.as_string(cur.connection)
        _log.debug("%s\n  parameters: %r", " ".join(text.split()), dict(params))
    try:
        cur.execute(query, params)
    except (errors.UndefinedTable, errors.InvalidSchemaName) as exc:
        raise SchemaError(f"the database has no reporting views; {UPGRADE_HINT}") from exc


def _columns(cur: Any) -> tuple[str, ...]:
    return tuple(d.name for d in cur.description or ())


def _streamed(cur: Any, first: dict[str, Any]) -> Iterator[dict[str, Any]]:
    try:
        yield first
        yield from cur
    finally:
        cur.close()


class Query:
    """SELECT the contract columns of one view as `v`, plus joins, filters and an order.

    Conditions are constant SQL with %(name)s placeholders; values go in as parameters. A
    join that only a filter needs is added with that filter, so an unfiltered report does not
    pay for it.
    """

    def __init__(self, view: str, *joins: str) -> None:
        self.view = view
        self.joins = list(joins)
        self.conditions: list[str] = []
        self.params: dict[str, Any] = {}

    def where(self, condition: str, *, join: str | None = None, **params: Any) -> None:
        if join is not None and join not in self.joins:
            self.joins.append(join)
        self.conditions.append(condition)
        self.params.update(params)

    def run(
        self, conn: Connection, order_by: str, page: Page | None = None, stream: bool = False
    ) -> Listing:
        from psycopg import sql

        page = page or Page()
        where = sql.SQL(" AND ").join(map(sql.SQL, self.conditions))
        query = sql.SQL("SELECT {} FROM {} AS v {} {} ORDER BY {} LIMIT {} OFFSET {}").format(
            sql.SQL(", ").join(sql.Identifier("v", c) for c in VIEW_COLUMNS[self.view]),
            sql.Identifier("reporting", self.view),
            sql.SQL(" ".join(self.joins)),
            sql.SQL("WHERE ") + where if self.conditions else sql.SQL(""),
            sql.SQL(order_by),
            sql.Placeholder("page_limit"),
            sql.Placeholder("page_offset"),
        )
        params = {**self.params, "page_limit": page.limit, "page_offset": page.offset}
        result = fetch(conn, query, params, stream=stream)
        return Listing(
            self.view, result.columns, result.rows, whole=page.everything, stream=result.stream
        )


def overlaps(
    query: Query, start: str, end: str, since: dt.date | None, until: dt.date | None
) -> None:
    """Keep rows whose range [start, end] (NULL: open) overlaps [since, until]."""
    if since is not None:
        query.where(f"({end} IS NULL OR {end} >= %(since)s)", since=since)
    if until is not None:
        query.where(f"({start} IS NULL OR {start} <= %(until)s)", until=until)


# -- slugs and names the user typed -------------------------------------------------------


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """' Did you mean: a, b?' for the `n` closest candidates (case-insensitive), or ''."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.6)
    return f" Did you mean: {', '.join(by_lower[m] for m in matches)}?" if matches else ""


def _column(conn: Connection, query: str, params: Mapping[str, Any] | None = None) -> list[Any]:
    result = fetch(conn, query, params or {})
    return [next(iter(row.values())) for row in result.rows]


_KNOWN: dict[str, tuple[str, str, str, str]] = {
    # what: (the word in messages, the query that checks one, the query that lists all, hint)
    "incident": (
        "incident",
        "SELECT 1 FROM reporting.incidents WHERE incident_slug = %(value)s",
        "SELECT incident_slug FROM reporting.incidents",
        "incidentdb report incidents",
    ),
    "organisation": (
        "organisation",
        "SELECT 1 FROM reporting.organisations WHERE organisation_slug = %(value)s",
        "SELECT organisation_slug FROM reporting.organisations",
        "incidentdb report organisations",
    ),
    "category": (
        "casualty category",
        "SELECT 1 FROM casualty_category WHERE code = %(value)s",
        "SELECT code FROM casualty_category ORDER BY sort_order",
        "",
    ),
}


def check_exists(conn: Connection, what: str, value: str) -> None:
    """Raise NotFound, with the closest matches, if no `what` has this slug."""
    word, one, every, hint = _KNOWN[what]
    if _column(conn, one, {"value": value}):
        return
    candidates = _column(conn, every)
    suggestion = did_you_mean(value, candidates)
    if not suggestion and what == "category":
        suggestion = f" Categories: {', '.join(candidates)}."
    elif not suggestion and hint:
        suggestion = f" List them with: {hint}"
    raise NotFound(f"no {word} {value}.{suggestion}")


def check_filters(conn: Connection, **slugs: str | None) -> None:
    """After an empty result: say which slug, if any, names nothing (raises NotFound)."""
    for what, value in slugs.items():
        if value is not None:
            check_exists(conn, what, value)


def resolve_country(conn: Connection, text: str) -> str:
    """The ISO alpha-2 code of a country given by alpha-2 or alpha-3 code, name or slug.

    Countries in the database come first; a real country the database does not hold yet
    (pycountry knows it) resolves too, and simply matches nothing.
    """
    found = _column(
        conn,
        "SELECT iso_alpha2 FROM place WHERE kind = 'country' AND (iso_alpha2 = upper(%(c)s)"
        " OR iso_alpha3 = upper(%(c)s) OR lower(name) = lower(%(c)s) OR slug = lower(%(c)s))"
        " ORDER BY iso_alpha2 = upper(%(c)s) DESC, iso_alpha2 LIMIT 1",
        {"c": text.strip()},
    )
    if found:
        return str(found[0])
    import pycountry

    try:
        return str(pycountry.countries.lookup(text.strip()).alpha_2)
    except LookupError:
        pass
    known = _column(conn, "SELECT name FROM place WHERE kind = 'country'")
    names = [k for k in known if k] + [c.name for c in pycountry.countries]
    raise NotFound(f"no country {text}.{did_you_mean(text, names, n=1)}")
