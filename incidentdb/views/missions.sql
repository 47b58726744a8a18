-- The view reporting.missions, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.missions AS
 SELECT m.slug AS mission_slug,
    m.name,
    lead_org.name AS lead_organisation,
    lead_org.slug AS lead_organisation_slug,
    m.kind AS mission_kind,
    host.iso_alpha2 AS host_country_iso2,
    host.name AS host_country_name,
    m.started_from,
    m.started_to,
        CASE
            WHEN m.started_from = m.started_to THEN m.started_from
            ELSE NULL::date
        END AS started_on,
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
     LEFT JOIN place host ON host.id = m.host_country_id;

COMMENT ON VIEW reporting.missions IS 'Missions: one row per peace operation or other deployment, with its lead organisation, host country, dates, mandate, the incidents it responded to and its contributors.';
COMMENT ON COLUMN reporting.missions.mission_slug IS 'Stable key of the mission, e.g. csto-kazakhstan-2022.';
COMMENT ON COLUMN reporting.missions.name IS 'Name of the mission.';
COMMENT ON COLUMN reporting.missions.lead_organisation IS 'Name of the organisation leading the mission; NULL when unknown.';
COMMENT ON COLUMN reporting.missions.lead_organisation_slug IS 'Stable key of the organisation leading the mission; NULL when unknown.';
COMMENT ON COLUMN reporting.missions.mission_kind IS 'Mission kind code, e.g. peacekeeping, observer, training.';
COMMENT ON COLUMN reporting.missions.host_country_iso2 IS 'ISO 3166-1 alpha-2 code of the host country, e.g. KZ; NULL when unknown.';
COMMENT ON COLUMN reporting.missions.host_country_name IS 'Name of the host country; NULL when unknown.';
COMMENT ON COLUMN reporting.missions.started_from IS 'Earliest day the mission may have started, the view''s first date column (BI tools take it as the time column, as reporting.incidents charts occurred_from); NULL when unknown.';
COMMENT ON COLUMN reporting.missions.started_to IS 'Latest day the mission may have started; NULL when unknown.';
COMMENT ON COLUMN reporting.missions.started_on IS 'Day the mission started, when the source pins it to one day; NULL when only a range is known (see started_from and started_to) or unknown.';
COMMENT ON COLUMN reporting.missions.ended_on IS 'Day the mission ended, when the source pins it to one day; NULL when only a range is known (see ended_from and ended_to), unknown or still ongoing.';
COMMENT ON COLUMN reporting.missions.ended_from IS 'Earliest day the mission may have ended; NULL when unknown or ongoing.';
COMMENT ON COLUMN reporting.missions.ended_to IS 'Latest day the mission may have ended; NULL when unknown or ongoing.';
COMMENT ON COLUMN reporting.missions.mandate IS 'The mandate, in the source''s or coder''s words; NULL when not stated.';
COMMENT ON COLUMN reporting.missions.incident_slugs IS 'Stable keys of the incidents the mission responded to, sorted and separated by '', ''; NULL when none is recorded.';
COMMENT ON COLUMN reporting.missions.contributors IS 'Who contributed and with how many personnel, e.g. ''Russian Armed Forces (3,000 personnel)'', sorted and separated by ''; '' (no count when unknown); NULL when none is recorded.';
COMMENT ON COLUMN reporting.missions.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.';
