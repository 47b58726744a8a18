"""`incidentdb bi ...`: a read-only login for BI tools, and the data dictionary."""

from __future__ import annotations

import click

from incidentdb.cli.context import AppContext, pass_app


@click.group()
def bi() -> None:
    """Connect BI tools: a read-only login and the data dictionary.

    BI tools read the views in the schema 'reporting'; every view and column carries a
    description that Metabase, Superset and others show. See docs/bi.md.

    \b
    Examples:
      incidentdb bi create-reader metabase    # asks for its password
      incidentdb bi dictionary > dictionary.md
    """


def _role_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from incidentdb.bi import InvalidRoleName, validate_role_name

    try:
        return validate_role_name(value)
    except InvalidRoleName as exc:
        raise click.BadParameter(str(exc)) from exc


@bi.command("create-reader")
@click.argument("name", callback=_role_name)
@pass_app
def create_reader(app: AppContext, name: str) -> None:
    """Create or update NAME, a login that can read the reporting views and nothing else.

    The password comes from INCIDENTDB_READER_PASSWORD or is asked for (hidden, twice); it is
    stored as a SCRAM-SHA-256 hash and never printed. Running it again for the same NAME
    sets a new password and renews the grants. Prints what to enter in the BI tool.

    \b
    Examples:
      incidentdb bi create-reader metabase
      INCIDENTDB_READER_PASSWORD=... incidentdb bi create-reader superset
    """
    import os

    from incidentdb import bi
    from incidentdb.database import connect
    from incidentdb.serve import DEFAULT_HOST, DEFAULT_PORT

    password = os.environ.get(bi.READER_PASSWORD_ENV) or click.prompt(
        f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True
    )
    with connect(app.engine) as conn:
        reader = bi.create_reader(conn, name, password)
    login = bi.login_details(app.url, name, DEFAULT_HOST, DEFAULT_PORT)

    click.echo(
        f"{'Created' if reader.created else 'Updated'} the read-only login {name!r} on database "
        f"{reader.database!r}.",
        err=True,
    )
    for note in reader.notes:
        click.echo(f"Note: {note}.", err=True)
    if login.local_socket:
        click.echo(
            "The embedded database listens on a local socket only: run `incidentdb db serve` "
            "and leave it running while the BI tool connects.",
            err=True,
        )
    click.echo(f"host:     {login.host}")
    click.echo(f"port:     {login.port}")
    click.echo(f"database: {login.database}")
    click.echo(f"user:     {login.user}")
    click.echo("password: (the one you set; not shown)")
    click.echo(f"schema:   {login.schema}")
    click.echo(f"JDBC URL: {login.jdbc_url}")
    click.echo(f"URL:      {login.libpq_url}")


@bi.command()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for people, json for programs.",
)
@pass_app
def dictionary(app: AppContext, format_: str) -> None:
    """Print the data dictionary: every reporting view, then every core table, with columns.

    Generated from the database's own comments, so it always matches the schema.
    JSON is an array of {schema, name, kind, comment, columns: [{name, type, nullable,
    comment}]}, reporting views first.

    \b
    Examples:
      incidentdb bi dictionary > docs/dictionary.md
      incidentdb bi dictionary --format json | jq '.[].name'
    """
    from incidentdb import bi
    from incidentdb.database import connect

    with connect(app.engine) as conn:
        relations = bi.data_dictionary(conn)
    if format_ == "json":
        click.echo(bi.dictionary_json(relations))
    else:
        click.echo(bi.dictionary_markdown(relations), nl=False)
