-- The view reporting.persons, with its comments: the source of the view and of
-- its entry in the data dictionary. A migration that changes the view freezes a
-- copy of this file's SQL; see incidentdb/views/__init__.py.
CREATE OR REPLACE VIEW reporting.persons AS
 SELECT p.slug AS person_slug,
    p.name,
    ( SELECT min(s.published_on) AS min
           FROM source s
          WHERE (s.id IN ( SELECT e.source_id
                   FROM evidence e
                  WHERE e.person_id = p.id
                UNION
                 SELECT e.source_id
                   FROM evidence e
                     JOIN person_role pr ON pr.id = e.person_role_id
                  WHERE pr.person_id = p.id
                UNION
                 SELECT st.source_id
                   FROM statement st
                  WHERE st.speaker_person_id = p.id
                UNION
                 SELECT cr.source_id
                   FROM casualty_report cr
                  WHERE cr.reported_by_person_id = p.id))) AS first_reported_on,
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
     LEFT JOIN organisation o ON o.id = r.organisation_id;

COMMENT ON VIEW reporting.persons IS 'Persons and their roles: one row per title a person holds or held (a person with several titles has several rows; one with none has one row with empty role columns).';
COMMENT ON COLUMN reporting.persons.person_slug IS 'Stable key of the person, e.g. kassym-jomart-tokayev.';
COMMENT ON COLUMN reporting.persons.name IS 'Full name in English.';
COMMENT ON COLUMN reporting.persons.first_reported_on IS 'Day the earliest source that names the person (quotes them, cites their role, or has them speak or report a figure) was published, the view''s first date column (BI tools take it as the time column); NULL when no such source gives its date.';
COMMENT ON COLUMN reporting.persons.role_title IS 'The title, e.g. Secretary General; NULL when no role is recorded.';
COMMENT ON COLUMN reporting.persons.organisation_slug IS 'Stable key of the organisation the title is held in; NULL when none is named or no role is recorded.';
COMMENT ON COLUMN reporting.persons.organisation_name IS 'Name of the organisation the title is held in; NULL when none is named or no role is recorded.';
COMMENT ON COLUMN reporting.persons.is_former IS 'True when the source calls the person a former holder of the title; NULL when no role is recorded.';
COMMENT ON COLUMN reporting.persons.started_from IS 'Earliest day the role may have started; NULL when unknown.';
COMMENT ON COLUMN reporting.persons.started_to IS 'Latest day the role may have started; NULL when unknown.';
COMMENT ON COLUMN reporting.persons.ended_from IS 'Earliest day the role may have ended; NULL when unknown or ongoing.';
COMMENT ON COLUMN reporting.persons.ended_to IS 'Latest day the role may have ended; NULL when unknown or ongoing.';
COMMENT ON COLUMN reporting.persons.description IS 'Notes on the person; NULL when none.';
