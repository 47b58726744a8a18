"""The index budget: the indexes of a migrated database are exactly those docs/indexes.md lists
as kept, each with its reason; and the reporting views filtered by one incident can be read
by index scans alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from benchmarks.synthetic import write_acled
from tests.conftest import SEEDS, Invoker

DOC = Path(__file__).resolve().parent.parent / "docs" / "indexes.md"

# | `name` | table | columns | rows | serves |
ROW = re.compile(
    r"^\| `(?P<name>\w+)` \| (?P<table>\w+) \| (?P<columns>[\w, ]+) \| (?P<rows>[^|]+) \|"
)


def documented() -> dict[str, tuple[str, str, bool, str]]:
    """name -> (table, columns, partial, what it serves) from the doc's table of kept indexes."""
    kept: dict[str, tuple[str, str, bool, str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        rows = match["rows"].strip()
        assert rows in ("all", "non-NULL"), line
        serves = line[match.end() :].strip(" |")
        assert match["name"] not in kept, f"{match['name']} is listed twice"
        kept[match["name"]] = (match["table"], match["columns"], rows == "non-NULL", serves)
    return kept


def in_database(conn: psycopg.Connection[Any]) -> dict[str, tuple[str, str, str | None]]:
    """name -> (table, columns, predicate) of every index of the public schema."""
    rows = conn.execute(
        """
        SELECT i.relname, t.relname,
               (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                  FROM unnest(x.indkey) WITH ORDINALITY k(att, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att),
               pg_get_expr(x.indpred, x.indrelid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = 'public'::regnamespace
        """
    ).fetchall()
    return {name: (table, columns, predicate) for name, table, columns, predicate in rows}


def test_the_database_has_exactly_the_documented_indexes(db: psycopg.Connection[Any]) -> None:
    kept = documented()
    found = in_database(db)
    assert sorted(set(found) - set(kept)) == [], "indexes without a line in docs/indexes.md"
    assert sorted(set(kept) - set(found)) == [], "docs/indexes.md lists indexes that do not exist"
    for name, (table, columns, partial, serves) in kept.items():
        assert found[name][:2] == (table, columns), name
        expected = f"({columns} IS NOT NULL)" if partial else None
        assert found[name][2] == expected, name
        assert len(serves) > 10, f"{name}: what does it serve?"


def test_the_counts_by_kind_are_the_documented_ones(db: psycopg.Connection[Any]) -> None:
    counts = db.execute(
        """
        SELECT count(*) FILTER (WHERE indisprimary),
               count(*) FILTER (WHERE indisunique AND NOT indisprimary),
               count(*) FILTER (WHERE NOT indisunique),
               count(*) FILTER (WHERE indpred IS NOT NULL)
          FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = 'public'::regnamespace
        """
    ).fetchone()
    assert counts == (26, 16, 62, 48)
    assert "104 indexes (26 primary keys, 16 other unique, 62 plain of which 48" in " ".join(
        DOC.read_text(encoding="utf-8").split()
    )


def test_the_models_declare_the_same_partial_indexes(db: psycopg.Connection[Any]) -> None:
    """`alembic check` compares an index's columns, not its WHERE: this compares that."""
    from incidentdb.models import metadata

    declared = {}
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_kwargs.get("postgresql_where")
            declared[index.name] = None if where is None else f"({where})"
    found = {
        name: predicate
        for name, (_, _, predicate) in in_database(db).items()
        if name.startswith("ix_")
    }
    assert declared == found


def test_an_index_on_a_nullable_reference_holds_only_rows_that_refer(
    db: psycopg.Connection[Any],
) -> None:
    """Evidence rows fill one fact column each: an evidence row backing an incident writes an
    entry in the incidents' index and none in the figures'. A btree without an entry is its
    metapage alone (one page); its first entry adds a leaf page."""
    db.execute(
        "INSERT INTO source (slug, title, language, body, content_hash) "
        "VALUES ('s', 't', 'en', 'b', encode(sha256('b'), 'hex'))"
    )
    db.execute(
        "INSERT INTO incident (slug, title, incident_type, occurred_from, occurred_to) "
        "SELECT 'i', 't', code, '2022-01-05', '2022-01-05' FROM incident_type LIMIT 1"
    )
    db.execute(
        "INSERT INTO evidence (key, source_id, quote, char_start, char_end, incident_id) "
        "SELECT 'e', s.id, 'b', 0, 1, i.id FROM source s, incident i"
    )
    pages = dict(
        db.execute(
            "SELECT c.relname, pg_relation_size(c.oid) / current_setting('block_size')::int "
            "FROM pg_class c WHERE c.relname IN "
            "('ix_evidence_incident_id', 'ix_evidence_casualty_report_id', 'ix_evidence_source_id')"
        ).fetchall()
    )
    assert pages == {
        "ix_evidence_incident_id": 2,
        "ix_evidence_source_id": 2,
        "ix_evidence_casualty_report_id": 1,
    }


def scans(plan: dict[str, Any]) -> list[str]:
    """The scan nodes of a JSON plan: 'Index Scan on evidence', 'Seq Scan on qualifier'."""
    found = []
    if "Scan" in plan["Node Type"] and "Relation Name" in plan:
        found.append(f"{plan['Node Type']} on {plan['Relation Name']}")
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


@pytest.fixture
def loaded(run: Invoker, db: psycopg.Connection[Any], tmp_path: Path) -> psycopg.Connection[Any]:
    """The seeds, the three-source example and a synthetic ACLED import of 2,000 events."""
    example = Path(__file__).resolve().parent.parent / "examples" / "kazakhstan-three-sources"
    acled = tmp_path / "acled.csv"
    write_acled(acled, 2_000)
    for args in (
        ("seed", "load", str(SEEDS)),
        ("seed", "load", str(example)),
        ("import", "acled", str(acled), "-q"),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
    db.execute("ANALYZE")
    return db


def test_views_filtered_by_incident_read_the_large_tables_by_index_scans_only(
    loaded: psycopg.Connection[Any],
) -> None:
    """Every view with an incident_slug, filtered by one incident, reads each table of a
    thousand rows or more (those the import filled) through an index, never sequentially.
    Tables of a few rows (the vocabularies, the seeds' statements) may be read whole: that
    is the planner's right choice at this size, and not what the budget is about."""
    large = {
        r[0]
        for r in loaded.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relkind = 'r' AND reltuples >= 1000"
        ).fetchall()
    }
    assert {"incident", "casualty_report", "evidence", "source", "place"} <= large
    views = [
        r[0]
        for r in loaded.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'reporting' "
            "AND column_name = 'incident_slug' ORDER BY 1"
        ).fetchall()
    ]
    assert {"incidents", "casualty_reports", "timeline"} <= set(views)
    for slug in (
        "2022-kazakhstan-unrest",
        loaded.execute("SELECT max(slug) FROM incident").fetchone()[0],
    ):
        for view in views:
            row = loaded.execute(
                f"EXPLAIN (FORMAT JSON) SELECT * FROM reporting.{view} WHERE incident_slug = %s",
                (slug,),
            ).fetchone()
            assert row is not None
            found = scans(row[0][0]["Plan"])
            assert any(s.endswith(" on incident") for s in found), (view, found)
            whole = [s for s in found if s.startswith("Seq Scan") and s.split(" on ")[1] in large]
            assert whole == [], (view, slug, found)
