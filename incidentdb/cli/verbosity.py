"""--quiet, --verbose and --debug: what a command says on stderr besides its result.

Every command takes them, before or after its name. The result (rows, a summary, an error)
is printed whatever the level; the levels change what else is said:

- quiet: no progress and no notes;
- verbose: also the database in use, each step of a write with its time, the time taken;
- debug: also the SQL sent (reports; SQLAlchemy's statements) and the traceback of an error.

The library logs to the `incidentdb` logger; this module shows those records on stderr.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import IntEnum

import click

LOGGER = "incidentdb"


class Verbosity(IntEnum):
    QUIET = -1
    NORMAL = 0
    VERBOSE = 1
    DEBUG = 2


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]
    level: Verbosity
    help: str


# The options, by parameter name: the group and every command take them.
FLAGS = {
    "quiet": Flag(
        ("--quiet", "-q"),
        Verbosity.QUIET,
        "No progress and no notes on stderr; results, summaries and errors are still printed.",
    ),
    "verbose": Flag(
        ("--verbose", "-v"),
        Verbosity.VERBOSE,
        "Also say on stderr what is happening: the database in use, each step of a write with "
        "its time, the time taken.",
    ),
    "debug": Flag(
        ("--debug",), Verbosity.DEBUG, "As --verbose, plus the SQL sent and an error's traceback."
    ),
}


class _ClickHandler(logging.Handler):
    """Writes a record through click, to whatever stderr the command has now."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:  # noqa: BLE001 - logging must never end a command
            self.handleError(record)


class _Elapsed(logging.Formatter):
    """Each line with the seconds since the command started."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self._started = started

    def format(self, record: logging.LogRecord) -> str:
        elapsed = record.created - self._started
        name = "" if record.name == LOGGER else f" {record.name.removeprefix(LOGGER + '.')}"
        return f"[{elapsed:7.2f}s{name}] {record.getMessage()}"


_handler: _ClickHandler | None = None


def start_logging(level: Verbosity) -> None:
    """Show the library's log records at this level, from now until stop_logging()."""
    global _handler
    stop_logging()
    if level < Verbosity.VERBOSE:
        return
    _handler = _ClickHandler()
    _handler.setFormatter(_Elapsed(time.time()))
    names = [LOGGER] + (["sqlalchemy.engine"] if level >= Verbosity.DEBUG else [])
    for name in names:
        logger = logging.getLogger(name)
        logger.addHandler(_handler)
        logger.setLevel(logging.DEBUG if level >= Verbosity.DEBUG else logging.INFO)
        logger.propagate = False


def stop_logging() -> None:
    global _handler
    if _handler is None:
        return
    for name in (LOGGER, "sqlalchemy.engine"):
        logger = logging.getLogger(name)
        logger.removeHandler(_handler)
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
    _handler = None


def current() -> Verbosity:
    """The level of the command running now (NORMAL outside a command): the root context's
    object (the AppContext) holds it."""
    ctx = click.get_current_context(silent=True)
    app = ctx.find_root().obj if ctx is not None else None
    return Verbosity(getattr(app, "verbosity", Verbosity.NORMAL))


def note(message: str) -> None:
    """A note on stderr (a start line, a wait, a hint), unless --quiet."""
    if current() > Verbosity.QUIET:
        click.echo(message, err=True)
