-- The view reporting.organisations, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.organisations AS
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
     LEFT JOIN place country ON country.id = o.country_id;

COMMENT ON VIEW reporting.organisations IS 'Organisations: one row per intergovernmental body, government, armed force, news agency or group named in the sources.';
COMMENT ON COLUMN reporting.organisations.organisation_slug IS 'Stable key of the organisation, e.g. csto.';
COMMENT ON COLUMN reporting.organisations.name IS 'Full name in English.';
COMMENT ON COLUMN reporting.organisations.acronym IS 'Usual acronym, e.g. CSTO; NULL when none.';
COMMENT ON COLUMN reporting.organisations.kind IS 'Organisation kind code, e.g. intergovernmental, government, media.';
COMMENT ON COLUMN reporting.organisations.kind_label IS 'Organisation kind in words, e.g. Intergovernmental organisation.';
COMMENT ON COLUMN reporting.organisations.parent_slug IS 'Stable key of the body this one belongs to (a council''s organisation); NULL if none.';
COMMENT ON COLUMN reporting.organisations.parent_name IS 'Name of the body this one belongs to; NULL if none.';
COMMENT ON COLUMN reporting.organisations.country_iso2 IS 'ISO 3166-1 alpha-2 code of the organisation''s country; NULL for international organisations or when unknown.';
COMMENT ON COLUMN reporting.organisations.aliases IS 'Other names and acronyms, sorted and separated by '', ''; NULL when none.';
COMMENT ON COLUMN reporting.organisations.description IS 'Notes on the organisation; NULL when none.';
