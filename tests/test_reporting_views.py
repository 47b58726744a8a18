"""The `reporting` views: their rows, types and comments, as BI tools read them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import inspect

from incidentdb.db import migrations
from incidentdb.db.engine import create_engine
from tests.conftest import REPO, SEEDS, Invoker

VIEWS = {
    "incidents": [
        "incident_slug",
        "title",
        "incident_type",
        "incident_type_label",
        "description",
        "occurred_from",
        "occurred_to",
        "country_iso2",
        "country_name",
        "parent_incident_slug",
        "killed_low",
        "killed_high",
        "injured_low",
        "injured_high",
        "casualty_report_count",
        "source_count",
        # added by migration 0006
        "killed_source_count",
        "killed_latest",
        "killed_latest_source_slug",
        "killed_latest_on",
        "injured_source_count",
        "injured_latest",
        "injured_latest_source_slug",
        "injured_latest_on",
    ],
    "casualty_reports": [
        "incident_slug",
        "report_key",
        "category",
        "population",
        "reported_count",
        "qualifier",
        "qualifier_label",
        "figure_as_reported",
        "count_low",
        "count_high",
        "range_low",
        "range_high",
        "reported_by",
        "reported_by_slug",
        "reported_on",  # added by migration 0009: the time column
        "as_of",
        "source_slug",
        "source_title",
        "publisher",
        "published_on",
        "quote",
        # added by migration 0006
        "as_of_from",
        "as_of_to",
        "reported_by_person",
        "reported_by_organisation",
        "supersedes_key",
        "superseded_by_key",
        "part_of_key",
        "status",
        "in_range",
    ],
    "timeline": [
        "incident_slug",
        "mission_slug",
        "occurred_from",
        "occurred_to",
        "kind",
        "kind_label",
        "description",
        "place_name",
        "quote",
        "source_title",
        "entry_key",  # added by migration 0005
    ],
    "missions": [
        "mission_slug",
        "name",
        "lead_organisation",
        "lead_organisation_slug",
        "mission_kind",
        "host_country_iso2",
        "host_country_name",
        "started_from",  # the time column (migration 0009 moved started_on after started_to)
        "started_to",
        "started_on",
        "ended_on",
        "ended_from",
        "ended_to",
        "mandate",
        "incident_slugs",
        "contributors",
        "quote",
    ],
    "organisations": [
        "organisation_slug",
        "name",
        "acronym",
        "kind",
        "kind_label",
        "parent_slug",
        "parent_name",
        "country_iso2",
        "aliases",
        "description",
    ],
    "persons": [
        "person_slug",
        "name",
        "first_reported_on",  # added by migration 0009: the time column
        "role_title",
        "organisation_slug",
        "organisation_name",
        "is_former",
        "started_from",
        "started_to",
        "ended_from",
        "ended_to",
        "description",
    ],
    "statements": [
        "statement_key",
        "speaker",
        "speaker_slug",
        "speaker_organisation",
        "said_from",
        "said_to",
        "place_name",
        "occasion",
        "incident_slug",
        "mission_slug",
        "mode",
        "summary",
        "quote",
        "source_slug",
        "source_title",
        "publisher",
        "published_on",
    ],
    "sources": [
        "source_slug",
        "title",
        "publisher",
        "published_on",
        "dateline",
        "url",
        "language",
        "fact_count",
        "content_hash",
    ],
    "summary": [  # added by migration 0008
        "year",
        "country_iso2",
        "country_name",
        "incident_type",
        "incident_type_label",
        "incident_count",
        "casualty_report_count",
        "killed_low",
        "killed_high",
        "injured_low",
        "injured_high",
    ],
}

BODY = (
    "ALMATY, January 15. More than 4,500 people were injured in the unrest, the health "
    "ministry said. 225 people were killed, Prosecutor General Berik Asylov said. Riots broke "
    "out in Almaty on January 5. The CSTO sent peacekeepers on January 6; Russia contributed "
    "2,030 personnel. CSTO Secretary General Stanislav Zas said the mission would end soon."
)
OTHER_BODY = "Unrest swept Kazakhstan in early January."
D = dt.date


def _id(db: psycopg.Connection, query: str, *params: Any) -> int:
    row = db.execute(query + " RETURNING id", params).fetchone()
    assert row is not None
    return int(row[0])


def _evidence(db: psycopg.Connection, source: int, body: str, quote: str, **fact: int) -> None:
    start = body.index(quote)
    [(column, fact_id)] = fact.items()
    db.execute(
        f"INSERT INTO evidence (key, source_id, quote, char_start, char_end, {column}) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        (f"{column}/{fact_id}/{start}", source, quote, start, start + len(quote), fact_id),
    )


def insert_dataset(db: psycopg.Connection) -> dict[str, int]:
    """A small, complete dataset written with plain SQL: one of everything the views show."""
    ids: dict[str, int] = {}
    ids["kz"] = _id(
        db,
        "INSERT INTO place (slug, name, kind, iso_alpha2, iso_alpha3) "
        "VALUES ('kz', 'Kazakhstan', 'country', 'KZ', 'KAZ')",
    )
    ids["by"] = _id(
        db,
        "INSERT INTO place (slug, name, kind, iso_alpha2, iso_alpha3) "
        "VALUES ('by', 'Belarus', 'country', 'BY', 'BLR')",
    )
    ids["almaty"] = _id(
        db,
        "INSERT INTO place (slug, name, kind, parent_id) VALUES ('almaty', 'Almaty', 'city', %s)",
        ids["kz"],
    )
    ids["csto"] = _id(
        db,
        "INSERT INTO organisation (slug, name, acronym, kind, description) VALUES "
        "('csto', 'Collective Security Treaty Organization', 'CSTO', 'intergovernmental', "
        "'A military alliance of six post-Soviet states.')",
    )
    db.execute(
        "INSERT INTO organisation_alias (organisation_id, alias) VALUES (%s, 'ODKB'), (%s, 'CSTO')",
        (ids["csto"], ids["csto"]),
    )
    ids["council"] = _id(
        db,
        "INSERT INTO organisation (slug, name, kind, parent_id) VALUES "
        "('csto-csc', 'CSTO Collective Security Council', 'intergovernmental_body', %s)",
        ids["csto"],
    )
    ids["tass"] = _id(
        db, "INSERT INTO organisation (slug, name, kind) VALUES ('tass', 'TASS', 'media')"
    )
    ids["ministry"] = _id(
        db,
        "INSERT INTO organisation (slug, name, kind, country_id) VALUES "
        "('kz-health-ministry', 'Ministry of Health of Kazakhstan', 'state_agency', %s)",
        ids["kz"],
    )
    ids["russian-forces"] = _id(
        db,
        "INSERT INTO organisation (slug, name, kind) VALUES "
        "('russian-armed-forces', 'Russian Armed Forces', 'military_force')",
    )
    ids["zas"] = _id(
        db, "INSERT INTO person (slug, name) VALUES ('stanislav-zas', 'Stanislav Zas')"
    )
    ids["asylov"] = _id(
        db,
        "INSERT INTO person (slug, name, description) VALUES "
        "('berik-asylov', 'Berik Asylov', 'Prosecutor General of Kazakhstan.')",
    )
    ids["role"] = _id(
        db,
        "INSERT INTO person_role (key, person_id, organisation_id, title, is_former, "
        "started_from, started_to) VALUES ('stanislav-zas/csto/secretary-general', %s, %s, "
        "'Secretary General', false, '2020-01-01', '2020-01-01')",
        ids["zas"],
        ids["csto"],
    )
    ids["source"] = _id(
        db,
        "INSERT INTO source (slug, title, publisher_id, dateline_place_id, published_on, url, "
        "language, body, content_hash) VALUES ('tass-2022-01-15', 'Kazakhstan counts the dead', "
        "%s, %s, '2022-01-15', 'https://tass.com/x', 'en', %s, %s)",
        ids["tass"],
        ids["almaty"],
        BODY,
        hashlib.sha256(BODY.encode()).hexdigest(),
    )
    ids["other_source"] = _id(
        db,
        "INSERT INTO source (slug, title, language, body, content_hash) "
        "VALUES ('wire-2022-01-08', 'Unrest in Kazakhstan', 'en', %s, %s)",
        OTHER_BODY,
        hashlib.sha256(OTHER_BODY.encode()).hexdigest(),
    )
    ids["incident"] = _id(
        db,
        "INSERT INTO incident (slug, title, description, incident_type, occurred_from, "
        "occurred_to, country_id) VALUES ('2022-kazakhstan-unrest', 'Kazakhstan unrest', "
        "'Protests over fuel prices turned into riots.', 'unrest', '2022-01-02', '2022-01-11', "
        "%s)",
        ids["kz"],
    )
    ids["killed"] = _id(
        db,
        "INSERT INTO casualty_report (key, incident_id, category, figure, qualifier, count_low, "
        "count_high, reported_by_person_id, as_of_from, as_of_to, source_id) VALUES "
        "('2022-kazakhstan-unrest/killed-225', %s, 'killed', 225, 'exact', 225, 225, %s, "
        "'2022-01-15', '2022-01-15', %s)",
        ids["incident"],
        ids["asylov"],
        ids["source"],
    )
    ids["injured"] = _id(
        db,
        "INSERT INTO casualty_report (key, incident_id, category, population, figure, qualifier, "
        "count_low, count_high, reported_by_organisation_id, source_id) VALUES "
        "('2022-kazakhstan-unrest/injured-4500', %s, 'injured', 'people', 4500, 'more_than', "
        "4501, NULL, %s, %s)",
        ids["incident"],
        ids["ministry"],
        ids["source"],
    )
    ids["riots"] = _id(
        db,
        "INSERT INTO timeline_entry (key, incident_id, occurred_from, occurred_to, kind, "
        "description, place_id) VALUES ('2022-kazakhstan-unrest/riots', %s, '2022-01-05', "
        "'2022-01-05', 'riot', 'Riots in Almaty.', %s)",
        ids["incident"],
        ids["almaty"],
    )
    ids["mission"] = _id(
        db,
        "INSERT INTO mission (slug, name, kind, lead_organisation_id, host_country_id, "
        "started_from, started_to, ended_from, ended_to, mandate) VALUES "
        "('csto-kazakhstan-2022', 'CSTO Collective Peacekeeping Forces in Kazakhstan', "
        "'peacekeeping', %s, %s, '2022-01-06', '2022-01-06', '2022-01-13', '2022-01-19', "
        "'Protect strategic facilities.')",
        ids["csto"],
        ids["kz"],
    )
    db.execute(
        "INSERT INTO mission_incident (mission_id, incident_id) VALUES (%s, %s)",
        (ids["mission"], ids["incident"]),
    )
    ids["contribution"] = _id(
        db,
        "INSERT INTO mission_contributor (key, mission_id, organisation_id, personnel) VALUES "
        "('csto-kazakhstan-2022/russia', %s, %s, 2030)",
        ids["mission"],
        ids["russian-forces"],
    )
    db.execute(
        "INSERT INTO mission_contributor (key, mission_id, country_id) VALUES "
        "('csto-kazakhstan-2022/belarus', %s, %s)",
        (ids["mission"], ids["by"]),
    )
    ids["deployment"] = _id(
        db,
        "INSERT INTO timeline_entry (key, mission_id, occurred_from, occurred_to, kind, "
        "description) VALUES ('csto-kazakhstan-2022/deployment', %s, '2022-01-06', "
        "'2022-01-07', 'deployment', 'Peacekeepers arrive.')",
        ids["mission"],
    )
    ids["statement"] = _id(
        db,
        "INSERT INTO statement (key, speaker_person_id, speaker_organisation_id, said_from, "
        "said_to, incident_id, mission_id, mode, summary, source_id) VALUES "
        "('tass-2022-01-15/zas-end', %s, %s, '2022-01-14', '2022-01-15', NULL, %s, 'reported', "
        "'The mission will end soon.', %s)",
        ids["zas"],
        ids["csto"],
        ids["mission"],
        ids["source"],
    )
    ids["incident_statement"] = _id(
        db,
        "INSERT INTO statement (key, speaker_organisation_id, said_from, said_to, incident_id, "
        "mode, summary, source_id, occasion, place_id) VALUES "
        "('wire-2022-01-08/ministry', %s, '2022-01-08', '2022-01-08', %s, 'reported', "
        "'Order is being restored.', %s, 'briefing', %s)",
        ids["ministry"],
        ids["incident"],
        ids["other_source"],
        ids["almaty"],
    )
    source = ids["source"]
    _evidence(db, source, BODY, "225 people were killed", casualty_report_id=ids["killed"])
    _evidence(
        db, source, BODY, "Prosecutor General Berik Asylov said", casualty_report_id=ids["killed"]
    )
    _evidence(
        db, source, BODY, "More than 4,500 people were injured", casualty_report_id=ids["injured"]
    )
    _evidence(
        db, source, BODY, "Riots broke out in Almaty on January 5", timeline_entry_id=ids["riots"]
    )
    _evidence(
        db, source, BODY, "The CSTO sent peacekeepers on January 6", mission_id=ids["mission"]
    )
    _evidence(
        db,
        source,
        BODY,
        "Russia contributed 2,030 personnel",
        mission_contributor_id=ids["contribution"],
    )
    _evidence(
        db,
        source,
        BODY,
        "Stanislav Zas said the mission would end soon",
        statement_id=ids["statement"],
    )
    _evidence(db, source, BODY, "CSTO Secretary General Stanislav Zas", person_role_id=ids["role"])
    _evidence(
        db, ids["other_source"], OTHER_BODY, "Unrest swept Kazakhstan", incident_id=ids["incident"]
    )
    return ids


@pytest.fixture
def dataset(db: psycopg.Connection) -> dict[str, int]:
    return insert_dataset(db)


def _rows(db: psycopg.Connection, view: str, order: str = "1") -> list[dict[str, Any]]:
    with db.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return cur.execute(f"SELECT * FROM reporting.{view} ORDER BY {order}").fetchall()


def test_views_have_the_promised_columns_in_order(db: psycopg.Connection) -> None:
    for view, columns in VIEWS.items():
        found = [
            r[0]
            for r in db.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'reporting' AND table_name = %s ORDER BY ordinal_position",
                (view,),
            )
        ]
        assert found == columns, view
    kinds = db.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'reporting' ORDER BY 1"
    ).fetchall()
    assert kinds == [(view, "VIEW") for view in sorted(VIEWS)]  # plain views, nothing else


def test_incidents(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    [row] = _rows(db, "incidents")
    assert row == {
        "incident_slug": "2022-kazakhstan-unrest",
        "title": "Kazakhstan unrest",
        "incident_type": "unrest",
        "incident_type_label": "Unrest",
        "description": "Protests over fuel prices turned into riots.",
        "occurred_from": D(2022, 1, 2),
        "occurred_to": D(2022, 1, 11),
        "country_iso2": "KZ",
        "country_name": "Kazakhstan",
        "parent_incident_slug": None,
        "killed_low": 225,
        "killed_high": 225,
        "injured_low": 4501,
        "injured_high": None,
        "casualty_report_count": 2,
        "source_count": 2,  # the article, and the wire whose quote and statement back it
        "killed_source_count": 1,
        "killed_latest": "225",
        "killed_latest_source_slug": "tass-2022-01-15",
        "killed_latest_on": D(2022, 1, 15),  # its as-of day
        "injured_source_count": 1,
        "injured_latest": "more than 4,500",
        "injured_latest_source_slug": "tass-2022-01-15",
        "injured_latest_on": D(2022, 1, 15),  # no as-of day: the day it was published
    }


def test_incident_ranges_span_reports_and_open_ends(
    db: psycopg.Connection, dataset: dict[str, int]
) -> None:
    db.execute(
        "INSERT INTO casualty_report (key, incident_id, category, figure, qualifier, count_low, "
        "count_high, source_id) VALUES ('k/about-230', %(i)s, 'killed', 230, 'approximately', "
        "220, 240, %(s)s), ('k/about-300', %(i)s, 'killed', 300, 'approximately', NULL, NULL, "
        "%(s)s)",
        {"i": dataset["incident"], "s": dataset["other_source"]},
    )
    [row] = _rows(db, "incidents")
    assert (row["killed_low"], row["killed_high"]) == (220, None)  # one report has no bounds
    assert row["casualty_report_count"] == 4
    db.execute("DELETE FROM casualty_report WHERE key = 'k/about-300'")
    [row] = _rows(db, "incidents")
    assert (row["killed_low"], row["killed_high"]) == (220, 240)
    ranges = {
        (r["report_key"], r["range_low"], r["range_high"]) for r in _rows(db, "casualty_reports")
    }
    assert ranges == {
        ("2022-kazakhstan-unrest/killed-225", 220, 240),
        ("k/about-230", 220, 240),
        ("2022-kazakhstan-unrest/injured-4500", 4501, None),
    }


def test_incident_without_links_still_appears(db: psycopg.Connection) -> None:
    db.execute(
        "INSERT INTO incident (slug, title, incident_type, occurred_from, occurred_to) "
        "VALUES ('bare', 'Bare', 'other', '2020-01-01', '2020-01-01')"
    )
    [row] = _rows(db, "incidents")
    assert row["country_iso2"] is None and row["killed_low"] is None
    assert row["killed_high"] is None and row["injured_high"] is None
    assert (row["casualty_report_count"], row["source_count"]) == (0, 0)


def test_casualty_reports(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    killed, injured = _rows(db, "casualty_reports", "category DESC")
    assert killed == {
        "incident_slug": "2022-kazakhstan-unrest",
        "report_key": "2022-kazakhstan-unrest/killed-225",
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
        "reported_by": "Berik Asylov",
        "reported_by_slug": "berik-asylov",
        "reported_on": D(2022, 1, 15),
        "as_of": D(2022, 1, 15),
        "source_slug": "tass-2022-01-15",
        "source_title": "Kazakhstan counts the dead",
        "publisher": "TASS",
        "published_on": D(2022, 1, 15),
        "quote": "225 people were killed … Prosecutor General Berik Asylov said",
        "as_of_from": D(2022, 1, 15),
        "as_of_to": D(2022, 1, 15),
        "reported_by_person": "Berik Asylov",
        "reported_by_organisation": None,
        "supersedes_key": None,
        "superseded_by_key": None,
        "part_of_key": None,
        "status": "current",
        "in_range": True,
    }
    assert injured["figure_as_reported"] == "more than 4,500"
    assert (injured["count_low"], injured["count_high"]) == (4501, None)
    assert (injured["range_low"], injured["range_high"]) == (4501, None)
    assert (injured["reported_by"], injured["reported_by_slug"]) == (
        "Ministry of Health of Kazakhstan",
        "kz-health-ministry",
    )
    assert injured["population"] == "people"
    assert injured["quote"] == "More than 4,500 people were injured"


@pytest.mark.parametrize(
    ("as_of_from", "as_of_to", "reported_on"),
    [
        (D(2022, 1, 12), D(2022, 1, 12), D(2022, 1, 12)),  # one day
        (D(2022, 1, 9), D(2022, 1, 12), D(2022, 1, 12)),  # a range: its last day
        (None, D(2022, 1, 12), D(2022, 1, 12)),  # "by 12 January"
        (D(2022, 1, 9), None, D(2022, 1, 15)),  # "since 9 January": the publication day
        (None, None, D(2022, 1, 15)),  # no date: the publication day
    ],
)
def test_casualty_reports_are_charted_on_reported_on(
    db: psycopg.Connection,
    dataset: dict[str, int],
    as_of_from: dt.date | None,
    as_of_to: dt.date | None,
    reported_on: dt.date,
) -> None:
    db.execute(
        "UPDATE casualty_report SET as_of_from = %s, as_of_to = %s WHERE id = %s",
        (as_of_from, as_of_to, dataset["killed"]),
    )
    row = db.execute(
        "SELECT reported_on FROM reporting.casualty_reports WHERE report_key = %s",
        ("2022-kazakhstan-unrest/killed-225",),
    ).fetchone()
    assert row == (reported_on,)


@pytest.mark.parametrize(
    ("qualifier", "figure", "low", "high", "words"),
    [
        ("exact", 0, 0, 0, "0"),
        ("at_least", 10, 10, None, "at least 10"),
        ("at_most", 1500, 0, 1500, "at most 1,500"),
        ("fewer_than", 1000000, 0, 999999, "fewer than 1,000,000"),
        ("approximately", 2147483647, None, None, "about 2,147,483,647"),
    ],
)
def test_figure_as_reported(
    db: psycopg.Connection,
    dataset: dict[str, int],
    qualifier: str,
    figure: int,
    low: int | None,
    high: int | None,
    words: str,
) -> None:
    db.execute(
        "INSERT INTO casualty_report (key, incident_id, category, figure, qualifier, count_low, "
        "count_high, source_id) VALUES ('k/x', %s, 'detained', %s, %s, %s, %s, %s)",
        (dataset["incident"], figure, qualifier, low, high, dataset["source"]),
    )
    row = db.execute(
        "SELECT figure_as_reported, quote, reported_by FROM reporting.casualty_reports "
        "WHERE report_key = 'k/x'"
    ).fetchone()
    assert row == (words, None, None)


def test_timeline(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    mission_entry, incident_entry = _rows(db, "timeline", "incident_slug NULLS FIRST")
    assert incident_entry == {
        "incident_slug": "2022-kazakhstan-unrest",
        "mission_slug": None,
        "occurred_from": D(2022, 1, 5),
        "occurred_to": D(2022, 1, 5),
        "kind": "riot",
        "kind_label": "Riot",
        "description": "Riots in Almaty.",
        "place_name": "Almaty",
        "quote": "Riots broke out in Almaty on January 5",
        "source_title": "Kazakhstan counts the dead",
        "entry_key": "2022-kazakhstan-unrest/riots",
    }
    assert mission_entry["mission_slug"] == "csto-kazakhstan-2022"
    assert mission_entry["incident_slug"] is None
    assert mission_entry["kind_label"] == "Deployment"
    assert mission_entry["quote"] is None and mission_entry["source_title"] is None
    assert mission_entry["place_name"] is None


def test_missions(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    [row] = _rows(db, "missions")
    assert row == {
        "mission_slug": "csto-kazakhstan-2022",
        "name": "CSTO Collective Peacekeeping Forces in Kazakhstan",
        "lead_organisation": "Collective Security Treaty Organization",
        "lead_organisation_slug": "csto",
        "mission_kind": "peacekeeping",
        "host_country_iso2": "KZ",
        "host_country_name": "Kazakhstan",
        "started_on": D(2022, 1, 6),  # started_from = started_to
        "started_from": D(2022, 1, 6),
        "started_to": D(2022, 1, 6),
        "ended_on": None,  # only a range is known
        "ended_from": D(2022, 1, 13),
        "ended_to": D(2022, 1, 19),
        "mandate": "Protect strategic facilities.",
        "incident_slugs": "2022-kazakhstan-unrest",
        "contributors": "Belarus; Russian Armed Forces (2,030 personnel)",
        "quote": "The CSTO sent peacekeepers on January 6",
    }


def test_mission_without_links(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    db.execute(
        "INSERT INTO incident (slug, title, incident_type, occurred_from, occurred_to) "
        "VALUES ('a-second', 'Second', 'other', '2020-01-01', '2020-01-01')"
    )
    db.execute(
        "INSERT INTO mission_incident (mission_id, incident_id) "
        "SELECT %s, id FROM incident WHERE slug = 'a-second'",
        (dataset["mission"],),
    )
    db.execute("INSERT INTO mission (slug, name, kind) VALUES ('bare', 'Bare', 'observer')")
    rows = {r["mission_slug"]: r for r in _rows(db, "missions")}
    assert rows["csto-kazakhstan-2022"]["incident_slugs"] == "2022-kazakhstan-unrest, a-second"
    bare = rows["bare"]
    assert bare["lead_organisation"] is None and bare["started_on"] is None
    assert bare["incident_slugs"] is None and bare["contributors"] is None
    assert bare["quote"] is None


def test_organisations(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    rows = {r["organisation_slug"]: r for r in _rows(db, "organisations")}
    assert set(rows) == {"csto", "csto-csc", "tass", "kz-health-ministry", "russian-armed-forces"}
    assert rows["csto"] == {
        "organisation_slug": "csto",
        "name": "Collective Security Treaty Organization",
        "acronym": "CSTO",
        "kind": "intergovernmental",
        "kind_label": "Intergovernmental organisation",
        "parent_slug": None,
        "parent_name": None,
        "country_iso2": None,
        "aliases": "CSTO, ODKB",
        "description": "A military alliance of six post-Soviet states.",
    }
    council = rows["csto-csc"]
    assert (council["parent_slug"], council["parent_name"]) == (
        "csto",
        "Collective Security Treaty Organization",
    )
    assert rows["kz-health-ministry"]["country_iso2"] == "KZ"
    assert rows["tass"]["aliases"] is None


def test_persons(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    asylov, zas = _rows(db, "persons")
    assert zas == {
        "person_slug": "stanislav-zas",
        "name": "Stanislav Zas",
        "first_reported_on": D(2022, 1, 15),  # the source that quotes his role
        "role_title": "Secretary General",
        "organisation_slug": "csto",
        "organisation_name": "Collective Security Treaty Organization",
        "is_former": False,
        "started_from": D(2020, 1, 1),
        "started_to": D(2020, 1, 1),
        "ended_from": None,
        "ended_to": None,
        "description": None,
    }
    assert asylov["person_slug"] == "berik-asylov"  # no role: one row, empty role columns
    assert asylov["description"] == "Prosecutor General of Kazakhstan."
    assert asylov["first_reported_on"] == D(2022, 1, 15)  # he reports a figure in it
    assert all(asylov[c] is None for c in VIEWS["persons"][3:-1])


def test_statements(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    zas, ministry = _rows(db, "statements", "said_from DESC")
    assert zas == {
        "statement_key": "tass-2022-01-15/zas-end",
        "speaker": "Stanislav Zas",
        "speaker_slug": "stanislav-zas",
        "speaker_organisation": "Collective Security Treaty Organization",
        "said_from": D(2022, 1, 14),
        "said_to": D(2022, 1, 15),
        "place_name": None,
        "occasion": None,
        "incident_slug": None,
        "mission_slug": "csto-kazakhstan-2022",
        "mode": "reported",
        "summary": "The mission will end soon.",
        "quote": "Stanislav Zas said the mission would end soon",
        "source_slug": "tass-2022-01-15",
        "source_title": "Kazakhstan counts the dead",
        "publisher": "TASS",
        "published_on": D(2022, 1, 15),
    }
    assert (ministry["speaker"], ministry["speaker_slug"]) == (
        "Ministry of Health of Kazakhstan",
        "kz-health-ministry",
    )
    assert ministry["incident_slug"] == "2022-kazakhstan-unrest"
    assert (ministry["place_name"], ministry["occasion"]) == ("Almaty", "briefing")
    assert ministry["quote"] is None and ministry["publisher"] is None


def test_sources(db: psycopg.Connection, dataset: dict[str, int]) -> None:
    tass, wire = _rows(db, "sources")
    assert tass == {
        "source_slug": "tass-2022-01-15",
        "title": "Kazakhstan counts the dead",
        "publisher": "TASS",
        "published_on": D(2022, 1, 15),
        "dateline": "Almaty",
        "url": "https://tass.com/x",
        "language": "en",
        "fact_count": 8,
        "content_hash": hashlib.sha256(BODY.encode()).hexdigest(),
    }
    assert (wire["fact_count"], wire["publisher"], wire["dateline"]) == (1, None, None)


def _first_date_columns(db: psycopg.Connection) -> dict[str, str]:
    rows = db.execute(
        "SELECT DISTINCT ON (table_name) table_name, column_name "
        "FROM information_schema.columns WHERE table_schema = 'reporting' AND data_type = 'date' "
        "ORDER BY table_name, ordinal_position"
    )
    return dict(rows.fetchall())


def test_the_first_date_column_is_the_time_column(db: psycopg.Connection) -> None:
    """BI tools (Superset first) take a view's first date column as its default time column."""
    assert _first_date_columns(db) == {
        "casualty_reports": "reported_on",
        "incidents": "occurred_from",
        "missions": "started_from",
        "persons": "first_reported_on",
        "sources": "published_on",
        "statements": "said_from",
        "timeline": "occurred_from",
    }


def test_the_time_column_is_filled_for_the_seed_data(run: Invoker, db: psycopg.Connection) -> None:
    result = run("seed", "load", str(SEEDS), str(REPO / "examples" / "kazakhstan-three-sources"))
    assert result.exit_code == 0, result.output
    for view, column in _first_date_columns(db).items():
        counts = db.execute(f"SELECT count(*), count({column}) FROM reporting.{view}").fetchone()
        assert counts is not None and counts[0] > 0 and counts[0] == counts[1], (view, counts)


def test_views_recreated_by_a_migration_keep_their_readers(database_url: str) -> None:
    """0009 drops and creates three views again: the SELECT grants on them come back."""
    role = f"time_column_reader_{uuid.uuid4().hex[:8]}"
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {role}")
            for view in VIEWS:
                conn.exec_driver_sql(f"GRANT SELECT ON reporting.{view} TO {role}")
            migrations.downgrade(conn, "0008")
            migrations.upgrade(conn)
            readable = conn.exec_driver_sql(
                "SELECT relname FROM pg_class WHERE relnamespace = 'reporting'::regnamespace "
                f"AND has_table_privilege('{role}', oid, 'SELECT')"
            )
            assert sorted(r[0] for r in readable) == sorted(VIEWS)
    finally:
        with engine.begin() as conn:
            if conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'").first():
                conn.exec_driver_sql(f"DROP OWNED BY {role}")
                conn.exec_driver_sql(f"DROP ROLE {role}")
        engine.dispose()


def test_column_types_are_dates_and_integers(db: psycopg.Connection) -> None:
    types = {
        (view, column): data_type
        for view, column, data_type in db.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'reporting'"
        )
    }
    dates = [
        (view, column)
        for view, columns in VIEWS.items()
        for column in columns
        if column.endswith(("_from", "_to", "_on")) or column == "as_of"
    ]
    counts = (
        [
            ("incidents", c)
            for c in (
                "killed_low",
                "killed_high",
                "injured_low",
                "injured_high",
                "casualty_report_count",
                "source_count",
                "killed_source_count",
                "injured_source_count",
            )
        ]
        + [
            ("casualty_reports", c)
            for c in ("reported_count", "count_low", "count_high", "range_low", "range_high")
        ]
        + [("sources", "fact_count")]
        + [
            ("summary", c)
            for c in VIEWS["summary"]
            if c == "year" or c.endswith(("_count", "_low", "_high"))
        ]
    )
    assert len(dates) == 26
    assert {k: types[k] for k in dates} == dict.fromkeys(dates, "date")
    assert {k: types[k] for k in counts} == dict.fromkeys(counts, "integer")
    assert types[("persons", "is_former")] == "boolean"


def test_comments_as_metabase_reads_them(db: psycopg.Connection) -> None:
    rows = db.execute(
        """
        SELECT c.relname, obj_description(c.oid, 'pg_class'), a.attname,
               col_description(c.oid, a.attnum)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'reporting'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind = 'v'
        """
    ).fetchall()
    assert {r[0] for r in rows} == set(VIEWS)
    assert len(rows) == sum(len(columns) for columns in VIEWS.values())
    missing = [f"{view}.{column}" for view, vc, column, cc in rows if not vc or not cc]
    assert missing == []
    schema_comment = db.execute("SELECT obj_description('reporting'::regnamespace)").fetchone()
    assert schema_comment is not None and schema_comment[0]


def test_comments_as_superset_reads_them(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        inspector = inspect(engine)
        assert sorted(inspector.get_view_names(schema="reporting")) == sorted(VIEWS)
        assert inspector.get_table_names(schema="reporting") == []
        for view, columns in VIEWS.items():
            found = inspector.get_columns(view, schema="reporting")
            assert [c["name"] for c in found] == columns
            assert all(c.get("comment") for c in found), view
            assert inspector.get_table_comment(view, schema="reporting")["text"]
    finally:
        engine.dispose()


def test_views_follow_the_migrations(database_url: str) -> None:
    engine = create_engine(database_url)

    def views(conn: Any) -> list[str]:
        return sorted(inspect(conn).get_view_names(schema="reporting")) if _has_schema(conn) else []

    try:
        with engine.begin() as conn:
            assert views(conn) == sorted(VIEWS)
            migrations.downgrade(conn, "0001")
            assert not _has_schema(conn)
            migrations.upgrade(conn, "0002")
            assert views(conn) == sorted(set(VIEWS) - {"summary"})
            migrations.upgrade(conn, "0008")
            assert views(conn) == sorted(VIEWS)
            migrations.downgrade(conn, "0007")
            assert views(conn) == sorted(set(VIEWS) - {"summary"})
            migrations.upgrade(conn)
    finally:
        engine.dispose()


def _has_schema(conn: Any) -> bool:
    return "reporting" in inspect(conn).get_schema_names()


def test_the_summary_view_holds_what_report_summary_shows(
    run: Invoker, db: psycopg.Connection
) -> None:
    insert_dataset(db)
    result = run("report", "summary", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    view = _rows(
        db, "summary", 'year, country_name COLLATE "C" NULLS LAST, incident_type COLLATE "C"'
    )
    assert report
    assert view == report
