"""Loading the TASS seed: the exact facts, idempotence, sync, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import SEEDS, Invoker
from tests.snapshots import row_counts, snapshot

ARTICLE = "tass-2022-01-25-csto-mission-kazakhstan"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of seeds/ that a test may edit."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def load(run: Invoker, path: Path) -> str:
    result = run("seed", "load", str(path))
    assert result.exit_code == 0, result.output
    return result.output


def test_validate_touches_no_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from incidentdb.cli import cli

    env = {"INCIDENTDB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = CliRunner().invoke(cli, ["seed", "validate", str(SEEDS)], env=env)
    assert result.exit_code == 0, result.output
    assert "2 files valid: 35 facts and entities, 35 verified quotes." in result.output


def test_load_puts_the_tass_facts_in_the_database(run: Invoker, db: psycopg.Connection) -> None:
    load(run, SEEDS)
    q = db.execute
    assert q(
        "SELECT source.slug, title, publisher.slug, dateline.slug, published_on::text, language "
        "FROM source JOIN organisation publisher ON publisher.id = source.publisher_id "
        "JOIN place dateline ON dateline.id = source.dateline_place_id"
    ).fetchall() == [
        (
            ARTICLE,
            "CSTO mission in Kazakhstan proves demand for collective mechanisms — "
            "ex-Secretary General",
            "tass",
            "moscow",
            "2022-01-25",
            "en",
        )
    ]
    assert q(
        "SELECT slug, iso_alpha2, iso_alpha3 FROM place WHERE kind = 'country' ORDER BY slug"
    ).fetchall() == [
        ("af", "AF", "AFG"),
        ("cn", "CN", "CHN"),
        ("kz", "KZ", "KAZ"),
        ("ru", "RU", "RUS"),
    ]
    assert q(
        "SELECT p.slug, parent.slug FROM place p JOIN place parent "
        "ON parent.id = p.parent_id ORDER BY 1"
    ).fetchall() == [("kazakh-cities", "kz"), ("moscow", "ru")]
    assert q(
        "SELECT o.slug, o.kind, parent.slug FROM organisation o LEFT JOIN organisation "
        "parent ON parent.id = o.parent_id ORDER BY 1"
    ).fetchall() == [
        ("csto", "intergovernmental", None),
        ("csto-collective-security-council", "intergovernmental_body", "csto"),
        ("csto-crrf", "military_force", "csto"),
        ("kazakh-authorities", "government", None),
        ("tass", "media", None),
    ]
    assert q(
        "SELECT p.slug, r.title, o.slug, r.is_former FROM person_role r "
        "JOIN person p ON p.id = r.person_id LEFT JOIN organisation o "
        "ON o.id = r.organisation_id ORDER BY 1"
    ).fetchall() == [
        ("kassym-jomart-tokayev", "President of Kazakhstan", None, False),
        ("nikolay-bordyuzha", "Secretary General", "csto", True),
    ]
    assert q(
        "SELECT slug, incident_type, occurred_from::text, occurred_to::text, "
        "(SELECT slug FROM place WHERE id = country_id) FROM incident"
    ).fetchall() == [("2022-kazakhstan-unrest", "unrest", "2022-01-02", "2022-01-19", "kz")]
    assert q(
        "SELECT occurred_from::text, occurred_to::text, kind FROM timeline_entry "
        "WHERE incident_id IS NOT NULL ORDER BY 1, 2, kind"
    ).fetchall() == [
        ("2022-01-02", "2022-01-02", "protest"),
        ("2022-01-02", "2022-01-25", "claim"),
        ("2022-01-03", "2022-01-07", "order_restored"),
        ("2022-01-03", "2022-01-07", "riot"),
        ("2022-01-19", "2022-01-19", "emergency_lifted"),
    ]
    assert q(
        "SELECT m.slug, m.kind, o.slug, p.slug, m.started_from::text, m.started_to::text,"
        " m.ended_from FROM mission m JOIN organisation o ON o.id = m.lead_organisation_id"
        " JOIN place p ON p.id = m.host_country_id"
    ).fetchall() == [
        ("csto-kazakhstan-2022", "peacekeeping", "csto", "kz", "2022-01-02", "2022-01-25", None)
    ]
    assert q("SELECT count(*) FROM mission_incident").fetchone() == (1,)
    assert q(
        "SELECT category, figure, qualifier, count_low, count_high, o.slug, as_of_to "
        "FROM casualty_report c JOIN organisation o ON o.id = c.reported_by_organisation_id"
        " ORDER BY category"
    ).fetchall() == [
        ("injured", 4500, "more_than", 4501, None, "kazakh-authorities", None),
        ("killed", 225, "exact", 225, 225, "kazakh-authorities", None),
    ]
    assert q(
        "SELECT count(*), count(*) FILTER (WHERE speaker_person_id IS NOT NULL) FROM statement"
    ).fetchone() == (7, 6)


def test_every_quote_is_verbatim_at_its_offsets(run: Invoker, db: psycopg.Connection) -> None:
    load(run, SEEDS)
    body = (SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    rows = db.execute("SELECT quote, char_start, char_end FROM evidence").fetchall()
    assert len(rows) == 35
    for quote, start, end in rows:
        assert body[start:end] == quote
    # Every fact row is backed by at least one quote.
    for table in (
        "incident",
        "timeline_entry",
        "casualty_report",
        "statement",
        "mission",
        "person_role",
    ):
        unbacked = db.execute(
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
            f"(SELECT 1 FROM evidence e WHERE e.{table}_id = t.id)"
        ).fetchone()
        assert unbacked == (0,), table


def test_second_load_changes_nothing(run: Invoker, db: psycopg.Connection) -> None:
    load(run, SEEDS)
    before = snapshot(db)
    output = load(run, SEEDS)
    assert "Nothing to do" in output
    assert snapshot(db) == before  # not a row, not an id, not a rewrite (xmin)


def test_forced_reprocessing_rewrites_nothing(
    run: Invoker, db: psycopg.Connection, seeds_copy: Path
) -> None:
    """A changed file re-upserts all its rows; only the edited one may be rewritten."""
    load(run, seeds_copy)
    before = snapshot(db)
    article = seeds_copy / f"{ARTICLE}.yaml"
    article.write_text(article.read_text() + "\n# a comment changes the hash, not the facts\n")
    output = load(run, seeds_copy)
    assert "Added 0 rows, changed 0 and removed 0." in output
    after = snapshot(db)
    for table in before:
        if table != "seed_file":
            assert after[table] == before[table], table


def test_edit_and_reload_syncs(run: Invoker, db: psycopg.Connection, seeds_copy: Path) -> None:
    load(run, seeds_copy)
    registry_rows = db.execute("SELECT xmin::text, * FROM place ORDER BY id").fetchall()
    article = seeds_copy / f"{ARTICLE}.yaml"
    text = article.read_text()
    # Change a figure, drop a statement, drop a timeline entry.
    text = text.replace("figure: 225\n    qualifier: exact", "figure: 230\n    qualifier: exact")
    start = text.index("  - slug: tokayev-coup-attempted")
    end = text.index("  - slug: kazakh-authorities-order-restored")
    text = text[:start] + text[end:]
    start = text.index("      - occurred: 2022-01-19")
    end = text.index("\nmissions:")
    text = text[:start] + text[end:]
    article.write_text(text)
    dry = run("seed", "load", str(seeds_copy), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would load" in dry.output and "dry run: nothing written" in dry.output
    assert db.execute(
        "SELECT figure FROM casualty_report WHERE category = 'killed'"
    ).fetchone() == (225,)

    output = load(run, seeds_copy)
    assert "Added 0 rows, changed 1 and removed 4." in output  # 1 statement, 1 entry, 2 quotes
    assert db.execute(
        "SELECT figure, count_low, count_high FROM casualty_report WHERE category = 'killed'"
    ).fetchone() == (230, 230, 230)
    assert db.execute("SELECT count(*) FROM statement").fetchone() == (6,)
    assert db.execute(
        "SELECT count(*) FROM timeline_entry WHERE kind = 'emergency_lifted'"
    ).fetchone() == (0,)
    # The registry's rows were not touched.
    assert db.execute("SELECT xmin::text, * FROM place ORDER BY id").fetchall() == registry_rows


def test_other_files_facts_are_untouched(
    run: Invoker, db: psycopg.Connection, seeds_copy: Path
) -> None:
    second = seeds_copy / "second.yaml"
    (seeds_copy / "second.txt").write_text("Riots in Almaty left 10 people dead.", encoding="utf-8")
    import hashlib

    digest = hashlib.sha256((seeds_copy / "second.txt").read_bytes()).hexdigest()
    second.write_text(f"""
source:
  slug: second-article
  file: second.txt
  sha256: {digest}
  title: Riots in Almaty
casualty_reports:
  - incident: 2022-kazakhstan-unrest
    category: killed
    figure: 10
    qualifier: exact
    evidence: 10 people dead
""")
    load(run, seeds_copy)
    assert db.execute("SELECT count(*) FROM casualty_report").fetchone() == (3,)
    # Removing the second file's report leaves the TASS reports alone.
    text = second.read_text()
    second.write_text(text[: text.index("casualty_reports:")])
    output = load(run, seeds_copy)
    assert "removed 2." in output  # the report and its quote
    assert db.execute("SELECT figure FROM casualty_report ORDER BY figure").fetchall() == [
        (225,),
        (4500,),
    ]


def test_shared_entity_still_referred_to_is_not_removed(
    run: Invoker, db: psycopg.Connection, seeds_copy: Path
) -> None:
    load(run, seeds_copy)
    before = snapshot(db)
    registry = seeds_copy / "registry.yaml"
    text = registry.read_text()
    start = text.index("  - slug: kazakh-authorities")
    end = text.index("\npersons:")
    registry.write_text(text[:start] + text[end:])
    # Loading only the registry: the article still refers to kazakh-authorities.
    result = run("seed", "load", str(registry))
    assert result.exit_code == 1
    assert "cannot remove organisation 'kazakh-authorities'" in result.output
    assert "casualty_report" in result.output
    assert snapshot(db) == before


def test_load_needs_a_migrated_database(empty_database_url: str) -> None:
    from tests.conftest import Invoker as Inv

    result = Inv(empty_database_url, {})("seed", "load", str(SEEDS))
    assert result.exit_code == 1
    assert "incidentdb db upgrade" in result.output


def test_seed_list_shows_the_ledger(run: Invoker) -> None:
    import hashlib
    import json

    assert "No seed files loaded" in run("seed", "list").output
    assert run("seed", "list", "--format", "json").stdout == "[]\n"
    load(run, SEEDS)
    listing = json.loads(run("seed", "list", "--format", "json").stdout)
    assert [(e["identity"], e["kind"], e["content_hash"]) for e in listing] == [
        (
            "registry:incidentdb-core",
            "registry",
            hashlib.sha256((SEEDS / "registry.yaml").read_bytes()).hexdigest(),
        ),
        (f"source:{ARTICLE}", "seed", _article_hash()),
    ]
    # The article defines the two persons again (to give their roles): they count for both.
    assert [e["row_count"] for e in listing] == [13, 59]
    assert [e["location"] for e in listing] == [
        str((SEEDS / "registry.yaml").resolve()),
        str((SEEDS / f"{ARTICLE}.yaml").resolve()),
    ]
    table = run("seed", "list").stdout
    assert table.splitlines()[0].split() == [
        "Identity",
        "Kind",
        "Hash",
        "Rows",
        "Loaded",
        "Location",
    ]
    assert "registry:incidentdb-core" in table and _article_hash()[:8] in table
    csv_lines = run("seed", "list", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "identity,kind,content_hash,row_count,loaded_at,location"
    assert len(csv_lines) == 3


def _article_hash() -> str:
    import hashlib

    digest = hashlib.sha256((SEEDS / f"{ARTICLE}.yaml").read_bytes())
    digest.update((SEEDS / f"{ARTICLE}.txt").read_bytes())
    return digest.hexdigest()


def test_row_counts_after_load(run: Invoker, db: psycopg.Connection) -> None:
    load(run, SEEDS)
    counts: dict[str, Any] = row_counts(db)
    assert {
        k: v
        for k, v in counts.items()
        if v
        and k
        not in (
            "alembic_version",
            "incident_type",
            "timeline_kind",
            "casualty_category",
            "qualifier",
            "organisation_kind",
            "mission_kind",
            "place_kind",
        )
    } == {
        "casualty_report": 2,
        "evidence": 35,
        "incident": 1,
        "incident_place": 1,
        "mission": 1,
        "mission_incident": 1,
        "organisation": 5,
        "organisation_alias": 1,
        "person": 2,
        "person_role": 2,
        "place": 7,
        "seed_file": 2,
        "seed_file_claim": 2,  # the persons, defined by the registry and the article
        "source": 1,
        "statement": 7,
        "timeline_entry": 7,
    }


def test_a_folder_load_skips_drafts(run: Invoker, db: psycopg.Connection, seeds_copy: Path) -> None:
    draft = seeds_copy / f"{ARTICLE}.draft.yaml"
    draft.write_text("source: {this draft is not reviewed yet\n", encoding="utf-8")
    assert "registry.yaml" in load(run, seeds_copy)
    assert db.execute("SELECT count(*) FROM seed_file").fetchone() == (2,)
    named = run("seed", "validate", str(draft))
    assert named.exit_code == 1 and ".draft.yaml:2:1: source: YAML error" in named.output
