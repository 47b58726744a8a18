-- The view reporting.incidents, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.incidents AS
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
         LIMIT 1) injured_latest ON true;

COMMENT ON VIEW reporting.incidents IS 'Incidents: one row per incident (an event such as unrest, a riot or an armed clash), with its dates, country and the range of reported deaths and injuries. Conflicting casualty reports are never summed; see reporting.casualty_reports for each figure.';
COMMENT ON COLUMN reporting.incidents.incident_slug IS 'Stable key of the incident, e.g. 2022-kazakhstan-unrest. Use it to join the other reporting views.';
COMMENT ON COLUMN reporting.incidents.title IS 'Short title of the incident.';
COMMENT ON COLUMN reporting.incidents.incident_type IS 'Incident type code, e.g. unrest, riot, armed_clash.';
COMMENT ON COLUMN reporting.incidents.incident_type_label IS 'Incident type in words, e.g. Armed clash.';
COMMENT ON COLUMN reporting.incidents.description IS 'What happened, in brief; NULL when not written.';
COMMENT ON COLUMN reporting.incidents.occurred_from IS 'Earliest day the incident may have started.';
COMMENT ON COLUMN reporting.incidents.occurred_to IS 'Latest day the incident may have lasted to; equals occurred_from for an incident of one known day.';
COMMENT ON COLUMN reporting.incidents.country_iso2 IS 'ISO 3166-1 alpha-2 code of the country it happened in, e.g. KZ; NULL when it spans several countries or the country is unknown.';
COMMENT ON COLUMN reporting.incidents.country_name IS 'Name of the country it happened in; NULL when it spans several countries or the country is unknown.';
COMMENT ON COLUMN reporting.incidents.parent_incident_slug IS 'Stable key of the larger incident this one is part of; NULL for a top-level incident.';
COMMENT ON COLUMN reporting.incidents.killed_low IS 'Fewest people killed that the reports allow: the lowest lower bound over the incident''s current whole-population ''killed'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when there is no such report. Not a sum.';
COMMENT ON COLUMN reporting.incidents.killed_high IS 'Most people killed that the reports allow: the highest upper bound over the incident''s current whole-population ''killed'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when any of them is open-ended (''at least'', ''more than'') or there is none.';
COMMENT ON COLUMN reporting.incidents.injured_low IS 'Fewest people injured that the reports allow: the lowest lower bound over the incident''s current whole-population ''injured'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when there is no such report. Not a sum.';
COMMENT ON COLUMN reporting.incidents.injured_high IS 'Most people injured that the reports allow: the highest upper bound over the incident''s current whole-population ''injured'' reports: not superseded by a later report, not part of another report''s population (see reporting.casualty_reports.in_range). NULL when any of them is open-ended (''at least'', ''more than'') or there is none.';
COMMENT ON COLUMN reporting.incidents.casualty_report_count IS 'Number of casualty reports (figures of any category) recorded for the incident; 0 when none.';
COMMENT ON COLUMN reporting.incidents.source_count IS 'Number of distinct sources that back anything about the incident: its own quotes, its timeline, its casualty reports and the statements about it; 0 when none.';
COMMENT ON COLUMN reporting.incidents.killed_source_count IS 'Number of distinct sources among the reports that set the killed range; 0 when none.';
COMMENT ON COLUMN reporting.incidents.killed_latest IS 'The most recent current whole-population figure of people killed, as reported (e.g. ''225'', ''more than 4,500''); NULL when none.';
COMMENT ON COLUMN reporting.incidents.killed_latest_source_slug IS 'Stable key of the source of killed_latest.';
COMMENT ON COLUMN reporting.incidents.killed_latest_on IS 'The day killed_latest was current: its as-of day, else its source''s publication day; NULL when neither is known.';
COMMENT ON COLUMN reporting.incidents.injured_source_count IS 'Number of distinct sources among the reports that set the injured range; 0 when none.';
COMMENT ON COLUMN reporting.incidents.injured_latest IS 'The most recent current whole-population figure of people injured, as reported (e.g. ''more than 4,500''); NULL when none.';
COMMENT ON COLUMN reporting.incidents.injured_latest_source_slug IS 'Stable key of the source of injured_latest.';
COMMENT ON COLUMN reporting.incidents.injured_latest_on IS 'The day injured_latest was current: its as-of day, else its source''s publication day; NULL when neither is known.';
