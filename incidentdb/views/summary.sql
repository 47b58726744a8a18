-- The view reporting.summary, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.summary AS
 SELECT EXTRACT(year FROM v.occurred_from)::integer AS year,
    v.country_iso2,
    v.country_name,
    v.incident_type,
    v.incident_type_label,
    count(*)::integer AS incident_count,
    sum(v.casualty_report_count)::integer AS casualty_report_count,
    sum(v.killed_low)::integer AS killed_low,
        CASE
            WHEN bool_and(v.killed_high IS NOT NULL) THEN sum(v.killed_high)::integer
            ELSE NULL::integer
        END AS killed_high,
    sum(v.injured_low)::integer AS injured_low,
        CASE
            WHEN bool_and(v.injured_high IS NOT NULL) THEN sum(v.injured_high)::integer
            ELSE NULL::integer
        END AS injured_high
   FROM reporting.incidents v
  GROUP BY (EXTRACT(year FROM v.occurred_from)::integer), v.country_iso2, v.country_name, v.incident_type, v.incident_type_label;

COMMENT ON VIEW reporting.summary IS 'Summary: one row per year, country and incident type (what `incidentdb report summary` shows): how many incidents and casualty reports, and the range of people killed and injured across those incidents.';
COMMENT ON COLUMN reporting.summary.year IS 'Year of the incidents'' earliest possible day (occurred_from).';
COMMENT ON COLUMN reporting.summary.country_iso2 IS 'ISO 3166-1 alpha-2 code of the incidents'' country; NULL for incidents with no country.';
COMMENT ON COLUMN reporting.summary.country_name IS 'Name of the incidents'' country; NULL for incidents with no country.';
COMMENT ON COLUMN reporting.summary.incident_type IS 'Code of the incidents'' type (incident_type vocabulary).';
COMMENT ON COLUMN reporting.summary.incident_type_label IS 'Label of the incidents'' type.';
COMMENT ON COLUMN reporting.summary.incident_count IS 'Number of incidents in the group.';
COMMENT ON COLUMN reporting.summary.casualty_report_count IS 'Number of casualty reports about the group''s incidents.';
COMMENT ON COLUMN reporting.summary.killed_low IS 'Fewest people killed: the sum over the group''s incidents of each one''s killed_low (reporting.incidents), a floor even where some incident has no figure; NULL when none has one.';
COMMENT ON COLUMN reporting.summary.killed_high IS 'Most people killed: the sum of the incidents'' killed_high; NULL unless every incident in the group has an upper bound.';
COMMENT ON COLUMN reporting.summary.injured_low IS 'Fewest people injured: the sum over the group''s incidents of each one''s injured_low (reporting.incidents); NULL when none has one.';
COMMENT ON COLUMN reporting.summary.injured_high IS 'Most people injured: the sum of the incidents'' injured_high; NULL unless every incident in the group has an upper bound.';
