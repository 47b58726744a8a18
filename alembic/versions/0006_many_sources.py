"""Many sources, one incident: file identities, shared ownership, superseded and subset figures.

- seed_file: `path` (relative to the folder given, so two folders' registry.yaml collided)
  becomes `identity`, a name that does not depend on the folder: source:SLUG for an
  article's seed (re-keyed here from the source it defines), import:DATASET:CONTENT for an
  import (the first 12 hex digits of the file's hash), and legacy:PATH for a
  registry until its next load re-keys it. `location` records where a file was loaded from.
- seed_file_claim: a row that several files define belongs to all of them; withdrawing one
  keeps the row while another still defines it.
- casualty_report: `as_of` becomes a range (as_of_from, as_of_to: "before 15 January");
  `supersedes_id` (a revised toll replaces an earlier one) and `part_of_id` (19 police among
  225 dead); a person may report a figure for an organisation.
- reporting.incidents and reporting.casualty_reports compute the range per category over the
  current whole-population reports only; subsets and superseded figures are listed, never
  bounds. Columns are added at the end; none is renamed or dropped (`as_of` stays: the day
  when the range is one day).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FACTS_BEFORE = (
    "incident_id",
    "timeline_entry_id",
    "casualty_report_id",
    "statement_id",
    "mission_id",
    "mission_contributor_id",
    "person_role_id",
    "organisation_id",
    "person_id",
    "place_id",
)
FACTS = (*FACTS_BEFORE, "incident_actor_id")


def _thousands(expression: str) -> str:
    return f"to_char({expression}, 'FM9,999,999,999,990')"


FIGURE_AS_REPORTED = f"""CASE cr.qualifier
        WHEN 'exact' THEN ''
        WHEN 'approximately' THEN 'about '
        WHEN 'at_least' THEN 'at least '
        WHEN 'more_than' THEN 'more than '
        WHEN 'at_most' THEN 'at most '
        WHEN 'fewer_than' THEN 'fewer than '
        ELSE lower(q.label) || ' '
    END || {_thousands("cr.figure")}"""

# A report bounds the range when it counts the whole population (it is not part of another
# report's) and no later report supersedes it.
IN_RANGE = (
    "(cr.part_of_id IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM casualty_report later WHERE later.supersedes_id = cr.id))"
)


def _category(name: str) -> str:
    """The range, source count and latest current figure of one category, as laterals."""
    return f"""
CROSS JOIN LATERAL (
    SELECT min(cr.count_low) AS low,
        CASE WHEN bool_and(cr.count_high IS NOT NULL) THEN max(cr.count_high) END AS high,
        count(DISTINCT cr.source_id)::integer AS sources
    FROM casualty_report cr
    WHERE cr.incident_id = i.id AND cr.category = '{name}' AND {IN_RANGE}
) AS {name}
LEFT JOIN LATERAL (
    SELECT {FIGURE_AS_REPORTED} AS figure, s.slug AS source_slug,
        coalesce(cr.as_of_to, s.published_on) AS on_day
    FROM casualty_report cr
    JOIN qualifier q ON q.code = cr.qualifier
    JOIN source s ON s.id = cr.source_id
    WHERE cr.incident_id = i.id AND cr.category = '{name}' AND {IN_RANGE}
    ORDER BY coalesce(cr.as_of_to, s.published_on) DESC NULLS LAST,
        s.published_on DESC NULLS LAST, cr.id DESC
    LIMIT 1
) AS {name}_latest ON true"""


INCIDENTS = f"""
SELECT
    i.slug AS incident_slug,
    i.title,
    i.incident_type,
    it.label AS incident_type_label,
    i.description,
    i.occurred_from,
    i.occurred_to,
    country.iso_alpha2 AS country_iso2,
    country.name AS country_name,
    parent.slug AS parent_incident_slug,
    killed.low AS killed_low,
    killed.high AS killed_high,
    injured.low AS injured_low,
    injured.high AS injured_high,
    (SELECT count(*) FROM casualty_report cr WHERE cr.incident_id = i.id)::integer
        AS casualty_report_count,
    (
        SELECT count(DISTINCT cited.source_id)
        FROM (
            SELECT e.source_id FROM evidence e WHERE e.incident_id = i.id
            UNION ALL
            SELECT e.source_id FROM evidence e
            JOIN timeline_entry t ON t.id = e.timeline_entry_id
            WHERE t.incident_id = i.id
            UNION ALL
            SELECT e.source_id FROM evidence e
            JOIN casualty_report cr ON cr.id = e.casualty_report_id
            WHERE cr.incident_id = i.id
            UNION ALL
            SELECT cr.source_id FROM casualty_report cr WHERE cr.incident_id = i.id
            UNION ALL
            SELECT e.source_id FROM evidence e
            JOIN statement st ON st.id = e.statement_id
            WHERE st.incident_id = i.id
            UNION ALL
            SELECT st.source_id FROM statement st WHERE st.incident_id = i.id
        ) AS cited
    )::integer AS source_count,
    killed.sources AS killed_source_count,
    killed_latest.figure AS killed_latest,
    killed_latest.source_slug AS killed_latest_source_slug,
    killed_latest.on_day AS killed_latest_on,
    injured.sources AS injured_source_count,
    injured_latest.figure AS injured_latest,
    injured_latest.source_slug AS injured_latest_source_slug,
    injured_latest.on_day AS injured_latest_on
FROM incident i
JOIN incident_type it ON it.code = i.incident_type
LEFT JOIN place country ON country.id = i.country_id
LEFT JOIN incident parent ON parent.id = i.parent_id
{_category("killed")}
{_category("injured")}
"""

_RANGE_RULE = (
    "over the incident's current whole-population '{c}' reports: not superseded by a later "
    "report, not part of another report's population (see reporting.casualty_reports.in_range)"
)

INCIDENTS_COMMENTS = {
    "killed_low": "Fewest people killed that the reports allow: the lowest lower bound "
    + _RANGE_RULE.format(c="killed")
    + ". NULL when there is no such report. Not a sum.",
    "killed_high": "Most people killed that the reports allow: the highest upper bound "
    + _RANGE_RULE.format(c="killed")
    + ". NULL when any of them is open-ended ('at least', 'more than') or there is none.",
    "injured_low": "Fewest people injured that the reports allow: the lowest lower bound "
    + _RANGE_RULE.format(c="injured")
    + ". NULL when there is no such report. Not a sum.",
    "injured_high": "Most people injured that the reports allow: the highest upper bound "
    + _RANGE_RULE.format(c="injured")
    + ". NULL when any of them is open-ended ('at least', 'more than') or there is none.",
    "killed_source_count": "Number of distinct sources among the reports that set the killed "
    "range; 0 when none.",
    "killed_latest": "The most recent current whole-population figure of people killed, as "
    "reported (e.g. '225', 'more than 4,500'); NULL when none.",
    "killed_latest_source_slug": "Stable key of the source of killed_latest.",
    "killed_latest_on": "The day killed_latest was current: its as-of day, else its source's "
    "publication day; NULL when neither is known.",
    "injured_source_count": "Number of distinct sources among the reports that set the "
    "injured range; 0 when none.",
    "injured_latest": "The most recent current whole-population figure of people injured, as "
    "reported (e.g. 'more than 4,500'); NULL when none.",
    "injured_latest_source_slug": "Stable key of the source of injured_latest.",
    "injured_latest_on": "The day injured_latest was current: its as-of day, else its "
    "source's publication day; NULL when neither is known.",
}

CASUALTY_REPORTS = f"""
SELECT
    i.slug AS incident_slug,
    cr.key AS report_key,
    cr.category,
    cr.population,
    cr.figure AS reported_count,
    cr.qualifier,
    q.label AS qualifier_label,
    {FIGURE_AS_REPORTED} AS figure_as_reported,
    cr.count_low,
    cr.count_high,
    min(cr.count_low) FILTER (WHERE rule.in_range) OVER same_category AS range_low,
    CASE WHEN bool_and(cr.count_high IS NOT NULL) FILTER (WHERE rule.in_range)
        OVER same_category THEN max(cr.count_high) FILTER (WHERE rule.in_range)
        OVER same_category END AS range_high,
    coalesce(
        reporter_person.name || coalesce(' (' || reporter_org.name || ')', ''),
        reporter_org.name
    ) AS reported_by,
    coalesce(reporter_person.slug, reporter_org.slug) AS reported_by_slug,
    CASE WHEN cr.as_of_from = cr.as_of_to THEN cr.as_of_to END AS as_of,
    s.slug AS source_slug,
    s.title AS source_title,
    publisher.name AS publisher,
    s.published_on,
    (SELECT string_agg(e.quote, ' … ' ORDER BY e.char_start, e.id)
     FROM evidence e WHERE e.casualty_report_id = cr.id) AS quote,
    cr.as_of_from,
    cr.as_of_to,
    reporter_person.name AS reported_by_person,
    reporter_org.name AS reported_by_organisation,
    earlier.key AS supersedes_key,
    later.key AS superseded_by_key,
    whole.key AS part_of_key,
    CASE
        WHEN later.key IS NOT NULL THEN 'superseded'
        WHEN cr.part_of_id IS NOT NULL THEN 'subset'
        ELSE 'current'
    END AS status,
    rule.in_range
FROM casualty_report cr
JOIN incident i ON i.id = cr.incident_id
JOIN qualifier q ON q.code = cr.qualifier
JOIN source s ON s.id = cr.source_id
LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
LEFT JOIN organisation reporter_org ON reporter_org.id = cr.reported_by_organisation_id
LEFT JOIN person reporter_person ON reporter_person.id = cr.reported_by_person_id
LEFT JOIN casualty_report earlier ON earlier.id = cr.supersedes_id
LEFT JOIN casualty_report whole ON whole.id = cr.part_of_id
LEFT JOIN LATERAL (
    SELECT l.key FROM casualty_report l WHERE l.supersedes_id = cr.id ORDER BY l.key LIMIT 1
) AS later ON true
CROSS JOIN LATERAL (
    SELECT cr.part_of_id IS NULL AND later.key IS NULL AS in_range
) AS rule
WINDOW same_category AS (PARTITION BY i.slug, cr.category)
"""

CASUALTY_REPORTS_COMMENTS = {
    "range_low": "Across this incident's current whole-population reports of this category "
    "(in_range): the lowest count_low; NULL when none gives one. Subsets and superseded "
    "figures never bound the range.",
    "range_high": "Across this incident's current whole-population reports of this category "
    "(in_range): the highest count_high; NULL when any of them is open-ended or there is none.",
    "reported_by": "Who reported the figure: the person, with the organisation they spoke for "
    "in brackets, or the organisation; NULL when the source does not say.",
    "reported_by_slug": "Stable key of the person who reported the figure, or of the "
    "organisation when no person is named; NULL when the source does not say.",
    "as_of": "The day the figure was current, when the source pins it to one day; NULL when "
    "only a range is known (see as_of_from and as_of_to) or unknown.",
    "as_of_from": "Earliest day the figure may have been current; NULL when unknown or open "
    "('as of before 15 January' has only as_of_to).",
    "as_of_to": "Latest day the figure may have been current; NULL when unknown.",
    "reported_by_person": "Name of the person who reported the figure; NULL when none is named.",
    "reported_by_organisation": "Name of the organisation that reported the figure, or that the "
    "reporting person spoke for; NULL when none is named.",
    "supersedes_key": "report_key of the earlier report this one replaces (a revised toll); "
    "NULL when none.",
    "superseded_by_key": "report_key of a later report that replaces this one; NULL when this "
    "figure is current.",
    "part_of_key": "report_key of the report whose population this figure's population is "
    "part of (19 police among 225 dead); NULL for a whole-population figure.",
    "status": "current (bounds the range), superseded (a later report replaces it) or subset "
    "(part of another report's population).",
    "in_range": "True when the figure bounds the incident's range for its category: no later "
    "report supersedes it and it is not part of another report's population.",
}


def _older_views() -> ModuleType:
    """0002's view definitions, for the downgrade (0004 and 0005 changed them since)."""
    path = Path(__file__).with_name("0002_reporting_views.py")
    spec = importlib.util.spec_from_file_location("incidentdb_migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _execute(statement: str) -> None:
    op.get_bind().exec_driver_sql(statement)


def _comment(view: str, comments: dict[str, str]) -> None:
    for column, comment in comments.items():
        _execute(f"COMMENT ON COLUMN reporting.{view}.{column} IS {_literal(comment)}")


def upgrade() -> None:
    op.alter_column("seed_file", "path", new_column_name="identity")
    op.execute("ALTER TABLE seed_file RENAME CONSTRAINT uq_seed_file_path TO uq_seed_file_identity")
    op.add_column("seed_file", sa.Column("location", sa.Text(), nullable=True))
    op.execute(
        "UPDATE seed_file f SET identity = 'source:' || s.slug FROM source s "
        "WHERE s.seed_file_id = f.id AND f.kind = 'seed'"
    )
    op.execute(
        "UPDATE seed_file SET identity = split_part(identity, ':', 1) || ':' "
        "|| split_part(identity, ':', 2) || ':' || left(content_hash, 12) "
        "WHERE kind = 'import' AND identity LIKE 'import:%:%'"
    )
    op.execute(
        "UPDATE seed_file SET identity = 'legacy:' || identity WHERE kind <> 'import' "
        "AND identity !~ '^(source|registry|file|legacy):'"
    )
    op.create_table(
        "seed_file_claim",
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("seed_file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_seed_file_claim_seed_file_id_seed_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "table_name", "row_key", "seed_file_id", name=op.f("pk_seed_file_claim")
        ),
    )
    op.create_index(
        op.f("ix_seed_file_claim_seed_file_id"), "seed_file_claim", ["seed_file_id"], unique=False
    )

    op.add_column("casualty_report", sa.Column("as_of_from", sa.Date(), nullable=True))
    op.add_column("casualty_report", sa.Column("as_of_to", sa.Date(), nullable=True))
    op.add_column("casualty_report", sa.Column("supersedes_id", sa.Integer(), nullable=True))
    op.add_column("casualty_report", sa.Column("part_of_id", sa.Integer(), nullable=True))
    op.execute("UPDATE casualty_report SET as_of_from = as_of, as_of_to = as_of")
    for column in ("supersedes_id", "part_of_id"):
        op.create_foreign_key(
            op.f(f"fk_casualty_report_{column}_casualty_report"),
            "casualty_report",
            "casualty_report",
            [column],
            ["id"],
            ondelete="SET NULL",
        )
        op.create_index(
            op.f(f"ix_casualty_report_{column}"), "casualty_report", [column], unique=False
        )
    op.create_check_constraint(
        op.f("ck_casualty_report_supersedes_another"), "casualty_report", "supersedes_id <> id"
    )
    op.create_check_constraint(
        op.f("ck_casualty_report_part_of_another"), "casualty_report", "part_of_id <> id"
    )
    op.create_check_constraint(
        op.f("ck_casualty_report_as_of_from_le_as_of_to"),
        "casualty_report",
        "as_of_from IS NULL OR as_of_to IS NULL OR as_of_from <= as_of_to",
    )
    op.drop_constraint(op.f("ck_casualty_report_one_reporter"), "casualty_report", type_="check")

    op.add_column("evidence", sa.Column("incident_actor_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_evidence_incident_actor_id_incident_actor"),
        "evidence",
        "incident_actor",
        ["incident_actor_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(op.f("ix_evidence_incident_actor_id"), "evidence", ["incident_actor_id"])
    op.drop_constraint(op.f("ck_evidence_one_fact"), "evidence", type_="check")
    op.create_check_constraint(
        op.f("ck_evidence_one_fact"), "evidence", f"num_nonnulls({', '.join(FACTS)}) = 1"
    )

    # CREATE OR REPLACE keeps each view's identity, grants and column comments.
    _execute(f"CREATE OR REPLACE VIEW reporting.incidents AS {INCIDENTS}")
    _comment("incidents", INCIDENTS_COMMENTS)
    _execute(f"CREATE OR REPLACE VIEW reporting.casualty_reports AS {CASUALTY_REPORTS}")
    _comment("casualty_reports", CASUALTY_REPORTS_COMMENTS)
    op.drop_column("casualty_report", "as_of")
    _comment_tables()


TABLE_COMMENTS = {
    "seed_file_claim": "Ledger: rows that a loaded file defines besides the file that owns "
    "them (seed_file_id on the row). A row stays while its owner or any claim defines it.",
}

COLUMN_COMMENTS = {
    "seed_file.identity": "The file's stable name, whatever folder it is loaded from: "
    "source:SLUG for an article's seed, registry:NAME for a registry that declares its name, "
    "file:PATH for one that does not, import:DATASET:CONTENT (the file's hash) for an import.",
    "seed_file.location": "Absolute path the file was last loaded from; NULL when unknown "
    "(loaded before locations were recorded).",
    "seed_file_claim.table_name": "The table of the claimed row, e.g. person.",
    "seed_file_claim.row_key": "The claimed row's slug or key.",
    "seed_file_claim.seed_file_id": "The file that also defines the row.",
    "casualty_report.reported_by_organisation_id": "The organisation that reported the figure "
    "(or the one the reporting person spoke for); NULL when unstated.",
    "casualty_report.reported_by_person_id": "The person who reported the figure; NULL when "
    "unstated.",
    "casualty_report.as_of_from": "Earliest day the figure may have been current; NULL when "
    "unknown or open ('before 15 January' has only as_of_to).",
    "casualty_report.as_of_to": "Latest day the figure may have been current; equals "
    "as_of_from when the day is known; NULL when unknown.",
    "casualty_report.supersedes_id": "An earlier report of the same count that this one "
    "replaces (e.g. a revised toll); the earlier stays, marked superseded, and no longer "
    "bounds the range.",
    "evidence.incident_actor_id": "The incident actor this quote backs; NULL when it backs "
    "another fact.",
    "casualty_report.part_of_id": "The report whose population this figure's population is "
    "part of (19 police among 225 dead); a subset never bounds the range.",
}


OLD_COLUMN_COMMENTS = {
    "casualty_report.as_of": "The day the figure was current; NULL when unknown.",
    "casualty_report.reported_by_organisation_id": "The organisation that reported the figure; "
    "NULL when a person did or unstated.",
    "casualty_report.reported_by_person_id": "The person who reported the figure; NULL when an "
    "organisation did or unstated.",
}


def _comment_tables() -> None:
    for table, comment in TABLE_COMMENTS.items():
        op.create_table_comment(table, comment)
    for column, comment in COLUMN_COMMENTS.items():
        _execute(f"COMMENT ON COLUMN {column} IS {_literal(comment)}")


def _recreate(view: str, query: str) -> None:
    """Drop and create a view (columns cannot be dropped in place), keeping the comments of
    the columns that remain and the grants to readers."""
    bind = op.get_bind()
    comments = bind.exec_driver_sql(
        "SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
        f"WHERE a.attrelid = 'reporting.{view}'::regclass AND a.attnum > 0"
    ).fetchall()
    view_comment = bind.exec_driver_sql(
        f"SELECT obj_description('reporting.{view}'::regclass, 'pg_class')"
    ).scalar_one()
    grants = bind.exec_driver_sql(
        "SELECT grantee FROM information_schema.role_table_grants "
        f"WHERE table_schema = 'reporting' AND table_name = '{view}' "
        "AND privilege_type = 'SELECT' AND grantee <> current_user"
    ).fetchall()
    _execute(f"DROP VIEW reporting.{view}")
    _execute(f"CREATE VIEW reporting.{view} AS {query}")
    if view_comment is not None:
        _execute(f"COMMENT ON VIEW reporting.{view} IS {_literal(view_comment)}")
    kept = {
        r[0]
        for r in bind.exec_driver_sql(
            "SELECT attname FROM pg_attribute "
            f"WHERE attrelid = 'reporting.{view}'::regclass AND attnum > 0"
        )
    }
    for column, comment in comments:
        if comment is not None and column in kept:
            _execute(f'COMMENT ON COLUMN reporting.{view}."{column}" IS {_literal(comment)}')
    for (grantee,) in grants:
        _execute(f'GRANT SELECT ON reporting.{view} TO "{grantee}"')


def downgrade() -> None:
    older = _older_views()
    op.add_column("casualty_report", sa.Column("as_of", sa.Date(), nullable=True))
    op.execute("UPDATE casualty_report SET as_of = as_of_to")
    _recreate("incidents", older.INCIDENTS)
    _comment(
        "incidents",
        {
            k: older.INCIDENTS_COMMENTS[k]
            for k in INCIDENTS_COMMENTS
            if k in older.INCIDENTS_COMMENTS
        },
    )
    casualty = older.CASUALTY_REPORTS.replace(
        "PARTITION BY cr.incident_id, cr.category", "PARTITION BY i.slug, cr.category"
    )
    _recreate("casualty_reports", casualty)
    _comment(
        "casualty_reports",
        {
            k: older.CASUALTY_REPORTS_COMMENTS[k]
            for k in CASUALTY_REPORTS_COMMENTS
            if k in older.CASUALTY_REPORTS_COMMENTS
        },
    )
    for column, comment in OLD_COLUMN_COMMENTS.items():
        _execute(f"COMMENT ON COLUMN {column} IS {_literal(comment)}")
    # A report with two reporters keeps the person (the older schema allows one).
    op.execute(
        "UPDATE casualty_report SET reported_by_organisation_id = NULL "
        "WHERE reported_by_person_id IS NOT NULL"
    )
    op.create_check_constraint(
        op.f("ck_casualty_report_one_reporter"),
        "casualty_report",
        "num_nonnulls(reported_by_organisation_id, reported_by_person_id) <= 1",
    )
    op.drop_constraint(
        op.f("ck_casualty_report_as_of_from_le_as_of_to"), "casualty_report", type_="check"
    )
    op.drop_constraint(op.f("ck_casualty_report_part_of_another"), "casualty_report", type_="check")
    op.drop_constraint(
        op.f("ck_casualty_report_supersedes_another"), "casualty_report", type_="check"
    )
    for column in ("part_of_id", "supersedes_id"):
        op.drop_index(op.f(f"ix_casualty_report_{column}"), table_name="casualty_report")
        op.drop_constraint(
            op.f(f"fk_casualty_report_{column}_casualty_report"),
            "casualty_report",
            type_="foreignkey",
        )
        op.drop_column("casualty_report", column)
    op.drop_column("casualty_report", "as_of_to")
    op.drop_column("casualty_report", "as_of_from")
    op.execute("DELETE FROM evidence WHERE incident_actor_id IS NOT NULL")
    op.drop_constraint(op.f("ck_evidence_one_fact"), "evidence", type_="check")
    op.create_check_constraint(
        op.f("ck_evidence_one_fact"), "evidence", f"num_nonnulls({', '.join(FACTS_BEFORE)}) = 1"
    )
    op.drop_index(op.f("ix_evidence_incident_actor_id"), table_name="evidence")
    op.drop_constraint(
        op.f("fk_evidence_incident_actor_id_incident_actor"), "evidence", type_="foreignkey"
    )
    op.drop_column("evidence", "incident_actor_id")
    op.drop_index(op.f("ix_seed_file_claim_seed_file_id"), table_name="seed_file_claim")
    op.drop_table("seed_file_claim")
    op.execute("UPDATE seed_file SET identity = substr(identity, 8) WHERE identity LIKE 'legacy:%'")
    op.drop_column("seed_file", "location")
    op.execute("ALTER TABLE seed_file RENAME CONSTRAINT uq_seed_file_identity TO uq_seed_file_path")
    op.alter_column("seed_file", "identity", new_column_name="path")
    _execute(
        "COMMENT ON COLUMN seed_file.path IS 'The file''s path relative to the folder it was "
        "loaded from (its stable name).'"
    )
