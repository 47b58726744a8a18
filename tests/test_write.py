"""The write package on its own: the table graph from the models, Rows checked against it,
writing in batches the same as at once, re-writing unchanged rows changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from benchmarks.synthetic import write_acled
from incidentdb.db.settings import libpq_url
from incidentdb.imports.acled import Acled
from incidentdb.imports.common import run_import
from incidentdb.models import metadata
from incidentdb.write.rows import Ref, Row
from incidentdb.write.tables import graph
from tests.conftest import _fresh_database
from tests.snapshots import row_counts


def test_the_graph_is_the_models() -> None:
    g = graph()
    names = [t.name for t in g.tables]
    # Every table with an id and a natural key, and each after the tables it refers to.
    for spec in g.tables:
        table = metadata.tables[spec.name]
        assert spec.key in table.columns and "id" in table.columns
        assert set(spec.columns) == {c.name for c in table.columns} - {
            "id",
            spec.key,
            "seed_file_id",
        }
        for column, target in spec.refs.items():
            assert target == spec.name or names.index(target) < names.index(spec.name), column
    assert set(g.spec("casualty_report").late) == {"supersedes_id", "part_of_id"}
    assert g.spec("place").parent == "parent_id"
    assert {link.name for link in g.links} == {
        "incident_place",
        "mission_incident",
        "organisation_alias",
    }


def test_a_row_naming_a_column_its_table_lacks_is_refused(database_url: str) -> None:
    from incidentdb.write.bulk import BulkLoader

    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute(
            "INSERT INTO seed_file (identity, kind, content_hash, row_count) VALUES "
            "('file:/x', 'registry', repeat('a', 64), 0)"
        )
        bulk = BulkLoader(conn, {"file:/x": 1})
        with pytest.raises(ValueError, match="person has no column nmae"):
            bulk.add(Row("person", "ann", {"nmae": "Ann", "description": None}, "file:/x", ()))
        conn.rollback()


def _contents(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every core table's rows by natural key, ids resolved away (ids differ by order)."""
    out = {}
    for table in (
        "place",
        "organisation",
        "incident",
        "incident_actor",
        "source",
        "casualty_report",
        "evidence",
    ):
        key = graph().key_of(table)
        out[table] = conn.execute(f"SELECT {key} FROM {table} ORDER BY 1").fetchall()
    out["incident_place"] = conn.execute(
        "SELECT i.slug, p.slug FROM incident_place ip JOIN incident i ON i.id = ip.incident_id "
        "JOIN place p ON p.id = ip.place_id ORDER BY 1, 2"
    ).fetchall()
    return out


@pytest.fixture
def second_database_url(test_server: Any, template_db: str) -> Iterator[str]:
    """Another fresh database at head, beside the test's own."""
    yield from _fresh_database(test_server, template_db)


@pytest.mark.parametrize("batch", [37, 1000])
def test_writing_in_batches_writes_what_one_batch_does(
    database_url: str, second_database_url: str, tmp_path: Path, batch: int
) -> None:
    path = tmp_path / "acled.csv"
    write_acled(path, 300)
    run_import(database_url, path, Acled(), batch_rows=batch)
    run_import(second_database_url, path, Acled(), batch_rows=10**9)
    with psycopg.connect(libpq_url(database_url)) as batched:
        with psycopg.connect(libpq_url(second_database_url)) as once:
            assert _contents(batched) == _contents(once)
            assert row_counts(batched) == row_counts(once)
    # And again in batches: nothing to do.
    report = run_import(database_url, path, Acled(), batch_rows=batch)
    assert report.unchanged == [str(path)]


def test_a_batched_rewrite_of_an_edited_file_syncs(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    write_acled(path, 200)
    first = run_import(database_url, path, Acled(), batch_rows=50)
    assert first.total.added > 0
    # The same events and more under another file: the shared ones pass to it, nothing is
    # removed, and nothing shared is rewritten.
    bigger = tmp_path / "acled-more.csv"
    write_acled(bigger, 260)
    report = run_import(database_url, bigger, Acled(), batch_rows=50)
    assert report.tables["incident"].removed == 0
    with psycopg.connect(libpq_url(database_url)) as conn:
        assert conn.execute("SELECT count(*) FROM incident").fetchone() == (260,)


def test_refs_are_plain_keys() -> None:
    ref = Ref("place", "kz", ("places", 0))
    assert ref == Ref("place", "kz", ())  # the path is where it was written, not what it is


def test_one_slug_rule_for_derived_keys_and_imported_names() -> None:
    from incidentdb.write import slugs

    assert slugs.words("The CSTO: peacekeepers leave Almaty!", 3) == "the-csto-peacekeepers"
    assert slugs.words("…") == "x"
    # a name the rule keeps as it is stays readable; one it changes gets a hash, so two
    # names that differ only in what the rule drops stay two slugs
    assert slugs.unique("islamic state") == "islamic-state"
    assert slugs.unique("O'Neil") != slugs.unique("O Neil") == "o-neil"
    assert slugs.unique("Алматы").isalnum() and len(slugs.unique("Алматы")) == 8
    parent = "p" * 150
    long = slugs.child(parent, "y" * 70)
    assert len(long) == slugs.SLUG_LIMIT and long != slugs.child(parent, "y" * 71)
