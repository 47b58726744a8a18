"""What every command shares: settings, a lazily created engine, and error handling."""

from __future__ import annotations

import logging
import time
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import click

from incidentdb.cli.verbosity import Verbosity, start_logging, stop_logging

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from incidentdb.db.settings import Settings


class ExitCode(IntEnum):
    SUCCESS = 0
    FAILURE = 1  # something the user can fix: a bad file, an unreachable database
    USAGE = 2  # a bad option or argument


class SettingError(click.ClickException):
    """A setting (an option given to every command, or its environment variable) is wrong:
    exit 2 like a usage error, without the usage of a command that is not to blame."""

    exit_code = ExitCode.USAGE


class AppContext:
    """Settings and the engine, created on first use so that --help needs no database."""

    def __init__(self, database_url: str | None, from_env: bool = False) -> None:
        self._database_url = database_url
        self._from_env = from_env  # the URL came from INCIDENTDB_DATABASE_URL, not the option
        self._settings: Settings | None = None
        self._engine: Engine | None = None
        self._url: str | None = None
        self.verbosity = Verbosity.NORMAL

    def use_verbosity(self, level: Verbosity) -> None:
        """--quiet, --verbose or --debug, given before or after the command's name."""
        if Verbosity.QUIET in (level, self.verbosity) and max(level, self.verbosity) > 0:
            raise click.UsageError("--quiet and --verbose/--debug contradict each other.")
        self.verbosity = min(level, self.verbosity) if level < 0 else max(level, self.verbosity)
        start_logging(self.verbosity)

    def use_database_url(self, database_url: str) -> None:
        """The URL given after the subcommand, in place of the global option's."""
        self._database_url = database_url
        self._from_env = False
        self._settings = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from incidentdb.db.settings import load_settings
            from incidentdb.errors import ConfigurationError

            try:
                self._settings = load_settings(None if self._from_env else self._database_url)
            except ConfigurationError as exc:
                raise SettingError(str(exc)) from exc
        return self._settings

    @property
    def url(self) -> str:
        """The database URL, starting the embedded server if it is the one in use."""
        if self._url is None:
            import logging

            from incidentdb.db.engine import database_url
            from incidentdb.db.settings import mask_password

            self._url = database_url(self.settings)
            logging.getLogger("incidentdb").info("database: %s", mask_password(self._url))
        return self._url

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from incidentdb.db.engine import create_engine

            self._engine = create_engine(self.url)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


class IncidentdbGroup(click.Group):
    """A group that turns library errors into one-line messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from incidentdb.errors import IncidentdbError

        started = time.monotonic()
        try:
            return super().invoke(ctx)
        except IncidentdbError as exc:
            click.echo(f"Error: {exc}", err=True)
            _debug_traceback(ctx)
            ctx.exit(ExitCode.FAILURE)
        except _operational_errors() as exc:
            from incidentdb.db.engine import unavailable

            obj = ctx.find_object(AppContext)
            if obj is not None and obj._url:
                click.echo(f"Error: {unavailable(obj._url, exc)}", err=True)
            else:  # failed before the URL was known: there is no URL to describe
                reason = str(exc).strip().splitlines()
                click.echo(
                    f"Error: cannot connect to PostgreSQL: {reason[0] if reason else exc!r}",
                    err=True,
                )
            _debug_traceback(ctx)
            ctx.exit(ExitCode.FAILURE)
        finally:
            obj = ctx.find_object(AppContext)
            if obj is not None:
                obj.close()
            logging.getLogger("incidentdb").info("done in %.2f s", time.monotonic() - started)
            stop_logging()


def _debug_traceback(ctx: click.Context) -> None:
    """With --debug, the traceback of the error just reported in one line."""
    app = ctx.find_object(AppContext)
    if app is not None and app.verbosity >= Verbosity.DEBUG:
        import traceback

        click.echo(traceback.format_exc().rstrip(), err=True)


def _operational_errors() -> tuple[type[BaseException], ...]:
    import sys

    # Only catch these if the command imported them: --help must not import SQLAlchemy.
    errors: list[type[BaseException]] = []
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import OperationalError

        errors.append(OperationalError)
    if "psycopg" in sys.modules:
        import psycopg

        errors.append(psycopg.OperationalError)
    return tuple(errors)


pass_app = click.make_pass_decorator(AppContext)
