"""incidentdb/views/*.sql are the reporting views: a database at head holds what they say."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from incidentdb import views

FILES = {v.name: v for v in views.load()}


def normalised(definition: str) -> str:
    return " ".join(definition.split()).rstrip(";").rstrip()


def database_views(db: psycopg.Connection[Any]) -> dict[str, tuple[str, str | None]]:
    rows = db.execute(
        """
        SELECT c.relname, pg_get_viewdef(c.oid, true), obj_description(c.oid, 'pg_class')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind = 'v'
        """,
        (views.SCHEMA,),
    ).fetchall()
    return {name: (definition, comment) for name, definition, comment in rows}


def column_comments(db: psycopg.Connection[Any], view: str) -> dict[str, str | None]:
    rows = db.execute(
        """
        SELECT a.attname, col_description(a.attrelid, a.attnum)
        FROM pg_attribute a
        WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        (f"{views.SCHEMA}.{view}",),
    ).fetchall()
    return dict(rows)


def test_every_reporting_view_has_a_file_and_every_file_a_view(db: psycopg.Connection) -> None:
    assert FILES
    assert set(database_views(db)) == set(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_view_definition_is_its_file(db: psycopg.Connection, name: str) -> None:
    """The server prints the view as it prints the file's SELECT: each PostgreSQL version
    prints a definition in its own way, so the file's is created as a view to compare."""
    definition, _ = database_views(db)[name]
    with db.transaction(force_rollback=True):
        db.execute(f"CREATE TEMPORARY VIEW file_view AS {FILES[name].definition}")
        row = db.execute("SELECT pg_get_viewdef('file_view'::regclass, true)").fetchone()
    assert row is not None
    assert normalised(definition) == normalised(row[0])


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_view_and_column_comments_are_its_file(db: psycopg.Connection, name: str) -> None:
    _, comment = database_views(db)[name]
    assert comment == FILES[name].comment
    database = column_comments(db, name)
    assert list(database.items()) == list(FILES[name].columns.items())
    assert all(database.values()), [c for c, text in database.items() if not text]


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_file_is_in_the_layout_it_is_read_in(name: str) -> None:
    """What the loader reads back writes the same file: nothing in it is ignored."""
    text = (views.FOLDER / f"{name}.sql").read_text(encoding="utf-8")
    assert FILES[name].text() == text
