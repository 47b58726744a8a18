-- The view reporting.sources, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.sources AS
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
     LEFT JOIN place dateline ON dateline.id = s.dateline_place_id;

COMMENT ON VIEW reporting.sources IS 'Sources: one row per article (or dataset record) that facts are coded from.';
COMMENT ON COLUMN reporting.sources.source_slug IS 'Stable key of the source, e.g. tass-2022-01-25-csto-mission-kazakhstan.';
COMMENT ON COLUMN reporting.sources.title IS 'Headline.';
COMMENT ON COLUMN reporting.sources.publisher IS 'Name of the organisation that published it; NULL when unknown.';
COMMENT ON COLUMN reporting.sources.published_on IS 'Day it was published; NULL when unknown.';
COMMENT ON COLUMN reporting.sources.dateline IS 'Where it was filed (its dateline), e.g. Moscow; NULL when none.';
COMMENT ON COLUMN reporting.sources.url IS 'Address of the original; NULL if none.';
COMMENT ON COLUMN reporting.sources.language IS 'ISO 639-1 code of the language of the text, e.g. en.';
COMMENT ON COLUMN reporting.sources.fact_count IS 'Number of quotes from this source that back facts in the database; 0 when none.';
COMMENT ON COLUMN reporting.sources.content_hash IS 'SHA-256 (hex) of the full text as loaded; changes when the text changes.';
