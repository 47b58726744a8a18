"""Alembic environment: a connection passed in by incidentdb, or the URL from its settings."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from incidentdb.models import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # The reporting schema holds views, managed by hand-written migrations.
    return not (type_ == "table" and getattr(obj, "schema", None) == "reporting")


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return

    from incidentdb.db.engine import create_engine, database_url
    from incidentdb.db.settings import load_settings

    url = config.get_main_option("sqlalchemy.url") or database_url(load_settings())
    engine = create_engine(url)
    with engine.connect() as conn:
        run_migrations(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("incidentdb migrations run online only: use `incidentdb db upgrade`.")
run_migrations_online()
