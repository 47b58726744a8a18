-- The view reporting.timeline, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.timeline AS
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
     LEFT JOIN place ON place.id = t.place_id;

COMMENT ON VIEW reporting.timeline IS 'Timeline: one row per dated development within an incident or a mission (protests begin, forces deploy, order is restored, ...).';
COMMENT ON COLUMN reporting.timeline.incident_slug IS 'Stable key of the incident the entry belongs to; NULL when it belongs to a mission.';
COMMENT ON COLUMN reporting.timeline.mission_slug IS 'Stable key of the mission the entry belongs to; NULL when it belongs to an incident.';
COMMENT ON COLUMN reporting.timeline.occurred_from IS 'Earliest day it may have happened.';
COMMENT ON COLUMN reporting.timeline.occurred_to IS 'Latest day it may have happened; equals occurred_from when the day is known.';
COMMENT ON COLUMN reporting.timeline.kind IS 'Kind of development code, e.g. protest, deployment, order_restored.';
COMMENT ON COLUMN reporting.timeline.kind_label IS 'Kind of development in words, e.g. Order restored.';
COMMENT ON COLUMN reporting.timeline.description IS 'What happened, in the coder''s words.';
COMMENT ON COLUMN reporting.timeline.place_name IS 'Where it happened; NULL when the source does not say.';
COMMENT ON COLUMN reporting.timeline.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.';
COMMENT ON COLUMN reporting.timeline.source_title IS 'Headline of the source quoted for the entry (''; ''-separated when several); NULL when no quote is recorded.';
COMMENT ON COLUMN reporting.timeline.entry_key IS 'Stable key of the timeline entry (incident or mission slug, source slug, entry slug); unique.';
