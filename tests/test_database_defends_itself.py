"""The database defends itself: corrupt rows written with plain SQL, around incidentdb, are
refused by PostgreSQL.

Each case writes one corrupt row (or corrupts one good row) directly, as a BI tool, a script or
a hand-written INSERT would, and asserts the name of the constraint PostgreSQL reports
(psycopg's `diag.constraint_name`): the refusal comes from the schema, not from the loader.

PostgreSQL tests a row's CHECK constraints in alphabetical order of their names, so where a
row breaks several, the first name is reported; each case breaks the rule it names and, where
that can be arranged, nothing before it. The qualifier rule (`bounds_follow_qualifier`) implies
low <= high, so a range with its low above its high is refused by that rule first;
`low_le_high` stands behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import errors

from tests.conftest import Invoker, _fresh_database
from tests.reliability import SEEDS, libpq
from tests.snapshots import snapshot

if TYPE_CHECKING:
    from tests.conftest import TestServer

INCIDENT = "(SELECT id FROM incident WHERE slug = '2022-kazakhstan-unrest')"
MISSION = "(SELECT id FROM mission WHERE slug = 'csto-kazakhstan-2022')"
CSTO = "(SELECT id FROM organisation WHERE slug = 'csto')"
KZ = "(SELECT id FROM place WHERE slug = 'kz')"
SOURCE = "(SELECT id FROM source WHERE slug = 'tass-2022-01-25-csto-mission-kazakhstan')"
KILLED = "key LIKE '%/killed-all-kazakh-authorities'"  # the exact report: 225 killed
INJURED = "key LIKE '%/injured-all-kazakh-authorities'"  # more than 4,500 injured
ROLE = "key = 'nikolay-bordyuzha/csto/secretary-general'"
MISSING = "2147483000"  # an id no row has


@dataclass(frozen=True)
class Corruption:
    id: str
    statement: str
    error: type[psycopg.Error] | tuple[type[psycopg.Error], ...]
    constraint: str | None  # None: refused by the column's type or NOT NULL (see `column`)
    column: str | None = None


def ck(*parts: str) -> str:
    return "ck_" + "_".join(parts)


def org(slug: str) -> str:
    return f"INSERT INTO organisation (slug, name, kind) VALUES ('{slug}', 'X', 'other')"


CORRUPTIONS = [
    # -- counts are never negative
    Corruption(
        "negative-figure",
        "UPDATE casualty_report SET qualifier = 'approximately', figure = -1, "
        f"count_low = NULL, count_high = NULL WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "figure_non_negative"),
    ),
    Corruption(
        "negative-count-low",
        "UPDATE casualty_report SET qualifier = 'approximately', count_low = -1, "
        f"count_high = NULL WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "count_low_non_negative"),
    ),
    Corruption(
        "negative-count-high",
        f"UPDATE casualty_report SET figure = -3, count_low = -3, count_high = -3 WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "count_high_non_negative"),
    ),
    Corruption(
        "negative-personnel",
        "INSERT INTO mission_contributor (key, mission_id, organisation_id, personnel) "
        f"VALUES ('x', {MISSION}, {CSTO}, -2500)",
        errors.CheckViolation,
        ck("mission_contributor", "personnel_non_negative"),
    ),
    Corruption(
        "negative-ledger-rows",
        "UPDATE seed_file SET row_count = -1",
        errors.CheckViolation,
        ck("seed_file", "row_count_non_negative"),
    ),
    Corruption(
        "negative-offset",
        "UPDATE evidence SET char_start = -5, char_end = char_end - char_start - 5 "
        "WHERE id = (SELECT min(id) FROM evidence)",
        errors.CheckViolation,
        ck("evidence", "char_start_non_negative"),
    ),
    # -- a range never ends before it starts
    Corruption(
        "incident-ends-before-it-starts",
        "UPDATE incident SET occurred_to = occurred_from - 1",
        errors.CheckViolation,
        ck("incident", "occurred_from_le_occurred_to"),
    ),
    Corruption(
        "mission-start-range-reversed",
        "UPDATE mission SET started_to = started_from - 1",
        errors.CheckViolation,
        ck("mission", "started_from_le_started_to"),
    ),
    Corruption(
        "mission-ends-before-it-starts",
        "UPDATE mission SET ended_from = started_from - 30, ended_to = started_from - 30",
        errors.CheckViolation,
        ck("mission", "started_from_le_ended_to"),
    ),
    Corruption(
        "mission-end-range-reversed",
        "UPDATE mission SET ended_from = '2022-02-10', ended_to = '2022-02-01'",
        errors.CheckViolation,
        ck("mission", "ended_from_le_ended_to"),
    ),
    Corruption(
        "role-ends-before-it-starts",
        "UPDATE person_role SET started_from = '2020-01-01', ended_from = '2019-01-01', "
        f"ended_to = '2019-01-01' WHERE {ROLE}",
        errors.CheckViolation,
        ck("person_role", "started_from_le_ended_to"),
    ),
    Corruption(
        "role-end-range-reversed",
        f"UPDATE person_role SET ended_from = '2019-06-01', ended_to = '2019-01-01' WHERE {ROLE}",
        errors.CheckViolation,
        ck("person_role", "ended_from_le_ended_to"),
    ),
    Corruption(
        "statement-said-range-reversed",
        "UPDATE statement SET said_to = said_from - 1 WHERE id = (SELECT min(id) FROM statement)",
        errors.CheckViolation,
        ck("statement", "said_from_le_said_to"),
    ),
    Corruption(
        "timeline-entry-range-reversed",
        "UPDATE timeline_entry SET occurred_to = occurred_from - 1 "
        "WHERE id = (SELECT min(id) FROM timeline_entry)",
        errors.CheckViolation,
        ck("timeline_entry", "occurred_from_le_occurred_to"),
    ),
    # -- a figure's bounds follow its qualifier (and so low <= high)
    Corruption(
        "low-above-high",
        "UPDATE casualty_report SET qualifier = 'approximately', figure = 7, count_low = 10, "
        f"count_high = 5 WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "exact-with-low-not-the-figure",
        f"UPDATE casualty_report SET count_low = 224 WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "exact-with-high-not-the-figure",
        f"UPDATE casualty_report SET count_high = 300 WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "more-than-with-low-the-figure",
        f"UPDATE casualty_report SET count_low = figure WHERE {INJURED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "at-least-with-an-upper-bound",
        "UPDATE casualty_report SET qualifier = 'at_least', count_low = figure, "
        f"count_high = figure + 10 WHERE {INJURED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "fewer-than-zero",
        "UPDATE casualty_report SET qualifier = 'fewer_than', figure = 0, count_low = 0, "
        f"count_high = 0 WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "supersedes-itself",
        f"UPDATE casualty_report SET supersedes_id = id WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "supersedes_another"),
    ),
    Corruption(
        "part-of-itself",
        f"UPDATE casualty_report SET part_of_id = id WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "part_of_another"),
    ),
    Corruption(
        "as-of-backwards",
        "UPDATE casualty_report SET as_of_from = '2022-01-15', as_of_to = '2022-01-14' "
        f"WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "as_of_from_le_as_of_to"),
    ),
    Corruption(
        "supersedes-a-missing-report",
        f"UPDATE casualty_report SET supersedes_id = {MISSING} WHERE {KILLED}",
        errors.ForeignKeyViolation,
        "fk_casualty_report_supersedes_id_casualty_report",
    ),
    # -- references point at rows that exist
    Corruption(
        "dangling-incident",
        f"UPDATE casualty_report SET incident_id = {MISSING} WHERE {KILLED}",
        errors.ForeignKeyViolation,
        "fk_casualty_report_incident_id_incident",
    ),
    Corruption(
        "dangling-source",
        f"UPDATE evidence SET source_id = {MISSING} WHERE id = (SELECT min(id) FROM evidence)",
        errors.ForeignKeyViolation,
        "fk_evidence_source_id_source",
    ),
    Corruption(
        "dangling-parent-place",
        f"UPDATE place SET parent_id = {MISSING} WHERE slug = 'moscow'",
        errors.ForeignKeyViolation,
        "fk_place_parent_id_place",
    ),
    Corruption(
        "dangling-mission-lead",
        f"UPDATE mission SET lead_organisation_id = {MISSING}",
        errors.ForeignKeyViolation,
        "fk_mission_lead_organisation_id_organisation",
    ),
    Corruption(
        "delete-a-referenced-country",
        "DELETE FROM place WHERE slug = 'kz'",
        # ON DELETE RESTRICT (its cities, then its incidents); the SQLSTATE differs by version.
        (errors.RestrictViolation, errors.ForeignKeyViolation),
        "fk_place_parent_id_place",
    ),
    # -- unknown vocabulary codes
    Corruption(
        "unknown-incident-type",
        "UPDATE incident SET incident_type = 'massacre'",
        errors.ForeignKeyViolation,
        "fk_incident_incident_type_incident_type",
    ),
    Corruption(
        "unknown-casualty-category",
        f"UPDATE casualty_report SET category = 'wounded' WHERE {KILLED}",
        errors.ForeignKeyViolation,
        "fk_casualty_report_category_casualty_category",
    ),
    Corruption(
        "unknown-qualifier",
        # No branch of the qualifier rule holds for an unknown code, so the check goes first.
        f"UPDATE casualty_report SET qualifier = 'roughly' WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "bounds_follow_qualifier"),
    ),
    Corruption(
        "unknown-organisation-kind",
        "UPDATE organisation SET kind = 'terrorists' WHERE slug = 'csto'",
        errors.ForeignKeyViolation,
        "fk_organisation_kind_organisation_kind",
    ),
    Corruption(
        "unknown-mission-kind",
        "UPDATE mission SET kind = 'invasion'",
        errors.ForeignKeyViolation,
        "fk_mission_kind_mission_kind",
    ),
    Corruption(
        "unknown-place-kind",
        "UPDATE place SET kind = 'planet' WHERE slug = 'moscow'",
        errors.ForeignKeyViolation,
        "fk_place_kind_place_kind",
    ),
    Corruption(
        "unknown-timeline-kind",
        "UPDATE timeline_entry SET kind = 'rumour' WHERE id = (SELECT min(id) FROM timeline_entry)",
        errors.ForeignKeyViolation,
        "fk_timeline_entry_kind_timeline_kind",
    ),
    Corruption(
        "unknown-statement-mode",
        "UPDATE statement SET mode = 'rumoured' WHERE id = (SELECT min(id) FROM statement)",
        errors.CheckViolation,
        ck("statement", "mode_known"),
    ),
    # -- slugs: unique, and in their one format
    Corruption(
        "duplicate-organisation-slug",
        org("csto"),
        errors.UniqueViolation,
        "uq_organisation_slug",
    ),
    Corruption(
        "duplicate-incident-slug",
        "INSERT INTO incident (slug, title, incident_type, occurred_from, occurred_to) "
        "SELECT slug, title, incident_type, occurred_from, occurred_to FROM incident",
        errors.UniqueViolation,
        "uq_incident_slug",
    ),
    Corruption(
        "duplicate-report-key",
        "INSERT INTO casualty_report (key, incident_id, category, figure, qualifier, count_low, "
        "count_high, source_id) SELECT key, incident_id, category, figure, qualifier, "
        f"count_low, count_high, source_id FROM casualty_report WHERE {KILLED}",
        errors.UniqueViolation,
        "uq_casualty_report_key",
    ),
    Corruption(
        "duplicate-iso-code",
        "INSERT INTO place (slug, name, kind, iso_alpha2, iso_alpha3) "
        "VALUES ('kazakhstan', 'Kazakhstan', 'country', 'KZ', 'KAZ')",
        errors.UniqueViolation,
        "uq_place_iso_alpha2",
    ),
    Corruption(
        "slug-with-sql",
        org("x''; DROP TABLE incident; --"),
        errors.CheckViolation,
        ck("organisation", "slug_format"),
    ),
    Corruption(
        "slug-in-capitals",
        org("CSTO"),
        errors.CheckViolation,
        ck("organisation", "slug_format"),
    ),
    Corruption(
        "slug-with-spaces",
        "UPDATE incident SET slug = 'kazakhstan unrest'",
        errors.CheckViolation,
        ck("incident", "slug_format"),
    ),
    Corruption(
        "slug-with-a-trailing-hyphen",
        "UPDATE place SET slug = 'kz-' WHERE slug = 'kz'",
        errors.CheckViolation,
        ck("place", "slug_format"),
    ),
    Corruption(
        "empty-slug",
        "UPDATE person SET slug = '' WHERE id = (SELECT min(id) FROM person)",
        errors.CheckViolation,
        ck("person", "slug_format"),
    ),
    Corruption(
        "source-slug-unicode",
        "UPDATE source SET slug = 'тасс'",
        errors.CheckViolation,
        ck("source", "slug_format"),
    ),
    # -- places: ISO codes, coordinates, hierarchy
    Corruption(
        "iso-alpha2-lower-case",
        "UPDATE place SET iso_alpha2 = 'kz' WHERE slug = 'kz'",
        errors.CheckViolation,
        ck("place", "iso_alpha2_format"),
    ),
    Corruption(
        "iso-alpha2-with-a-digit",
        "UPDATE place SET iso_alpha2 = 'K2' WHERE slug = 'kz'",
        errors.CheckViolation,
        ck("place", "iso_alpha2_format"),
    ),
    Corruption(
        "iso-alpha3-in-alpha2",
        "UPDATE place SET iso_alpha2 = 'KAZ' WHERE slug = 'kz'",
        errors.StringDataRightTruncation,
        None,  # the column is varchar(2): the type refuses before any check
    ),
    Corruption(
        "iso-alpha3-lower-case",
        "UPDATE place SET iso_alpha3 = 'kaz' WHERE slug = 'kz'",
        errors.CheckViolation,
        ck("place", "iso_alpha3_format"),
    ),
    Corruption(
        "country-without-iso",
        "UPDATE place SET iso_alpha2 = NULL WHERE slug = 'kz'",
        errors.CheckViolation,
        ck("place", "country_has_iso"),
    ),
    Corruption(
        "latitude-out-of-range",
        "UPDATE place SET latitude = 91, longitude = 10 WHERE slug = 'moscow'",
        errors.CheckViolation,
        ck("place", "latitude_range"),
    ),
    Corruption(
        "latitude-without-longitude",
        "UPDATE place SET latitude = 55.7, longitude = NULL WHERE slug = 'moscow'",
        errors.CheckViolation,
        ck("place", "coordinates_paired"),
    ),
    Corruption(
        "geo-precision-out-of-range",
        "UPDATE place SET geo_precision = 0 WHERE slug = 'moscow'",
        errors.CheckViolation,
        ck("place", "geo_precision_range"),
    ),
    Corruption(
        "own-parent",
        "UPDATE organisation SET parent_id = id WHERE slug = 'csto'",
        errors.CheckViolation,
        ck("organisation", "not_own_parent"),
    ),
    # -- evidence: a verbatim quote of one fact, at its offsets
    Corruption(
        "offsets-longer-than-quote",
        "UPDATE evidence SET char_end = char_end + 1 WHERE id = (SELECT min(id) FROM evidence)",
        errors.CheckViolation,
        ck("evidence", "offsets_match_quote"),
    ),
    Corruption(
        "quote-edited-without-offsets",
        "UPDATE evidence SET quote = quote || '!' WHERE id = (SELECT min(id) FROM evidence)",
        errors.CheckViolation,
        ck("evidence", "offsets_match_quote"),
    ),
    Corruption(
        "evidence-of-two-facts",
        f"UPDATE evidence SET place_id = {KZ} WHERE incident_id IS NOT NULL",
        errors.CheckViolation,
        ck("evidence", "one_fact"),
    ),
    Corruption(
        "evidence-of-no-fact",
        "UPDATE evidence SET incident_id = NULL WHERE incident_id IS NOT NULL",
        errors.CheckViolation,
        ck("evidence", "one_fact"),
    ),
    Corruption(
        "empty-quote",
        "UPDATE evidence SET quote = '', char_end = char_start "
        "WHERE id = (SELECT min(id) FROM evidence)",
        errors.CheckViolation,
        ck("evidence", "quote_not_empty"),
    ),
    # -- sources: the hash is the body's
    Corruption(
        "body-edited-without-hash",
        "UPDATE source SET body = body || ' (edited)'",
        errors.CheckViolation,
        ck("source", "content_hash_matches_body"),
    ),
    Corruption(
        "hash-of-another-body",
        "UPDATE source SET content_hash = encode(sha256('something else'), 'hex')",
        errors.CheckViolation,
        ck("source", "content_hash_matches_body"),
    ),
    Corruption(
        "hash-not-hex",
        "UPDATE source SET content_hash = 'not a hash'",
        errors.CheckViolation,
        ck("source", "content_hash_hex"),
    ),
    Corruption(
        "language-not-iso-639-1",
        "UPDATE source SET language = 'EN'",
        errors.CheckViolation,
        ck("source", "language_iso639_1"),
    ),
    # -- other facts hold together
    Corruption(
        "statement-without-speaker",
        "UPDATE statement SET speaker_person_id = NULL, speaker_organisation_id = NULL "
        "WHERE id = (SELECT min(id) FROM statement)",
        errors.CheckViolation,
        ck("statement", "has_speaker"),
    ),
    Corruption(
        "timeline-entry-of-incident-and-mission",
        f"UPDATE timeline_entry SET mission_id = {MISSION} WHERE incident_id IS NOT NULL",
        errors.CheckViolation,
        ck("timeline_entry", "one_subject"),
    ),
    Corruption(
        "contributor-without-anyone",
        f"INSERT INTO mission_contributor (key, mission_id) VALUES ('y', {MISSION})",
        errors.CheckViolation,
        ck("mission_contributor", "has_contributor"),
    ),
    Corruption(
        "ledger-hash-not-hex",
        "UPDATE seed_file SET content_hash = upper(content_hash)",
        errors.CheckViolation,
        ck("seed_file", "content_hash_hex"),
    ),
    Corruption(
        "ledger-kind-unknown",
        "UPDATE seed_file SET kind = 'upload'",
        errors.CheckViolation,
        ck("seed_file", "kind_known"),
    ),
    Corruption(
        "actor-in-an-unknown-role",
        "INSERT INTO incident_actor (key, incident_id, organisation_id, role) "
        f"VALUES ('x', {INCIDENT}, {CSTO}, 'bystander')",
        errors.CheckViolation,
        ck("incident_actor", "role_known"),
    ),
    Corruption(
        "role-start-range-reversed",
        f"UPDATE person_role SET started_from = '2020-06-01', started_to = '2020-01-01' "
        f"WHERE {ROLE}",
        errors.CheckViolation,
        ck("person_role", "started_from_le_started_to"),
    ),
    Corruption(
        "longitude-out-of-range",
        "UPDATE place SET latitude = 55.7, longitude = -181 WHERE slug = 'moscow'",
        errors.CheckViolation,
        ck("place", "longitude_range"),
    ),
    Corruption(
        "place-its-own-parent",
        "UPDATE place SET parent_id = id WHERE slug = 'moscow'",
        errors.CheckViolation,
        ck("place", "not_own_parent"),
    ),
    Corruption(
        "incident-its-own-parent",
        "UPDATE incident SET parent_id = id",
        errors.CheckViolation,
        ck("incident", "not_own_parent"),
    ),
    Corruption(
        "mission-slug-with-a-slash",
        "UPDATE mission SET slug = 'csto/kazakhstan'",
        errors.CheckViolation,
        ck("mission", "slug_format"),
    ),
    Corruption(
        "empty-alias",
        "UPDATE organisation_alias SET alias = ''",
        errors.CheckViolation,
        ck("organisation_alias", "alias_not_empty"),
    ),
    # -- keys of facts are never empty
    Corruption(
        "empty-report-key",
        f"UPDATE casualty_report SET key = '' WHERE {KILLED}",
        errors.CheckViolation,
        ck("casualty_report", "key_not_empty"),
    ),
    Corruption(
        "empty-evidence-key",
        "UPDATE evidence SET key = '' WHERE id = (SELECT min(id) FROM evidence)",
        errors.CheckViolation,
        ck("evidence", "key_not_empty"),
    ),
    Corruption(
        "empty-actor-key",
        "INSERT INTO incident_actor (key, incident_id, organisation_id, role) "
        f"VALUES ('', {INCIDENT}, {CSTO}, 'involved')",
        errors.CheckViolation,
        ck("incident_actor", "key_not_empty"),
    ),
    Corruption(
        "empty-contributor-key",
        "INSERT INTO mission_contributor (key, mission_id, organisation_id) "
        f"VALUES ('', {MISSION}, {CSTO})",
        errors.CheckViolation,
        ck("mission_contributor", "key_not_empty"),
    ),
    Corruption(
        "empty-role-key",
        f"UPDATE person_role SET key = '' WHERE {ROLE}",
        errors.CheckViolation,
        ck("person_role", "key_not_empty"),
    ),
    Corruption(
        "empty-statement-key",
        "UPDATE statement SET key = '' WHERE id = (SELECT min(id) FROM statement)",
        errors.CheckViolation,
        ck("statement", "key_not_empty"),
    ),
    Corruption(
        "empty-timeline-key",
        "UPDATE timeline_entry SET key = '' WHERE id = (SELECT min(id) FROM timeline_entry)",
        errors.CheckViolation,
        ck("timeline_entry", "key_not_empty"),
    ),
    # -- blank is not zero, but required is required
    Corruption(
        "incident-without-title",
        "UPDATE incident SET title = NULL",
        errors.NotNullViolation,
        None,
        column="title",
    ),
    Corruption(
        "report-without-figure",
        f"UPDATE casualty_report SET figure = NULL WHERE {KILLED}",
        errors.NotNullViolation,
        None,
        column="figure",
    ),
    Corruption(
        "evidence-without-source",
        "UPDATE evidence SET source_id = NULL WHERE id = (SELECT min(id) FROM evidence)",
        errors.NotNullViolation,
        None,
        column="source_id",
    ),
]


@pytest.fixture(scope="module")
def loaded(test_server: TestServer, template_db: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection (autocommit) to a database holding the TASS seed, for the whole module:
    every corruption is tried in a transaction that fails, so it is never changed."""
    for url in _fresh_database(test_server, template_db):
        result = Invoker(url, {})("seed", "load", str(SEEDS))
        assert result.exit_code == 0, result.output
        with psycopg.connect(libpq(url), autocommit=True) as conn:
            yield conn


def test_every_case_is_distinct() -> None:
    assert len({c.id for c in CORRUPTIONS}) == len(CORRUPTIONS)
    assert len({c.statement for c in CORRUPTIONS}) == len(CORRUPTIONS)


@pytest.mark.parametrize("case", CORRUPTIONS, ids=[c.id for c in CORRUPTIONS])
def test_corrupt_row_is_refused_by_postgresql(
    case: Corruption, loaded: psycopg.Connection[Any], record_property: Any
) -> None:
    before = snapshot(loaded)
    with pytest.raises(case.error) as refused, loaded.transaction():
        loaded.execute(case.statement)
    diag = refused.value.diag
    assert diag.constraint_name == case.constraint, diag.message_primary
    if case.column is not None:
        assert diag.column_name == case.column
    assert snapshot(loaded) == before
    record_property("bad_inputs", 1)


def test_the_good_rows_pass_the_same_constraints(loaded: psycopg.Connection[Any]) -> None:
    """The constraints refuse only what is wrong: every loaded row, re-tested (an UPDATE tests
    a row's CHECK constraints again), passes them all."""
    tables = [
        r[0]
        for r in loaded.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> "
            "'alembic_version'"
        )
    ]
    with loaded.transaction(force_rollback=True):
        for table in tables:
            has_id = loaded.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = %s AND column_name = 'id'",
                (table,),
            ).fetchone()
            if has_id:
                loaded.execute(f'UPDATE "{table}" SET id = id')


# Checks no case above breaks on its own, and why.
UNBROKEN = {
    # Checked after bounds_follow_qualifier, which every low-above-high row already breaks.
    ck("casualty_report", "low_le_high"),
}


def test_every_check_constraint_is_broken_by_a_case(loaded: psycopg.Connection[Any]) -> None:
    checks = {
        r[0]
        for r in loaded.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'c' "
            "AND connamespace = 'public'::regnamespace"
        )
    }
    broken = {c.constraint for c in CORRUPTIONS}
    assert sorted(checks - broken - UNBROKEN) == []
