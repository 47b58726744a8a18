"""Exceptions raised by the library; the CLI maps them to messages and exit codes."""

from __future__ import annotations

UPGRADE_HINT = "run `incidentdb db upgrade`"  # the one wording of the hint, everywhere


class IncidentdbError(Exception):
    """Base class: a failure the user can fix (exit code 1)."""


class ConfigurationError(IncidentdbError):
    """The database URL or another setting is malformed."""


class DatabaseUnavailable(IncidentdbError):
    """The database server cannot be reached."""


class SchemaError(IncidentdbError):
    """The database schema is missing, outdated or from an unknown version."""


class NotFound(IncidentdbError):
    """A slug names nothing in the database."""


class ServeError(IncidentdbError):
    """The embedded server cannot be served over TCP as asked."""


class Cancelled(IncidentdbError):
    """The user did not confirm a write that deletes data; nothing was written."""
