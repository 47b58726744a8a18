"""Imports of UCDP GED and ACLED files through the seed write path."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import psycopg
import pytest

from tests.conftest import Invoker
from tests.shared_data import UCDP_SAMPLE, needs_ucdp
from tests.snapshots import snapshot

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "iso",
    "iso3",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
]


def acled_rows() -> list[dict[str, str]]:
    base = {c: "" for c in ACLED_COLUMNS}
    return [
        {
            **base,
            "event_id_cnty": "KAZ1001",
            "event_date": "2022-01-05",
            "year": "2022",
            "time_precision": "1",
            "event_type": "Riots",
            "sub_event_type": "Violent demonstration",
            "actor1": "Rioters (Kazakhstan)",
            "inter1": "5",
            "actor2": "Police Forces of Kazakhstan (2019-)",
            "inter2": "1",
            "region": "Central Asia",
            "country": "Kazakhstan",
            "iso": "398",
            "iso3": "KAZ",
            "admin1": "Almaty",
            "location": "Almaty",
            "latitude": "43.2567",
            "longitude": "76.9286",
            "geo_precision": "1",
            "source": "Reuters",
            "source_scale": "International",
            "notes": "On 5 January 2022, rioters stormed the mayor's office in Almaty.",
            "fatalities": "8",
        },
        # The same event again, one row per associated actor: one incident, not two.
        {
            **base,
            "event_id_cnty": "KAZ1001",
            "event_date": "2022-01-05",
            "year": "2022",
            "time_precision": "1",
            "event_type": "Riots",
            "sub_event_type": "Violent demonstration",
            "actor1": "Rioters (Kazakhstan)",
            "assoc_actor_1": "Labour Group (Kazakhstan)",
            "inter1": "5",
            "actor2": "Police Forces of Kazakhstan (2019-)",
            "inter2": "1",
            "region": "Central Asia",
            "country": "Kazakhstan",
            "iso": "398",
            "iso3": "KAZ",
            "admin1": "Almaty",
            "location": "Almaty",
            "latitude": "43.2567",
            "longitude": "76.9286",
            "geo_precision": "1",
            "source": "Reuters",
            "source_scale": "International",
            "notes": "On 5 January 2022, rioters stormed the mayor's office in Almaty.",
            "fatalities": "8",
        },
        {
            **base,
            "event_id_cnty": "KAZ1002",
            "event_date": "2022-01-10",
            "year": "2022",
            "time_precision": "2",
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "actor1": "Protesters (Kazakhstan)",
            "inter1": "6",
            "region": "Central Asia",
            "country": "Kazakhstan",
            "iso": "398",
            "iso3": "KAZ",
            "admin1": "Mangystau",
            "location": "Zhanaozen",
            "latitude": "43.3378",
            "longitude": "52.8553",
            "geo_precision": "2",
            "source": "RFE/RL",
            "source_scale": "Regional",
            "notes": "Around 10 January 2022, residents protested fuel prices in Zhanaozen.",
            "fatalities": "0",
        },
        # Fatalities blank: no casualty report (blank is not zero).
        {
            **base,
            "event_id_cnty": "KAZ1003",
            "event_date": "2022-01-15",
            "year": "2022",
            "time_precision": "3",
            "event_type": "Strategic developments",
            "sub_event_type": "Arrests",
            "actor1": "Police Forces of Kazakhstan (2019-)",
            "inter1": "1",
            "region": "Central Asia",
            "country": "Kazakhstan",
            "iso": "398",
            "iso3": "KAZ",
            "admin1": "Almaty",
            "location": "Almaty",
            "latitude": "43.2567",
            "longitude": "76.9286",
            "geo_precision": "1",
            "source": "Tengrinews",
            "source_scale": "National",
            "notes": "In January 2022, police detained activists.",
            "fatalities": "",
        },
    ]


def write_acled(path: Path, rows: list[dict[str, str]], drop: tuple[str, ...] = ()) -> Path:
    columns = [c for c in ACLED_COLUMNS if c not in drop]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@needs_ucdp
def test_ucdp_sample_counts_and_totals_match_the_file(run: Invoker, db: psycopg.Connection) -> None:
    features = json.loads(UCDP_SAMPLE.read_text())["features"]
    props = [f["properties"] for f in features]
    result = run("import", "ucdp-ged", str(UCDP_SAMPLE), "--quiet")
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT count(*) FROM incident WHERE slug LIKE 'ucdp-ged-%'").fetchone() == (
        len({p["id"] for p in props}),
    )
    assert db.execute("SELECT count(*), sum(figure) FROM casualty_report").fetchone() == (
        len(props),
        sum(p["best"] for p in props),
    )
    # Types and dates as UCDP codes them.
    counts = dict(db.execute("SELECT incident_type, count(*) FROM incident GROUP BY 1"))
    expected: dict[str, int] = {}
    names = {1: "state_based_conflict", 2: "non_state_conflict", 3: "one_sided_violence"}
    for p in props:
        expected[names[p["type_of_violence"]]] = expected.get(names[p["type_of_violence"]], 0) + 1
    assert counts == expected
    one = props[0]
    assert db.execute(
        "SELECT occurred_from::text, occurred_to::text, c.figure, c.count_low, c.count_high, "
        "c.qualifier, p.iso_alpha2 FROM incident i JOIN casualty_report c ON c.incident_id = i.id"
        " JOIN place p ON p.id = i.country_id WHERE i.slug = %s",
        (f"ucdp-ged-{one['id']}",),
    ).fetchone() == (
        one["date_start"][:10],
        one["date_end"][:10],
        one["best"],
        one["low"],
        one["high"],
        "approximately",
        "CF",
    )
    # Every quote is verbatim in its source text.
    bad = db.execute(
        "SELECT count(*) FROM evidence e JOIN source s ON s.id = e.source_id "
        "WHERE substr(s.body, e.char_start + 1, e.char_end - e.char_start) "
        "<> e.quote"
    ).fetchone()
    assert bad == (0,)


@needs_ucdp
def test_ucdp_reimport_changes_nothing(run: Invoker, db: psycopg.Connection) -> None:
    assert run("import", "ucdp-ged", str(UCDP_SAMPLE), "-q").exit_code == 0
    before = snapshot(db)
    again = run("import", "ucdp-ged", str(UCDP_SAMPLE), "-q")
    assert again.exit_code == 0
    assert "already imported and unchanged" in again.output
    assert snapshot(db) == before


@needs_ucdp
def test_ucdp_csv_and_geojson_agree(run: Invoker, db: psycopg.Connection, tmp_path: Path) -> None:
    features = json.loads(UCDP_SAMPLE.read_text())["features"][:50]
    columns = list(features[0]["properties"]) + ["latitude", "longitude"]
    path = tmp_path / "ged231-sample.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for feat in features:
            lon, lat = feat["geometry"]["coordinates"]
            writer.writerow({**feat["properties"], "latitude": lat, "longitude": lon})
    result = run("import", "ucdp-ged", str(path), "-q")
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT count(*), sum(figure) FROM casualty_report").fetchone() == (
        50,
        sum(f["properties"]["best"] for f in features),
    )


def test_acled_one_incident_per_event_id(
    run: Invoker, db: psycopg.Connection, tmp_path: Path
) -> None:
    path = write_acled(
        tmp_path / "acled-kaz-2022.csv", acled_rows(), drop=("admin2", "admin3", "timestamp")
    )  # an older, narrower export
    result = run("import", "acled", str(path), "-q")
    assert result.exit_code == 0, result.output
    assert db.execute(
        "SELECT slug, incident_type, occurred_from::text, occurred_to::text "
        "FROM incident ORDER BY slug"
    ).fetchall() == [
        ("acled-kaz1001", "riot", "2022-01-05", "2022-01-05"),
        ("acled-kaz1002", "protest", "2022-01-07", "2022-01-13"),  # within a week
        ("acled-kaz1003", "strategic_development", "2022-01-01", "2022-01-31"),  # the month
    ]
    # Fatalities as ACLED gives them; blank is no report, 0 is a report of 0.
    assert db.execute(
        "SELECT i.slug, c.figure, c.qualifier, c.count_low, c.count_high "
        "FROM casualty_report c JOIN incident i ON i.id = c.incident_id "
        "ORDER BY 1"
    ).fetchall() == [
        ("acled-kaz1001", 8, "at_least", 8, None),
        ("acled-kaz1002", 0, "at_least", 0, None),
    ]
    # The repeated rows add their actors to the one incident.
    assert db.execute(
        "SELECT a.role, o.name FROM incident_actor a JOIN organisation o "
        "ON o.id = a.organisation_id JOIN incident i ON i.id = a.incident_id "
        "WHERE i.slug = 'acled-kaz1001' ORDER BY 1, 2"
    ).fetchall() == [
        ("actor1", "Rioters (Kazakhstan)"),
        ("actor2", "Police Forces of Kazakhstan (2019-)"),
        ("associated", "Labour Group (Kazakhstan)"),
    ]
    assert db.execute(
        "SELECT p.slug, p.kind, parent.slug FROM place p LEFT JOIN place parent "
        "ON parent.id = p.parent_id ORDER BY 1"
    ).fetchall() == [
        ("kz", "country", None),
        ("kz-almaty", "admin1", "kz"),
        ("kz-almaty-almaty", "locality", "kz-almaty"),
        ("kz-mangystau", "admin1", "kz"),
        ("kz-mangystau-zhanaozen", "locality", "kz-mangystau"),
    ]
    quote = db.execute(
        "SELECT e.quote FROM evidence e JOIN incident i ON i.id = e.incident_id "
        "WHERE i.slug = 'acled-kaz1002'"
    ).fetchone()
    assert quote == (
        "notes: Around 10 January 2022, residents protested fuel prices in Zhanaozen.",
    )


def test_acled_newer_export_updates_changed_events(
    run: Invoker, db: psycopg.Connection, tmp_path: Path
) -> None:
    rows = acled_rows()
    assert (
        run(
            "import", "acled", str(write_acled(tmp_path / "acled-2022-01.csv", rows)), "-q"
        ).exit_code
        == 0
    )
    unchanged_event = (
        "SELECT i.id, i.title, i.occurred_from, c.id, c.figure FROM incident i "
        "JOIN casualty_report c ON c.incident_id = i.id WHERE i.slug = 'acled-kaz1002'"
    )
    untouched = db.execute(unchanged_event).fetchone()
    for r in rows[:2]:
        r["fatalities"] = "10"  # revised toll
    newer = run("import", "acled", str(write_acled(tmp_path / "acled-2022-02.csv", rows)), "-q")
    assert newer.exit_code == 0, newer.output
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (3,)
    assert db.execute(
        "SELECT c.figure FROM casualty_report c JOIN incident i "
        "ON i.id = c.incident_id WHERE i.slug = 'acled-kaz1001'"
    ).fetchone() == (10,)
    assert db.execute(unchanged_event).fetchone() == untouched  # same ids, same facts


def test_acled_missing_required_column(
    run: Invoker, db: psycopg.Connection, tmp_path: Path
) -> None:
    before = snapshot(db)
    path = write_acled(tmp_path / "bad.csv", acled_rows(), drop=("event_date",))
    result = run("import", "acled", str(path), "-q")
    assert result.exit_code == 1
    assert "missing required column(s) event_date" in result.output
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("fatalities", "many", "column fatalities: expected a whole number, got 'many'"),
        ("fatalities", "-2", "column fatalities: expected at least 0, got -2"),
        ("event_date", "2022-02-30", "column event_date: expected a date like 2022-01-05"),
        ("event_type", "Earthquakes", "column event_type: unknown event_type 'Earthquakes'"),
        ("country", "Atlantis", "column country: unknown country 'Atlantis'"),
        ("latitude", "north", "column latitude: expected a number, got 'north'"),
    ],
)
def test_acled_malformed_row_names_row_and_column(
    run: Invoker, db: psycopg.Connection, tmp_path: Path, column: str, value: str, message: str
) -> None:
    rows = acled_rows()
    rows[2][column] = value
    if column == "country":
        rows[2]["iso3"] = rows[2]["iso"] = ""
    before = snapshot(db)
    result = run("import", "acled", str(write_acled(tmp_path / "bad.csv", rows)), "-q")
    assert result.exit_code == 1
    assert f"bad.csv: row 4, {message}" in result.output  # row 4: the header is row 1
    assert snapshot(db) == before


@needs_ucdp
def test_wrong_file_for_the_command(run: Invoker, db: psycopg.Connection, tmp_path: Path) -> None:
    before = snapshot(db)
    acled = write_acled(tmp_path / "acled.csv", acled_rows())
    result = run("import", "ucdp-ged", str(acled), "-q")
    assert result.exit_code == 1
    assert "not a UCDP GED file: missing required field(s) id" in result.output
    result = run("import", "acled", str(UCDP_SAMPLE), "-q")
    assert result.exit_code == 1
    assert "not an ACLED export" in result.output
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"properties": ')
    result = run("import", "ucdp-ged", str(broken), "-q")
    assert result.exit_code == 1
    assert "not valid GeoJSON" in result.output
    assert snapshot(db) == before


@needs_ucdp
def test_dry_run_writes_nothing(run: Invoker, db: psycopg.Connection) -> None:
    before = snapshot(db)
    result = run("import", "ucdp-ged", str(UCDP_SAMPLE), "--dry-run", "-q")
    assert result.exit_code == 0
    assert "Would add" in result.output and "dry run" in result.output
    assert snapshot(db) == before


def test_imports_sit_beside_the_seed(run: Invoker, db: psycopg.Connection, tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    assert run("seed", "load", str(SEEDS)).exit_code == 0
    result = run("import", "acled", str(write_acled(tmp_path / "a.csv", acled_rows())), "-q")
    assert result.exit_code == 0, result.output
    # The registry's Kazakhstan is reused, not duplicated or overwritten.
    assert db.execute("SELECT slug, name FROM place WHERE iso_alpha2 = 'KZ'").fetchall() == [
        ("kz", "Kazakhstan")
    ]
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (4,)
