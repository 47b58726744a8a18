"""Incidents already known: read from seed files and the database, and matched to an article.

A second article about events another file has coded refers to that file's incident instead
of proposing a new one. What ties an article to a known incident: the same country, dates
that overlap the incident's range (an article may come out some days after the events), and
at least one organisation, person or place that the incident's files tie to it besides the
country. The dateline's place and the publisher say where and by whom the report was filed,
not what happened, so they are not counted.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentdb.draft.dates import DateMention, DayRange, resolve
from incidentdb.draft.gazetteer import Gazetteer, KnownIncident, load_yaml, yaml_files
from incidentdb.draft.model import Entities
from incidentdb.draft.text import Article, Span

# How long after a known incident's last day an article may still report it.
REPORTED_WITHIN = dt.timedelta(days=14)


def _date(value: Any) -> tuple[dt.date, dt.date] | None:
    """A seed file's day or range ({from, to}, {before}, {by}) as its first and last day."""
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        return day, day
    if isinstance(value, dict):
        first = _date(value.get("from") or value.get("by") or value.get("before"))
        last = _date(value.get("to") or value.get("by") or value.get("before"))
        if first is not None and last is not None:
            return first[0], last[1]
    return None


def _items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    return [x for x in data.get(section) or [] if isinstance(x, dict)]


def _entry_links(item: dict[str, Any]) -> set[tuple[str, str]]:
    """The places and organisations an incident (or a mention of one) names itself."""
    out = {("place", str(p)) for p in item.get("places") or [] if isinstance(p, str)}
    for actor in _items(item, "actors"):
        if actor.get("organisation"):
            out.add(("organisation", str(actor["organisation"])))
    for entry in _items(item, "timeline"):
        if entry.get("place"):
            out.add(("place", str(entry["place"])))
    return out


def _fact_links(data: dict[str, Any], incident: str) -> set[tuple[str, str]]:
    """Who reported the incident's figures, who spoke about it, which missions served it."""
    out: set[tuple[str, str]] = set()
    for r in _items(data, "casualty_reports"):
        if r.get("incident") == incident:
            if r.get("reported_by"):
                out.add(("organisation", str(r["reported_by"])))
            if r.get("reported_by_person"):
                out.add(("person", str(r["reported_by_person"])))
    for s in _items(data, "statements"):
        if s.get("incident") == incident:
            if s.get("speaker"):
                out.add(("person", str(s["speaker"])))
            if s.get("organisation"):
                out.add(("organisation", str(s["organisation"])))
    for m in _items(data, "missions"):
        if incident in (m.get("incidents") or []):
            if m.get("lead"):
                out.add(("organisation", str(m["lead"])))
            for c in _items(m, "contributors"):
                if c.get("organisation"):
                    out.add(("organisation", str(c["organisation"])))
    return out


def _filed(data: dict[str, Any]) -> set[tuple[str, str]]:
    """The dateline's place and the publisher of a file's article."""
    source = data.get("source")
    if not isinstance(source, dict):
        return set()
    out = set()
    if source.get("dateline"):
        out.add(("place", str(source["dateline"])))
    if source.get("publisher"):
        out.add(("organisation", str(source["publisher"])))
    return out


def read_incidents(paths: Iterable[Path], g: Gazetteer) -> None:
    """Add the incidents that the seed files under `paths` define, with what each file ties
    to them (its own incidents, and the ones it mentions)."""
    tied: list[tuple[str, set[tuple[str, str]], str]] = []
    for path in yaml_files(paths):
        data = load_yaml(path)
        if not isinstance(data, dict):
            continue
        source = data.get("source")
        sha = str(source.get("sha256") or "") if isinstance(source, dict) else ""
        filed = _filed(data)
        referred = [m for m in _items(data, "mentions") if m.get("incident")]
        for inc in _items(data, "incidents"):
            when = _date(inc.get("occurred"))
            if not inc.get("slug") or when is None:
                continue
            slug = str(inc["slug"])
            g.incidents[slug] = KnownIncident(
                slug,
                str(inc.get("title") or slug),
                str(inc.get("type") or "other"),
                when[0],
                when[1],
                str(inc["country"]) if inc.get("country") else None,
                defined_in=path,
                defined_by=sha or None,
            )
            tied.append((slug, (_entry_links(inc) | _fact_links(data, slug)) - filed, sha))
        for m in referred:
            slug = str(m["incident"])
            tied.append((slug, (_entry_links(m) | _fact_links(data, slug)) - filed, sha))
    for slug, links, sha in tied:
        if slug in g.incidents:
            g.incidents[slug].links.update((table, key, sha) for table, key in links)


_DB_LINKS = [
    "SELECT i.slug, 'place', p.slug, '' FROM incident_place ip JOIN incident i ON i.id = "
    "ip.incident_id JOIN place p ON p.id = ip.place_id",
    "SELECT i.slug, 'organisation', o.slug, '' FROM incident_actor a JOIN incident i ON i.id "
    "= a.incident_id JOIN organisation o ON o.id = a.organisation_id",
    "SELECT i.slug, 'place', p.slug, '' FROM timeline_entry t JOIN incident i ON i.id = "
    "t.incident_id JOIN place p ON p.id = t.place_id",
    "SELECT i.slug, 'organisation', o.slug, s.content_hash FROM casualty_report r JOIN "
    "incident i ON i.id = r.incident_id JOIN organisation o ON o.id = "
    "r.reported_by_organisation_id JOIN source s ON s.id = r.source_id",
    "SELECT i.slug, 'person', p.slug, s.content_hash FROM casualty_report r JOIN incident i "
    "ON i.id = r.incident_id JOIN person p ON p.id = r.reported_by_person_id JOIN source s "
    "ON s.id = r.source_id",
    "SELECT i.slug, 'person', p.slug, s.content_hash FROM statement st JOIN incident i ON "
    "i.id = st.incident_id JOIN person p ON p.id = st.speaker_person_id JOIN source s ON "
    "s.id = st.source_id",
    "SELECT i.slug, 'organisation', o.slug, s.content_hash FROM statement st JOIN incident i "
    "ON i.id = st.incident_id JOIN organisation o ON o.id = st.speaker_organisation_id JOIN "
    "source s ON s.id = st.source_id",
]


def read_database_incidents(conn: Any, g: Gazetteer) -> None:
    """Add the database's incidents that no file given defines, with their ties."""
    for slug, title, kind, start, end, country in conn.execute(
        "SELECT i.slug, i.title, i.incident_type, i.occurred_from, i.occurred_to, c.slug "
        "FROM incident i LEFT JOIN place c ON c.id = i.country_id"
    ):
        if slug not in g.incidents:
            g.incidents[slug] = KnownIncident(slug, title, kind, start, end, country)
            g.from_database.add(("incident", slug))
    for query in _DB_LINKS:
        for slug, table, key, sha in conn.execute(query):
            if ("incident", slug) in g.from_database:
                g.incidents[slug].links.add((table, key, sha or ""))


@dataclass
class IncidentMatch:
    incident: KnownIncident
    evidence: Span
    reason: str
    year: int | None = None  # the year that days printed without one take from the incident


def _same_country(known: str | None, country: str, g: Gazetteer, entities: Entities) -> bool:
    if known is None:
        return False
    if known == country:
        return True

    def iso(slug: str) -> str | None:
        p = g.places.get(slug)
        n = entities.places.get(slug)
        return (p.iso2 if p else None) or (n.iso2 if n else None) or None

    a, b = iso(known), iso(country)
    return a is not None and a == b


def _window(dates: list[DateMention], published: dt.date | None) -> DayRange | None:
    """The days the article's dates (and its publication) cover."""
    days = [d.resolved for d in dates if d.resolved is not None and not d.future]
    starts = [r.start for r in days] + ([published] if published else [])
    ends = [r.end for r in days] + ([published] if published else [])
    return DayRange(min(starts), max(ends)) if starts else None


def _overlaps(window: DayRange, inc: KnownIncident) -> bool:
    return window.start <= inc.end + REPORTED_WITHIN and window.end >= inc.start


def _dates_fit(
    inc: KnownIncident, dates: list[DateMention], published: dt.date | None, year_hint: int | None
) -> tuple[DayRange, int | None] | None:
    """The article's days if they overlap the incident's range; with neither a publication
    date nor a printed year, the days read in each year of the incident's range."""
    window = _window(dates, published)
    if window is not None:
        return (window, None) if _overlaps(window, inc) else None
    if published is not None or year_hint is not None:
        return None
    for year in range(inc.start.year, inc.end.year + 1):
        trial = copy.deepcopy(dates)
        resolve(trial, None, year)
        window = _window(trial, None)
        if window is not None and _overlaps(window, inc):
            return window, year
    return None


def _evidence(article: Article, inc: KnownIncident, shared: list[Span]) -> Span:
    """The words naming the events: the clause with the incident's type word, else the
    sentence with the first shared name."""
    from incidentdb.draft.incident import INCIDENT_TYPES, clause

    patterns = [rx for code, _, rx in INCIDENT_TYPES if code == inc.type]
    patterns += [rx for code, _, rx in INCIDENT_TYPES if code != inc.type]
    for rx in patterns:
        hit = re.search(rx, article.text[article.body_start :], re.I)
        if hit is not None:
            at = article.body_start + hit.start()
            sentence = article.sentence_at(at)
            if sentence is not None:
                return clause(article, sentence, at)
    first = min(shared, key=lambda s: s.start)
    sentence = article.sentence_at(first.start)
    return article.quote(sentence.start, sentence.end) if sentence else first


def match_known_incident(
    article: Article,
    entities: Entities,
    g: Gazetteer,
    country: str | None,
    dates: list[DateMention],
    published: dt.date | None,
    year_hint: int | None,
    filed: set[tuple[str, str]],
) -> IncidentMatch | None:
    """The known incident the article reports, if one has its country, overlapping dates and
    a shared organisation, person or place; the one with most shared names wins."""
    if country is None:
        return None
    named: dict[tuple[str, str], Span] = {}
    for m in entities.mentions:
        key = (m.table, m.slug)
        if m.slug != country and key not in filed and m.start >= article.body_start:
            named.setdefault(key, m.span)
    best: tuple[int, IncidentMatch] | None = None
    for inc in g.incidents.values():
        if inc.defined_by is not None and inc.defined_by == article.sha256:
            continue  # the article's own seed: this is the file that defines it
        if not _same_country(inc.country, country, g, entities):
            continue
        links = {(t, k) for t, k, sha in inc.links if not sha or sha != article.sha256}
        shared = sorted(k for k in named if k in links)
        fit = _dates_fit(inc, dates, published, year_hint)
        if not shared or fit is None:
            continue
        window, year = fit
        names = ", ".join(f"{named[k].text!r} ({k[1]})" for k in shared)
        reason = (
            f"known incident {inc.slug} ({inc.start}..{inc.end}, "
            f"{'defined in ' + inc.defined_in.name if inc.defined_in else 'in the database'}): "
            f"same country {country}; the article's dates {window} overlap its range"
            + (f" (days without a year read in {year}, the incident's year)" if year else "")
            + f"; shared names: {names}"
        )
        found = IncidentMatch(inc, _evidence(article, inc, [named[k] for k in shared]), reason)
        found.year = year
        if best is None or len(shared) > best[0]:
            best = (len(shared), found)
    return best[1] if best else None
