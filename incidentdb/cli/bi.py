"""`incidentdb bi ...`: a read-only login for BI tools, and the data dictionary."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from incidentdb.cli.context import AppContext, pass_app
from incidentdb.cli.output import format_option

if TYPE_CHECKING:
    from incidentdb.bi.login import Login


@click.group()
def bi() -> None:
    """Connect BI tools: a read-only login and the data dictionary.

    BI tools read the views in the schema 'reporting'; every view and column carries a
    description that Metabase, Superset and others show; `incidentdb bi dictionary` lists
    them. Connecting a BI tool is described in the project's documentation.

    \b
    Examples:
      incidentdb bi create-reader metabase    # asks for its password
      incidentdb bi list-readers
      incidentdb bi url metabase              # host, port, URLs for the BI tool
      incidentdb bi drop-reader metabase
      incidentdb bi dictionary > dictionary.md
    """


def _role_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from incidentdb.bi import InvalidRoleName, validate_role_name

    try:
        return validate_role_name(value)
    except InvalidRoleName as exc:
        raise click.BadParameter(str(exc)) from exc


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from incidentdb.bi import BiError, validate_duration

    try:
        return validate_duration(value, param.name or "")
    except BiError as exc:
        raise click.BadParameter(str(exc)) from exc


@bi.command("create-reader")
@click.argument("name", callback=_role_name)
@click.option(
    "--statement-timeout",
    "statement_timeout",
    default="5min",
    show_default=True,
    callback=_duration,
    help="The reader's queries are cancelled after this long (500ms, 30s, 5min, 1h).",
)
@click.option(
    "--idle-timeout",
    "idle_in_transaction_session_timeout",
    default="1min",
    show_default=True,
    callback=_duration,
    help="Its sessions end when idle this long inside a transaction.",
)
@pass_app
def create_reader(
    app: AppContext, name: str, statement_timeout: str, idle_in_transaction_session_timeout: str
) -> None:
    """Create or update NAME, a login that can read the reporting views and nothing else.

    The password comes from INCIDENTDB_READER_PASSWORD or is asked for (hidden, twice); it is
    stored as a SCRAM-SHA-256 hash and never printed. Running it again for the same NAME
    sets a new password and renews the grants and timeouts. Prints what to enter in the BI
    tool.

    In this database PUBLIC loses TEMP and the large-object and advisory-lock functions
    (the users that load data keep them); the reader cannot take the writers' lock. The
    timeouts are the role's defaults: a client can change them with SET.

    \b
    Examples:
      incidentdb bi create-reader metabase
      incidentdb bi create-reader superset --statement-timeout 2min --idle-timeout 30s
      INCIDENTDB_READER_PASSWORD=... incidentdb bi create-reader superset
    """
    import os

    from incidentdb import bi
    from incidentdb.db.engine import connect
    from incidentdb.db.serve import DEFAULT_HOST, DEFAULT_PORT

    password = os.environ.get(bi.READER_PASSWORD_ENV) or click.prompt(
        f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True
    )
    with connect(app.engine) as conn:
        reader = bi.create_reader(
            conn, name, password, statement_timeout, idle_in_transaction_session_timeout
        )
    login = bi.login_details(app.url, name, DEFAULT_HOST, DEFAULT_PORT)

    click.echo(
        f"{'Created' if reader.created else 'Updated'} the read-only login {name!r} on database "
        f"{reader.database!r}.",
        err=True,
    )
    for note in reader.notes:
        click.echo(f"Note: {note}.", err=True)
    click.echo(
        f"Its queries stop after {reader.statement_timeout}; a session idle in a transaction "
        f"ends after {reader.idle_timeout}.",
        err=True,
    )
    if app.settings.embedded:
        click.echo(
            f"Over TCP (`incidentdb db serve`) logins reach database {reader.database!r} only.",
            err=True,
        )
    elif reader.other_databases:
        others = ", ".join(reader.other_databases)
        click.echo(
            f"Warning: {name!r} can also connect to {others} on this server (PUBLIC has CONNECT "
            "there). incidentdb does not manage this server's pg_hba.conf; to keep the reader "
            f"to {reader.database!r}, an administrator adds, ahead of the other lines: "
            f"'host {reader.database} {name} all scram-sha-256' then 'host all {name} all "
            f"reject' (and reloads), or runs REVOKE CONNECT ON DATABASE ... FROM PUBLIC on "
            "each of them.",
            err=True,
        )
    if login.local_socket:
        click.echo(
            "The embedded database listens on a local socket only: run `incidentdb db serve` "
            "and leave it running while the BI tool connects.",
            err=True,
        )
    _echo_login(login, "table")


def _echo_login(login: Login, fmt: str) -> None:
    if fmt == "json":
        from dataclasses import asdict

        from incidentdb.cli.output import write_document

        fields = {k: v for k, v in asdict(login).items() if k != "local_socket"}
        write_document("json", {**fields, "jdbc_url": login.jdbc_url, "url": login.libpq_url})
        return
    click.echo(f"host:     {login.host}")
    click.echo(f"port:     {login.port}")
    click.echo(f"database: {login.database}")
    click.echo(f"user:     {login.user}")
    click.echo("password: (the one you set; not shown)")
    click.echo(f"schema:   {login.schema}")
    click.echo(f"JDBC URL: {login.jdbc_url}")
    click.echo(f"URL:      {login.libpq_url}")


@bi.command()
@click.argument("name", callback=_role_name)
@format_option(("table", "json"))
@pass_app
def url(app: AppContext, name: str, fmt: str) -> None:
    """Print what a BI tool needs to log in as the reader NAME: host, port, database, user,
    schema, JDBC and libpq URLs (never the password).

    For the embedded database: where `incidentdb db serve` serves it now, else where it
    will by default (and a reminder to run it).

    \b
    Examples:
      incidentdb bi url metabase
      incidentdb bi url superset --format json
    """
    from incidentdb import bi
    from incidentdb.db.engine import connect
    from incidentdb.db.serve import DEFAULT_HOST, DEFAULT_PORT, serving_state

    with connect(app.engine) as conn:
        known = [r.name for r in bi.list_readers(conn)]
    if name not in known:
        from incidentdb.reports.core import did_you_mean

        raise click.ClickException(
            f"no reader {name!r} on this server.{did_you_mean(name, known)} `incidentdb bi "
            "list-readers` lists them; `incidentdb bi create-reader` makes one"
        )
    host, port, tls = DEFAULT_HOST, DEFAULT_PORT, False
    state = serving_state(app.settings.home) if app.settings.embedded else None
    if state is not None and state.alive:
        host = "localhost" if state.host == "*" else state.host
        port, tls = state.port, state.tls
    login = bi.login_details(app.url, name, host, port, tls=tls)
    if login.local_socket and state is None and fmt == "table":
        click.echo(
            "Not served over TCP now: run `incidentdb db serve` (these are its defaults) and "
            "leave it running while the BI tool connects.",
            err=True,
        )
    _echo_login(login, fmt)


@bi.command("list-readers")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
@pass_app
def list_readers(app: AppContext, format_: str) -> None:
    """List the logins made by create-reader on this server, with their timeouts.

    'reads here' says whether the reader can read this database's reporting views; 'beyond
    reading' lists anything else it can do in this database ('none' for a proper reader).

    \b
    Examples:
      incidentdb bi list-readers
      incidentdb bi list-readers --format json
    """
    import json
    from dataclasses import asdict

    from incidentdb import bi
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        readers = bi.list_readers(conn)
    if format_ == "json":
        click.echo(json.dumps([asdict(r) for r in readers], indent=2))
        return
    if not readers:
        click.echo("No readers; create one with `incidentdb bi create-reader NAME`.", err=True)
        return
    from incidentdb.cli.output import Block, Column, write_tables

    rows = [
        {
            "name": r.name,
            "login": r.can_login,
            "here": r.reads_here,
            "statement": r.statement_timeout,
            "idle": r.idle_timeout,
            "sessions": r.sessions,
            "beyond": "; ".join(r.beyond_reading) or "none",
        }
        for r in readers
    ]
    columns = [
        Column("Reader", "name"),
        Column("Login", "login"),
        Column("Reads here", "here"),
        Column("Statement timeout", "statement"),
        Column("Idle timeout", "idle"),
        Column("Sessions", "sessions", justify="right"),
        Column("Beyond reading", "beyond", wrap=True),
    ]
    write_tables([Block(columns, rows)])


@bi.command("drop-reader")
@click.argument("name", callback=_role_name)
@pass_app
def drop_reader(app: AppContext, name: str) -> None:
    """Drop NAME, a login made by create-reader, with its grants; end its open sessions.

    Only roles that create-reader made are dropped. A reader with grants in other databases
    of the server is refused until drop-reader has run in each of them.

    \b
    Example:
      incidentdb bi drop-reader metabase
    """
    from incidentdb import bi
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        ended = bi.drop_reader(conn, name)
    click.echo(
        f"Dropped the reader {name!r}"
        + (f" and ended its {ended} open session(s)." if ended else "."),
        err=True,
    )


@bi.command()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "json", "jsonl", "csv"]),
    default="markdown",
    show_default=True,
    help="markdown for people; json (one object per relation) for programs; csv and jsonl "
    "one row per column.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also the core tables (which a BI reader cannot read), after the views.",
)
@pass_app
def dictionary(app: AppContext, format_: str, everything: bool) -> None:
    """Print the data dictionary: every reporting view (what a BI reader can read).

    The views' descriptions come from their definitions shipped with incidentdb, the
    same ones the migrations create them from; column types come from the database.
    --all adds every core table, described by the database's own comments.
    JSON is an array of {schema, name, kind, comment, columns: [{name, type, nullable,
    comment}]}, reporting views first.

    \b
    Examples:
      incidentdb bi dictionary > dictionary.md
      incidentdb bi dictionary --format json | jq '.[].name'
      incidentdb bi dictionary --format csv > columns.csv
      incidentdb bi dictionary --all > everything.md
    """
    from incidentdb import bi
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        relations = bi.data_dictionary(conn, everything=everything)
    if format_ == "json":
        click.echo(bi.dictionary_json(relations))
    elif format_ in ("csv", "jsonl"):
        from incidentdb.cli.output import RowSource, write_records

        rows = bi.dictionary_rows(relations)
        write_records(format_, RowSource(bi.dictionary.COLUMN_ROW, rows))
    else:
        click.echo(bi.dictionary_markdown(relations), nl=False)
