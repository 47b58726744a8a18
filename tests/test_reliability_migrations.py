"""Migrations on live data: with the TASS seed and the UCDP sample loaded, every migration goes
down and up again, the schema comes back exactly, and the data of the tables a step keeps is
untouched. The reporting views survive a change to a table under them, and the rule for a
change they do not survive is shown working (docs/reliability.md, "Migrations and the views").

`alembic check` (the models match the migrations) is tests/test_migrations.py, which CI runs on
both databases like every test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy import Engine

from incidentdb.db import migrations
from incidentdb.db.engine import create_engine
from tests.conftest import Invoker
from tests.reliability import SEEDS, facts
from tests.shared_data import UCDP_SAMPLE, require
from tests.snapshots import row_counts


def revisions() -> list[tuple[str, str]]:
    """(revision, the one before it or 'base'), oldest first."""
    steps = []
    for script in migrations.script_directory().walk_revisions():
        down = script.down_revision
        assert down is None or isinstance(down, str), "a merge revision: step through it by hand"
        steps.append((script.revision, down or "base"))
    return list(reversed(steps))


def schema(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Everything a migration defines: tables, columns, constraints, indexes, views with their
    definitions, comments, and the vocabularies' rows."""
    q = conn.execute
    return {
        "columns": q(
            "SELECT table_schema, table_name, column_name, data_type, character_maximum_length, "
            "is_nullable, column_default, "
            # A view's column order is part of its contract; a table's is not (a column
            # dropped and added again by a downgrade and upgrade comes back last).
            "CASE WHEN table_schema = 'reporting' THEN ordinal_position END "
            "FROM information_schema.columns "
            "WHERE table_schema IN ('public', 'reporting') ORDER BY 1, 2, 8, 3"
        ).fetchall(),
        "constraints": q(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
        ).fetchall(),
        "indexes": q(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "ORDER BY 1, 2"
        ).fetchall(),
        "views": q(
            "SELECT viewname, definition FROM pg_views WHERE schemaname = 'reporting' ORDER BY 1"
        ).fetchall(),
        "comments": q(
            "SELECT c.oid::regclass::text, a.attname, d.description FROM pg_description d "
            "JOIN pg_class c ON c.oid = d.objoid "
            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
            "WHERE c.relnamespace IN ('public'::regnamespace, "
            "(SELECT oid FROM pg_namespace WHERE nspname = 'reporting')) ORDER BY 1, 2"
        ).fetchall(),
        "sequences": q(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall(),
        "vocabularies": {
            table: q(
                sql.SQL("SELECT * FROM {} ORDER BY code").format(sql.Identifier(table))
            ).fetchall()
            for table in (
                "incident_type",
                "casualty_category",
                "qualifier",
                "organisation_kind",
                "mission_kind",
                "place_kind",
                "timeline_kind",
            )
            if q("SELECT to_regclass(%s)", (f"public.{table}",)).fetchone() != (None,)
        },
    }


# Columns a migration renamed: (table, name before) -> name after.
RENAMED = {("seed_file", "path"): "identity"}


def contents(conn: psycopg.Connection[Any]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in public, ids included, as column -> value, sorted."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version' ORDER BY 1"
        )
    ]
    out = {}
    for t in tables:
        cur = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(t)), prepare=False)
        names = [RENAMED.get((t, d.name), d.name) for d in cur.description or []]
        out[t] = sorted((dict(zip(names, row, strict=True)) for row in cur), key=repr)
    return out


def shared(rows: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with only the columns that `others` has too (a migration adds columns)."""
    keep = set(others[0]) if others else set()
    return [{k: v for k, v in r.items() if k in keep} for r in rows]


@pytest.fixture
def live(database_url: str, db: psycopg.Connection[Any]) -> Iterator[Engine]:
    """The test's database with the TASS seed and the UCDP sample loaded; an engine on it."""
    load(database_url)
    assert row_counts(db)["incident"] > 1000
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def load(database_url: str) -> None:
    run = Invoker(database_url, {})
    sample = require(UCDP_SAMPLE)
    for args in (("seed", "load", str(SEEDS)), ("import", "ucdp-ged", "-q", str(sample))):
        result = run(*args)
        assert result.exit_code == 0, result.output


def migrate(engine: Engine, direction: str, revision: str) -> None:
    """One `db upgrade` or `db downgrade`: its own transaction, as the command runs it."""
    with engine.begin() as conn:
        getattr(migrations, direction)(conn, revision)


def test_down_to_base_and_up_to_head_on_live_data(
    live: Engine, database_url: str, db: psycopg.Connection[Any], record_property: Any
) -> None:
    at_head, loaded = schema(db), facts(db)
    migrate(live, "downgrade", "base")
    left = db.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version'"
    ).fetchone()
    assert left == (0,)
    assert db.execute("SELECT to_regnamespace('reporting')").fetchone() == (None,)
    migrate(live, "upgrade", "head")
    assert schema(db) == at_head
    load(database_url)  # base drops the data with the tables; it loads again the same
    assert facts(db) == loaded
    record_property("migrations", 2)


def test_every_migration_steps_down_and_up_on_live_data(
    live: Engine, db: psycopg.Connection[Any], record_property: Any
) -> None:
    """Down one revision and up again, at every revision from head to the first: the schema
    comes back identical, and the tables both revisions have keep every row as it was."""
    steps = revisions()
    assert steps[-1][0] == migrations.head_revision()
    at_head = schema(db)
    for revision, previous in reversed(steps):
        before, rows_before = schema(db), contents(db)
        migrate(live, "downgrade", previous)
        rows_down = contents(db)
        for table, rows in rows_down.items():
            assert shared(rows, rows_before[table]) == shared(rows_before[table], rows), (
                f"{revision} down: {table} changed"
            )
        migrate(live, "upgrade", revision)
        assert schema(db) == before, f"{revision} is not reversible"
        rows_up = contents(db)
        for table, rows in rows_down.items():
            assert shared(rows_up[table], rows) == shared(rows, rows_up[table]), (
                f"{revision} up: {table} changed"
            )
        migrate(live, "downgrade", previous)  # and on down, to the next one
    # Then up one revision at a time, back to where we started.
    for revision, _ in steps:
        migrate(live, "upgrade", revision)
    assert schema(db) == at_head
    record_property("migrations", 4 * len(steps))


def _views(db: psycopg.Connection[Any]) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Each reporting view's column names and rows."""
    out = {}
    for (name,) in db.execute(
        "SELECT viewname FROM pg_views WHERE schemaname = 'reporting' ORDER BY 1"
    ).fetchall():
        cur = db.execute(sql.SQL("SELECT * FROM reporting.{}").format(sql.Identifier(name)))
        out[name] = ([d.name for d in cur.description or ()], sorted(cur.fetchall(), key=repr))
    return out


def test_views_survive_columns_added_and_renamed_under_them(
    live: Engine, db: psycopg.Connection[Any], record_property: Any
) -> None:
    """Adding a column, renaming one and adding a constraint on a base table, as a future
    migration would, in one transaction: every view still answers, with the same columns,
    rows and comments."""
    views, before = _views(db), schema(db)
    with db.transaction(force_rollback=True):
        db.execute("ALTER TABLE incident ADD COLUMN severity integer")
        db.execute("ALTER TABLE casualty_report ADD COLUMN note text NOT NULL DEFAULT ''")
        db.execute("ALTER TABLE source RENAME COLUMN title TO headline")
        db.execute("ALTER TABLE place ALTER COLUMN name SET NOT NULL")
        db.execute("CREATE INDEX ix_incident_severity ON incident (severity)")
        assert _views(db) == views
        assert _view_comments(schema(db)) == _view_comments(before)
    assert _views(db) == views and schema(db) == before
    record_property("migrations", 1)


def _view_comments(found: dict[str, Any]) -> list[Any]:
    return [c for c in found["comments"] if c[0].startswith("reporting.")]


def test_a_type_change_under_a_view_is_refused_then_done_by_the_rule(
    live: Engine, db: psycopg.Connection[Any], record_property: Any
) -> None:
    """PostgreSQL refuses to change the type of a column a view reads, so no migration can
    break a view silently. The rule for such a migration: in its one transaction, drop the
    views that read the column, change it, create the views again from their definitions,
    and put back their comments (BI tools show them) and grants (readers read them)."""
    views, before = _views(db), schema(db)
    with pytest.raises(errors.FeatureNotSupported, match="used by a view"), db.transaction():
        db.execute("ALTER TABLE casualty_report ALTER COLUMN figure TYPE bigint")
    with pytest.raises(errors.DependentObjectsStillExist), db.transaction():
        db.execute("ALTER TABLE casualty_report DROP COLUMN as_of_to")
    assert _views(db) == views and schema(db) == before  # nothing changed

    reader = f"reader_{uuid.uuid4().hex[:12]}"
    result = Invoker(
        str(live.url.render_as_string(hide_password=False)),
        {"INCIDENTDB_READER_PASSWORD": "pw"},
    )("bi", "create-reader", reader)
    assert result.exit_code == 0, result.output
    try:
        with db.transaction(force_rollback=True):
            dependent = _drop_views_reading(db, "casualty_report", "figure")
            assert dependent, "no view reads casualty_report.figure"
            db.execute("ALTER TABLE casualty_report ALTER COLUMN figure TYPE bigint")
            _create_views(db, dependent)
            after = _views(db)
            assert after.keys() == views.keys()
            for name, (columns, rows) in views.items():
                assert after[name][0] == columns, name
                assert after[name][1] == rows, name
            assert schema(db)["comments"] == before["comments"]
            db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(reader)))
            for name in dependent:
                db.execute(sql.SQL("SELECT 1 FROM reporting.{}").format(sql.Identifier(name[0])))
    finally:
        role = sql.Identifier(reader)
        db.execute(sql.SQL("DROP OWNED BY {}").format(role))
        db.execute(sql.SQL("DROP ROLE {}").format(role))
    assert _views(db) == views and schema(db) == before
    record_property("migrations", 1)


def _drop_views_reading(
    db: psycopg.Connection[Any], table: str, column: str
) -> list[tuple[str, str, list[tuple[str | None, str]]]]:
    """Drop the reporting views that read `table.column`, and the views built on those;
    (name, definition, comments) of each, in the order to create them again."""
    names = [
        r[0]
        for r in db.execute(
            """
            SELECT DISTINCT v.relname FROM pg_depend d
            JOIN pg_rewrite r ON r.oid = d.objid
            JOIN pg_class v ON v.oid = r.ev_class
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.refobjid = %s::regclass AND a.attname = %s
              AND v.relnamespace = 'reporting'::regnamespace
            ORDER BY 1
            """,
            (table, column),
        )
    ]
    # Views built on those views (reporting.summary reads reporting.incidents) go too, after
    # them in creation order.
    while True:
        more = [
            r[0]
            for r in db.execute(
                """
                SELECT DISTINCT v.relname FROM pg_depend d
                JOIN pg_rewrite r ON r.oid = d.objid
                JOIN pg_class v ON v.oid = r.ev_class
                WHERE d.refobjid = ANY(%s::regclass[]) AND v.relname <> ALL(%s)
                  AND v.relnamespace = 'reporting'::regnamespace
                ORDER BY 1
                """,
                ([f"reporting.{n}" for n in names], names),
            )
        ]
        if not more:
            break
        names += more
    saved = []
    for name in names:
        definition = db.execute(
            "SELECT pg_get_viewdef(%s::regclass)", (f"reporting.{name}",)
        ).fetchone()
        comments = db.execute(
            "SELECT a.attname, d.description FROM pg_description d "
            "LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid "
            "WHERE d.objoid = %s::regclass ORDER BY d.objsubid",
            (f"reporting.{name}",),
        ).fetchall()
        assert definition is not None
        saved.append((name, definition[0], comments))
    for name, _, _ in reversed(saved):
        db.execute(sql.SQL("DROP VIEW reporting.{}").format(sql.Identifier(name)))
    return saved


def _create_views(
    db: psycopg.Connection[Any], saved: list[tuple[str, str, list[tuple[str | None, str]]]]
) -> None:
    for name, definition, comments in saved:
        view = sql.Identifier("reporting", name)
        db.execute(sql.SQL("CREATE VIEW {} AS ").format(view) + sql.SQL(definition))
        for column, text in comments:
            target = (
                sql.SQL("VIEW {}").format(view)
                if column is None
                else sql.SQL("COLUMN {}.{}").format(view, sql.Identifier(column))
            )
            db.execute(sql.SQL("COMMENT ON {} IS {}").format(target, sql.Literal(text)))
