"""Reporting views: the `reporting` schema that BI tools read, with a comment on every column.

Plain views (BI tools read column comments only from plain views), one row per thing, real
`date` and `integer` types. Column names are a promise to dashboard builders: add columns at the
end freely, never rename or drop one without a migration note.

The SQL is written out here rather than imported from the package, so this migration stays
as it was when it ran.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _quotes(fact_column: str, fact_id: str) -> str:
    """Every evidence quote of one fact, in the order they appear in the text; NULL if none."""
    return (
        f"(SELECT string_agg(e.quote, ' … ' ORDER BY e.char_start, e.id) "
        f"FROM evidence e WHERE e.{fact_column} = {fact_id})"
    )


def _thousands(expression: str) -> str:
    """An integer as text with commas between thousands: 4500 -> '4,500'."""
    return f"to_char({expression}, 'FM9,999,999,999,990')"


def _upper_bound(window_or_where: str) -> str:
    """The highest count_high, or NULL when any report is unbounded above (or there is none)."""
    return (
        f"CASE WHEN bool_and(cr.count_high IS NOT NULL){window_or_where} "
        f"THEN max(cr.count_high){window_or_where} END"
    )


QUOTE_COMMENT = (
    "The verbatim quotes from the source that back this row, in the order they appear in the "
    "text, joined with ' … '; NULL when no quote is recorded."
)

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
    )::integer AS source_count
FROM incident i
JOIN incident_type it ON it.code = i.incident_type
LEFT JOIN place country ON country.id = i.country_id
LEFT JOIN incident parent ON parent.id = i.parent_id
CROSS JOIN LATERAL (
    SELECT min(cr.count_low) AS low, {_upper_bound("")} AS high
    FROM casualty_report cr
    WHERE cr.incident_id = i.id AND cr.category = 'killed'
) AS killed
CROSS JOIN LATERAL (
    SELECT min(cr.count_low) AS low, {_upper_bound("")} AS high
    FROM casualty_report cr
    WHERE cr.incident_id = i.id AND cr.category = 'injured'
) AS injured
"""

INCIDENTS_COMMENTS = {
    "": "Incidents: one row per incident (an event such as unrest, a riot or an armed clash), "
    "with its dates, country and the range of reported deaths and injuries. Conflicting "
    "casualty reports are never summed; see reporting.casualty_reports for each figure.",
    "incident_slug": "Stable key of the incident, e.g. 2022-kazakhstan-unrest. Use it to join "
    "the other reporting views.",
    "title": "Short title of the incident.",
    "incident_type": "Incident type code, e.g. unrest, riot, armed_clash.",
    "incident_type_label": "Incident type in words, e.g. Armed clash.",
    "description": "What happened, in brief; NULL when not written.",
    "occurred_from": "Earliest day the incident may have started.",
    "occurred_to": "Latest day the incident may have lasted to; equals occurred_from for an "
    "incident of one known day.",
    "country_iso2": "ISO 3166-1 alpha-2 code of the country it happened in, e.g. KZ; NULL when "
    "it spans several countries or the country is unknown.",
    "country_name": "Name of the country it happened in; NULL when it spans several countries "
    "or the country is unknown.",
    "parent_incident_slug": "Stable key of the larger incident this one is part of; NULL for a "
    "top-level incident.",
    "killed_low": "Fewest people killed that any report allows: the lowest lower bound among "
    "the incident's 'killed' reports (reports that set no lower bound are ignored). NULL when "
    "there is no such report. Not a sum.",
    "killed_high": "Most people killed that the reports allow: the highest upper bound among "
    "the incident's 'killed' reports. NULL when any of them is open-ended ('at least', 'more "
    "than') or there is none. Not a sum.",
    "injured_low": "Fewest people injured that any report allows: the lowest lower bound among "
    "the incident's 'injured' reports (reports that set no lower bound are ignored). NULL when "
    "there is no such report. Not a sum.",
    "injured_high": "Most people injured that the reports allow: the highest upper bound among "
    "the incident's 'injured' reports. NULL when any of them is open-ended ('at least', 'more "
    "than') or there is none. Not a sum.",
    "casualty_report_count": "Number of casualty reports (figures of any category) recorded "
    "for the incident; 0 when none.",
    "source_count": "Number of distinct sources that back anything about the incident: its own "
    "quotes, its timeline, its casualty reports and the statements about it; 0 when none.",
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
    CASE cr.qualifier
        WHEN 'exact' THEN ''
        WHEN 'approximately' THEN 'about '
        WHEN 'at_least' THEN 'at least '
        WHEN 'more_than' THEN 'more than '
        WHEN 'at_most' THEN 'at most '
        WHEN 'fewer_than' THEN 'fewer than '
        ELSE lower(q.label) || ' '
    END || {_thousands("cr.figure")} AS figure_as_reported,
    cr.count_low,
    cr.count_high,
    min(cr.count_low) OVER same_category AS range_low,
    {_upper_bound(" OVER same_category")} AS range_high,
    coalesce(reporter_org.name, reporter_person.name) AS reported_by,
    coalesce(reporter_org.slug, reporter_person.slug) AS reported_by_slug,
    cr.as_of,
    s.slug AS source_slug,
    s.title AS source_title,
    publisher.name AS publisher,
    s.published_on,
    {_quotes("casualty_report_id", "cr.id")} AS quote
FROM casualty_report cr
JOIN incident i ON i.id = cr.incident_id
JOIN qualifier q ON q.code = cr.qualifier
JOIN source s ON s.id = cr.source_id
LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
LEFT JOIN organisation reporter_org ON reporter_org.id = cr.reported_by_organisation_id
LEFT JOIN person reporter_person ON reporter_person.id = cr.reported_by_person_id
WINDOW same_category AS (PARTITION BY cr.incident_id, cr.category)
"""

CASUALTY_REPORTS_COMMENTS = {
    "": "Casualty reports: one row per reported figure (killed, injured, detained, ...), with "
    "its exact wording, the bounds it implies, who reported it and the source. Reports that "
    "disagree are kept side by side; never add them up.",
    "incident_slug": "Stable key of the incident the figure is about.",
    "report_key": "Stable key of this report: incident slug/report slug.",
    "category": "What the figure counts: killed, injured, detained, arrested, missing or "
    "displaced.",
    "population": "Who was counted, e.g. civilians or law enforcement officers; NULL when the "
    "source does not say.",
    "reported_count": "The number as the source gives it (people), before its qualifier: 4500 "
    "in 'more than 4,500'.",
    "qualifier": "How the number bounds the true count: exact, approximately, at_least, "
    "more_than, at_most or fewer_than.",
    "qualifier_label": "The qualifier in words, e.g. More than.",
    "figure_as_reported": "The figure in words as reported, e.g. 'more than 4,500', 'at least "
    "10', or just '225' when exact.",
    "count_low": "Fewest people the report allows: the number if exact or 'at least', the "
    "number + 1 if 'more than', 0 if 'at most' or 'fewer than'; NULL when an approximate "
    "figure sets no lower bound.",
    "count_high": "Most people the report allows: the number if exact or 'at most', the number "
    "- 1 if 'fewer than'; NULL when open-ended ('at least', 'more than') or an approximate "
    "figure sets no upper bound.",
    "range_low": "Across all reports of this category for this incident: the lowest count_low "
    "(reports without a lower bound are ignored); NULL when none gives one.",
    "range_high": "Across all reports of this category for this incident: the highest "
    "count_high; NULL when any of them is open-ended.",
    "reported_by": "Name of the organisation or person who reported the figure; NULL when the "
    "source does not say.",
    "reported_by_slug": "Stable key of the organisation or person who reported the figure; "
    "NULL when the source does not say.",
    "as_of": "The day the figure was current; NULL when unknown.",
    "source_slug": "Stable key of the source that carries the figure.",
    "source_title": "Headline of the source that carries the figure.",
    "publisher": "Name of the organisation that published the source; NULL when unknown.",
    "published_on": "Day the source was published; NULL when unknown.",
    "quote": QUOTE_COMMENT,
}

TIMELINE = f"""
SELECT
    i.slug AS incident_slug,
    m.slug AS mission_slug,
    t.occurred_from,
    t.occurred_to,
    t.kind,
    tk.label AS kind_label,
    t.description,
    place.name AS place_name,
    {_quotes("timeline_entry_id", "t.id")} AS quote,
    (
        SELECT string_agg(DISTINCT s.title, '; ' ORDER BY s.title)
        FROM evidence e JOIN source s ON s.id = e.source_id
        WHERE e.timeline_entry_id = t.id
    ) AS source_title
FROM timeline_entry t
JOIN timeline_kind tk ON tk.code = t.kind
LEFT JOIN incident i ON i.id = t.incident_id
LEFT JOIN mission m ON m.id = t.mission_id
LEFT JOIN place ON place.id = t.place_id
"""

TIMELINE_COMMENTS = {
    "": "Timeline: one row per dated development within an incident or a mission (protests "
    "begin, forces deploy, order is restored, ...).",
    "incident_slug": "Stable key of the incident the entry belongs to; NULL when it belongs to "
    "a mission.",
    "mission_slug": "Stable key of the mission the entry belongs to; NULL when it belongs to an "
    "incident.",
    "occurred_from": "Earliest day it may have happened.",
    "occurred_to": "Latest day it may have happened; equals occurred_from when the day is known.",
    "kind": "Kind of development code, e.g. protest, deployment, order_restored.",
    "kind_label": "Kind of development in words, e.g. Order restored.",
    "description": "What happened, in the coder's words.",
    "place_name": "Where it happened; NULL when the source does not say.",
    "quote": QUOTE_COMMENT,
    "source_title": "Headline of the source quoted for the entry ('; '-separated when several); "
    "NULL when no quote is recorded.",
}

MISSIONS = f"""
SELECT
    m.slug AS mission_slug,
    m.name,
    lead_org.name AS lead_organisation,
    lead_org.slug AS lead_organisation_slug,
    m.kind AS mission_kind,
    host.iso_alpha2 AS host_country_iso2,
    host.name AS host_country_name,
    CASE WHEN m.started_from = m.started_to THEN m.started_from END AS started_on,
    m.started_from,
    m.started_to,
    CASE WHEN m.ended_from = m.ended_to THEN m.ended_from END AS ended_on,
    m.ended_from,
    m.ended_to,
    m.mandate,
    (
        SELECT string_agg(i.slug, ', ' ORDER BY i.slug)
        FROM mission_incident mi JOIN incident i ON i.id = mi.incident_id
        WHERE mi.mission_id = m.id
    ) AS incident_slugs,
    (
        SELECT string_agg(
            contributor.name
                || coalesce(' (' || {_thousands("contributor.personnel")} || ' personnel)', ''),
            '; ' ORDER BY contributor.name, contributor.personnel
        )
        FROM (
            SELECT coalesce(o.name, c.name) AS name, mc.personnel
            FROM mission_contributor mc
            LEFT JOIN organisation o ON o.id = mc.organisation_id
            LEFT JOIN place c ON c.id = mc.country_id
            WHERE mc.mission_id = m.id
        ) AS contributor
    ) AS contributors,
    {_quotes("mission_id", "m.id")} AS quote
FROM mission m
LEFT JOIN organisation lead_org ON lead_org.id = m.lead_organisation_id
LEFT JOIN place host ON host.id = m.host_country_id
"""

MISSIONS_COMMENTS = {
    "": "Missions: one row per peace operation or other deployment, with its lead "
    "organisation, host country, dates, mandate, the incidents it responded to and its "
    "contributors.",
    "mission_slug": "Stable key of the mission, e.g. csto-kazakhstan-2022.",
    "name": "Name of the mission.",
    "lead_organisation": "Name of the organisation leading the mission; NULL when unknown.",
    "lead_organisation_slug": "Stable key of the organisation leading the mission; NULL when "
    "unknown.",
    "mission_kind": "Mission kind code, e.g. peacekeeping, observer, training.",
    "host_country_iso2": "ISO 3166-1 alpha-2 code of the host country, e.g. KZ; NULL when unknown.",
    "host_country_name": "Name of the host country; NULL when unknown.",
    "started_on": "Day the mission started, when the source pins it to one day; NULL when only "
    "a range is known (see started_from and started_to) or unknown.",
    "started_from": "Earliest day the mission may have started; NULL when unknown.",
    "started_to": "Latest day the mission may have started; NULL when unknown.",
    "ended_on": "Day the mission ended, when the source pins it to one day; NULL when only a "
    "range is known (see ended_from and ended_to), unknown or still ongoing.",
    "ended_from": "Earliest day the mission may have ended; NULL when unknown or ongoing.",
    "ended_to": "Latest day the mission may have ended; NULL when unknown or ongoing.",
    "mandate": "The mandate, in the source's or coder's words; NULL when not stated.",
    "incident_slugs": "Stable keys of the incidents the mission responded to, sorted and "
    "separated by ', '; NULL when none is recorded.",
    "contributors": "Who contributed and with how many personnel, e.g. 'Russian Armed Forces "
    "(3,000 personnel)', sorted and separated by '; ' (no count when unknown); NULL when none "
    "is recorded.",
    "quote": QUOTE_COMMENT,
}

ORGANISATIONS = """
SELECT
    o.slug AS organisation_slug,
    o.name,
    o.acronym,
    o.kind,
    ok.label AS kind_label,
    parent.slug AS parent_slug,
    parent.name AS parent_name,
    country.iso_alpha2 AS country_iso2,
    (
        SELECT string_agg(a.alias, ', ' ORDER BY a.alias)
        FROM organisation_alias a WHERE a.organisation_id = o.id
    ) AS aliases,
    o.description
FROM organisation o
JOIN organisation_kind ok ON ok.code = o.kind
LEFT JOIN organisation parent ON parent.id = o.parent_id
LEFT JOIN place country ON country.id = o.country_id
"""

ORGANISATIONS_COMMENTS = {
    "": "Organisations: one row per intergovernmental body, government, armed force, news "
    "agency or group named in the sources.",
    "organisation_slug": "Stable key of the organisation, e.g. csto.",
    "name": "Full name in English.",
    "acronym": "Usual acronym, e.g. CSTO; NULL when none.",
    "kind": "Organisation kind code, e.g. intergovernmental, government, media.",
    "kind_label": "Organisation kind in words, e.g. Intergovernmental organisation.",
    "parent_slug": "Stable key of the body this one belongs to (a council's organisation); "
    "NULL if none.",
    "parent_name": "Name of the body this one belongs to; NULL if none.",
    "country_iso2": "ISO 3166-1 alpha-2 code of the organisation's country; NULL for "
    "international organisations or when unknown.",
    "aliases": "Other names and acronyms, sorted and separated by ', '; NULL when none.",
    "description": "Notes on the organisation; NULL when none.",
}

PERSONS = """
SELECT
    p.slug AS person_slug,
    p.name,
    r.title AS role_title,
    o.slug AS organisation_slug,
    o.name AS organisation_name,
    r.is_former,
    r.started_from,
    r.started_to,
    r.ended_from,
    r.ended_to,
    p.description
FROM person p
LEFT JOIN person_role r ON r.person_id = p.id
LEFT JOIN organisation o ON o.id = r.organisation_id
"""

PERSONS_COMMENTS = {
    "": "Persons and their roles: one row per title a person holds or held (a person with "
    "several titles has several rows; one with none has one row with empty role columns).",
    "person_slug": "Stable key of the person, e.g. kassym-jomart-tokayev.",
    "name": "Full name in English.",
    "role_title": "The title, e.g. Secretary General; NULL when no role is recorded.",
    "organisation_slug": "Stable key of the organisation the title is held in; NULL when none "
    "is named or no role is recorded.",
    "organisation_name": "Name of the organisation the title is held in; NULL when none is "
    "named or no role is recorded.",
    "is_former": "True when the source calls the person a former holder of the title; NULL when "
    "no role is recorded.",
    "started_from": "Earliest day the role may have started; NULL when unknown.",
    "started_to": "Latest day the role may have started; NULL when unknown.",
    "ended_from": "Earliest day the role may have ended; NULL when unknown or ongoing.",
    "ended_to": "Latest day the role may have ended; NULL when unknown or ongoing.",
    "description": "Notes on the person; NULL when none.",
}

STATEMENTS = f"""
SELECT
    st.key AS statement_key,
    coalesce(speaker.name, speaker_org.name) AS speaker,
    coalesce(speaker.slug, speaker_org.slug) AS speaker_slug,
    speaker_org.name AS speaker_organisation,
    st.said_from,
    st.said_to,
    place.name AS place_name,
    st.occasion,
    i.slug AS incident_slug,
    m.slug AS mission_slug,
    st.mode,
    st.summary,
    {_quotes("statement_id", "st.id")} AS quote,
    s.slug AS source_slug,
    s.title AS source_title,
    publisher.name AS publisher,
    s.published_on
FROM statement st
JOIN source s ON s.id = st.source_id
LEFT JOIN person speaker ON speaker.id = st.speaker_person_id
LEFT JOIN organisation speaker_org ON speaker_org.id = st.speaker_organisation_id
LEFT JOIN place ON place.id = st.place_id
LEFT JOIN incident i ON i.id = st.incident_id
LEFT JOIN mission m ON m.id = st.mission_id
LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
"""

STATEMENTS_COMMENTS = {
    "": "Statements: one row per statement, who said what, when and where, about which "
    "incident or mission, and the source that reports it.",
    "statement_key": "Stable key of the statement: source slug/statement slug.",
    "speaker": "Name of the person who spoke, or of the organisation when no person is named.",
    "speaker_slug": "Stable key of the person who spoke, or of the organisation when no person "
    "is named.",
    "speaker_organisation": "Name of the organisation that spoke or that the speaker spoke for; "
    "NULL if none.",
    "said_from": "Earliest day the statement may have been made.",
    "said_to": "Latest day it may have been made; equals said_from when the day is known.",
    "place_name": "Where it was said; NULL when the source does not say.",
    "occasion": "The occasion, e.g. a press conference; NULL when the source does not say.",
    "incident_slug": "Stable key of the incident the statement is about; NULL if none.",
    "mission_slug": "Stable key of the mission the statement is about; NULL if none.",
    "mode": "direct (the speaker's own words are quoted) or reported (paraphrased by the source).",
    "summary": "What was said, in the coder's words.",
    "quote": QUOTE_COMMENT,
    "source_slug": "Stable key of the source that reports the statement.",
    "source_title": "Headline of the source that reports the statement.",
    "publisher": "Name of the organisation that published the source; NULL when unknown.",
    "published_on": "Day the source was published; NULL when unknown.",
}

SOURCES = """
SELECT
    s.slug AS source_slug,
    s.title,
    publisher.name AS publisher,
    s.published_on,
    dateline.name AS dateline,
    s.url,
    s.language,
    (SELECT count(*) FROM evidence e WHERE e.source_id = s.id)::integer AS fact_count,
    s.content_hash
FROM source s
LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
LEFT JOIN place dateline ON dateline.id = s.dateline_place_id
"""

SOURCES_COMMENTS = {
    "": "Sources: one row per article (or dataset record) that facts are coded from.",
    "source_slug": "Stable key of the source, e.g. tass-2022-01-25-csto-mission-kazakhstan.",
    "title": "Headline.",
    "publisher": "Name of the organisation that published it; NULL when unknown.",
    "published_on": "Day it was published; NULL when unknown.",
    "dateline": "Where it was filed (its dateline), e.g. Moscow; NULL when none.",
    "url": "Address of the original; NULL if none.",
    "language": "ISO 639-1 code of the language of the text, e.g. en.",
    "fact_count": "Number of quotes from this source that back facts in the database; 0 when none.",
    "content_hash": "SHA-256 (hex) of the full text as loaded; changes when the text changes.",
}

# In the order a BI user meets them; every column has a comment, the view itself under "".
VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "incidents": (INCIDENTS, INCIDENTS_COMMENTS),
    "casualty_reports": (CASUALTY_REPORTS, CASUALTY_REPORTS_COMMENTS),
    "timeline": (TIMELINE, TIMELINE_COMMENTS),
    "missions": (MISSIONS, MISSIONS_COMMENTS),
    "organisations": (ORGANISATIONS, ORGANISATIONS_COMMENTS),
    "persons": (PERSONS, PERSONS_COMMENTS),
    "statements": (STATEMENTS, STATEMENTS_COMMENTS),
    "sources": (SOURCES, SOURCES_COMMENTS),
}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _execute(statement: str) -> None:
    # Straight to the driver: the SQL has no parameters, and text() would read ':word' as one.
    op.get_bind().exec_driver_sql(statement)


def upgrade() -> None:
    _execute("CREATE SCHEMA reporting")
    _execute(
        "COMMENT ON SCHEMA reporting IS "
        + _literal(
            "Views for BI tools and analysts: one row per thing, stable column names, a "
            "comment on every column. Read-only logins see only this schema."
        )
    )
    for name, (query, comments) in VIEWS.items():
        _execute(f"CREATE VIEW reporting.{name} AS {query}")
        for column, comment in comments.items():
            target = f"VIEW reporting.{name}" if not column else f"COLUMN reporting.{name}.{column}"
            _execute(f"COMMENT ON {target} IS {_literal(comment)}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        _execute(f"DROP VIEW reporting.{name}")
    _execute("DROP SCHEMA reporting")
