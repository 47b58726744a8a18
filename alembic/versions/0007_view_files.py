"""Views as files: the reporting views are recreated from their files in incidentdb/views/.

From here on, each reporting view's source is incidentdb/views/NAME.sql (its definition with
its view and column comments), and the data dictionary reads its descriptions from there. This
migration runs a frozen copy of those files as they stood when it was written (the
definitions PostgreSQL held at 0006, as pg_get_viewdef prints them, with their comments), not
the live files, which will change: Alembic's replaceable-objects recipe. A later change to a
view edits its file and adds a migration holding a copy of the new SQL.

Downgrade puts back 0006's own text of the views it defined (the others read back the same).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 23:15:00.000000
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# incidentdb/views/*.sql at this revision, one statement a string.
VIEWS: dict[str, list[str]] = {
    "casualty_reports": [
        """CREATE OR REPLACE VIEW reporting.casualty_reports AS
 SELECT i.slug AS incident_slug,
    cr.key AS report_key,
    cr.category,
    cr.population,
    cr.figure AS reported_count,
    cr.qualifier,
    q.label AS qualifier_label,
        CASE cr.qualifier
            WHEN 'exact'::text THEN ''::text
            WHEN 'approximately'::text THEN 'about '::text
            WHEN 'at_least'::text THEN 'at least '::text
            WHEN 'more_than'::text THEN 'more than '::text
            WHEN 'at_most'::text THEN 'at most '::text
            WHEN 'fewer_than'::text THEN 'fewer than '::text
            ELSE lower(q.label) || ' '::text
        END || to_char(cr.figure, 'FM9,999,999,999,990'::text) AS figure_as_reported,
    cr.count_low,
    cr.count_high,
    min(cr.count_low) FILTER (WHERE rule.in_range) OVER same_category AS range_low,
        CASE
            WHEN bool_and(cr.count_high IS NOT NULL) FILTER (WHERE rule.in_range) OVER same_category THEN max(cr.count_high) FILTER (WHERE rule.in_range) OVER same_category
            ELSE NULL::integer
        END AS range_high,
    COALESCE(reporter_person.name || COALESCE((' ('::text || reporter_org.name) || ')'::text, ''::text), reporter_org.name) AS reported_by,
    COALESCE(reporter_person.slug, reporter_org.slug) AS reported_by_slug,
        CASE
            WHEN cr.as_of_from = cr.as_of_to THEN cr.as_of_to
            ELSE NULL::date
        END AS as_of,
    s.slug AS source_slug,
    s.title AS source_title,
    publisher.name AS publisher,
    s.published_on,
    ( SELECT string_agg(e.quote, ' … '::text ORDER BY e.char_start, e.id) AS string_agg
           FROM evidence e
          WHERE e.casualty_report_id = cr.id) AS quote,
    cr.as_of_from,
    cr.as_of_to,
    reporter_person.name AS reported_by_person,
    reporter_org.name AS reported_by_organisation,
    earlier.key AS supersedes_key,
    later.key AS superseded_by_key,
    whole.key AS part_of_key,
        CASE
            WHEN later.key IS NOT NULL THEN 'superseded'::text
            WHEN cr.part_of_id IS NOT NULL THEN 'subset'::text
            ELSE 'current'::text
        END AS status,
    rule.in_range
   FROM casualty_report cr
     JOIN incident i ON i.id = cr.incident_id
     JOIN qualifier q ON q.code::text = cr.qualifier::text
     JOIN source s ON s.id = cr.source_id
     LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
     LEFT JOIN organisation reporter_org ON reporter_org.id = cr.reported_by_organisation_id
     LEFT JOIN person reporter_person ON reporter_person.id = cr.reported_by_person_id
     LEFT JOIN casualty_report earlier ON earlier.id = cr.supersedes_id
     LEFT JOIN casualty_report whole ON whole.id = cr.part_of_id
     LEFT JOIN LATERAL ( SELECT l.key
           FROM casualty_report l
          WHERE l.supersedes_id = cr.id
          ORDER BY l.key
         LIMIT 1) later ON true
     CROSS JOIN LATERAL ( SELECT cr.part_of_id IS NULL AND later.key IS NULL AS in_range) rule
  WINDOW same_category AS (PARTITION BY i.slug, cr.category)""",
        """COMMENT ON VIEW reporting.casualty_reports IS 'Casualty reports: one row per reported figure (killed, injured, detained, ...), with its exact wording, the bounds it implies, who reported it and the source. Reports that disagree are kept side by side; never add them up.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.incident_slug IS 'Stable key of the incident the figure is about.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.report_key IS 'Stable key of this report: incident slug/report slug.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.category IS 'What the figure counts: killed, injured, detained, arrested, missing or displaced.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.population IS 'Who was counted, e.g. civilians or law enforcement officers; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.reported_count IS 'The number as the source gives it (people), before its qualifier: 4500 in ''more than 4,500''.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.qualifier IS 'How the number bounds the true count: exact, approximately, at_least, more_than, at_most or fewer_than.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.qualifier_label IS 'The qualifier in words, e.g. More than.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.figure_as_reported IS 'The figure in words as reported, e.g. ''more than 4,500'', ''at least 10'', or just ''225'' when exact.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.count_low IS 'Fewest people the report allows: the number if exact or ''at least'', the number + 1 if ''more than'', 0 if ''at most'' or ''fewer than''; NULL when an approximate figure sets no lower bound.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.count_high IS 'Most people the report allows: the number if exact or ''at most'', the number - 1 if ''fewer than''; NULL when open-ended (''at least'', ''more than'') or an approximate figure sets no upper bound.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.range_low IS 'Across this incident''s current whole-population reports of this category (in_range): the lowest count_low; NULL when none gives one. Subsets and superseded figures never bound the range.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.range_high IS 'Across this incident''s current whole-population reports of this category (in_range): the highest count_high; NULL when any of them is open-ended or there is none.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.reported_by IS 'Who reported the figure: the person, with the organisation they spoke for in brackets, or the organisation; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.reported_by_slug IS 'Stable key of the person who reported the figure, or of the organisation when no person is named; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.as_of IS 'The day the figure was current, when the source pins it to one day; NULL when only a range is known (see as_of_from and as_of_to) or unknown.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.source_slug IS 'Stable key of the source that carries the figure.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.source_title IS 'Headline of the source that carries the figure.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.publisher IS 'Name of the organisation that published the source; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.published_on IS 'Day the source was published; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.as_of_from IS 'Earliest day the figure may have been current; NULL when unknown or open (''as of before 15 January'' has only as_of_to).'""",
        """COMMENT ON COLUMN reporting.casualty_reports.as_of_to IS 'Latest day the figure may have been current; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.reported_by_person IS 'Name of the person who reported the figure; NULL when none is named.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.reported_by_organisation IS 'Name of the organisation that reported the figure, or that the reporting person spoke for; NULL when none is named.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.supersedes_key IS 'report_key of the earlier report this one replaces (a revised toll); NULL when none.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.superseded_by_key IS 'report_key of a later report that replaces this one; NULL when this figure is current.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.part_of_key IS 'report_key of the report whose population this figure''s population is part of (19 police among 225 dead); NULL for a whole-population figure.'""",
        """COMMENT ON COLUMN reporting.casualty_reports.status IS 'current (bounds the range), superseded (a later report replaces it) or subset (part of another report''s population).'""",
        """COMMENT ON COLUMN reporting.casualty_reports.in_range IS 'True when the figure bounds the incident''s range for its category: no later report supersedes it and it is not part of another report''s population.'""",
    ],
    "incidents": [
        """CREATE OR REPLACE VIEW reporting.incidents AS
 SELECT i.slug AS incident_slug,
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
    (( SELECT count(*) AS count
           FROM casualty_report cr
          WHERE cr.incident_id = i.id))::integer AS casualty_report_count,
    (( SELECT count(DISTINCT cited.source_id) AS count
           FROM ( SELECT e.source_id
                   FROM evidence e
                  WHERE e.incident_id = i.id
                UNION ALL
                 SELECT e.source_id
                   FROM evidence e
                     JOIN timeline_entry t ON t.id = e.timeline_entry_id
                  WHERE t.incident_id = i.id
                UNION ALL
                 SELECT e.source_id
                   FROM evidence e
                     JOIN casualty_report cr ON cr.id = e.casualty_report_id
                  WHERE cr.incident_id = i.id
                UNION ALL
                 SELECT cr.source_id
                   FROM casualty_report cr
                  WHERE cr.incident_id = i.id
                UNION ALL
                 SELECT e.source_id
                   FROM evidence e
                     JOIN statement st ON st.id = e.statement_id
                  WHERE st.incident_id = i.id
                UNION ALL
                 SELECT st.source_id
                   FROM statement st
                  WHERE st.incident_id = i.id) cited))::integer AS source_count,
    killed.sources AS killed_source_count,
    killed_latest.figure AS killed_latest,
    killed_latest.source_slug AS killed_latest_source_slug,
    killed_latest.on_day AS killed_latest_on,
    injured.sources AS injured_source_count,
    injured_latest.figure AS injured_latest,
    injured_latest.source_slug AS injured_latest_source_slug,
    injured_latest.on_day AS injured_latest_on
   FROM incident i
     JOIN incident_type it ON it.code::text = i.incident_type::text
     LEFT JOIN place country ON country.id = i.country_id
     LEFT JOIN incident parent ON parent.id = i.parent_id
     CROSS JOIN LATERAL ( SELECT min(cr.count_low) AS low,
                CASE
                    WHEN bool_and(cr.count_high IS NOT NULL) THEN max(cr.count_high)
                    ELSE NULL::integer
                END AS high,
            count(DISTINCT cr.source_id)::integer AS sources
           FROM casualty_report cr
          WHERE cr.incident_id = i.id AND cr.category::text = 'killed'::text AND cr.part_of_id IS NULL AND NOT (EXISTS ( SELECT 1
                   FROM casualty_report later
                  WHERE later.supersedes_id = cr.id))) killed
     LEFT JOIN LATERAL ( SELECT
                CASE cr.qualifier
                    WHEN 'exact'::text THEN ''::text
                    WHEN 'approximately'::text THEN 'about '::text
                    WHEN 'at_least'::text THEN 'at least '::text
                    WHEN 'more_than'::text THEN 'more than '::text
                    WHEN 'at_most'::text THEN 'at most '::text
                    WHEN 'fewer_than'::text THEN 'fewer than '::text
                    ELSE lower(q.label) || ' '::text
                END || to_char(cr.figure, 'FM9,999,999,999,990'::text) AS figure,
            s.slug AS source_slug,
            COALESCE(cr.as_of_to, s.published_on) AS on_day
           FROM casualty_report cr
             JOIN qualifier q ON q.code::text = cr.qualifier::text
             JOIN source s ON s.id = cr.source_id
          WHERE cr.incident_id = i.id AND cr.category::text = 'killed'::text AND cr.part_of_id IS NULL AND NOT (EXISTS ( SELECT 1
                   FROM casualty_report later
                  WHERE later.supersedes_id = cr.id))
          ORDER BY (COALESCE(cr.as_of_to, s.published_on)) DESC NULLS LAST, s.published_on DESC NULLS LAST, cr.id DESC
         LIMIT 1) killed_latest ON true
     CROSS JOIN LATERAL ( SELECT min(cr.count_low) AS low,
                CASE
                    WHEN bool_and(cr.count_high IS NOT NULL) THEN max(cr.count_high)
                    ELSE NULL::integer
                END AS high,
            count(DISTINCT cr.source_id)::integer AS sources
           FROM casualty_report cr
          WHERE cr.incident_id = i.id AND cr.category::text = 'injured'::text AND cr.part_of_id IS NULL AND NOT (EXISTS ( SELECT 1
                   FROM casualty_report later
                  WHERE later.supersedes_id = cr.id))) injured
     LEFT JOIN LATERAL ( SELECT
                CASE cr.qualifier
                    WHEN 'exact'::text THEN ''::text
                    WHEN 'approximately'::text THEN 'about '::text
                    WHEN 'at_least'::text THEN 'at least '::text
                    WHEN 'more_than'::text THEN 'more than '::text
                    WHEN 'at_most'::text THEN 'at most '::text
                    WHEN 'fewer_than'::text THEN 'fewer than '::text
                    ELSE lower(q.label) || ' '::text
                END || to_char(cr.figure, 'FM9,999,999,999,990'::text) AS figure,
            s.slug AS source_slug,
            COALESCE(cr.as_of_to, s.published_on) AS on_day
           FROM casualty_report cr
             JOIN qualifier q ON q.code::text = cr.qualifier::text
             JOIN source s ON s.id = cr.source_id
          WHERE cr.incident_id = i.id AND cr.category::text = 'injured'::text AND cr.part_of_id IS NULL AND NOT (EXISTS ( SELECT 1
                   FROM casualty_report later
                  WHERE later.supersedes_id = cr.id))
          ORDER BY (COALESCE(cr.as_of_to, s.published_on)) DESC NULLS LAST, s.published_on DESC NULLS LAST, cr.id DESC
         LIMIT 1) injured_latest ON true""",
        """COMMENT ON VIEW reporting.incidents IS 'Incidents: one row per incident (an event such as unrest, a riot or an armed clash), with its dates, country and the range of reported deaths and injuries. Conflicting casualty reports are never summed; see reporting.casualty_reports for each figure.'""",
        """COMMENT ON COLUMN reporting.incidents.incident_slug IS 'Stable key of the incident, e.g. 2022-kazakhstan-unrest. Use it to join the other reporting views.'""",
        """COMMENT ON COLUMN reporting.incidents.title IS 'Short title of the incident.'""",
        """COMMENT ON COLUMN reporting.incidents.incident_type IS 'Incident type code, e.g. unrest, riot, armed_clash.'""",
        """COMMENT ON COLUMN reporting.incidents.incident_type_label IS 'Incident type in words, e.g. Armed clash.'""",
        """COMMENT ON COLUMN reporting.incidents.description IS 'What happened, in brief; NULL when not written.'""",
        """COMMENT ON COLUMN reporting.incidents.occurred_from IS 'Earliest day the incident may have started.'""",
        """COMMENT ON COLUMN reporting.incidents.occurred_to IS 'Latest day the incident may have lasted to; equals occurred_from for an incident of one known day.'""",
        """COMMENT ON COLUMN reporting.incidents.country_iso2 IS 'ISO 3166-1 alpha-2 code of the country it happened in, e.g. KZ; NULL when it spans several countries or the country is unknown.'""",
        """COMMENT ON COLUMN reporting.incidents.country_name IS 'Name of the country it happened in; NULL when it spans several countries or the country is unknown.'""",
        """COMMENT ON COLUMN reporting.incidents.parent_incident_slug IS 'Stable key of the larger incident this one is part of; NULL for a top-level incident.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_low IS 'Fewest people killed that the reports allow: the lowest lower bound over the incident''s current whole-population ''killed'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when there is no such report. Not a sum.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_high IS 'Most people killed that the reports allow: the highest upper bound over the incident''s current whole-population ''killed'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when any of them is open-ended (''at least'', ''more than'') or there is none.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_low IS 'Fewest people injured that the reports allow: the lowest lower bound over the incident''s current whole-population ''injured'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when there is no such report. Not a sum.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_high IS 'Most people injured that the reports allow: the highest upper bound over the incident''s current whole-population ''injured'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when any of them is open-ended (''at least'', ''more than'') or there is none.'""",
        """COMMENT ON COLUMN reporting.incidents.casualty_report_count IS 'Number of casualty reports (figures of any category) recorded for the incident; 0 when none.'""",
        """COMMENT ON COLUMN reporting.incidents.source_count IS 'Number of distinct sources that back anything about the incident: its own quotes, its timeline, its casualty reports and the statements about it; 0 when none.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_source_count IS 'Number of distinct sources among the reports that set the killed range; 0 when none.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_latest IS 'The most recent current whole-population figure of people killed, as reported (e.g. ''225'', ''more than 4,500''); NULL when none.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_latest_source_slug IS 'Stable key of the source of killed_latest.'""",
        """COMMENT ON COLUMN reporting.incidents.killed_latest_on IS 'The day killed_latest was current: its as-of day, else its source''s publication day; NULL when neither is known.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_source_count IS 'Number of distinct sources among the reports that set the injured range; 0 when none.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_latest IS 'The most recent current whole-population figure of people injured, as reported (e.g. ''more than 4,500''); NULL when none.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_latest_source_slug IS 'Stable key of the source of injured_latest.'""",
        """COMMENT ON COLUMN reporting.incidents.injured_latest_on IS 'The day injured_latest was current: its as-of day, else its source''s publication day; NULL when neither is known.'""",
    ],
    "missions": [
        """CREATE OR REPLACE VIEW reporting.missions AS
 SELECT m.slug AS mission_slug,
    m.name,
    lead_org.name AS lead_organisation,
    lead_org.slug AS lead_organisation_slug,
    m.kind AS mission_kind,
    host.iso_alpha2 AS host_country_iso2,
    host.name AS host_country_name,
        CASE
            WHEN m.started_from = m.started_to THEN m.started_from
            ELSE NULL::date
        END AS started_on,
    m.started_from,
    m.started_to,
        CASE
            WHEN m.ended_from = m.ended_to THEN m.ended_from
            ELSE NULL::date
        END AS ended_on,
    m.ended_from,
    m.ended_to,
    m.mandate,
    ( SELECT string_agg(i.slug::text, ', '::text ORDER BY (i.slug::text)) AS string_agg
           FROM mission_incident mi
             JOIN incident i ON i.id = mi.incident_id
          WHERE mi.mission_id = m.id) AS incident_slugs,
    ( SELECT string_agg(contributor.name || COALESCE((' ('::text || to_char(contributor.personnel, 'FM9,999,999,999,990'::text)) || ' personnel)'::text, ''::text), '; '::text ORDER BY contributor.name, contributor.personnel) AS string_agg
           FROM ( SELECT COALESCE(o.name, c.name) AS name,
                    mc.personnel
                   FROM mission_contributor mc
                     LEFT JOIN organisation o ON o.id = mc.organisation_id
                     LEFT JOIN place c ON c.id = mc.country_id
                  WHERE mc.mission_id = m.id) contributor) AS contributors,
    ( SELECT string_agg(e.quote, ' … '::text ORDER BY e.char_start, e.id) AS string_agg
           FROM evidence e
          WHERE e.mission_id = m.id) AS quote
   FROM mission m
     LEFT JOIN organisation lead_org ON lead_org.id = m.lead_organisation_id
     LEFT JOIN place host ON host.id = m.host_country_id""",
        """COMMENT ON VIEW reporting.missions IS 'Missions: one row per peace operation or other deployment, with its lead organisation, host country, dates, mandate, the incidents it responded to and its contributors.'""",
        """COMMENT ON COLUMN reporting.missions.mission_slug IS 'Stable key of the mission, e.g. csto-kazakhstan-2022.'""",
        """COMMENT ON COLUMN reporting.missions.name IS 'Name of the mission.'""",
        """COMMENT ON COLUMN reporting.missions.lead_organisation IS 'Name of the organisation leading the mission; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.lead_organisation_slug IS 'Stable key of the organisation leading the mission; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.mission_kind IS 'Mission kind code, e.g. peacekeeping, observer, training.'""",
        """COMMENT ON COLUMN reporting.missions.host_country_iso2 IS 'ISO 3166-1 alpha-2 code of the host country, e.g. KZ; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.host_country_name IS 'Name of the host country; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.started_on IS 'Day the mission started, when the source pins it to one day; NULL when only a range is known (see started_from and started_to) or unknown.'""",
        """COMMENT ON COLUMN reporting.missions.started_from IS 'Earliest day the mission may have started; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.started_to IS 'Latest day the mission may have started; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.missions.ended_on IS 'Day the mission ended, when the source pins it to one day; NULL when only a range is known (see ended_from and ended_to), unknown or still ongoing.'""",
        """COMMENT ON COLUMN reporting.missions.ended_from IS 'Earliest day the mission may have ended; NULL when unknown or ongoing.'""",
        """COMMENT ON COLUMN reporting.missions.ended_to IS 'Latest day the mission may have ended; NULL when unknown or ongoing.'""",
        """COMMENT ON COLUMN reporting.missions.mandate IS 'The mandate, in the source''s or coder''s words; NULL when not stated.'""",
        """COMMENT ON COLUMN reporting.missions.incident_slugs IS 'Stable keys of the incidents the mission responded to, sorted and separated by '', ''; NULL when none is recorded.'""",
        """COMMENT ON COLUMN reporting.missions.contributors IS 'Who contributed and with how many personnel, e.g. ''Russian Armed Forces (3,000 personnel)'', sorted and separated by ''; '' (no count when unknown); NULL when none is recorded.'""",
        """COMMENT ON COLUMN reporting.missions.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.'""",
    ],
    "organisations": [
        """CREATE OR REPLACE VIEW reporting.organisations AS
 SELECT o.slug AS organisation_slug,
    o.name,
    o.acronym,
    o.kind,
    ok.label AS kind_label,
    parent.slug AS parent_slug,
    parent.name AS parent_name,
    country.iso_alpha2 AS country_iso2,
    ( SELECT string_agg(a.alias, ', '::text ORDER BY a.alias) AS string_agg
           FROM organisation_alias a
          WHERE a.organisation_id = o.id) AS aliases,
    o.description
   FROM organisation o
     JOIN organisation_kind ok ON ok.code::text = o.kind::text
     LEFT JOIN organisation parent ON parent.id = o.parent_id
     LEFT JOIN place country ON country.id = o.country_id""",
        """COMMENT ON VIEW reporting.organisations IS 'Organisations: one row per intergovernmental body, government, armed force, news agency or group named in the sources.'""",
        """COMMENT ON COLUMN reporting.organisations.organisation_slug IS 'Stable key of the organisation, e.g. csto.'""",
        """COMMENT ON COLUMN reporting.organisations.name IS 'Full name in English.'""",
        """COMMENT ON COLUMN reporting.organisations.acronym IS 'Usual acronym, e.g. CSTO; NULL when none.'""",
        """COMMENT ON COLUMN reporting.organisations.kind IS 'Organisation kind code, e.g. intergovernmental, government, media.'""",
        """COMMENT ON COLUMN reporting.organisations.kind_label IS 'Organisation kind in words, e.g. Intergovernmental organisation.'""",
        """COMMENT ON COLUMN reporting.organisations.parent_slug IS 'Stable key of the body this one belongs to (a council''s organisation); NULL if none.'""",
        """COMMENT ON COLUMN reporting.organisations.parent_name IS 'Name of the body this one belongs to; NULL if none.'""",
        """COMMENT ON COLUMN reporting.organisations.country_iso2 IS 'ISO 3166-1 alpha-2 code of the organisation''s country; NULL for international organisations or when unknown.'""",
        """COMMENT ON COLUMN reporting.organisations.aliases IS 'Other names and acronyms, sorted and separated by '', ''; NULL when none.'""",
        """COMMENT ON COLUMN reporting.organisations.description IS 'Notes on the organisation; NULL when none.'""",
    ],
    "persons": [
        """CREATE OR REPLACE VIEW reporting.persons AS
 SELECT p.slug AS person_slug,
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
     LEFT JOIN organisation o ON o.id = r.organisation_id""",
        """COMMENT ON VIEW reporting.persons IS 'Persons and their roles: one row per title a person holds or held (a person with several titles has several rows; one with none has one row with empty role columns).'""",
        """COMMENT ON COLUMN reporting.persons.person_slug IS 'Stable key of the person, e.g. kassym-jomart-tokayev.'""",
        """COMMENT ON COLUMN reporting.persons.name IS 'Full name in English.'""",
        """COMMENT ON COLUMN reporting.persons.role_title IS 'The title, e.g. Secretary General; NULL when no role is recorded.'""",
        """COMMENT ON COLUMN reporting.persons.organisation_slug IS 'Stable key of the organisation the title is held in; NULL when none is named or no role is recorded.'""",
        """COMMENT ON COLUMN reporting.persons.organisation_name IS 'Name of the organisation the title is held in; NULL when none is named or no role is recorded.'""",
        """COMMENT ON COLUMN reporting.persons.is_former IS 'True when the source calls the person a former holder of the title; NULL when no role is recorded.'""",
        """COMMENT ON COLUMN reporting.persons.started_from IS 'Earliest day the role may have started; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.persons.started_to IS 'Latest day the role may have started; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.persons.ended_from IS 'Earliest day the role may have ended; NULL when unknown or ongoing.'""",
        """COMMENT ON COLUMN reporting.persons.ended_to IS 'Latest day the role may have ended; NULL when unknown or ongoing.'""",
        """COMMENT ON COLUMN reporting.persons.description IS 'Notes on the person; NULL when none.'""",
    ],
    "sources": [
        """CREATE OR REPLACE VIEW reporting.sources AS
 SELECT s.slug AS source_slug,
    s.title,
    publisher.name AS publisher,
    s.published_on,
    dateline.name AS dateline,
    s.url,
    s.language,
    (( SELECT count(*) AS count
           FROM evidence e
          WHERE e.source_id = s.id))::integer AS fact_count,
    s.content_hash
   FROM source s
     LEFT JOIN organisation publisher ON publisher.id = s.publisher_id
     LEFT JOIN place dateline ON dateline.id = s.dateline_place_id""",
        """COMMENT ON VIEW reporting.sources IS 'Sources: one row per article (or dataset record) that facts are coded from.'""",
        """COMMENT ON COLUMN reporting.sources.source_slug IS 'Stable key of the source, e.g. tass-2022-01-25-csto-mission-kazakhstan.'""",
        """COMMENT ON COLUMN reporting.sources.title IS 'Headline.'""",
        """COMMENT ON COLUMN reporting.sources.publisher IS 'Name of the organisation that published it; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.sources.published_on IS 'Day it was published; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.sources.dateline IS 'Where it was filed (its dateline), e.g. Moscow; NULL when none.'""",
        """COMMENT ON COLUMN reporting.sources.url IS 'Address of the original; NULL if none.'""",
        """COMMENT ON COLUMN reporting.sources.language IS 'ISO 639-1 code of the language of the text, e.g. en.'""",
        """COMMENT ON COLUMN reporting.sources.fact_count IS 'Number of quotes from this source that back facts in the database; 0 when none.'""",
        """COMMENT ON COLUMN reporting.sources.content_hash IS 'SHA-256 (hex) of the full text as loaded; changes when the text changes.'""",
    ],
    "statements": [
        """CREATE OR REPLACE VIEW reporting.statements AS
 SELECT st.key AS statement_key,
    COALESCE(speaker.name, speaker_org.name) AS speaker,
    COALESCE(speaker.slug, speaker_org.slug) AS speaker_slug,
    speaker_org.name AS speaker_organisation,
    st.said_from,
    st.said_to,
    place.name AS place_name,
    st.occasion,
    i.slug AS incident_slug,
    m.slug AS mission_slug,
    st.mode,
    st.summary,
    ( SELECT string_agg(e.quote, ' … '::text ORDER BY e.char_start, e.id) AS string_agg
           FROM evidence e
          WHERE e.statement_id = st.id) AS quote,
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
     LEFT JOIN organisation publisher ON publisher.id = s.publisher_id""",
        """COMMENT ON VIEW reporting.statements IS 'Statements: one row per statement, who said what, when and where, about which incident or mission, and the source that reports it.'""",
        """COMMENT ON COLUMN reporting.statements.statement_key IS 'Stable key of the statement: source slug/statement slug.'""",
        """COMMENT ON COLUMN reporting.statements.speaker IS 'Name of the person who spoke, or of the organisation when no person is named.'""",
        """COMMENT ON COLUMN reporting.statements.speaker_slug IS 'Stable key of the person who spoke, or of the organisation when no person is named.'""",
        """COMMENT ON COLUMN reporting.statements.speaker_organisation IS 'Name of the organisation that spoke or that the speaker spoke for; NULL if none.'""",
        """COMMENT ON COLUMN reporting.statements.said_from IS 'Earliest day the statement may have been made.'""",
        """COMMENT ON COLUMN reporting.statements.said_to IS 'Latest day it may have been made; equals said_from when the day is known.'""",
        """COMMENT ON COLUMN reporting.statements.place_name IS 'Where it was said; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.statements.occasion IS 'The occasion, e.g. a press conference; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.statements.incident_slug IS 'Stable key of the incident the statement is about; NULL if none.'""",
        """COMMENT ON COLUMN reporting.statements.mission_slug IS 'Stable key of the mission the statement is about; NULL if none.'""",
        """COMMENT ON COLUMN reporting.statements.mode IS 'direct (the speaker''s own words are quoted) or reported (paraphrased by the source).'""",
        """COMMENT ON COLUMN reporting.statements.summary IS 'What was said, in the coder''s words.'""",
        """COMMENT ON COLUMN reporting.statements.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.'""",
        """COMMENT ON COLUMN reporting.statements.source_slug IS 'Stable key of the source that reports the statement.'""",
        """COMMENT ON COLUMN reporting.statements.source_title IS 'Headline of the source that reports the statement.'""",
        """COMMENT ON COLUMN reporting.statements.publisher IS 'Name of the organisation that published the source; NULL when unknown.'""",
        """COMMENT ON COLUMN reporting.statements.published_on IS 'Day the source was published; NULL when unknown.'""",
    ],
    "timeline": [
        """CREATE OR REPLACE VIEW reporting.timeline AS
 SELECT i.slug AS incident_slug,
    m.slug AS mission_slug,
    t.occurred_from,
    t.occurred_to,
    t.kind,
    tk.label AS kind_label,
    t.description,
    place.name AS place_name,
    ( SELECT string_agg(e.quote, ' … '::text ORDER BY e.char_start, e.id) AS string_agg
           FROM evidence e
          WHERE e.timeline_entry_id = t.id) AS quote,
    ( SELECT string_agg(DISTINCT s.title, '; '::text ORDER BY s.title) AS string_agg
           FROM evidence e
             JOIN source s ON s.id = e.source_id
          WHERE e.timeline_entry_id = t.id) AS source_title,
    t.key AS entry_key
   FROM timeline_entry t
     JOIN timeline_kind tk ON tk.code::text = t.kind::text
     LEFT JOIN incident i ON i.id = t.incident_id
     LEFT JOIN mission m ON m.id = t.mission_id
     LEFT JOIN place ON place.id = t.place_id""",
        """COMMENT ON VIEW reporting.timeline IS 'Timeline: one row per dated development within an incident or a mission (protests begin, forces deploy, order is restored, ...).'""",
        """COMMENT ON COLUMN reporting.timeline.incident_slug IS 'Stable key of the incident the entry belongs to; NULL when it belongs to a mission.'""",
        """COMMENT ON COLUMN reporting.timeline.mission_slug IS 'Stable key of the mission the entry belongs to; NULL when it belongs to an incident.'""",
        """COMMENT ON COLUMN reporting.timeline.occurred_from IS 'Earliest day it may have happened.'""",
        """COMMENT ON COLUMN reporting.timeline.occurred_to IS 'Latest day it may have happened; equals occurred_from when the day is known.'""",
        """COMMENT ON COLUMN reporting.timeline.kind IS 'Kind of development code, e.g. protest, deployment, order_restored.'""",
        """COMMENT ON COLUMN reporting.timeline.kind_label IS 'Kind of development in words, e.g. Order restored.'""",
        """COMMENT ON COLUMN reporting.timeline.description IS 'What happened, in the coder''s words.'""",
        """COMMENT ON COLUMN reporting.timeline.place_name IS 'Where it happened; NULL when the source does not say.'""",
        """COMMENT ON COLUMN reporting.timeline.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.'""",
        """COMMENT ON COLUMN reporting.timeline.source_title IS 'Headline of the source quoted for the entry (''; ''-separated when several); NULL when no quote is recorded.'""",
        """COMMENT ON COLUMN reporting.timeline.entry_key IS 'Stable key of the timeline entry (incident or mission slug, source slug, entry slug); unique.'""",
    ],
}


def upgrade() -> None:
    bind = op.get_bind()
    for statements in VIEWS.values():
        for statement in statements:
            # Straight to the driver: text() would read ':word' in the SQL as a parameter.
            bind.exec_driver_sql(statement)


def downgrade() -> None:
    # PostgreSQL prints a re-read definition with its boolean terms grouped anew: the views
    # that 0006 defined are put back from 0006's own text, so that a downgrade restores
    # exactly what 0006 held (the others read back the same).
    path = Path(__file__).with_name("0006_many_sources.py")
    spec = importlib.util.spec_from_file_location("incidentdb_migration_0006", path)
    assert spec is not None and spec.loader is not None
    m0006 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m0006)
    bind = op.get_bind()
    bind.exec_driver_sql(f"CREATE OR REPLACE VIEW reporting.incidents AS {m0006.INCIDENTS}")
    bind.exec_driver_sql(
        f"CREATE OR REPLACE VIEW reporting.casualty_reports AS {m0006.CASUALTY_REPORTS}"
    )
