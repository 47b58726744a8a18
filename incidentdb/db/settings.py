"""Where the database is: an explicit URL, or the embedded server in INCIDENTDB_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from incidentdb.errors import ConfigurationError

URL_ENV = "INCIDENTDB_DATABASE_URL"
HOME_ENV = "INCIDENTDB_HOME"
ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class Settings:
    """The database the tool talks to: `url` for a server, or None for the embedded one."""

    url: str | None
    home: Path

    @property
    def embedded(self) -> bool:
        return self.url is None


def default_home() -> Path:
    from platformdirs import user_data_path

    return user_data_path("incidentdb", appauthor=False)


def load_settings(database_url: str | None = None, home: str | Path | None = None) -> Settings:
    """Settings from explicit values, then the environment, then defaults."""
    url = database_url or os.environ.get(URL_ENV) or None
    home_value = home or os.environ.get(HOME_ENV)
    home_path = Path(home_value).expanduser() if home_value else default_home()
    if url is None:
        return Settings(url=None, home=home_path)
    try:
        return Settings(url=normalise_url(url), home=home_path)
    except ConfigurationError as exc:  # say which setting is wrong
        setting = "--database-url" if database_url else URL_ENV
        raise ConfigurationError(f"{setting}: {exc}") from exc


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL using psycopg 3, from any PostgreSQL URL form people paste."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ConfigurationError(
            f"not a database URL: {mask_password(url)!r} "
            "(expected postgresql://USER@HOST:PORT/DATABASE)"
        ) from exc
    if parsed.drivername not in ACCEPTED_SCHEMES:
        raise ConfigurationError(
            f"unsupported database URL scheme {parsed.drivername!r}: incidentdb needs PostgreSQL "
            "(postgresql:// or postgresql+psycopg://)"
        )
    if not parsed.database:
        raise ConfigurationError(f"the database URL {mask_password(url)!r} names no database")
    normalised = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    _check_options(normalised, parsed.password)
    return normalised


def _check_options(url: str, password: str | None) -> None:
    """Refuse a URL that libpq would refuse (an unknown option, a bad connect_timeout) now,
    with a message that does not show the password, rather than at connection time."""
    from urllib.parse import quote

    import psycopg
    from psycopg.conninfo import conninfo_to_dict, timeout_from_conninfo

    try:
        timeout_from_conninfo(conninfo_to_dict(libpq_url(url)))
    except psycopg.ProgrammingError as exc:
        lines = str(exc).strip().splitlines()
        reason = lines[0] if lines else type(exc).__name__
        if password and (password in reason or quote(password, safe="") in reason):
            reason = "libpq refuses its options"  # never echo the password
        raise ConfigurationError(
            f"the database URL {mask_password(url)!r} is not usable: {reason}"
        ) from None


def mask_password(url: str) -> str:
    """The URL with its password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"
    if parsed.password is None:
        return url
    return parsed.render_as_string(hide_password=True)


def libpq_url(url: str) -> str:
    """The URL as psql and psycopg accept it (no +psycopg driver suffix)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
