-- The view reporting.statements, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.statements AS
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
     LEFT JOIN organisation publisher ON publisher.id = s.publisher_id;

COMMENT ON VIEW reporting.statements IS 'Statements: one row per statement, who said what, when and where, about which incident or mission, and the source that reports it.';
COMMENT ON COLUMN reporting.statements.statement_key IS 'Stable key of the statement: source slug/statement slug.';
COMMENT ON COLUMN reporting.statements.speaker IS 'Name of the person who spoke, or of the organisation when no person is named.';
COMMENT ON COLUMN reporting.statements.speaker_slug IS 'Stable key of the person who spoke, or of the organisation when no person is named.';
COMMENT ON COLUMN reporting.statements.speaker_organisation IS 'Name of the organisation that spoke or that the speaker spoke for; NULL if none.';
COMMENT ON COLUMN reporting.statements.said_from IS 'Earliest day the statement may have been made.';
COMMENT ON COLUMN reporting.statements.said_to IS 'Latest day it may have been made; equals said_from when the day is known.';
COMMENT ON COLUMN reporting.statements.place_name IS 'Where it was said; NULL when the source does not say.';
COMMENT ON COLUMN reporting.statements.occasion IS 'The occasion, e.g. a press conference; NULL when the source does not say.';
COMMENT ON COLUMN reporting.statements.incident_slug IS 'Stable key of the incident the statement is about; NULL if none.';
COMMENT ON COLUMN reporting.statements.mission_slug IS 'Stable key of the mission the statement is about; NULL if none.';
COMMENT ON COLUMN reporting.statements.mode IS 'direct (the speaker''s own words are quoted) or reported (paraphrased by the source).';
COMMENT ON COLUMN reporting.statements.summary IS 'What was said, in the coder''s words.';
COMMENT ON COLUMN reporting.statements.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.';
COMMENT ON COLUMN reporting.statements.source_slug IS 'Stable key of the source that reports the statement.';
COMMENT ON COLUMN reporting.statements.source_title IS 'Headline of the source that reports the statement.';
COMMENT ON COLUMN reporting.statements.publisher IS 'Name of the organisation that published the source; NULL when unknown.';
COMMENT ON COLUMN reporting.statements.published_on IS 'Day the source was published; NULL when unknown.';
