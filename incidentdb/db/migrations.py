"""Schema migrations through Alembic's Python API, on a connection the caller owns."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from incidentdb.errors import UPGRADE_HINT, SchemaError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

PACKAGE = Path(__file__).resolve().parents[1]
INSTALLED_SCRIPTS = "_alembic"


def find_scripts(package: Path | None = None) -> Path:
    """The folder of migration scripts (env.py, script.py.mako, versions/).

    In a checkout, `alembic/` next to the package (the folder `alembic` commands use, with
    alembic.ini beside it); in an installed wheel, the copy the build put in the package as
    `incidentdb/_alembic/`. `package` is the incidentdb package folder (this one unless said).
    """
    if package is None:
        installed = files("incidentdb").joinpath(INSTALLED_SCRIPTS)
        package = PACKAGE
    else:
        installed = package / INSTALLED_SCRIPTS
    root = package.parent
    checkout = root / "alembic"
    # Next to an installed package lies site-packages, whose alembic/ is Alembic itself:
    # only a folder with alembic.ini beside it and env.py in it is the project's checkout.
    if (root / "alembic.ini").is_file() and (checkout / "env.py").is_file():
        return checkout
    if installed.joinpath("env.py").is_file():
        return Path(str(installed))
    raise SchemaError(
        f"migration scripts not found in {checkout} nor in {installed}; reinstall incidentdb"
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built here: an installed incidentdb has no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(find_scripts()))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["configure_logger"] = False
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def check_known(connection: Connection) -> str | None:
    """The current revision, or SchemaError if this version of incidentdb does not know it."""
    from alembic.util.exc import CommandError

    revision = current_revision(connection)
    if revision is None:
        return None
    try:
        script_directory().get_revision(revision)
    except CommandError as exc:
        raise SchemaError(
            f"the database is at schema revision {revision}, which this version of incidentdb "
            "does not know; upgrade incidentdb, or downgrade the database with the version that "
            "migrated it"
        ) from exc
    return revision


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    _lock(connection)
    check_known(connection)
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    _lock(connection)
    check_known(connection)
    command.downgrade(alembic_config(connection), revision)


def _lock(connection: Connection) -> None:
    """Wait for other migrations and loads, for the rest of the caller's transaction.

    Two `db upgrade` at once would otherwise both create alembic_version and the tables, and
    one would fail; this one waits, then finds the schema migrated and has nothing to do.
    The lock is the writers' lock (incidentdb.db.locks), which a BI reader cannot take.
    """

    from incidentdb.db.locks import acquire_writer_lock_sa

    acquire_writer_lock_sa(connection, None)


def require_head(connection: Connection) -> None:
    """Raise SchemaError unless the database is migrated to this version's head."""
    revision = check_known(connection)
    if revision != head_revision():
        raise SchemaError(
            f"the database schema is at {revision or 'no revision (empty database)'}, "
            f"not {head_revision()}; {UPGRADE_HINT}"
        )


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, message) from head to base."""
    out = []
    for script in script_directory().walk_revisions():
        down = script.down_revision
        out.append(
            (
                script.revision,
                down if isinstance(down, str) or down is None else ",".join(down),
                script.doc or "",
            )
        )
    return out
