"""The sections of a draft seed file, each with a `# review` comment on every fact.

Each function appends its section's lines to `body` and returns how many facts it wrote.
"""

from __future__ import annotations

from typing import Any

from incidentdb.draft.build import Draft
from incidentdb.draft.dates import DayRange
from incidentdb.draft.incident import TimelineFact
from incidentdb.draft.model import slug
from incidentdb.draft.yamldoc import Doc
from incidentdb.write.rows import slugify


def section(body: list[str], name: str) -> None:
    body.append("")
    body.append(f"{name}:")


def new_places(doc: Doc, draft: Draft, body: list[str]) -> int:
    """Places: new ones."""
    e = draft.entities
    facts = 0
    new_places = [p for p in e.places.values() if doc.verbatim([p.evidence], f"place {p.slug}")]
    if new_places:
        section(body, "places")
        for place in new_places:
            doc.lines = []
            doc.item(
                "  ",
                f"new place: {place.how}",
                [
                    ("slug", place.slug),
                    ("name", place.name),
                    ("kind", place.kind),
                    ("iso2", place.iso2),
                    ("parent", place.parent if place.parent != place.slug else None),
                    ("evidence", doc.verbatim([place.evidence], "")),
                ],
            )
            body.extend(doc.lines)
            facts += 1
    return facts


def new_organisations(doc: Doc, draft: Draft, body: list[str]) -> int:
    """Organisations: new ones."""
    g = draft.gazetteer
    e = draft.entities
    a = draft.article
    facts = 0
    new_orgs = list(e.organisations.values())
    if new_orgs:
        section(body, "organisations")
        for o in new_orgs:
            doc.lines = []
            evidence = [o.evidence] if o.evidence.text else []
            quotes = [q for q in evidence if q.text in a.text]
            country = o.country if o.country in g.places or o.country in e.places else None
            aliases = [x for x in dict.fromkeys(o.aliases) if x not in {o.name, o.acronym}]
            doc.item(
                "  ",
                f"new organisation: {o.how}",
                [
                    ("slug", o.slug),
                    ("name", o.name),
                    ("acronym", o.acronym),
                    ("aliases", aliases or None),
                    ("kind", o.kind),
                    ("country", country),
                    ("evidence", [q.text for q in quotes]),
                ],
            )
            body.extend(doc.lines)
            facts += 1
    return facts


def persons(doc: Doc, draft: Draft, body: list[str]) -> int:
    """Persons: new ones, and known ones that get roles."""
    e = draft.entities
    facts = 0
    persons = [p for p in e.persons.values() if not p.known or p.roles]
    if persons:
        section(body, "persons")
        for p in persons:
            roles = []
            for r in p.roles:
                q = doc.verbatim([r.evidence], f"role {r.title} of {p.slug}")
                if q:
                    roles.append(
                        {
                            "_review": "role from the words around the name",
                            "title": r.title,
                            "organisation": r.organisation,
                            "former": True if r.former else None,
                            "evidence": q,
                        }
                    )
            person_quotes = doc.verbatim([p.evidence], "") if p.evidence else []
            if not p.known and not person_quotes:
                continue
            doc.lines = []
            how = (
                f"known person ({p.how}), repeated here with the same name to add roles"
                if p.known
                else f"new person: {p.how}"
            )
            doc.item(
                "  ",
                how,
                [
                    ("slug", p.slug),
                    ("name", p.name),
                    ("description", p.description),
                    ("roles", roles),
                    ("evidence", person_quotes),
                ],
            )
            body.extend(doc.lines)
            facts += 1 + len(roles)
    return facts


def timeline_items(doc: Doc, timeline: list[TimelineFact]) -> list[dict[str, Any]]:
    """Timeline entries with a verbatim quote; a slug where two share a first day and kind."""
    items = []
    keys: set[str] = set()
    for t in timeline:
        q = doc.verbatim([t.quote], f"timeline {t.when}")
        if not q:
            continue
        key = f"{t.when.start}-{t.kind.replace('_', '-')}"
        local = None
        n = 2
        while (local or key) in keys:
            local = f"{key}-{n}"
            n += 1
        keys.add(local or key)
        items.append(
            {
                "_review": t.how,
                "slug": local,
                "occurred": t.when,
                "kind": t.kind,
                "description": t.description,
                "place": t.place,
                "evidence": q,
            }
        )
    return items


def incident(doc: Doc, draft: Draft, body: list[str]) -> tuple[int, str | None]:
    """The incident with its timeline: the slug the other facts refer to. A known incident
    is referred to (see `incident_mention`); a new one is proposed here."""
    known = draft.known_incident
    if known is not None:
        return 0, known.incident.slug if doc.verbatim([known.evidence], "") else None
    inc = draft.incident
    if inc is None:
        return 0, None
    timeline = timeline_items(doc, inc.timeline)
    q = doc.verbatim([inc.quote], f"incident {inc.slug}")
    if not q:
        return 0, None
    section(body, "incidents")
    doc.lines = []
    doc.item(
        "  ",
        f"one incident proposed: {inc.how}",
        [
            ("slug", inc.slug),
            ("title", inc.title),
            ("type", inc.type),
            ("occurred", inc.when),
            ("country", inc.country),
            ("places", inc.places),
            ("evidence", q),
            ("timeline", timeline),
        ],
    )
    body.extend(doc.lines)
    return 1 + len(timeline), inc.slug


def incident_mention(doc: Doc, draft: Draft) -> tuple[list[str], int]:
    """The mention of the known incident the article reports, with its new timeline entries."""
    known = draft.known_incident
    if known is None:
        return [], 0
    q = doc.verbatim([known.evidence], f"mention of {known.incident.slug}")
    if not q:
        return [], 0
    timeline = timeline_items(doc, draft.timeline)
    doc.lines = []
    doc.item(
        "  ",
        f"no new incident: the article reports the {known.reason}; its figures, statements "
        "and timeline entries refer to it",
        [("incident", known.incident.slug), ("evidence", q), ("timeline", timeline)],
    )
    return doc.lines, 1 + len(timeline)


def casualty_reports(doc: Doc, draft: Draft, body: list[str], incident: str | None) -> int:
    """Casualty reports of the incident."""
    facts = 0
    if incident is not None and draft.casualties:
        rows: list[tuple[str, list[tuple[str, Any]]]] = []
        seen_keys: set[str] = set()
        seen_facts: set[tuple[Any, ...]] = set()
        for c in draft.casualties:
            identity = (c.category, c.figure.value, c.qualifier, c.population, c.reported_by)
            if identity in seen_facts:
                continue
            q = doc.verbatim([c.quote], f"casualty figure {c.number.text}")
            if not q:
                continue
            seen_facts.add(identity)
            reporter = c.reported_by[1] if c.reported_by else "unattributed"
            key = "-".join([c.category, slugify(c.population) if c.population else "all", reporter])
            local = None
            if key in seen_keys or c.earlier:
                local = slug(
                    f"{c.category}-{c.population or ''}-{reporter}-"
                    f"{'earlier-' if c.earlier else ''}{c.figure.value}"
                )
            seen_keys.add(local or key)
            low = high = None
            if c.qualifier == "approximately":
                low, high = c.figure.low, c.figure.high
                if c.number.text.lower().startswith(("nearly", "almost")):
                    high = c.figure.value
            as_of = c.as_of.resolved.start if c.as_of and c.as_of.resolved else None
            who = (
                f"reported by {c.reported_by[1]} ({c.reporter_text!r})"
                if c.reported_by
                else "no reporter named in the sentence"
            )
            review = (
                f"{c.number.text!r}: figure {c.figure.value}, qualifier {c.qualifier}; "
                f"category {c.category} from {c.how}; {who}"
                + (f"; population {c.population!r}" if c.population else "")
                + ("; an earlier toll the article reports" if c.earlier else "")
            )
            rows.append(
                (
                    review,
                    [
                        ("slug", local),
                        ("incident", incident),
                        ("category", c.category),
                        ("population", c.population),
                        ("figure", c.figure.value),
                        ("qualifier", c.qualifier),
                        ("low", low),
                        ("high", high),
                        (
                            "reported_by",
                            c.reported_by[1]
                            if c.reported_by and c.reported_by[0] == "organisation"
                            else None,
                        ),
                        (
                            "reported_by_person",
                            c.reported_by[1]
                            if c.reported_by and c.reported_by[0] == "person"
                            else None,
                        ),
                        ("as_of", as_of),
                        ("evidence", q),
                    ],
                )
            )
        if rows:
            section(body, "casualty_reports")
            for review, fields in rows:
                doc.lines = []
                doc.item("  ", review, fields)
                body.extend(doc.lines)
                facts += 1
    return facts


def statements(doc: Doc, draft: Draft, body: list[str], incident: str | None) -> int:
    """Statements, about the incident."""
    e = draft.entities
    facts = 0
    if draft.statements:
        statement_rows: list[tuple[str, list[tuple[str, Any]]]] = []
        seen: set[str] = set()
        first = min((t.when.start for t in draft.timeline), default=draft.published)
        for s in draft.statements:
            q = doc.verbatim(s.quotes, f"statement {s.summary[:40]!r}")
            if not q or s.speaker is None:
                continue
            said = s.said
            said_how = s.said_how
            if said is None:
                if draft.published is None or first is None:
                    doc.dropped.append(f"statement {s.summary[:40]!r} (no date)")
                    continue
                said = DayRange(min(first, draft.published), draft.published)
                said_how = "undated: between the first dated event and publication"
            speaker = s.speaker.slug if s.speaker.table == "person" else None
            org = s.speaker.slug if s.speaker.table == "organisation" else None
            if speaker is not None and speaker in e.persons:
                org = next(
                    (r.organisation for r in e.persons[speaker].roles if r.organisation), None
                )
            who = speaker or org or ""
            local_key = f"{who}-{slugify(s.summary, 5)}"
            local = None
            if local_key in seen:
                local = slug(f"{who}-{s.summary}", 10)
            seen.add(local or local_key)
            said_place = (
                draft.dateline_place
                if draft.published is not None
                and said == DayRange(draft.published, draft.published)
                else None
            )
            review = f"{s.mode} speech; {s.how}; said {said_how or 'date from the sentence'}" + (
                "; place: the dateline's, said on the publication day" if said_place else ""
            )
            statement_rows.append(
                (
                    review,
                    [
                        ("slug", local),
                        ("speaker", speaker),
                        ("organisation", org),
                        ("said", said),
                        ("place", said_place),
                        ("occasion", s.occasion),
                        ("incident", incident),
                        ("mode", s.mode),
                        ("summary", s.summary),
                        ("evidence", q),
                    ],
                )
            )
        if statement_rows:
            section(body, "statements")
            for review, fields in statement_rows:
                doc.lines = []
                doc.item("  ", review, fields)
                body.extend(doc.lines)
                facts += 1
    return facts


def mentions(doc: Doc, draft: Draft, body: list[str]) -> int:
    """Mentions of known entities: the known incident first."""
    g = draft.gazetteer
    e = draft.entities
    lines, facts = incident_mention(doc, draft)
    mentions = []
    seen_m: set[tuple[str, str]] = set()
    for m in sorted(e.mentions, key=lambda m: m.start):
        if m.table == "person":
            # a known person with roles is written under persons: instead
            entry = e.persons.get(m.slug)
            known = m.slug in g.persons and (entry is None or not entry.roles)
        else:
            known = m.slug in (g.places if m.table == "place" else g.organisations)
        if not known or (m.table, m.slug) in seen_m:
            continue
        q = doc.verbatim([m.span], f"mention of {m.slug}")
        if q:
            seen_m.add((m.table, m.slug))
            mentions.append((m, q))
    if mentions or lines:
        section(body, "mentions")
        body.extend(lines)
        for m, q in mentions:
            doc.lines = []
            doc.item("  ", f"known {m.table}: {m.via}", [(m.table, m.slug), ("evidence", q)])
            body.extend(doc.lines)
            facts += 1
    return facts
