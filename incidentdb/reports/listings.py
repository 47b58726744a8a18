"""The reports: each one a function from filters to rows of a reporting view.

Every function takes a connection (see `core.connect`) and keyword filters, and returns a
`Listing`. A slug filter that names nothing raises `NotFound` with the closest slugs; it is
only checked when the result is empty, so a report that finds rows costs one query.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from incidentdb.reports.core import Listing, Page, Query, check_filters, overlaps

if TYPE_CHECKING:
    from incidentdb.reports.core import Connection

# Sets of internal ids that the "about this incident" filters share, each a constant subquery
# on the core tables with the incident's slug as the parameter %(incident)s.
_INCIDENT = "SELECT id FROM incident WHERE slug = %(incident)s"
_INCIDENT_MISSIONS = (
    f"SELECT mi.mission_id FROM mission_incident mi WHERE mi.incident_id IN ({_INCIDENT})"
)
_INCIDENT_STATEMENTS = (
    f"SELECT st.id FROM statement st WHERE st.incident_id IN ({_INCIDENT})"
    f" UNION SELECT st.id FROM statement st WHERE st.mission_id IN ({_INCIDENT_MISSIONS})"
)
# Persons involved: who spoke about the incident or its missions, who reported its figures.
_INVOLVED_PERSONS = (
    "SELECT st.speaker_person_id FROM statement st"
    f" WHERE st.id IN ({_INCIDENT_STATEMENTS})"
    " UNION SELECT cr.reported_by_person_id FROM casualty_report cr"
    f" WHERE cr.incident_id IN ({_INCIDENT})"
)
# Organisations involved: speakers and the bodies they spoke for, reporters of figures, the
# lead and contributors of its missions, and where the involved persons hold their roles.
_INVOLVED_ORGANISATIONS = (
    "SELECT st.speaker_organisation_id FROM statement st"
    f" WHERE st.id IN ({_INCIDENT_STATEMENTS})"
    " UNION SELECT cr.reported_by_organisation_id FROM casualty_report cr"
    f" WHERE cr.incident_id IN ({_INCIDENT})"
    f" UNION SELECT m.lead_organisation_id FROM mission m WHERE m.id IN ({_INCIDENT_MISSIONS})"
    " UNION SELECT mc.organisation_id FROM mission_contributor mc"
    f" WHERE mc.mission_id IN ({_INCIDENT_MISSIONS})"
    " UNION SELECT r.organisation_id FROM person_role r"
    f" WHERE r.person_id IN ({_INVOLVED_PERSONS})"
)
# Evidence of the incident: quotes backing it, its timeline, figures, statements about it and
# its missions (with their timelines and contributors). A union, so each part uses its index.
INCIDENT_EVIDENCE = (
    f"SELECT e.id FROM evidence e WHERE e.incident_id IN ({_INCIDENT})"
    " UNION SELECT e.id FROM evidence e JOIN timeline_entry t ON t.id = e.timeline_entry_id"
    f" WHERE t.incident_id IN ({_INCIDENT})"
    " UNION SELECT e.id FROM evidence e JOIN timeline_entry t ON t.id = e.timeline_entry_id"
    f" WHERE t.mission_id IN ({_INCIDENT_MISSIONS})"
    " UNION SELECT e.id FROM evidence e JOIN casualty_report cr ON cr.id = e.casualty_report_id"
    f" WHERE cr.incident_id IN ({_INCIDENT})"
    f" UNION SELECT e.id FROM evidence e WHERE e.statement_id IN ({_INCIDENT_STATEMENTS})"
    f" UNION SELECT e.id FROM evidence e WHERE e.mission_id IN ({_INCIDENT_MISSIONS})"
    " UNION SELECT e.id FROM evidence e"
    " JOIN mission_contributor mc ON mc.id = e.mission_contributor_id"
    f" WHERE mc.mission_id IN ({_INCIDENT_MISSIONS})"
)


def incident_evidence_ids(conn: Connection, incident: str) -> list[int]:
    """The ids of every quote about the incident, its timeline, figures, statements and
    missions (each branch of the union uses its index)."""
    return [row[0] for row in conn.execute(INCIDENT_EVIDENCE, {"incident": incident})]


_INCIDENT_SOURCES = (
    f"SELECT e.source_id FROM evidence e WHERE e.id IN ({INCIDENT_EVIDENCE})"
    f" UNION SELECT cr.source_id FROM casualty_report cr WHERE cr.incident_id IN ({_INCIDENT})"
    f" UNION SELECT st.source_id FROM statement st WHERE st.id IN ({_INCIDENT_STATEMENTS})"
)
# Text sorts byte-wise (names case-insensitively), the same on every server whatever its
# collation, so that output is stable.
C = 'COLLATE "C"'
# The country of what a timeline entry or statement is about: its incident's or the host of
# its mission.
_SUBJECTS = (
    "LEFT JOIN reporting.incidents AS i ON i.incident_slug = v.incident_slug"
    " LEFT JOIN reporting.missions AS m ON m.mission_slug = v.mission_slug"
)
_SUBJECT_COUNTRY = "coalesce(i.country_iso2, m.host_country_iso2) = %(country)s"
_MISSION_SLUGS_OF_INCIDENT = f"SELECT m.slug FROM mission m WHERE m.id IN ({_INCIDENT_MISSIONS})"


def casualties(
    conn: Connection,
    *,
    incident: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    category: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """One row per casualty report, with the range across the reports of its incident and
    category (`range_low`, `range_high`). Reports are never summed.

    `organisation` is who reported the figure; `since`/`until` select incidents by their dates;
    `country` is an ISO alpha-2 code (see `resolve_country`).
    """
    q = Query(
        "casualty_reports",
        "JOIN reporting.incidents AS i ON i.incident_slug = v.incident_slug"
        " LEFT JOIN casualty_category AS cc ON cc.code = v.category",
    )
    if incident is not None:
        q.where("v.incident_slug = %(incident)s", incident=incident)
    if country is not None:
        q.where("i.country_iso2 = %(country)s", country=country)
    if organisation is not None:
        q.where("v.reported_by_slug = %(organisation)s", organisation=organisation)
    if category is not None:
        q.where("v.category = %(category)s", category=category)
    overlaps(q, "i.occurred_from", "i.occurred_to", since, until)
    result = q.run(
        conn,
        f"i.occurred_from, v.incident_slug {C}, cc.sort_order, v.as_of NULLS FIRST,"
        f" v.report_key {C}",
        page,
        stream=stream,
    )
    if result.empty:
        check_filters(conn, incident=incident, organisation=organisation, category=category)
    return result


def casualty_ranges(result: Listing) -> list[dict[str, Any]]:
    """Per incident and category: the range over the current whole-population reports (the
    view's `in_range`), how many reports and sources set it, and the latest of them.
    Subsets and superseded reports are counted apart, never as bounds; nothing is summed."""
    ranges: dict[tuple[str, str], dict[str, Any]] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in result.rows:
        key = (row["incident_slug"], row["category"])
        entry = ranges.setdefault(
            key,
            {
                "incident_slug": row["incident_slug"],
                "category": row["category"],
                "report_count": 0,
                "source_count": 0,
                "range_low": row["range_low"],
                "range_high": row["range_high"],
                "latest": None,
                "latest_source_slug": None,
                "latest_publisher": None,
                "latest_on": None,
                "set_aside": 0,
            },
        )
        if not row["in_range"]:
            entry["set_aside"] += 1
            continue
        entry["report_count"] += 1
        sources.setdefault(key, set()).add(row["source_slug"])
        entry["source_count"] = len(sources[key])
        if key not in latest or _recency(row) >= _recency(latest[key]):
            latest[key] = row
            entry.update(
                latest=row["figure_as_reported"],
                latest_source_slug=row["source_slug"],
                latest_publisher=row["publisher"],
                latest_on=row["as_of_to"] or row["published_on"],
            )
    return list(ranges.values())


def _recency(row: dict[str, Any]) -> tuple[bool, dt.date, dt.date]:
    """How recent a figure is: its as-of day, else its source's day (as reporting.incidents
    orders them)."""
    day = row["as_of_to"] or row["published_on"]
    return (day is not None, day or dt.date.min, row["published_on"] or dt.date.min)


def timeline(
    conn: Connection,
    *,
    incident: str | None = None,
    country: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """What happened when, in date order: earliest possible day, then latest, then the kind's
    place in its vocabulary (protests before riots before order restored).

    An incident's timeline includes the entries of the missions that responded to it;
    `country` is the incident's country or the mission's host country.
    """
    q = Query("timeline", "LEFT JOIN timeline_kind AS tk ON tk.code = v.kind")
    if incident is not None:
        q.where(
            # By key from the base table, where both conditions can use their index.
            "v.entry_key IN (SELECT t.key FROM timeline_entry t"
            f" WHERE t.incident_id IN ({_INCIDENT}) OR t.mission_id IN ({_INCIDENT_MISSIONS}))",
            incident=incident,
        )
    if country is not None:
        q.where(_SUBJECT_COUNTRY, join=_SUBJECTS, country=country)
    overlaps(q, "v.occurred_from", "v.occurred_to", since, until)
    result = q.run(
        conn,
        f"v.occurred_from, v.occurred_to, tk.sort_order, v.incident_slug {C} NULLS LAST,"
        f" v.mission_slug {C}, v.description {C}",
        page,
        stream=stream,
    )
    if result.empty:
        check_filters(conn, incident=incident)
    return result


def missions(
    conn: Connection,
    *,
    incident: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Missions with lead, kind, host country, dates, incidents and contributors.

    `organisation` is the lead or a contributor; `country` the host; `since`/`until` select
    missions whose period (an unknown start or end counts as open) overlaps them.
    """
    q = Query("missions")
    if incident is not None:
        q.where(f"v.mission_slug IN ({_MISSION_SLUGS_OF_INCIDENT})", incident=incident)
    if country is not None:
        q.where("v.host_country_iso2 = %(country)s", country=country)
    if organisation is not None:
        q.where(
            "(v.lead_organisation_slug = %(organisation)s OR v.mission_slug IN ("
            "SELECT m.slug FROM mission m JOIN mission_contributor mc ON mc.mission_id = m.id"
            " JOIN organisation o ON o.id = mc.organisation_id"
            " WHERE o.slug = %(organisation)s))",
            organisation=organisation,
        )
    overlaps(q, "v.started_from", "v.ended_to", since, until)
    result = q.run(conn, f"v.started_from NULLS LAST, v.mission_slug {C}", page, stream=stream)
    if result.empty:
        check_filters(conn, incident=incident, organisation=organisation)
    return result


def organisations(
    conn: Connection,
    *,
    incident: str | None = None,
    country: str | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Organisations by name; with `incident`, those involved in it (reported its figures,
    led or joined its missions, spoke about it, or employ a person who did)."""
    q = Query("organisations")
    if incident is not None:
        q.where(
            "v.organisation_slug IN (SELECT o.slug FROM organisation o"
            f" WHERE o.id IN ({_INVOLVED_ORGANISATIONS}))",
            incident=incident,
        )
    if country is not None:
        q.where("v.country_iso2 = %(country)s", country=country)
    result = q.run(conn, f"lower(v.name) {C}, v.organisation_slug {C}", page, stream=stream)
    if result.empty:
        check_filters(conn, incident=incident)
    return result


def persons(
    conn: Connection,
    *,
    incident: str | None = None,
    organisation: str | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Persons with their roles and the periods they held them (one row per role);
    with `incident`, those who spoke about it or its missions or reported its figures."""
    q = Query("persons")
    if incident is not None:
        q.where(
            f"v.person_slug IN (SELECT p.slug FROM person p WHERE p.id IN ({_INVOLVED_PERSONS}))",
            incident=incident,
        )
    if organisation is not None:
        q.where("v.organisation_slug = %(organisation)s", organisation=organisation)
    result = q.run(
        conn,
        f"lower(v.name) {C}, v.person_slug {C}, v.started_from NULLS FIRST, v.role_title {C}",
        page,
        stream=stream,
    )
    if result.empty:
        check_filters(conn, incident=incident, organisation=organisation)
    return result


def statements(
    conn: Connection,
    *,
    incident: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Who said what, when and where, about which incident or mission, in date order.

    `incident` includes statements about its missions; `organisation` is the body that spoke
    or that the speaker spoke for; `country` is the incident's country or mission's host.
    """
    q = Query("statements")
    if incident is not None:
        q.where(
            "v.statement_key IN (SELECT st.key FROM statement st"
            f" WHERE st.id IN ({_INCIDENT_STATEMENTS}))",
            incident=incident,
        )
    if country is not None:
        q.where(_SUBJECT_COUNTRY, join=_SUBJECTS, country=country)
    if organisation is not None:
        q.where(
            "v.statement_key IN (SELECT st.key FROM statement st"
            " JOIN organisation o ON o.id = st.speaker_organisation_id"
            " WHERE o.slug = %(organisation)s)",
            organisation=organisation,
        )
    overlaps(q, "v.said_from", "v.said_to", since, until)
    result = q.run(conn, f"v.said_from, v.said_to, v.statement_key {C}", page, stream=stream)
    if result.empty:
        check_filters(conn, incident=incident, organisation=organisation)
    return result


def sources(
    conn: Connection,
    *,
    incident: str | None = None,
    organisation: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Sources with publisher, date, title and how many facts each supports.

    `incident`: the sources of anything about it; `organisation`: the publisher;
    `since`/`until`: the publication day.
    """
    q = Query("sources")
    if incident is not None:
        # Found first, then passed as arrays: nested IN (... UNION ...) subqueries get row
        # estimates so poor that PostgreSQL scans every source and every quote instead.
        evidence = incident_evidence_ids(conn, incident)
        slugs = [
            row[0]
            for row in conn.execute(
                "SELECT s.slug FROM source s WHERE s.id IN ("
                "SELECT e.source_id FROM evidence e WHERE e.id = ANY(%(evidence)s)"
                f" UNION SELECT cr.source_id FROM casualty_report cr WHERE cr.incident_id IN"
                f" ({_INCIDENT})"
                f" UNION SELECT st.source_id FROM statement st WHERE st.id IN"
                f" ({_INCIDENT_STATEMENTS}))",
                {"incident": incident, "evidence": evidence},
            )
        ]
        q.where("v.source_slug = ANY(%(source_slugs)s)", source_slugs=slugs)
    if organisation is not None:
        q.where(
            "v.source_slug IN (SELECT s.slug FROM source s"
            " JOIN organisation o ON o.id = s.publisher_id WHERE o.slug = %(organisation)s)",
            organisation=organisation,
        )
    overlaps(q, "v.published_on", "v.published_on", since, until)
    result = q.run(conn, f"v.published_on NULLS LAST, v.source_slug {C}", page, stream=stream)
    if result.empty:
        check_filters(conn, incident=incident, organisation=organisation)
    return result


def incidents(
    conn: Connection,
    *,
    country: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: Page | None = None,
    stream: bool = False,
) -> Listing:
    """Incidents in date order, with the range of reported deaths and injuries."""
    q = Query("incidents")
    if country is not None:
        q.where("v.country_iso2 = %(country)s", country=country)
    overlaps(q, "v.occurred_from", "v.occurred_to", since, until)
    return q.run(conn, f"v.occurred_from, v.occurred_to, v.incident_slug {C}", page, stream=stream)
