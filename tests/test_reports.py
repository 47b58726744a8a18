"""`incidentdb report ...`: exact output for the TASS seed in every format, filters, errors.

The expected outputs of the TASS seed (seeds/) are at the end of this file: rows as JSON has
them (json and jsonl are checked against those, byte for byte), CSV text and tables at 100
columns. Filters, conflicting figures and a second country use a small dataset written with
SQL (`sample`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from incidentdb import reports
from incidentdb.cli import cli
from incidentdb.errors import NotFound
from incidentdb.reports.core import VIEW_COLUMNS, Listing
from incidentdb.reports.dossier import PARTS
from tests.conftest import SEEDS, Invoker

ARTICLE = "tass-2022-01-25-csto-mission-kazakhstan"
TITLE = "CSTO mission in Kazakhstan proves demand for collective mechanisms — ex-Secretary General"
CONTENT_HASH = "7efaedceec7ff8aced121f5734af28dc50bdfd4c0acb7c7faf163cd713d287b1"
UNREST = "2022-kazakhstan-unrest"
LISTINGS = [
    "casualties",
    "timeline",
    "missions",
    "organisations",
    "persons",
    "statements",
    "sources",
    "incidents",
    "summary",
]


@pytest.fixture
def tass(run: Invoker) -> Invoker:
    """The CLI on a database holding the TASS seed."""
    result = run("seed", "load", str(SEEDS))
    assert result.exit_code == 0, result.output
    return run


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def as_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def ok(run: Invoker, *args: str) -> str:
    """Run a report that must succeed with nothing on stderr; its stdout."""
    result = run("report", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def rows(run: Invoker, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(run, *args, "--format", "json"))  # type: ignore[no-any-return]


def fails(run: Invoker, *args: str, code: int = 1) -> str:
    """Run a report that must fail with this exit code; its stderr."""
    result = run("report", *args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    return result.stderr


# -- the TASS seed, exactly --------------------------------------------------------------------


def expected(name: str) -> tuple[list[dict[str, Any]], str, str]:
    prefix = {"casualties": "CASUALTY_REPORTS"}.get(name, name.upper())
    return globals()[f"{prefix}_ROWS"], globals()[f"{prefix}_CSV"], globals()[f"{prefix}_TABLE"]


@pytest.mark.parametrize("name", LISTINGS)
def test_tass_report_in_every_format(tass: Invoker, name: str) -> None:
    rows, csv_text, table = expected(name)
    assert ok(tass, name, "--format", "json") == as_json(rows)
    assert ok(tass, name, "--format", "jsonl") == as_jsonl(rows)
    assert ok(tass, name, "--format", "csv") == csv_text
    assert ok(tass, name, "--format", "table") == table
    assert ok(tass, name) == table


def _then_fail(rows: list[dict[str, Any]]) -> Any:
    """The rows, then an error: a layout that reads past what it draws fails."""
    yield from rows
    raise AssertionError("read past the rows drawn so far")


@pytest.mark.parametrize("name", ["casualties", "missions", "statements"])
def test_tables_of_cards_and_incidents_are_drawn_as_their_rows_come(
    tass: Invoker, database_url: str, name: str
) -> None:
    """A streamed report drawn block by block: one incident's casualty reports, one card."""
    from incidentdb.cli import layouts

    with reports.connect(database_url) as conn:
        listing = getattr(reports, name)(conn)
    rows = listing.rows
    if name == "casualties":  # a second incident after the first, so that there are two blocks
        rows = rows + [r | {"incident_slug": "zz-later"} for r in rows]
    blocks = layouts.tables(Listing(listing.name, listing.columns, [], stream=_then_fail(rows)))
    first = next(blocks)
    assert first.rows
    with pytest.raises(AssertionError, match="read past the rows drawn so far"):
        list(blocks)


def test_json_keys_are_the_view_columns(tass: Invoker) -> None:
    for name, view in [("casualties", "casualty_reports"), *((n, n) for n in LISTINGS[1:-1])]:
        assert tuple(expected(name)[0][0]) == VIEW_COLUMNS[view], name


def dossier() -> dict[str, Any]:
    involved = ("csto", "kazakh-authorities")
    return {
        "incident": INCIDENTS_ROWS[0],
        "timeline": TIMELINE_ROWS,
        "casualty_reports": CASUALTY_REPORTS_ROWS,
        "missions": MISSIONS_ROWS,
        "organisations": [o for o in ORGANISATIONS_ROWS if o["organisation_slug"] in involved],
        "persons": PERSONS_ROWS,
        "statements": [s for s in STATEMENTS_ROWS if s["incident_slug"] or s["mission_slug"]],
        "sources": [SOURCES_ROWS[0] | {"quotes": DOSSIER_QUOTES}],
    }


def test_tass_dossier(tass: Invoker) -> None:
    assert ok(tass, "incident", UNREST, "--format", "json") == as_json(dossier())
    assert ok(tass, "incident", UNREST, "--format", "jsonl") == as_jsonl([dossier()])
    assert ok(tass, "incident", UNREST) == DOSSIER_TABLE


def test_one_part_of_the_dossier_in_every_format(tass: Invoker) -> None:
    document = dossier()
    for part in PARTS:
        expected_rows = [document[part]] if part == "incident" else document[part]
        assert rows(tass, "incident", UNREST, "--section", part) == expected_rows, part
        text = ok(tass, "incident", UNREST, "--section", part, "--format", "csv")
        parsed = list(csv.DictReader(io.StringIO(text)))
        assert len(parsed) == len(expected_rows), part
        assert text.splitlines()[0].split(",") == list(expected_rows[0]), part
    sources = ok(tass, "incident", UNREST, "--section", "sources", "--format", "csv")
    [source] = csv.DictReader(io.StringIO(sources))
    assert json.loads(source["quotes"]) == document["sources"][0]["quotes"]  # a JSON list
    persons = ok(tass, "incident", UNREST, "--section", "persons")
    assert persons.startswith("Persons involved\n") and "Timeline" not in persons


def test_a_dossier_csv_needs_one_part_or_a_folder(tass: Invoker) -> None:
    message = fails(tass, "incident", UNREST, "--format", "csv", code=2)
    assert "a CSV holds one table: choose a part with --section (incident, timeline," in message
    message = fails(tass, "incident", UNREST, "--output-dir", "out", code=2)
    assert "--output-dir writes every part as csv, json or jsonl" in message


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_the_dossier_as_one_file_per_part(tass: Invoker, tmp_path: Path, fmt: str) -> None:
    document = dossier()
    folder = tmp_path / "dossier"
    result = tass("report", "incident", UNREST, "--format", fmt, "--output-dir", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Wrote 8 files to {folder}: incident.{fmt} (1 row), ")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{p}.{fmt}" for p in PARTS)
    for part in PARTS:
        expected_rows = [document[part]] if part == "incident" else document[part]
        text = (folder / f"{part}.{fmt}").read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(text) == expected_rows, part
        elif fmt == "jsonl":
            assert [json.loads(line) for line in text.splitlines()] == expected_rows, part
        else:
            assert len(list(csv.DictReader(io.StringIO(text)))) == len(expected_rows), part


@pytest.mark.parametrize("country", ["kz", "KZ", "Kazakhstan", "kazakhstan", "KAZ", "kaz"])
def test_country_by_code_or_name(tass: Invoker, country: str) -> None:
    assert rows(tass, "casualties", "--country", country) == CASUALTY_REPORTS_ROWS
    assert rows(tass, "incidents", "--country", country) == INCIDENTS_ROWS


def test_filters_on_the_tass_seed(tass: Invoker) -> None:
    assert rows(tass, "casualties", "--country", "RU") == []
    assert rows(tass, "casualties", "--category", "injured") == CASUALTY_REPORTS_ROWS[1:]
    assert rows(tass, "casualties", "--organisation", "kazakh-authorities") == (
        CASUALTY_REPORTS_ROWS
    )
    assert rows(tass, "casualties", "--organisation", "csto") == []
    assert rows(tass, "casualties", "--since", "2022-01-19", "--until", "2022-01-19") == (
        CASUALTY_REPORTS_ROWS
    )
    assert rows(tass, "casualties", "--since", "2022-01-20") == []
    assert rows(tass, "timeline", "--since", "2022-01-19") == [
        t for t in TIMELINE_ROWS if t["occurred_to"] >= "2022-01-19"
    ]
    assert rows(tass, "timeline", "--until", "2022-01-02") == [
        t for t in TIMELINE_ROWS if t["occurred_from"] <= "2022-01-02"
    ]
    assert rows(tass, "timeline", "--incident", UNREST) == TIMELINE_ROWS
    assert rows(tass, "missions", "--organisation", "csto") == MISSIONS_ROWS
    assert rows(tass, "missions", "--incident", UNREST, "--country", "kz") == MISSIONS_ROWS
    assert rows(tass, "persons", "--organisation", "csto") == PERSONS_ROWS[1:]
    assert rows(tass, "organisations", "--country", "ru") == ORGANISATIONS_ROWS[-1:]
    assert rows(tass, "statements", "--organisation", "kazakh-authorities") == STATEMENTS_ROWS[1:2]
    assert rows(tass, "sources", "--organisation", "tass", "--incident", UNREST) == SOURCES_ROWS
    assert rows(tass, "summary", "--until", "2021-12-31") == []


# -- what the user typed wrong -----------------------------------------------------------------


def test_unknown_slugs_suggest_the_closest(tass: Invoker) -> None:
    message = "Error: no incident 2022-kazakstan-unrest. Did you mean: 2022-kazakhstan-unrest?\n"
    assert fails(tass, "casualties", "--incident", "2022-kazakstan-unrest") == message
    assert fails(tass, "incident", "2022-kazakstan-unrest") == message
    assert fails(tass, "missions", "--organisation", "ctso") == (
        "Error: no organisation ctso. Did you mean: csto?\n"
    )
    assert fails(tass, "incident", "zzz") == (
        "Error: no incident zzz. List them with: incidentdb report incidents\n"
    )


def test_a_value_outside_a_fixed_list_is_a_usage_error(tass: Invoker) -> None:
    """Countries and categories are fixed lists: a wrong one is a usage error (exit 2), with
    the nearest name."""
    country = fails(tass, "timeline", "--country", "Kazakstan", code=2)
    assert country.startswith("Usage: ")
    assert country.endswith(
        "Error: Invalid value for '--country': no country Kazakstan. Did you mean: Kazakhstan?\n"
    )
    assert fails(tass, "timeline", "--country", "Kirgizstan", code=2).endswith(
        "Did you mean: Kyrgyzstan?\n"
    )  # a country the database does not hold
    category = fails(tass, "casualties", "--category", "kiled", code=2)
    assert "Error: Invalid value for '--category': 'kiled' is not one of 'killed'," in category
    assert rows(tass, "casualties", "--category", "KILLED") == rows(
        tass, "casualties", "--category", "killed"
    )


def test_a_country_without_data_is_an_empty_result(tass: Invoker) -> None:
    assert rows(tass, "casualties", "--country", "France") == []


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2022-13-01"],
        ["--until", "25/01/2022"],
        ["--since", "2022-02-01", "--until", "2022-01-01"],
        ["--format", "xml"],
    ],
)
def test_bad_options_are_usage_errors(run: Invoker, args: list[str]) -> None:
    assert "Error: Invalid value" in fails(run, "casualties", *args, code=2)


def test_sql_in_a_filter_is_only_a_value(tass: Invoker, db: psycopg.Connection) -> None:
    attack = "x'; DROP TABLE incident; --"
    assert fails(tass, "casualties", "--incident", attack) == (
        f"Error: no incident {attack}. List them with: incidentdb report incidents\n"
    )
    assert fails(tass, "incident", attack).startswith(f"Error: no incident {attack}.")
    assert fails(tass, "missions", "--organisation", attack).startswith("Error: no organisation")
    assert "Error: Invalid value for '--country': no country" in fails(
        tass, "timeline", "--country", attack, code=2
    )
    assert db.execute("SELECT slug FROM incident").fetchall() == [(UNREST,)]


# -- empty results -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTINGS)
def test_empty_results_in_every_format(run: Invoker, name: str) -> None:
    header = ",".join(expected(name)[0][0]) + "\n"
    assert ok(run, name, "--format", "json") == "[]\n"
    assert ok(run, name, "--format", "jsonl") == ""
    assert ok(run, name, "--format", "csv") == header
    result = run("report", name)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No rows.\n")


def test_without_the_schema(empty_database_url: str) -> None:
    result = Invoker(empty_database_url, {})("report", "casualties")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the database has no reporting views; run `incidentdb db upgrade`\n"
    )


def test_unreachable_server() -> None:
    env = {"INCIDENTDB_DATABASE_URL": "postgresql://u:secret@127.0.0.1:1/nowhere"}
    result = CliRunner().invoke(cli, ["report", "summary"], env=env)
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL at 127.0.0.1:1" in result.stderr
    assert "secret" not in result.output


# -- a second country and conflicting figures (SQL) --------------------------------------------

BODY = (
    "BISHKEK, October 1. Clashes on the border from September 14 left at least 24 people dead, "
    "officials said; a rights group put the toll at about 30. In January, 3 people were killed "
    "in a clash near the same post. A ministry spokesperson said talks would continue. The CSTO "
    "sent 2,030 troops of its rapid response force to Kazakhstan, where 225 people were killed."
)


def _one(conn: psycopg.Connection, query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    return row[0] if row else None


def insert_sample(conn: psycopg.Connection) -> None:
    """Incidents in two countries; one with two conflicting figures; a mission; a person."""

    def evidence(fact_column: str, fact_id: int, quote: str) -> None:
        start = BODY.index(quote)
        conn.execute(
            f"INSERT INTO evidence (key, source_id, quote, char_start, char_end, {fact_column})"  # type: ignore[arg-type]
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (f"{fact_column}/{fact_id}", source, quote, start, start + len(quote), fact_id),
        )

    def place(slug: str, name: str, iso2: str, iso3: str) -> int:
        return _one(  # type: ignore[no-any-return]
            conn,
            "INSERT INTO place (slug, name, kind, iso_alpha2, iso_alpha3)"
            " VALUES (%s, %s, 'country', %s, %s) RETURNING id",
            (slug, name, iso2, iso3),
        )

    def organisation(slug: str, name: str, kind: str, **more: Any) -> int:
        return _one(  # type: ignore[no-any-return]
            conn,
            "INSERT INTO organisation (slug, name, kind, parent_id, country_id)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            (slug, name, kind, more.get("parent"), more.get("country")),
        )

    def incident(slug: str, kind: str, start: str, end: str, country: int) -> int:
        return _one(  # type: ignore[no-any-return]
            conn,
            "INSERT INTO incident (slug, title, incident_type, occurred_from, occurred_to,"
            " country_id) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (slug, slug.replace("-", " "), kind, start, end, country),
        )

    def figure(incident_id: int, key: str, qualifier: str, n: int, bounds: tuple[Any, Any],
               by: int, quote: str) -> None:  # fmt: skip
        report = _one(
            conn,
            "INSERT INTO casualty_report (key, incident_id, category, figure, qualifier,"
            " count_low, count_high, reported_by_organisation_id, as_of_from, as_of_to,"
            " source_id) VALUES (%s, %s, 'killed', %s, %s, %s, %s, %s, '2022-10-01',"
            " '2022-10-01', %s) RETURNING id",
            (key, incident_id, n, qualifier, *bounds, by, source),
        )
        evidence("casualty_report_id", report, quote)

    kz = place("kz", "Kazakhstan", "KZ", "KAZ")
    kg = place("kg", "Kyrgyzstan", "KG", "KGZ")
    csto = organisation("csto", "Collective Security Treaty Organization", "intergovernmental")
    crrf = organisation("csto-crrf", "CSTO Rapid Response Force", "military_force", parent=csto)
    officials = organisation("kyrgyz-officials", "Kyrgyz officials", "government", country=kg)
    rights = organisation("rights-watch", "Rights Watch", "ngo")
    wire = organisation("wire", "Wire", "media")
    source = _one(
        conn,
        "INSERT INTO source (slug, title, publisher_id, published_on, language, body,"
        " content_hash) VALUES ('wire-2022-10-01', 'Border toll disputed', %s, '2022-10-01',"
        " 'en', %s, %s) RETURNING id",
        (wire, BODY, hashlib.sha256(BODY.encode()).hexdigest()),
    )
    unrest = incident(UNREST, "unrest", "2022-01-02", "2022-01-19", kz)
    clash = incident("2022-kyrgyz-border-clash", "armed_clash", "2022-09-14", "2022-09-17", kg)
    january = incident("2022-kyrgyz-january-clash", "armed_clash", "2022-01-27", "2022-01-27", kg)
    figure(unrest, "kz/killed", "exact", 225, (225, 225), csto, "225 people were killed")
    figure(clash, "kg/officials", "at_least", 24, (24, None), officials, "at least 24 people dead")
    figure(clash, "kg/rights", "approximately", 30, (28, 32), rights, "about 30")
    figure(january, "kg/january", "exact", 3, (3, 3), officials, "3 people were killed")
    entry = _one(
        conn,
        "INSERT INTO timeline_entry (key, incident_id, occurred_from, occurred_to, kind,"
        " description) VALUES ('kg/fighting', %s, '2022-09-14', '2022-09-14', 'other',"
        " 'Fighting on the border.') RETURNING id",
        (clash,),
    )
    evidence("timeline_entry_id", entry, "Clashes on the border from September 14")
    mission = _one(
        conn,
        "INSERT INTO mission (slug, name, kind, lead_organisation_id, host_country_id,"
        " started_from, started_to) VALUES ('csto-kazakhstan-2022', 'CSTO mission',"
        " 'peacekeeping', %s, %s, '2022-01-06', '2022-01-06') RETURNING id",
        (csto, kz),
    )
    conn.execute("INSERT INTO mission_incident VALUES (%s, %s)", (mission, unrest))
    conn.execute(
        "INSERT INTO mission_contributor (key, mission_id, organisation_id, personnel)"
        " VALUES ('csto-kazakhstan-2022/crrf', %s, %s, 2030)",
        (mission, crrf),
    )
    conn.execute(
        "INSERT INTO timeline_entry (key, mission_id, occurred_from, occurred_to, kind,"
        " description) VALUES ('m/deploy', %s, '2022-01-06', '2022-01-07', 'deployment',"
        " 'Troops deploy.')",
        (mission,),
    )
    person = _one(
        conn,
        "INSERT INTO person (slug, name) VALUES ('a-spokesperson', 'A. Spokesperson') RETURNING id",
    )
    conn.execute(
        "INSERT INTO person_role (key, person_id, organisation_id, title, is_former,"
        " started_from, started_to) VALUES ('p/r', %s, %s, 'Spokesperson', false,"
        " '2021-01-01', '2021-01-31')",
        (person, officials),
    )
    statement = _one(
        conn,
        "INSERT INTO statement (key, speaker_person_id, speaker_organisation_id, said_from,"
        " said_to, incident_id, mode, summary, source_id) VALUES ('wire/talks', %s, %s,"
        " '2022-09-30', '2022-10-01', %s, 'reported', 'Talks will continue.', %s) RETURNING id",
        (person, officials, clash, source),
    )
    evidence("statement_id", statement, "A ministry spokesperson said talks would continue")


@pytest.fixture
def sample(run: Invoker, db: psycopg.Connection) -> Invoker:
    insert_sample(db)
    return run


CLASH = "2022-kyrgyz-border-clash"


def test_conflicting_figures_are_kept_side_by_side_never_summed(sample: Invoker) -> None:
    figures = rows(sample, "casualties", "--incident", CLASH)
    assert [(f["figure_as_reported"], f["count_low"], f["count_high"]) for f in figures] == [
        ("at least 24", 24, None),
        ("about 30", 28, 32),
    ]
    assert {(f["range_low"], f["range_high"]) for f in figures} == {(24, None)}
    assert ok(sample, "casualties", "--incident", CLASH) == "\n".join(
        [
            "2022-kyrgyz-border-clash",
            "Category   Population   Figure        Low   High   Reported by        As of        "
            "Source",
            "─" * 99,
            "killed     —            at least 24    24      —   Kyrgyz officials   2022-10-01   "
            "Wire, 2022-10-01",
            "killed     —            about 30       28     32   Rights Watch       2022-10-01   "
            "Wire, 2022-10-01",
            "",
            "Range per incident",
            "Incident                   Category   Reports   Low   High   Sources   Latest"
            "              Set aside",
            "─" * 100,
            # Two figures of one day from one source: the later in the listing is the latest.
            "2022-kyrgyz-border-clash   killed           2    24      —         1   about 30 (Wire,"
            "             0",
            "                                                                       2022-10-01)",
            "",
        ]
    )
    incident = rows(sample, "incidents", "--country", "KGZ")[1]
    assert (incident["killed_low"], incident["killed_high"]) == (24, None)


def test_summary_adds_up_different_incidents_only(sample: Invoker) -> None:
    summary = rows(sample, "summary", "--country", "kyrgyzstan")
    assert [
        (s["year"], s["incident_type"], s["incident_count"], s["killed_low"], s["killed_high"])
        for s in summary
    ] == [(2022, "armed_clash", 2, 24 + 3, None)]
    assert ok(sample, "summary") == (
        "Year   Country      Type          Incidents   Reports   Killed   Injured\n"
        + "─" * 72
        + "\n"
        "2022   Kazakhstan   Unrest                1         1      225         —\n"
        "2022   Kyrgyzstan   Armed clash           2         3     ≥ 27         —\n"
    )


def test_filters_on_the_sample(sample: Invoker) -> None:
    def slugs(*args: str) -> list[Any]:
        return [next(iter(row.values())) for row in rows(sample, *args)]

    assert slugs("missions", "--organisation", "csto-crrf") == ["csto-kazakhstan-2022"]
    assert (
        rows(sample, "missions")[0]["contributors"] == "CSTO Rapid Response Force (2,030 personnel)"
    )
    assert slugs("timeline", "--country", "kg") == [CLASH]
    assert [t["mission_slug"] for t in rows(sample, "timeline", "--country", "kz")] == [
        "csto-kazakhstan-2022"
    ]
    assert slugs("timeline", "--incident", UNREST) == [None]
    assert slugs("incidents", "--since", "2022-01-20", "--until", "2022-09-14") == [
        "2022-kyrgyz-january-clash",
        CLASH,
    ]
    assert slugs("organisations", "--incident", CLASH) == ["kyrgyz-officials", "rights-watch"]
    assert slugs("organisations", "--incident", UNREST) == ["csto", "csto-crrf"]
    assert slugs("persons", "--incident", CLASH) == ["a-spokesperson"]
    assert slugs("persons", "--incident", UNREST) == []
    assert slugs("statements", "--country", "KG", "--since", "2022-10-01") == ["wire/talks"]
    assert slugs("statements", "--until", "2022-09-29") == []
    assert slugs("sources", "--incident", UNREST, "--since", "2022-10-01") == ["wire-2022-10-01"]
    assert slugs("casualties", "--organisation", "rights-watch") == [CLASH]


def test_persons_table_shows_role_periods(sample: Invoker) -> None:
    assert ok(sample, "persons") == (
        "Person           Name              Role           Organisation       Period\n"
        + "─" * 97
        + "\n"
        "a-spokesperson   A. Spokesperson   Spokesperson   Kyrgyz officials   from 2021-01-01 –"
        " 2021-01-31\n"
    )


def test_library_functions(db: psycopg.Connection) -> None:
    insert_sample(db)
    listing = reports.casualties(db, country=reports.resolve_country(db, "KGZ"))
    assert listing.columns == VIEW_COLUMNS["casualty_reports"]
    assert [r["report_key"] for r in listing.rows] == ["kg/january", "kg/officials", "kg/rights"]
    assert listing.rows[0]["as_of"] == dt.date(2022, 10, 1)
    assert reports.casualty_ranges(listing) == [
        {
            "incident_slug": "2022-kyrgyz-january-clash",
            "category": "killed",
            "report_count": 1,
            "source_count": 1,
            "range_low": 3,
            "range_high": 3,
            "latest": "3",
            "latest_source_slug": "wire-2022-10-01",
            "latest_publisher": "Wire",
            "latest_on": dt.date(2022, 10, 1),
            "set_aside": 0,
        },
        {
            "incident_slug": CLASH,
            "category": "killed",
            "report_count": 2,
            "source_count": 1,
            "range_low": 24,
            "range_high": None,
            "latest": "about 30",
            "latest_source_slug": "wire-2022-10-01",
            "latest_publisher": "Wire",
            "latest_on": dt.date(2022, 10, 1),
            "set_aside": 0,
        },
    ]
    with pytest.raises(NotFound, match="Did you mean: 2022-kyrgyz-border-clash"):
        reports.timeline(db, incident="2022-kyrgyz-border-clas")
    dossier = reports.dossier(db, CLASH)
    assert dossier.incident["incident_slug"] == CLASH
    assert [len(listing.rows) for listing in dossier.sections.values()] == [1, 2, 0, 2, 1, 1, 1]
    assert dossier.sections["sources"].rows[0]["quotes"] == [
        "Clashes on the border from September 14",
        "at least 24 people dead",
        "about 30",
        "A ministry spokesperson said talks would continue",
    ]


# -- expected output of the TASS seed --------------------------------------------------------------

CASUALTY_REPORTS_ROWS: list[dict[str, Any]] = [
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "report_key": f"2022-kazakhstan-unrest/{ARTICLE}/killed-all-kazakh-authorities",
        "category": "killed",
        "population": None,
        "reported_count": 225,
        "qualifier": "exact",
        "qualifier_label": "Exact",
        "figure_as_reported": "225",
        "count_low": 225,
        "count_high": 225,
        "range_low": 225,
        "range_high": 225,
        "reported_by": "Kazakh authorities",
        "reported_by_slug": "kazakh-authorities",
        "as_of": None,
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
        "quote": "According to Kazakh authorities, 225 people were killed in the upheaval",
        "as_of_from": None,
        "as_of_to": None,
        "reported_by_person": None,
        "reported_by_organisation": "Kazakh authorities",
        "supersedes_key": None,
        "superseded_by_key": None,
        "part_of_key": None,
        "status": "current",
        "in_range": True,
    },
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "report_key": f"2022-kazakhstan-unrest/{ARTICLE}/injured-all-kazakh-authorities",
        "category": "injured",
        "population": None,
        "reported_count": 4500,
        "qualifier": "more_than",
        "qualifier_label": "More than",
        "figure_as_reported": "more than 4,500",
        "count_low": 4501,
        "count_high": None,
        "range_low": 4501,
        "range_high": None,
        "reported_by": "Kazakh authorities",
        "reported_by_slug": "kazakh-authorities",
        "as_of": None,
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
        "quote": (
            "According to Kazakh authorities, 225 people were killed in the upheaval and more "
            "than 4,500 were injured"
        ),
        "as_of_from": None,
        "as_of_to": None,
        "reported_by_person": None,
        "reported_by_organisation": "Kazakh authorities",
        "supersedes_key": None,
        "superseded_by_key": None,
        "part_of_key": None,
        "status": "current",
        "in_range": True,
    },
]

CASUALTY_REPORTS_CSV = (
    "incident_slug,report_key,category,population,reported_count,qualifier,"
    "qualifier_label,figure_as_reported,count_low,count_high,range_low,range_high,"
    "reported_by,reported_by_slug,as_of,source_slug,source_title,publisher,"
    "published_on,quote,as_of_from,as_of_to,reported_by_person,reported_by_organisation,"
    "supersedes_key,superseded_by_key,part_of_key,status,in_range\n"
    "2022-kazakhstan-unrest,"
    "2022-kazakhstan-unrest/tass-2022-01-25-csto-mission-kazakhstan/killed-all-kaza"
    "kh-authorities,killed,,225,exact,Exact,225,225,225,225,225,Kazakh authorities,"
    "kazakh-authorities,,tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in "
    "Kazakhstan proves demand for collective mechanisms — ex-Secretary General,"
    'TASS,2022-01-25,"According to Kazakh authorities, 225 people were killed in '
    'the upheaval",,,,Kazakh authorities,,,,current,true\n'
    "2022-kazakhstan-unrest,"
    "2022-kazakhstan-unrest/tass-2022-01-25-csto-mission-kazakhstan/injured-all-kaz"
    'akh-authorities,injured,,4500,more_than,More than,"more than 4,500",4501,,'
    "4501,,Kazakh authorities,kazakh-authorities,,"
    "tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in Kazakhstan proves "
    "demand for collective mechanisms — ex-Secretary General,TASS,2022-01-25,"
    '"According to Kazakh authorities, 225 people were killed in the upheaval and '
    'more than 4,500 were injured",,,,Kazakh authorities,,,,current,true\n'
)

CASUALTY_REPORTS_TABLE = """\
2022-kazakhstan-unrest
Category   Population   Figure              Low   High   Reported by        As of   Source
────────────────────────────────────────────────────────────────────────────────────────────────────
killed     —            225                 225    225   Kazakh             —       TASS, 2022-01-25
                                                         authorities
injured    —            more than 4,500   4,501      —   Kazakh             —       TASS, 2022-01-25
                                                         authorities

Range per incident
Incident                 Category   Reports     Low   High
──────────────────────────────────────────────────────────
2022-kazakhstan-unrest   killed           1     225    225
2022-kazakhstan-unrest   injured          1   4,501      —
"""

TIMELINE_ROWS: list[dict[str, Any]] = [
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": "2022-01-02",
        "occurred_to": "2022-01-02",
        "kind": "protest",
        "kind_label": "Protest",
        "description": "Protests erupted in several Kazakh cities.",
        "place_name": "Several Kazakh cities",
        "quote": "Protests erupted in several Kazakh cities on January 2",
        "source_title": TITLE,
    },
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": "2022-01-02",
        "occurred_to": "2022-01-25",
        "kind": "claim",
        "kind_label": "Claim",
        "description": "President Tokayev said a state coup was attempted.",
        "place_name": None,
        "quote": "Kazakh President Kassym-Jomart Tokayev said a state coup was attempted",
        "source_title": TITLE,
    },
    {
        "incident_slug": None,
        "mission_slug": "csto-kazakhstan-2022",
        "occurred_from": "2022-01-02",
        "occurred_to": "2022-01-25",
        "kind": "deployment",
        "kind_label": "Deployment",
        "description": "CSTO peacekeeping forces were deployed to Kazakhstan.",
        "place_name": "Kazakhstan",
        "quote": "the deployment of peacekeeping forces to Kazakhstan",
        "source_title": TITLE,
    },
    {
        "incident_slug": None,
        "mission_slug": "csto-kazakhstan-2022",
        "occurred_from": "2022-01-02",
        "occurred_to": "2022-01-25",
        "kind": "meeting",
        "kind_label": "Meeting",
        "description": (
            "The CSTO Collective Security Council met immediately after the deployment; "
            "practically all presidents talked about the need to perfect the collective "
            "potential."
        ),
        "place_name": None,
        "quote": (
            "a meeting of the CSTO Collective Security Council which took place immediately "
            "following the deployment of peacekeeping forces to Kazakhstan"
        ),
        "source_title": TITLE,
    },
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": "2022-01-03",
        "occurred_to": "2022-01-07",
        "kind": "riot",
        "kind_label": "Riot",
        "description": (
            "The protests escalated into mass riots; government buildings were ransacked in "
            "several cities."
        ),
        "place_name": None,
        "quote": (
            "escalating into mass riots with government buildings ransacked in several cities "
            "a few days later"
        ),
        "source_title": TITLE,
    },
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": "2022-01-03",
        "occurred_to": "2022-01-07",
        "kind": "order_restored",
        "kind_label": "Order restored",
        "description": (
            "Law and order was restored to all of the country's regions, according to the "
            "Kazakh authorities."
        ),
        "place_name": "Kazakhstan",
        "quote": (
            "Law and order, Kazakh authorities affirm, was restored to all of the country’s "
            "regions by the morning of January 7"
        ),
        "source_title": TITLE,
    },
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": "2022-01-19",
        "occurred_to": "2022-01-19",
        "kind": "emergency_lifted",
        "kind_label": "Emergency lifted",
        "description": "The state of emergency was lifted nationwide.",
        "place_name": "Kazakhstan",
        "quote": "On January 19, the state of emergency was lifted nationwide",
        "source_title": TITLE,
    },
]

TIMELINE_CSV = (
    "incident_slug,mission_slug,occurred_from,occurred_to,kind,kind_label,"
    "description,place_name,quote,source_title\n"
    "2022-kazakhstan-unrest,,2022-01-02,2022-01-02,protest,Protest,Protests "
    "erupted in several Kazakh cities.,Several Kazakh cities,Protests erupted in "
    "several Kazakh cities on January 2,CSTO mission in Kazakhstan proves demand "
    "for collective mechanisms — ex-Secretary General\n"
    "2022-kazakhstan-unrest,,2022-01-02,2022-01-25,claim,Claim,President Tokayev "
    "said a state coup was attempted.,,Kazakh President Kassym-Jomart Tokayev said "
    "a state coup was attempted,CSTO mission in Kazakhstan proves demand for "
    "collective mechanisms — ex-Secretary General\n"
    ",csto-kazakhstan-2022,2022-01-02,2022-01-25,deployment,Deployment,CSTO "
    "peacekeeping forces were deployed to Kazakhstan.,Kazakhstan,the deployment of "
    "peacekeeping forces to Kazakhstan,CSTO mission in Kazakhstan proves demand "
    "for collective mechanisms — ex-Secretary General\n"
    ",csto-kazakhstan-2022,2022-01-02,2022-01-25,meeting,Meeting,The CSTO "
    "Collective Security Council met immediately after the deployment; practically "
    "all presidents talked about the need to perfect the collective potential.,,a "
    "meeting of the CSTO Collective Security Council which took place immediately "
    "following the deployment of peacekeeping forces to Kazakhstan,CSTO mission in "
    "Kazakhstan proves demand for collective mechanisms — ex-Secretary General\n"
    "2022-kazakhstan-unrest,,2022-01-03,2022-01-07,riot,Riot,The protests "
    "escalated into mass riots; government buildings were ransacked in several "
    "cities.,,escalating into mass riots with government buildings ransacked in "
    "several cities a few days later,CSTO mission in Kazakhstan proves demand for "
    "collective mechanisms — ex-Secretary General\n"
    "2022-kazakhstan-unrest,,2022-01-03,2022-01-07,order_restored,Order restored,"
    "\"Law and order was restored to all of the country's regions, according to the "
    'Kazakh authorities.",Kazakhstan,"Law and order, Kazakh authorities affirm, '
    'was restored to all of the country’s regions by the morning of January 7",'
    "CSTO mission in Kazakhstan proves demand for collective mechanisms — "
    "ex-Secretary General\n"
    "2022-kazakhstan-unrest,,2022-01-19,2022-01-19,emergency_lifted,Emergency "
    'lifted,The state of emergency was lifted nationwide.,Kazakhstan,"On January '
    '19, the state of emergency was lifted nationwide",CSTO mission in Kazakhstan '
    "proves demand for collective mechanisms — ex-Secretary General\n"
)

TIMELINE_TABLE = """\
When                      Incident or mission      Kind             What happened
────────────────────────────────────────────────────────────────────────────────────────────────────
2022-01-02                2022-kazakhstan-unrest   Protest          Protests erupted in several
                                                                    Kazakh cities.
                                                                    Where: Several Kazakh cities
2022-01-02 – 2022-01-25   2022-kazakhstan-unrest   Claim            President Tokayev said a state
                                                                    coup was attempted.
2022-01-02 – 2022-01-25   csto-kazakhstan-2022     Deployment       CSTO peacekeeping forces were
                                                                    deployed to Kazakhstan.
                                                                    Where: Kazakhstan
2022-01-02 – 2022-01-25   csto-kazakhstan-2022     Meeting          The CSTO Collective Security
                                                                    Council met immediately after
                                                                    the deployment; practically all
                                                                    presidents talked about the need
                                                                    to perfect the collective
                                                                    potential.
2022-01-03 – 2022-01-07   2022-kazakhstan-unrest   Riot             The protests escalated into mass
                                                                    riots; government buildings were
                                                                    ransacked in several cities.
2022-01-03 – 2022-01-07   2022-kazakhstan-unrest   Order restored   Law and order was restored to
                                                                    all of the country's regions,
                                                                    according to the Kazakh
                                                                    authorities.
                                                                    Where: Kazakhstan
2022-01-19                2022-kazakhstan-unrest   Emergency        The state of emergency was
                                                   lifted           lifted nationwide.
                                                                    Where: Kazakhstan
"""

MISSIONS_ROWS: list[dict[str, Any]] = [
    {
        "mission_slug": "csto-kazakhstan-2022",
        "name": "CSTO peacekeeping mission in Kazakhstan",
        "lead_organisation": "Collective Security Treaty Organization",
        "lead_organisation_slug": "csto",
        "mission_kind": "peacekeeping",
        "host_country_iso2": "KZ",
        "host_country_name": "Kazakhstan",
        "started_on": None,
        "started_from": "2022-01-02",
        "started_to": "2022-01-25",
        "ended_on": None,
        "ended_from": None,
        "ended_to": None,
        "mandate": None,
        "incident_slugs": "2022-kazakhstan-unrest",
        "contributors": None,
        "quote": (
            "The peacekeeping mission of the Collective Security Treaty Organization (CSTO) … "
            "the mission in Kazakhstan"
        ),
    },
]

MISSIONS_CSV = (
    "mission_slug,name,lead_organisation,lead_organisation_slug,mission_kind,"
    "host_country_iso2,host_country_name,started_on,started_from,started_to,"
    "ended_on,ended_from,ended_to,mandate,incident_slugs,contributors,quote\n"
    "csto-kazakhstan-2022,CSTO peacekeeping mission in Kazakhstan,Collective "
    "Security Treaty Organization,csto,peacekeeping,KZ,Kazakhstan,,2022-01-02,"
    "2022-01-25,,,,,2022-kazakhstan-unrest,,The peacekeeping mission of the "
    "Collective Security Treaty Organization (CSTO) … the mission in Kazakhstan\n"
)

MISSIONS_TABLE = """\
CSTO peacekeeping mission in Kazakhstan
Mission        csto-kazakhstan-2022
Kind           peacekeeping
Lead           Collective Security Treaty Organization
Host country   Kazakhstan
Started        2022-01-02 – 2022-01-25
Ended          —
Mandate        —
Incidents      2022-kazakhstan-unrest
Contributors   —
Quote          The peacekeeping mission of the Collective Security Treaty Organization (CSTO) … the
               mission in Kazakhstan
"""

ORGANISATIONS_ROWS: list[dict[str, Any]] = [
    {
        "organisation_slug": "csto",
        "name": "Collective Security Treaty Organization",
        "acronym": "CSTO",
        "kind": "intergovernmental",
        "kind_label": "Intergovernmental organisation",
        "parent_slug": None,
        "parent_name": None,
        "country_iso2": None,
        "aliases": "ODKB",
        "description": (
            "Military alliance of Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia and Tajikistan."
        ),
    },
    {
        "organisation_slug": "csto-crrf",
        "name": "CSTO Collective Rapid Response Force",
        "acronym": "CRRF",
        "kind": "military_force",
        "kind_label": "Military force",
        "parent_slug": "csto",
        "parent_name": "Collective Security Treaty Organization",
        "country_iso2": None,
        "aliases": None,
        "description": None,
    },
    {
        "organisation_slug": "csto-collective-security-council",
        "name": "CSTO Collective Security Council",
        "acronym": None,
        "kind": "intergovernmental_body",
        "kind_label": "Intergovernmental body",
        "parent_slug": "csto",
        "parent_name": "Collective Security Treaty Organization",
        "country_iso2": None,
        "aliases": None,
        "description": "The CSTO's highest body, of the member states' heads of state.",
    },
    {
        "organisation_slug": "kazakh-authorities",
        "name": "Kazakh authorities",
        "acronym": None,
        "kind": "government",
        "kind_label": "Government",
        "parent_slug": None,
        "parent_name": None,
        "country_iso2": "KZ",
        "aliases": None,
        "description": None,
    },
    {
        "organisation_slug": "tass",
        "name": "TASS",
        "acronym": None,
        "kind": "media",
        "kind_label": "Media",
        "parent_slug": None,
        "parent_name": None,
        "country_iso2": "RU",
        "aliases": None,
        "description": "Russian state news agency.",
    },
]

ORGANISATIONS_CSV = (
    "organisation_slug,name,acronym,kind,kind_label,parent_slug,parent_name,"
    "country_iso2,aliases,description\n"
    "csto,Collective Security Treaty Organization,CSTO,intergovernmental,"
    'Intergovernmental organisation,,,,ODKB,"Military alliance of Armenia, Belarus,'
    ' Kazakhstan, Kyrgyzstan, Russia and Tajikistan."\n'
    "csto-crrf,CSTO Collective Rapid Response Force,CRRF,military_force,Military "
    "force,csto,Collective Security Treaty Organization,,,\n"
    "csto-collective-security-council,CSTO Collective Security Council,,"
    "intergovernmental_body,Intergovernmental body,csto,Collective Security Treaty "
    "Organization,,,\"The CSTO's highest body, of the member states' heads of state.\"\n"
    "kazakh-authorities,Kazakh authorities,,government,Government,,,KZ,,\n"
    "tass,TASS,,media,Media,,,RU,,Russian state news agency.\n"
)

ORGANISATIONS_TABLE = """\
Organisation                       Name                    Kind                    Part of   Country
────────────────────────────────────────────────────────────────────────────────────────────────────
csto                               Collective Security     Intergovernmental       —         —
                                   Treaty Organization     organisation
                                   (CSTO)
csto-crrf                          CSTO Collective Rapid   Military force          csto      —
                                   Response Force (CRRF)
csto-collective-security-council   CSTO Collective         Intergovernmental       csto      —
                                   Security Council        body
kazakh-authorities                 Kazakh authorities      Government              —         KZ
tass                               TASS                    Media                   —         RU
"""

PERSONS_ROWS: list[dict[str, Any]] = [
    {
        "person_slug": "kassym-jomart-tokayev",
        "name": "Kassym-Jomart Tokayev",
        "role_title": "President of Kazakhstan",
        "organisation_slug": None,
        "organisation_name": None,
        "is_former": False,
        "started_from": None,
        "started_to": None,
        "ended_from": None,
        "ended_to": None,
        "description": None,
    },
    {
        "person_slug": "nikolay-bordyuzha",
        "name": "Nikolay Bordyuzha",
        "role_title": "Secretary General",
        "organisation_slug": "csto",
        "organisation_name": "Collective Security Treaty Organization",
        "is_former": True,
        "started_from": None,
        "started_to": None,
        "ended_from": None,
        "ended_to": None,
        "description": None,
    },
]

PERSONS_CSV = (
    "person_slug,name,role_title,organisation_slug,organisation_name,is_former,"
    "started_from,started_to,ended_from,ended_to,description\n"
    "kassym-jomart-tokayev,Kassym-Jomart Tokayev,President of Kazakhstan,,,false,,,,,\n"
    "nikolay-bordyuzha,Nikolay Bordyuzha,Secretary General,csto,Collective "
    "Security Treaty Organization,true,,,,,\n"
)

PERSONS_TABLE = """\
Person                  Name                   Role                    Organisation           Period
────────────────────────────────────────────────────────────────────────────────────────────────────
kassym-jomart-tokayev   Kassym-Jomart          President of            —                      —
                        Tokayev                Kazakhstan
nikolay-bordyuzha       Nikolay Bordyuzha      former Secretary        Collective Security    —
                                               General                 Treaty Organization
"""

STATEMENTS_ROWS: list[dict[str, Any]] = [
    {
        "statement_key": f"{ARTICLE}/tokayev-coup-attempted",
        "speaker": "Kassym-Jomart Tokayev",
        "speaker_slug": "kassym-jomart-tokayev",
        "speaker_organisation": None,
        "said_from": "2022-01-02",
        "said_to": "2022-01-25",
        "place_name": None,
        "occasion": None,
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "mode": "reported",
        "summary": "A state coup was attempted.",
        "quote": "Kazakh President Kassym-Jomart Tokayev said a state coup was attempted",
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/kazakh-authorities-order-restored",
        "speaker": "Kazakh authorities",
        "speaker_slug": "kazakh-authorities",
        "speaker_organisation": "Kazakh authorities",
        "said_from": "2022-01-07",
        "said_to": "2022-01-25",
        "place_name": None,
        "occasion": None,
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "mode": "reported",
        "summary": (
            "Law and order was restored to all of the country's regions by the morning of 7 "
            "January."
        ),
        "quote": (
            "Law and order, Kazakh authorities affirm, was restored to all of the country’s "
            "regions by the morning of January 7"
        ),
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/bordyuzha-demand-confirmed",
        "speaker": "Nikolay Bordyuzha",
        "speaker_slug": "nikolay-bordyuzha",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": "2022-01-25",
        "said_to": "2022-01-25",
        "place_name": "Moscow",
        "occasion": "Press conference dedicated to CSTO peacekeeping missions",
        "incident_slug": None,
        "mission_slug": "csto-kazakhstan-2022",
        "mode": "direct",
        "summary": (
            "The mission in Kazakhstan clearly confirmed the demand for all of the CSTO's "
            "collective security mechanisms."
        ),
        "quote": (
            "CSTO former Secretary General Nikolay Bordyuzha said at a press conference "
            "dedicated to CSTO peacekeeping missions on Tuesday … The demand for all "
            "collective mechanisms existing in the security sphere within the framework of "
            "the CSTO was clearly confirmed by these actions (the mission in Kazakhstan - "
            "TASS)"
        ),
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/bordyuzha-instability-would-have-spread",
        "speaker": "Nikolay Bordyuzha",
        "speaker_slug": "nikolay-bordyuzha",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": "2022-01-25",
        "said_to": "2022-01-25",
        "place_name": "Moscow",
        "occasion": "Press conference dedicated to CSTO peacekeeping missions",
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "mode": "direct",
        "summary": (
            "Instability in Kazakhstan would have spread across the Central Asian region, "
            "given Afghanistan's instability and sleeper terrorist cells, with very serious "
            "security consequences for Central Asia, China and Russia."
        ),
        "quote": (
            "I am deeply convinced that instability in Kazakhstan would have caused "
            "instability in the Central Asian region and, taking into account the instability "
            "of Afghanistan and sleeper terrorist cells in the Central Asian region, this "
            "would have had very serious security consequences not only for the countries in "
            "the Central Asian Region but also for China and Russia"
        ),
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/bordyuzha-integration-will-grow",
        "speaker": "Nikolay Bordyuzha",
        "speaker_slug": "nikolay-bordyuzha",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": "2022-01-25",
        "said_to": "2022-01-25",
        "place_name": "Moscow",
        "occasion": "Press conference dedicated to CSTO peacekeeping missions",
        "incident_slug": None,
        "mission_slug": None,
        "mode": "reported",
        "summary": "Integration within the CSTO will only grow.",
        "quote": "The former secretary general emphasized that the integration would only grow",
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/bordyuzha-mechanisms-should-develop",
        "speaker": "Nikolay Bordyuzha",
        "speaker_slug": "nikolay-bordyuzha",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": "2022-01-25",
        "said_to": "2022-01-25",
        "place_name": "Moscow",
        "occasion": "Press conference dedicated to CSTO peacekeeping missions",
        "incident_slug": None,
        "mission_slug": None,
        "mode": "direct",
        "summary": (
            "The collective mechanisms (the bilateral groups of the collective rapid response "
            "force, information security and migration policy cooperation) should develop and "
            "be enhanced."
        ),
        "quote": (
            "According to him, these collective mechanisms - the bilateral groups of the "
            "collective rapid response force, the collective activity in the sphere of "
            'information security and in the sphere of migration policy "should develop, '
            'should be more enhanced, be more up to date."'
        ),
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
    {
        "statement_key": f"{ARTICLE}/bordyuzha-presidents-perfect-collective-potential",
        "speaker": "Nikolay Bordyuzha",
        "speaker_slug": "nikolay-bordyuzha",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": "2022-01-25",
        "said_to": "2022-01-25",
        "place_name": "Moscow",
        "occasion": "Press conference dedicated to CSTO peacekeeping missions",
        "incident_slug": None,
        "mission_slug": "csto-kazakhstan-2022",
        "mode": "direct",
        "summary": (
            "At the Collective Security Council meeting after the deployment, practically all "
            "presidents called for perfecting the collective potential: decision-making, "
            "equipment, armaments and deeper integration."
        ),
        "quote": (
            "at a meeting of the CSTO Collective Security Council which took place "
            "immediately following the deployment of peacekeeping forces to Kazakhstan, "
            "practically all presidents talked about the necessity to perfect the collective "
            "potential … It is necessary to perfect the decision-making procedure, the "
            "equipment, the armaments of various forces - everyone talked about the necessity "
            "of deepening integration ties and increasing the level of integration"
        ),
        "source_slug": ARTICLE,
        "source_title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
    },
]

STATEMENTS_CSV = (
    "statement_key,speaker,speaker_slug,speaker_organisation,said_from,said_to,"
    "place_name,occasion,incident_slug,mission_slug,mode,summary,quote,source_slug,"
    "source_title,publisher,published_on\n"
    "tass-2022-01-25-csto-mission-kazakhstan/tokayev-coup-attempted,Kassym-Jomart "
    "Tokayev,kassym-jomart-tokayev,,2022-01-02,2022-01-25,,,2022-kazakhstan-unrest,"
    ",reported,A state coup was attempted.,Kazakh President Kassym-Jomart Tokayev "
    "said a state coup was attempted,tass-2022-01-25-csto-mission-kazakhstan,CSTO "
    "mission in Kazakhstan proves demand for collective mechanisms — ex-Secretary "
    "General,TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/kazakh-authorities-order-restored,"
    "Kazakh authorities,kazakh-authorities,Kazakh authorities,2022-01-07,"
    "2022-01-25,,,2022-kazakhstan-unrest,,reported,Law and order was restored to "
    "all of the country's regions by the morning of 7 January.,\"Law and order, "
    "Kazakh authorities affirm, was restored to all of the country’s regions by "
    'the morning of January 7",tass-2022-01-25-csto-mission-kazakhstan,CSTO '
    "mission in Kazakhstan proves demand for collective mechanisms — ex-Secretary "
    "General,TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/bordyuzha-demand-confirmed,Nikolay "
    "Bordyuzha,nikolay-bordyuzha,Collective Security Treaty Organization,"
    "2022-01-25,2022-01-25,Moscow,Press conference dedicated to CSTO peacekeeping "
    "missions,,csto-kazakhstan-2022,direct,The mission in Kazakhstan clearly "
    "confirmed the demand for all of the CSTO's collective security mechanisms.,"
    "CSTO former Secretary General Nikolay Bordyuzha said at a press conference "
    "dedicated to CSTO peacekeeping missions on Tuesday … The demand for all "
    "collective mechanisms existing in the security sphere within the framework of "
    "the CSTO was clearly confirmed by these actions (the mission in Kazakhstan - "
    "TASS),tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in Kazakhstan "
    "proves demand for collective mechanisms — ex-Secretary General,TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/bordyuzha-instability-would-have-sprea"
    "d,Nikolay Bordyuzha,nikolay-bordyuzha,Collective Security Treaty Organization,"
    "2022-01-25,2022-01-25,Moscow,Press conference dedicated to CSTO peacekeeping "
    'missions,2022-kazakhstan-unrest,,direct,"Instability in Kazakhstan would have '
    "spread across the Central Asian region, given Afghanistan's instability and "
    "sleeper terrorist cells, with very serious security consequences for Central "
    'Asia, China and Russia.","I am deeply convinced that instability in '
    "Kazakhstan would have caused instability in the Central Asian region and, "
    "taking into account the instability of Afghanistan and sleeper terrorist "
    "cells in the Central Asian region, this would have had very serious security "
    "consequences not only for the countries in the Central Asian Region but also "
    'for China and Russia",tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in '
    "Kazakhstan proves demand for collective mechanisms — ex-Secretary General,"
    "TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/bordyuzha-integration-will-grow,"
    "Nikolay Bordyuzha,nikolay-bordyuzha,Collective Security Treaty Organization,"
    "2022-01-25,2022-01-25,Moscow,Press conference dedicated to CSTO peacekeeping "
    "missions,,,reported,Integration within the CSTO will only grow.,The former "
    "secretary general emphasized that the integration would only grow,"
    "tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in Kazakhstan proves "
    "demand for collective mechanisms — ex-Secretary General,TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/bordyuzha-mechanisms-should-develop,"
    "Nikolay Bordyuzha,nikolay-bordyuzha,Collective Security Treaty Organization,"
    "2022-01-25,2022-01-25,Moscow,Press conference dedicated to CSTO peacekeeping "
    'missions,,,direct,"The collective mechanisms (the bilateral groups of the '
    "collective rapid response force, information security and migration policy "
    'cooperation) should develop and be enhanced.","According to him, these '
    "collective mechanisms - the bilateral groups of the collective rapid response "
    "force, the collective activity in the sphere of information security and in "
    'the sphere of migration policy ""should develop, should be more enhanced, be '
    'more up to date.""",tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in '
    "Kazakhstan proves demand for collective mechanisms — ex-Secretary General,"
    "TASS,2022-01-25\n"
    "tass-2022-01-25-csto-mission-kazakhstan/bordyuzha-presidents-perfect-collectiv"
    "e-potential,Nikolay Bordyuzha,nikolay-bordyuzha,Collective Security Treaty "
    "Organization,2022-01-25,2022-01-25,Moscow,Press conference dedicated to CSTO "
    'peacekeeping missions,,csto-kazakhstan-2022,direct,"At the Collective '
    "Security Council meeting after the deployment, practically all presidents "
    "called for perfecting the collective potential: decision-making, equipment, "
    'armaments and deeper integration.","at a meeting of the CSTO Collective '
    "Security Council which took place immediately following the deployment of "
    "peacekeeping forces to Kazakhstan, practically all presidents talked about "
    "the necessity to perfect the collective potential … It is necessary to "
    "perfect the decision-making procedure, the equipment, the armaments of "
    "various forces - everyone talked about the necessity of deepening integration "
    'ties and increasing the level of integration",'
    "tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in Kazakhstan proves "
    "demand for collective mechanisms — ex-Secretary General,TASS,2022-01-25\n"
)

STATEMENTS_TABLE = """\
Kassym-Jomart Tokayev, 2022-01-02 – 2022-01-25
When      2022-01-02 – 2022-01-25
Speaker   Kassym-Jomart Tokayev
For       —
Where     —
About     2022-kazakhstan-unrest
Said      A state coup was attempted.
Quote     Kazakh President Kassym-Jomart Tokayev said a state coup was attempted
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Kazakh authorities, 2022-01-07 – 2022-01-25
When      2022-01-07 – 2022-01-25
Speaker   Kazakh authorities
For       Kazakh authorities
Where     —
About     2022-kazakhstan-unrest
Said      Law and order was restored to all of the country's regions by the morning of 7 January.
Quote     Law and order, Kazakh authorities affirm, was restored to all of the country’s regions by
          the morning of January 7
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     csto-kazakhstan-2022
Said      The mission in Kazakhstan clearly confirmed the demand for all of the CSTO's collective
          security mechanisms.
Quote     CSTO former Secretary General Nikolay Bordyuzha said at a press conference dedicated to
          CSTO peacekeeping missions on Tuesday … The demand for all collective mechanisms existing
          in the security sphere within the framework of the CSTO was clearly confirmed by these
          actions (the mission in Kazakhstan - TASS)
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     2022-kazakhstan-unrest
Said      Instability in Kazakhstan would have spread across the Central Asian region, given
          Afghanistan's instability and sleeper terrorist cells, with very serious security
          consequences for Central Asia, China and Russia.
Quote     I am deeply convinced that instability in Kazakhstan would have caused instability in the
          Central Asian region and, taking into account the instability of Afghanistan and sleeper
          terrorist cells in the Central Asian region, this would have had very serious security
          consequences not only for the countries in the Central Asian Region but also for China and
          Russia
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     —
Said      Integration within the CSTO will only grow.
Quote     The former secretary general emphasized that the integration would only grow
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     —
Said      The collective mechanisms (the bilateral groups of the collective rapid response force,
          information security and migration policy cooperation) should develop and be enhanced.
Quote     According to him, these collective mechanisms - the bilateral groups of the collective
          rapid response force, the collective activity in the sphere of information security and in
          the sphere of migration policy "should develop, should be more enhanced, be more up to
          date."
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     csto-kazakhstan-2022
Said      At the Collective Security Council meeting after the deployment, practically all
          presidents called for perfecting the collective potential: decision-making, equipment,
          armaments and deeper integration.
Quote     at a meeting of the CSTO Collective Security Council which took place immediately
          following the deployment of peacekeeping forces to Kazakhstan, practically all presidents
          talked about the necessity to perfect the collective potential … It is necessary to
          perfect the decision-making procedure, the equipment, the armaments of various forces -
          everyone talked about the necessity of deepening integration ties and increasing the level
          of integration
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General
"""

SOURCES_ROWS: list[dict[str, Any]] = [
    {
        "source_slug": ARTICLE,
        "title": TITLE,
        "publisher": "TASS",
        "published_on": "2022-01-25",
        "dateline": "Moscow",
        "url": None,
        "language": "en",
        "fact_count": 35,
        "content_hash": CONTENT_HASH,
    },
]

SOURCES_CSV = (
    "source_slug,title,publisher,published_on,dateline,url,language,fact_count,content_hash\n"
    "tass-2022-01-25-csto-mission-kazakhstan,CSTO mission in Kazakhstan proves "
    "demand for collective mechanisms — ex-Secretary General,TASS,2022-01-25,"
    "Moscow,,en,35,7efaedceec7ff8aced121f5734af28dc50bdfd4c0acb7c7faf163cd713d287b1\n"
)

SOURCES_TABLE = """\
Published    Publisher   Title                                                                 Facts
────────────────────────────────────────────────────────────────────────────────────────────────────
2022-01-25   TASS        CSTO mission in Kazakhstan proves demand for collective mechanisms       35
                         — ex-Secretary General
"""

INCIDENTS_ROWS: list[dict[str, Any]] = [
    {
        "incident_slug": "2022-kazakhstan-unrest",
        "title": "January 2022 unrest in Kazakhstan",
        "incident_type": "unrest",
        "incident_type_label": "Unrest",
        "description": (
            "Protests from 2 January 2022 escalated into mass riots; the president called it "
            "an attempted coup; order was restored by 7 January and the state of emergency "
            "lifted on 19 January."
        ),
        "occurred_from": "2022-01-02",
        "occurred_to": "2022-01-19",
        "country_iso2": "KZ",
        "country_name": "Kazakhstan",
        "parent_incident_slug": None,
        "killed_low": 225,
        "killed_high": 225,
        "injured_low": 4501,
        "injured_high": None,
        "casualty_report_count": 2,
        "source_count": 1,
        "killed_source_count": 1,
        "killed_latest": "225",
        "killed_latest_source_slug": ARTICLE,
        "killed_latest_on": "2022-01-25",
        "injured_source_count": 1,
        "injured_latest": "more than 4,500",
        "injured_latest_source_slug": ARTICLE,
        "injured_latest_on": "2022-01-25",
    },
]

INCIDENTS_CSV = (
    "incident_slug,title,incident_type,incident_type_label,description,"
    "occurred_from,occurred_to,country_iso2,country_name,parent_incident_slug,"
    "killed_low,killed_high,injured_low,injured_high,casualty_report_count,source_count,"
    "killed_source_count,killed_latest,killed_latest_source_slug,killed_latest_on,"
    "injured_source_count,injured_latest,injured_latest_source_slug,injured_latest_on\n"
    "2022-kazakhstan-unrest,January 2022 unrest in Kazakhstan,unrest,Unrest,"
    "Protests from 2 January 2022 escalated into mass riots; the president called "
    "it an attempted coup; order was restored by 7 January and the state of "
    "emergency lifted on 19 January.,2022-01-02,2022-01-19,KZ,Kazakhstan,,225,225,4501,,2,1,"
    '1,225,tass-2022-01-25-csto-mission-kazakhstan,2022-01-25,1,"more than 4,500",'
    "tass-2022-01-25-csto-mission-kazakhstan,2022-01-25\n"
)

INCIDENTS_TABLE = """\
Incident                 Title               When               Country   Killed   Injured   Sources
────────────────────────────────────────────────────────────────────────────────────────────────────
2022-kazakhstan-unrest   January 2022        2022-01-02 –       KZ           225   ≥ 4,501         1
                         unrest in           2022-01-19
                         Kazakhstan
"""

SUMMARY_ROWS: list[dict[str, Any]] = [
    {
        "year": 2022,
        "country_iso2": "KZ",
        "country_name": "Kazakhstan",
        "incident_type": "unrest",
        "incident_type_label": "Unrest",
        "incident_count": 1,
        "casualty_report_count": 2,
        "killed_low": 225,
        "killed_high": 225,
        "injured_low": 4501,
        "injured_high": None,
    },
]

SUMMARY_CSV = (
    "year,country_iso2,country_name,incident_type,incident_type_label,"
    "incident_count,casualty_report_count,killed_low,killed_high,injured_low,injured_high\n"
    "2022,KZ,Kazakhstan,unrest,Unrest,1,2,225,225,4501,\n"
)

SUMMARY_TABLE = """\
Year   Country      Type     Incidents   Reports   Killed   Injured
───────────────────────────────────────────────────────────────────
2022   Kazakhstan   Unrest           1         2      225   ≥ 4,501
"""

DOSSIER_QUOTES = [
    "The peacekeeping mission of the Collective Security Treaty Organization (CSTO)",
    (
        "CSTO former Secretary General Nikolay Bordyuzha said at a press conference dedicated "
        "to CSTO peacekeeping missions on Tuesday"
    ),
    (
        "The demand for all collective mechanisms existing in the security sphere within the "
        "framework of the CSTO was clearly confirmed by these actions (the mission in "
        "Kazakhstan - TASS)"
    ),
    "the mission in Kazakhstan",
    (
        "I am deeply convinced that instability in Kazakhstan would have caused instability "
        "in the Central Asian region and, taking into account the instability of Afghanistan "
        "and sleeper terrorist cells in the Central Asian region, this would have had very "
        "serious security consequences not only for the countries in the Central Asian Region "
        "but also for China and Russia"
    ),
    (
        "at a meeting of the CSTO Collective Security Council which took place immediately "
        "following the deployment of peacekeeping forces to Kazakhstan, practically all "
        "presidents talked about the necessity to perfect the collective potential"
    ),
    (
        "a meeting of the CSTO Collective Security Council which took place immediately "
        "following the deployment of peacekeeping forces to Kazakhstan"
    ),
    "the deployment of peacekeeping forces to Kazakhstan",
    (
        "It is necessary to perfect the decision-making procedure, the equipment, the "
        "armaments of various forces - everyone talked about the necessity of deepening "
        "integration ties and increasing the level of integration"
    ),
    "Protests erupted in several Kazakh cities on January 2",
    ("Protests erupted in several Kazakh cities on January 2, escalating into mass riots"),
    (
        "escalating into mass riots with government buildings ransacked in several cities a "
        "few days later"
    ),
    "Kazakh President Kassym-Jomart Tokayev said a state coup was attempted",
    (
        "Law and order, Kazakh authorities affirm, was restored to all of the country’s "
        "regions by the morning of January 7"
    ),
    "On January 19, the state of emergency was lifted nationwide",
    "According to Kazakh authorities, 225 people were killed in the upheaval",
    (
        "According to Kazakh authorities, 225 people were killed in the upheaval and more "
        "than 4,500 were injured"
    ),
]

DOSSIER_TABLE = """\
Incident 2022-kazakhstan-unrest
Title              January 2022 unrest in Kazakhstan
Type               Unrest
When               2022-01-02 – 2022-01-19
Country            Kazakhstan
Part of            —
Description        Protests from 2 January 2022 escalated into mass riots; the president called it
                   an attempted coup; order was restored by 7 January and the state of emergency
                   lifted on 19 January.
Killed             225
Killed, latest     225, tass-2022-01-25-csto-mission-kazakhstan, 2022-01-25
Injured            ≥ 4,501
Injured, latest    more than 4,500, tass-2022-01-25-csto-mission-kazakhstan, 2022-01-25
Casualty reports   2
Sources            1

Timeline
When                      Incident or mission      Kind             What happened
────────────────────────────────────────────────────────────────────────────────────────────────────
2022-01-02                2022-kazakhstan-unrest   Protest          Protests erupted in several
                                                                    Kazakh cities.
                                                                    Where: Several Kazakh cities
2022-01-02 – 2022-01-25   2022-kazakhstan-unrest   Claim            President Tokayev said a state
                                                                    coup was attempted.
2022-01-02 – 2022-01-25   csto-kazakhstan-2022     Deployment       CSTO peacekeeping forces were
                                                                    deployed to Kazakhstan.
                                                                    Where: Kazakhstan
2022-01-02 – 2022-01-25   csto-kazakhstan-2022     Meeting          The CSTO Collective Security
                                                                    Council met immediately after
                                                                    the deployment; practically all
                                                                    presidents talked about the need
                                                                    to perfect the collective
                                                                    potential.
2022-01-03 – 2022-01-07   2022-kazakhstan-unrest   Riot             The protests escalated into mass
                                                                    riots; government buildings were
                                                                    ransacked in several cities.
2022-01-03 – 2022-01-07   2022-kazakhstan-unrest   Order restored   Law and order was restored to
                                                                    all of the country's regions,
                                                                    according to the Kazakh
                                                                    authorities.
                                                                    Where: Kazakhstan
2022-01-19                2022-kazakhstan-unrest   Emergency        The state of emergency was
                                                   lifted           lifted nationwide.
                                                                    Where: Kazakhstan

Casualty reports
Category   Population   Figure              Low   High   Reported by        As of   Source
────────────────────────────────────────────────────────────────────────────────────────────────────
killed     —            225                 225    225   Kazakh             —       TASS, 2022-01-25
                                                         authorities
injured    —            more than 4,500   4,501      —   Kazakh             —       TASS, 2022-01-25
                                                         authorities

Range per category
Category   Reports     Low   High
─────────────────────────────────
killed           1     225    225
injured          1   4,501      —

Missions

CSTO peacekeeping mission in Kazakhstan
Mission        csto-kazakhstan-2022
Kind           peacekeeping
Lead           Collective Security Treaty Organization
Host country   Kazakhstan
Started        2022-01-02 – 2022-01-25
Ended          —
Mandate        —
Incidents      2022-kazakhstan-unrest
Contributors   —
Quote          The peacekeeping mission of the Collective Security Treaty Organization (CSTO) … the
               mission in Kazakhstan

Organisations involved
Organisation         Name                           Kind                           Part of   Country
────────────────────────────────────────────────────────────────────────────────────────────────────
csto                 Collective Security Treaty     Intergovernmental              —         —
                     Organization (CSTO)            organisation
kazakh-authorities   Kazakh authorities             Government                     —         KZ

Persons involved
Person                  Name                   Role                    Organisation           Period
────────────────────────────────────────────────────────────────────────────────────────────────────
kassym-jomart-tokayev   Kassym-Jomart          President of            —                      —
                        Tokayev                Kazakhstan
nikolay-bordyuzha       Nikolay Bordyuzha      former Secretary        Collective Security    —
                                               General                 Treaty Organization

Statements

Kassym-Jomart Tokayev, 2022-01-02 – 2022-01-25
When      2022-01-02 – 2022-01-25
Speaker   Kassym-Jomart Tokayev
For       —
Where     —
About     2022-kazakhstan-unrest
Said      A state coup was attempted.
Quote     Kazakh President Kassym-Jomart Tokayev said a state coup was attempted
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Kazakh authorities, 2022-01-07 – 2022-01-25
When      2022-01-07 – 2022-01-25
Speaker   Kazakh authorities
For       Kazakh authorities
Where     —
About     2022-kazakhstan-unrest
Said      Law and order was restored to all of the country's regions by the morning of 7 January.
Quote     Law and order, Kazakh authorities affirm, was restored to all of the country’s regions by
          the morning of January 7
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     csto-kazakhstan-2022
Said      The mission in Kazakhstan clearly confirmed the demand for all of the CSTO's collective
          security mechanisms.
Quote     CSTO former Secretary General Nikolay Bordyuzha said at a press conference dedicated to
          CSTO peacekeeping missions on Tuesday … The demand for all collective mechanisms existing
          in the security sphere within the framework of the CSTO was clearly confirmed by these
          actions (the mission in Kazakhstan - TASS)
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     2022-kazakhstan-unrest
Said      Instability in Kazakhstan would have spread across the Central Asian region, given
          Afghanistan's instability and sleeper terrorist cells, with very serious security
          consequences for Central Asia, China and Russia.
Quote     I am deeply convinced that instability in Kazakhstan would have caused instability in the
          Central Asian region and, taking into account the instability of Afghanistan and sleeper
          terrorist cells in the Central Asian region, this would have had very serious security
          consequences not only for the countries in the Central Asian Region but also for China and
          Russia
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Nikolay Bordyuzha, 2022-01-25
When      2022-01-25
Speaker   Nikolay Bordyuzha
For       Collective Security Treaty Organization
Where     Moscow, Press conference dedicated to CSTO peacekeeping missions
About     csto-kazakhstan-2022
Said      At the Collective Security Council meeting after the deployment, practically all
          presidents called for perfecting the collective potential: decision-making, equipment,
          armaments and deeper integration.
Quote     at a meeting of the CSTO Collective Security Council which took place immediately
          following the deployment of peacekeeping forces to Kazakhstan, practically all presidents
          talked about the necessity to perfect the collective potential … It is necessary to
          perfect the decision-making procedure, the equipment, the armaments of various forces -
          everyone talked about the necessity of deepening integration ties and increasing the level
          of integration
Source    TASS, 2022-01-25, CSTO mission in Kazakhstan proves demand for collective mechanisms —
          ex-Secretary General

Sources
Published    Publisher   Title                                                                 Facts
────────────────────────────────────────────────────────────────────────────────────────────────────
2022-01-25   TASS        CSTO mission in Kazakhstan proves demand for collective mechanisms       35
                         — ex-Secretary General

Quotes from the sources
Source             Quote
────────────────────────────────────────────────────────────────────────────────────────────────────
TASS, 2022-01-25   The peacekeeping mission of the Collective Security Treaty Organization (CSTO)
TASS, 2022-01-25   CSTO former Secretary General Nikolay Bordyuzha said at a press conference
                   dedicated to CSTO peacekeeping missions on Tuesday
TASS, 2022-01-25   The demand for all collective mechanisms existing in the security sphere within
                   the framework of the CSTO was clearly confirmed by these actions (the mission in
                   Kazakhstan - TASS)
TASS, 2022-01-25   the mission in Kazakhstan
TASS, 2022-01-25   I am deeply convinced that instability in Kazakhstan would have caused
                   instability in the Central Asian region and, taking into account the instability
                   of Afghanistan and sleeper terrorist cells in the Central Asian region, this
                   would have had very serious security consequences not only for the countries in
                   the Central Asian Region but also for China and Russia
TASS, 2022-01-25   at a meeting of the CSTO Collective Security Council which took place immediately
                   following the deployment of peacekeeping forces to Kazakhstan, practically all
                   presidents talked about the necessity to perfect the collective potential
TASS, 2022-01-25   a meeting of the CSTO Collective Security Council which took place immediately
                   following the deployment of peacekeeping forces to Kazakhstan
TASS, 2022-01-25   the deployment of peacekeeping forces to Kazakhstan
TASS, 2022-01-25   It is necessary to perfect the decision-making procedure, the equipment, the
                   armaments of various forces - everyone talked about the necessity of deepening
                   integration ties and increasing the level of integration
TASS, 2022-01-25   Protests erupted in several Kazakh cities on January 2
TASS, 2022-01-25   Protests erupted in several Kazakh cities on January 2, escalating into mass
                   riots
TASS, 2022-01-25   escalating into mass riots with government buildings ransacked in several cities
                   a few days later
TASS, 2022-01-25   Kazakh President Kassym-Jomart Tokayev said a state coup was attempted
TASS, 2022-01-25   Law and order, Kazakh authorities affirm, was restored to all of the country’s
                   regions by the morning of January 7
TASS, 2022-01-25   On January 19, the state of emergency was lifted nationwide
TASS, 2022-01-25   According to Kazakh authorities, 225 people were killed in the upheaval
TASS, 2022-01-25   According to Kazakh authorities, 225 people were killed in the upheaval and more
                   than 4,500 were injured
"""


# -- pages -------------------------------------------------------------------------------------

PAGED = [name for name in LISTINGS if name != "summary"]


@pytest.mark.parametrize("command", PAGED)
def test_limit_and_offset_give_a_slice_of_the_report(sample: Invoker, command: str) -> None:
    every = rows(sample, command)
    assert rows(sample, command, "--limit", "0") == []
    for offset in (0, 1, len(every) - 1, len(every) + 5):
        for limit in (1, 2):
            page = rows(sample, command, "--limit", str(limit), "--offset", str(offset))
            assert page == every[offset : offset + limit], (offset, limit)
    assert rows(sample, command, "--offset", "1") == every[1:]


def test_a_page_of_casualties_shows_no_ranges_counted_over_it(sample: Invoker) -> None:
    """The range block counts reports and sources: over one page it would be wrong."""
    assert "Range per incident" in ok(sample, "casualties")
    assert "Range per incident" not in ok(sample, "casualties", "--limit", "1")


def test_a_negative_limit_is_a_usage_error(run: Invoker) -> None:
    assert "Invalid value for '--limit'" in fails(run, "incidents", "--limit", "-1", code=2)


def test_a_long_table_is_drawn_part_by_part_with_one_heading(
    sample: Invoker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn a few rows at a time (as a long report is, to start at once), the table keeps
    the widths of its first part under one heading, with every row and no slug cut: a wider
    slug later brings a new heading."""
    from incidentdb.cli import output

    whole = ok(sample, "incidents")
    slugs = [r["incident_slug"] for r in rows(sample, "incidents")]
    assert len(slugs) >= 3
    monkeypatch.setattr(output, "TABLE_CHUNK", 1)
    parts = ok(sample, "incidents")
    assert parts.splitlines()[0].split()[:3] == whole.splitlines()[0].split()[:3]
    assert whole.count("Incident ") == 1
    headings = parts.count("Incident ")
    assert [line[:1] for line in parts.splitlines()].count("─") == headings
    # a heading again only where a slug is longer than every one before it
    longer = sum(1 for i, s in enumerate(slugs) if i and len(s) > max(map(len, slugs[:i])))
    assert headings == 1 + longer
    positions = [parts.find(slug) for slug in slugs]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
