"""The `incidentdb` command line: a thin layer over the library.

Commands only wire things together; heavy imports (SQLAlchemy, Alembic, pydantic) happen
inside the commands so that `--help` stays instant.
"""

from __future__ import annotations

import click

from incidentdb import __version__
from incidentdb.cli.context import AppContext, IncidentdbGroup
from incidentdb.cli.verbosity import FLAGS, Verbosity


def _verbosity_here(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    app = ctx.find_object(AppContext)
    if value and app is not None:
        app.use_verbosity(FLAGS[str(param.name)].level)


def _verbosity_options(command: click.Command) -> None:
    for name, flag in FLAGS.items():
        if not any(p.name == name for p in command.params):
            command.params.append(
                click.Option(
                    list(flag.names),
                    is_flag=True,
                    expose_value=False,
                    callback=_verbosity_here,
                    help=flag.help,
                )
            )


@click.group(cls=IncidentdbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar="INCIDENTDB_DATABASE_URL",
    metavar="URL",
    help="PostgreSQL server to use, e.g. postgresql://user@host:5432/db "
    "[env: INCIDENTDB_DATABASE_URL]. Default: the embedded PostgreSQL in INCIDENTDB_HOME.",
)
@click.option(*FLAGS["quiet"].names, is_flag=True, help=FLAGS["quiet"].help)
@click.option(*FLAGS["verbose"].names, is_flag=True, help=FLAGS["verbose"].help)
@click.option(*FLAGS["debug"].names, is_flag=True, help=FLAGS["debug"].help)
@click.version_option(__version__, prog_name="incidentdb")
@click.pass_context
def cli(
    ctx: click.Context, database_url: str | None, quiet: bool, verbose: bool, debug: bool
) -> None:
    """A regional security incident database on PostgreSQL.

    Load coded news articles from seed files, report on incidents, casualties, missions and
    organisations, and connect BI tools to stable reporting views.

    \b
    Quick start:
      incidentdb db upgrade            # create or migrate the schema
      incidentdb seed load seeds       # load every seed file in seeds/
      incidentdb report casualties     # who reported how many casualties

    Without --database-url, an embedded PostgreSQL is created in INCIDENTDB_HOME
    (default: your user data directory) and started on first use.
    """
    from_env = ctx.get_parameter_source("database_url") is click.core.ParameterSource.ENVIRONMENT
    ctx.obj = AppContext(database_url=database_url, from_env=from_env)
    for given, level in (
        (quiet, Verbosity.QUIET),
        (verbose, Verbosity.VERBOSE),
        (debug, Verbosity.DEBUG),
    ):
        if given:
            ctx.obj.use_verbosity(level)


def _register() -> None:
    from incidentdb.cli.db import db

    cli.add_command(db)

    from incidentdb.cli.bi import bi

    cli.add_command(bi)

    from incidentdb.cli.seed import seed

    cli.add_command(seed)

    from incidentdb.cli.imports import import_

    cli.add_command(import_)

    from incidentdb.cli.dossier import incident
    from incidentdb.cli.report import report

    report.add_command(incident)
    cli.add_command(report)


_register()


def _database_url_here(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    app = ctx.find_object(AppContext)
    if value is not None and app is not None:
        app.use_database_url(value)


def _accept_global_options(group: click.Group) -> None:
    """`incidentdb report casualties --database-url URL` as well as `incidentdb --database-url
    URL report casualties`: each command takes the global options too (for the URL, the later
    one wins)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _accept_global_options(command)
            continue
        _verbosity_options(command)
        if not any(p.name == "database_url" for p in command.params):
            command.params.append(
                click.Option(
                    ["--database-url"],
                    metavar="URL",
                    expose_value=False,
                    callback=_database_url_here,
                    help="PostgreSQL server to use, as for `incidentdb --database-url`.",
                )
            )


_accept_global_options(cli)


def main() -> None:
    cli(prog_name="incidentdb")
