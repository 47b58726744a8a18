"""Hostile import files: each is refused with its file, row and column, exit 1, and the
database unchanged (or, for long place names, imported within the columns' limits)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from tests.conftest import Invoker, _fresh_database
from tests.reliability import cli_env, libpq, run_cli
from tests.snapshots import snapshot

if TYPE_CHECKING:
    from tests.conftest import TestServer

MB = 1024 * 1024
HEADER = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "inter1",
    "assoc_actor_1",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "notes",
    "fatalities",
]
UCDP_HEADER = [
    "id",
    "type_of_violence",
    "date_start",
    "date_end",
    "country",
    "adm_1",
    "where_coordinates",
    "best",
    "low",
    "high",
]


def acled_row(**values: str) -> list[str]:
    row = {
        "event_id_cnty": "KAZ1",
        "event_date": "2022-01-05",
        "time_precision": "1",
        "event_type": "Protests",
        "actor1": "Protesters (Kazakhstan)",
        "inter1": "6",
        "assoc_actor_1": "",
        "country": "Kazakhstan",
        "admin1": "Almaty",
        "admin2": "",
        "admin3": "",
        "location": "Almaty",
        "notes": "A protest.",
        "fatalities": "0",
    }
    row.update(values)
    return [row[c] for c in HEADER]


def ucdp_row(**values: str) -> list[str]:
    row = {
        "id": "1",
        "type_of_violence": "1",
        "date_start": "2022-01-05",
        "date_end": "2022-01-05",
        "country": "Kazakhstan",
        "adm_1": "Almaty",
        "where_coordinates": "Almaty town",
        "best": "3",
        "low": "2",
        "high": "4",
    }
    row.update(values)
    return [row[c] for c in UCDP_HEADER]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def module_url(test_server: TestServer, template_db: str) -> Iterator[str]:
    yield from _fresh_database(test_server, template_db)


@pytest.fixture
def unchanged(module_url: str) -> Iterator[Invoker]:
    with psycopg.connect(libpq(module_url), autocommit=True) as conn:
        before = snapshot(conn)
        yield Invoker(module_url, {})
        assert snapshot(conn) == before


def refused(run: Invoker, args: list[str], where: str, message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert f"Error: {where}: " in result.output, result.output
    assert message in result.output, result.output


ACLED_CASES: dict[str, tuple[list[list[str]], str, str]] = {
    "nul-in-notes": ([acled_row(notes="a \x00 b")], "row 2, column notes", "NUL character"),
    "nul-in-a-place": ([acled_row(admin1="Alm\x00aty")], "row 2, column admin1", "NUL"),
    "fatalities-overflow": (
        [acled_row(fatalities="99999999999999999999")],
        "row 2, column fatalities",
        "beyond 2,147,483,647",
    ),
    "fatalities-just-over": (
        [acled_row(fatalities="2147483648")],
        "row 2, column fatalities",
        "beyond 2,147,483,647",
    ),
    "duplicate-id-other-facts": (
        [acled_row(), acled_row(assoc_actor_1="Students"), acled_row(fatalities="5")],
        "row 4, column event_id_cnty",
        "is also in row 2 with other facts (rows 2 and 4)",
    ),
    "header-only": ([], "", "no rows: the file has a header but no events"),
    "unknown-time-precision": (
        [acled_row(time_precision="7")],
        "row 2, column time_precision",
        "unknown time_precision '7'",
    ),
    "unknown-inter": ([acled_row(inter1="9")], "row 2, column inter1", "unknown inter1 code"),
    "us-and-european-dates": (
        [
            acled_row(event_id_cnty="KAZ1", event_date="04/13/2022"),
            acled_row(event_id_cnty="KAZ2", event_date="13/04/2022"),
        ],
        "row 3, column event_date",
        "but row 2 has month first",
    ),
    "ambiguous-date": (
        [acled_row(event_date="04/05/2022")],
        "row 2, column event_date",
        "reads two ways (04 May 2022 or 05 April 2022)",
    ),
}


@pytest.mark.parametrize("case", list(ACLED_CASES))
def test_a_hostile_acled_file_is_refused(
    case: str, unchanged: Invoker, tmp_path: Path, record_property: Any
) -> None:
    rows, where, message = ACLED_CASES[case]
    path = write_csv(tmp_path / f"{case}.csv", HEADER, rows)
    refused(
        unchanged,
        ["import", "acled", "-q", str(path)],
        f"{path}{': ' + where if where else ''}".rstrip(),
        message,
    )
    record_property("bad_inputs", 1)


def test_us_dates_import_with_an_explicit_format(run: Invoker, db: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "us.csv",
        HEADER,
        [
            acled_row(event_id_cnty="KAZ1", event_date="04/13/2022"),
            acled_row(event_id_cnty="KAZ2", event_date="04/05/2022"),
        ],
    )
    result = run("import", "acled", "-q", "--date-format", "%m/%d/%Y", str(path))
    assert result.exit_code == 0, result.output
    dates = db.execute("SELECT slug, occurred_from::text FROM incident ORDER BY slug").fetchall()
    assert dates == [("acled-kaz1", "2022-04-13"), ("acled-kaz2", "2022-04-05")]
    other = write_csv(
        tmp_path / "us-again.csv",
        HEADER,
        [acled_row(event_id_cnty="KAZ3", event_date="04/13/2022")],
    )
    wrong = run("import", "acled", "-q", "--date-format", "%d/%m/%Y", str(other))
    assert wrong.exit_code == 1
    assert f"{other}: row 2, column event_date: expected a date in the format %d/%m/%Y" in (
        wrong.output
    )


def test_rows_repeating_an_event_with_the_same_facts_are_one_event(
    run: Invoker, db: Any, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "repeat.csv",
        HEADER,
        [acled_row(), acled_row(assoc_actor_1="Students"), acled_row()],
    )
    result = run("import", "acled", "-q", str(path))
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (1,)


def test_long_place_names_keep_slugs_within_the_column(
    run: Invoker, db: Any, tmp_path: Path
) -> None:
    """Admin levels of 50 to 70 characters make slugs of over 300: shortened with a hash,
    two such places stay two, and the names are stored whole."""
    names = {
        level: (f"{level} " + "very long name of a district " * 2).strip() for level in HEADER[8:12]
    }
    rows = [
        acled_row(event_id_cnty="KAZ1", **names),
        acled_row(event_id_cnty="KAZ2", **{**names, "location": names["location"] + " north"}),
    ]
    path = write_csv(tmp_path / "long.csv", HEADER, rows)
    result = run("import", "acled", "-q", str(path))
    assert result.exit_code == 0, result.output
    slugs = db.execute(
        "SELECT slug, name FROM place WHERE kind = 'locality' ORDER BY slug"
    ).fetchall()
    assert len(slugs) == 2
    assert all(len(slug) <= 200 for slug, _ in slugs)
    assert {name for _, name in slugs} == {names["location"], names["location"] + " north"}
    assert max(len(r[0]) for r in db.execute("SELECT slug FROM place").fetchall()) <= 200


UCDP_CASES: dict[str, tuple[list[list[str]], str, str]] = {
    "nul": ([ucdp_row(where_coordinates="Alm\x00aty")], "row 2, column where_coordinates", "NUL"),
    "best-1e30": ([ucdp_row(best="1e30", high="1e30")], "row 2, column best", "beyond"),
    "high-overflow": ([ucdp_row(high="3000000000")], "row 2, column high", "beyond"),
    "duplicate-id": (
        [ucdp_row(), ucdp_row(best="30", high="40")],
        "row 3, column id",
        "is also in row 2 with other facts",
    ),
    "header-only": ([], "", "no rows"),
}


@pytest.mark.parametrize("case", list(UCDP_CASES))
def test_a_hostile_ucdp_file_is_refused(
    case: str, unchanged: Invoker, tmp_path: Path, record_property: Any
) -> None:
    rows, where, message = UCDP_CASES[case]
    path = write_csv(tmp_path / f"ged-{case}.csv", UCDP_HEADER, rows)
    refused(
        unchanged,
        ["import", "ucdp-ged", "-q", str(path)],
        f"{path}{': ' + where if where else ''}",
        message,
    )
    record_property("bad_inputs", 1)


def _feature(**props: Any) -> dict[str, Any]:
    base = dict(zip(UCDP_HEADER, ucdp_row(), strict=True))
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": None}


def test_geojson_nul_and_overflow_are_refused(unchanged: Invoker, tmp_path: Path) -> None:
    for name, props, column, message in [
        ("nul", {"country": "Kazakh\x00stan"}, "country", "NUL"),
        ("overflow", {"best": 1e30, "high": 1e30}, "best", "beyond"),
    ]:
        path = tmp_path / f"{name}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature(**props)]}))
        refused(
            unchanged,
            ["import", "ucdp-ged", "-q", str(path)],
            f"{path}: row 1, column {column}",
            message,
        )


def test_geojson_nested_200000_deep_is_refused_in_bounded_memory(
    module_url: str, tmp_path: Path, record_property: Any
) -> None:
    depth = 200_000
    feature = json.dumps(_feature())[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    path = tmp_path / "deep.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [' + feature + "]}")
    with psycopg.connect(libpq(module_url), autocommit=True) as conn:
        before = snapshot(conn)
        result = run_cli(
            ["import", "ucdp-ged", "-q", path],
            name="deep-geojson",
            env=cli_env(module_url),
            workdir=tmp_path,
            timeout=120,
        )
        assert snapshot(conn) == before
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    assert f"{path}: row 1: nested more than 32 levels deep" in result.stderr, result
    assert result.peak_memory < 300 * MB, f"peak {result.peak_memory / MB:.0f} MB"
    record_property("bad_inputs", 1)
    record_property("peak_memory_mb", round(result.peak_memory / MB))
