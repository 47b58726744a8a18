"""`incidentdb db ...`: the schema, the embedded server and where the database is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from incidentdb.cli.confirm import confirm, yes_option
from incidentdb.cli.context import AppContext, ExitCode, pass_app
from incidentdb.cli.output import format_option
from incidentdb.errors import UPGRADE_HINT

if TYPE_CHECKING:
    from incidentdb.db.serve import Served


@click.group()
def db() -> None:
    """Manage the database: migrations, status and the embedded server.

    \b
    Examples:
      incidentdb db upgrade        # migrate to the newest schema
      incidentdb db status         # which database, reachable?, revision
      incidentdb db url            # a URL for psql or a BI tool
    """


@db.command()
@click.argument("revision", default="head")
@pass_app
def upgrade(app: AppContext, revision: str) -> None:
    """Migrate the schema up to REVISION (default: head, the newest).

    \b
    Example:
      incidentdb db upgrade
    """
    from incidentdb.db import migrations
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        migrations.upgrade(conn, revision)
        current = migrations.current_revision(conn)
    click.echo(f"Database schema at revision {current} ({_label(current)}).", err=True)


@db.command()
@click.argument("revision")
@yes_option
@pass_app
def downgrade(app: AppContext, revision: str, yes: bool) -> None:
    """Migrate the schema down to REVISION ('base' removes every table and all data).

    A downgrade drops what later revisions added, with its data: it asks first on a
    terminal, and elsewhere needs --yes.

    \b
    Examples:
      incidentdb db downgrade 0007
      incidentdb db downgrade base --yes
    """
    from incidentdb.db import migrations
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        before = migrations.check_known(conn)
        if before is not None and before != revision:
            question = (
                f"Downgrade the schema from {before} to {revision}, dropping what the later "
                "revisions added and its data?"
            )
            if not confirm(question, yes, "db downgrade"):
                raise click.Abort
        migrations.downgrade(conn, revision)
        current = migrations.current_revision(conn)
    click.echo(f"Database schema at revision {current or 'base'}.", err=True)


@db.command()
@pass_app
def current(app: AppContext) -> None:
    """Print the schema revision the database is at.

    \b
    Example:
      incidentdb db current
    """
    from incidentdb.db import migrations
    from incidentdb.db.engine import connect

    with connect(app.engine) as conn:
        revision = migrations.check_known(conn)
    click.echo(f"{revision or 'base'} ({_label(revision)})")


@db.command()
@format_option()
def history(fmt: str) -> None:
    """List the schema migrations, newest first.

    \b
    Examples:
      incidentdb db history
      incidentdb db history --format json
    """
    from incidentdb.db import migrations

    steps = migrations.history()
    if fmt != "table":
        from incidentdb.cli.output import RowSource, write_records

        columns = ("revision", "down_revision", "message")
        rows = [dict(zip(columns, step, strict=True)) for step in steps]
        write_records(fmt, RowSource(columns, rows))
        return
    for revision, down, message in steps:
        click.echo(f"{down or 'base'} -> {revision}: {message.splitlines()[0] if message else ''}")


@db.command()
@click.option("--show-password", is_flag=True, help="Print the password instead of ***.")
@pass_app
def url(app: AppContext, show_password: bool) -> None:
    """Print the URL of the database in use (starting the embedded server if needed).

    The URL is in SQLAlchemy form; drop '+psycopg' for psql or libpq.

    \b
    Example:
      psql "$(incidentdb db url | sed 's/+psycopg//')"
    """
    from incidentdb.db.settings import mask_password

    click.echo(app.url if show_password else mask_password(app.url))


@db.command()
@click.option("--show-password", is_flag=True, help="Print the password instead of ***.")
@format_option(("table", "json"))
@pass_app
def status(app: AppContext, show_password: bool, fmt: str) -> None:
    """Say which database is in use, whether it answers, its schema revision, and (for the
    embedded database) whether `db serve` serves it over TCP.

    The URL's password is shown as *** unless --show-password is given.
    Exits with 1 if the database cannot be reached (after printing what it found, in JSON
    too).

    \b
    Examples:
      incidentdb db status
      incidentdb db status --format json
    """
    from incidentdb.db.status import database_status

    st = database_status(app.settings)
    shown_url = app.settings.url if show_password and app.settings.url else st.url
    if fmt == "json":
        from incidentdb.cli.output import write_document

        write_document(
            "json",
            {
                "database": shown_url,
                "kind": "embedded" if st.embedded else "server",
                "reachable": st.reachable,
                "server_version": st.server_version,
                "revision": st.revision,
                "head": st.head,
                "up_to_date": st.up_to_date,
                "serving": st.serving,
                "problem": st.problem,
            },
        )
        if not st.reachable or st.problem:
            raise SystemExit(ExitCode.FAILURE)
        return
    click.echo(f"database:  {shown_url}")
    click.echo(f"kind:      {'embedded PostgreSQL' if st.embedded else 'PostgreSQL server'}")
    click.echo(f"reachable: {'yes' if st.reachable else 'no'}")
    if st.server_version:
        click.echo(f"server:    PostgreSQL {st.server_version}")
    if st.reachable:
        click.echo(f"revision:  {st.revision or f'none ({UPGRADE_HINT})'}")
        click.echo(f"head:      {st.head}{' (up to date)' if st.up_to_date else ''}")
    if st.serving:
        click.echo(f"serving:   {st.serving}")
    if st.problem:
        click.echo(f"Error: {st.problem}", err=True)
    if not st.reachable or st.problem:
        raise SystemExit(ExitCode.FAILURE)


@db.command()
@pass_app
def stop(app: AppContext) -> None:
    """Stop the embedded PostgreSQL server (it starts again on the next command).

    \b
    Example:
      incidentdb db stop
    """
    from incidentdb.db.serve import stop

    if not app.settings.embedded:
        click.echo(
            "A database server URL is configured; there is no embedded server to stop.", err=True
        )
        return
    if stop(app.settings.home):
        click.echo(f"Stopped the embedded PostgreSQL in {app.settings.home}.", err=True)
    else:
        click.echo("The embedded PostgreSQL is not running.", err=True)


@db.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but 127.0.0.1, localhost or ::1 reaches beyond "
    "this machine.",
)
@click.option(
    "--port", default=5433, show_default=True, type=click.IntRange(1, 65535), help="TCP port."
)
@click.option(
    "--tls",
    is_flag=True,
    help="Encrypt connections: password logins over TCP must then use TLS. Without --cert "
    "and --key, a self-signed certificate made on first use in INCIDENTDB_HOME/tls.",
)
@click.option(
    "--cert",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="PEM certificate to present (implies --tls; needs --key).",
)
@click.option(
    "--key",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="PEM private key of --cert, unencrypted.",
)
@pass_app
def serve(
    app: AppContext, host: str, port: int, tls: bool, cert: Path | None, key: Path | None
) -> None:
    """Serve the embedded database on a TCP port for BI tools, until Ctrl-C.

    TCP logins need a password and reach the incidentdb database only: create a read-only
    login first with `incidentdb bi create-reader NAME`. Prints the URLs to give a BI tool,
    then waits; on Ctrl-C (or SIGTERM) the database goes back to its local socket only and
    pg_hba.conf is as it was (incidentdb commands keep working throughout). If this process
    is killed, a watchdog does the same; `incidentdb db status` shows what is served.

    While serving, that watchdog holds readers to their roles' timeouts even if a session
    turns them off: it cancels a reader's query that runs past the role's statement timeout
    and ends a reader's session idle in a transaction past its idle timeout, and logs each
    to INCIDENTDB_HOME/serve-watchdog.log.

    \b
    Examples:
      incidentdb bi create-reader metabase
      incidentdb db serve                 # 127.0.0.1:5433
      incidentdb db serve --port 6543
      incidentdb db serve --tls           # clients use sslmode=require (or verify-ca)
      incidentdb db serve --cert server.crt --key server.key
    """
    from incidentdb.db import serve as serving

    home = app.settings.home
    if not app.settings.embedded:
        click.echo(
            "Error: a database server is configured (INCIDENTDB_DATABASE_URL or --database-url) "
            "and BI tools can connect to it over TCP directly; `db serve` only serves the "
            "embedded database.",
            err=True,
        )
        raise SystemExit(ExitCode.FAILURE)
    try:
        serving.validate_host(host)
    except serving.ServeError as exc:
        raise click.BadParameter(str(exc), param_hint="'--host'") from exc
    if (cert is None) != (key is None):
        raise click.UsageError("--cert and --key go together")
    tls_files = serving.choose_tls(home, host, tls, cert, key)
    if tls_files is not None and tls_files.generated:
        click.echo(f"Made a self-signed certificate: {tls_files.cert}", err=True)
    if not serving.is_local(host):
        click.echo(
            f"Warning: listening on {host} lets other machines reach the database; reader "
            "passwords are all that protects it"
            + ("." if tls_files else ", and traffic is not encrypted (see --tls)."),
            err=True,
        )
    stale = serving.clear_stale(home)
    if stale:
        click.echo(f"Note: {stale}.", err=True)
    serving.serve_until_stopped(home, host, port, tls_files, ready=_print_served)
    click.echo("Stopped serving; the database listens on its local socket only.", err=True)


def _print_served(served: Served) -> None:
    click.echo(f"libpq URL: {served.libpq_url('READER')}")
    click.echo(f"JDBC URL:  {served.jdbc_url}")
    if served.tls is not None:
        click.echo(f"TLS certificate: {served.tls.cert}")
        click.echo(f"SHA-256 fingerprint: {served.tls.fingerprint()}")
    click.echo(
        f"Serving the embedded database on {served.host}:{served.port}; log in with a reader "
        "created by `incidentdb bi create-reader` (its name for READER) and read the "
        "schema 'reporting'. Press Ctrl-C to stop.",
        err=True,
    )


def _label(revision: str | None) -> str:
    from incidentdb.db.migrations import head_revision

    if revision is None:
        return "empty"
    return "head" if revision == head_revision() else "behind head"
