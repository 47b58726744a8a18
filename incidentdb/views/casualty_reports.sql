-- The view reporting.casualty_reports, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.casualty_reports AS
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
    COALESCE(cr.as_of_to, s.published_on) AS reported_on,
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
  WINDOW same_category AS (PARTITION BY i.slug, cr.category);

COMMENT ON VIEW reporting.casualty_reports IS 'Casualty reports: one row per reported figure (killed, injured, detained, ...), with its exact wording, the bounds it implies, who reported it and the source. Reports that disagree are kept side by side; never add them up.';
COMMENT ON COLUMN reporting.casualty_reports.incident_slug IS 'Stable key of the incident the figure is about.';
COMMENT ON COLUMN reporting.casualty_reports.report_key IS 'Stable key of this report: incident slug/report slug.';
COMMENT ON COLUMN reporting.casualty_reports.category IS 'What the figure counts: killed, injured, detained, arrested, missing or displaced.';
COMMENT ON COLUMN reporting.casualty_reports.population IS 'Who was counted, e.g. civilians or law enforcement officers; NULL when the source does not say.';
COMMENT ON COLUMN reporting.casualty_reports.reported_count IS 'The number as the source gives it (people), before its qualifier: 4500 in ''more than 4,500''.';
COMMENT ON COLUMN reporting.casualty_reports.qualifier IS 'How the number bounds the true count: exact, approximately, at_least, more_than, at_most or fewer_than.';
COMMENT ON COLUMN reporting.casualty_reports.qualifier_label IS 'The qualifier in words, e.g. More than.';
COMMENT ON COLUMN reporting.casualty_reports.figure_as_reported IS 'The figure in words as reported, e.g. ''more than 4,500'', ''at least 10'', or just ''225'' when exact.';
COMMENT ON COLUMN reporting.casualty_reports.count_low IS 'Fewest people the report allows: the number if exact or ''at least'', the number + 1 if ''more than'', 0 if ''at most'' or ''fewer than''; NULL when an approximate figure sets no lower bound.';
COMMENT ON COLUMN reporting.casualty_reports.count_high IS 'Most people the report allows: the number if exact or ''at most'', the number - 1 if ''fewer than''; NULL when open-ended (''at least'', ''more than'') or an approximate figure sets no upper bound.';
COMMENT ON COLUMN reporting.casualty_reports.range_low IS 'Across this incident''s current whole-population reports of this category (in_range): the lowest count_low; NULL when none gives one. Subsets and superseded figures never bound the range.';
COMMENT ON COLUMN reporting.casualty_reports.range_high IS 'Across this incident''s current whole-population reports of this category (in_range): the highest count_high; NULL when any of them is open-ended or there is none.';
COMMENT ON COLUMN reporting.casualty_reports.reported_by IS 'Who reported the figure: the person, with the organisation they spoke for in brackets, or the organisation; NULL when the source does not say.';
COMMENT ON COLUMN reporting.casualty_reports.reported_by_slug IS 'Stable key of the person who reported the figure, or of the organisation when no person is named; NULL when the source does not say.';
COMMENT ON COLUMN reporting.casualty_reports.reported_on IS 'Day to chart the figure on, the view''s first date column (BI tools take it as the time column): the day the figure was current when the source gives it (as_of_to: the day, or the latest it may have been), else the day the source was published.';
COMMENT ON COLUMN reporting.casualty_reports.as_of IS 'The day the figure was current, when the source pins it to one day; NULL when only a range is known (see as_of_from and as_of_to) or unknown.';
COMMENT ON COLUMN reporting.casualty_reports.source_slug IS 'Stable key of the source that carries the figure.';
COMMENT ON COLUMN reporting.casualty_reports.source_title IS 'Headline of the source that carries the figure.';
COMMENT ON COLUMN reporting.casualty_reports.publisher IS 'Name of the organisation that published the source; NULL when unknown.';
COMMENT ON COLUMN reporting.casualty_reports.published_on IS 'Day the source was published; NULL when unknown.';
COMMENT ON COLUMN reporting.casualty_reports.quote IS 'The verbatim quotes from the source that back this row, in the order they appear in the text, joined with '' … ''; NULL when no quote is recorded.';
COMMENT ON COLUMN reporting.casualty_reports.as_of_from IS 'Earliest day the figure may have been current; NULL when unknown or open (''as of before 15 January'' has only as_of_to).';
COMMENT ON COLUMN reporting.casualty_reports.as_of_to IS 'Latest day the figure may have been current; NULL when unknown.';
COMMENT ON COLUMN reporting.casualty_reports.reported_by_person IS 'Name of the person who reported the figure; NULL when none is named.';
COMMENT ON COLUMN reporting.casualty_reports.reported_by_organisation IS 'Name of the organisation that reported the figure, or that the reporting person spoke for; NULL when none is named.';
COMMENT ON COLUMN reporting.casualty_reports.supersedes_key IS 'report_key of the earlier report this one replaces (a revised toll); NULL when none.';
COMMENT ON COLUMN reporting.casualty_reports.superseded_by_key IS 'report_key of a later report that replaces this one; NULL when this figure is current.';
COMMENT ON COLUMN reporting.casualty_reports.part_of_key IS 'report_key of the report whose population this figure''s population is part of (19 police among 225 dead); NULL for a whole-population figure.';
COMMENT ON COLUMN reporting.casualty_reports.status IS 'current (bounds the range), superseded (a later report replaces it) or subset (part of another report''s population).';
COMMENT ON COLUMN reporting.casualty_reports.in_range IS 'True when the figure bounds the incident''s range for its category: no later report supersedes it and it is not part of another report''s population.';
