"""Incidents already known (read by the gazetteer from seed files and the database), matched
to an article.

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
from dataclasses import dataclass

from incidentdb.draft.dates import DateMention, DayRange, resolve
from incidentdb.draft.gazetteer import Gazetteer, KnownIncident
from incidentdb.draft.model import Entities
from incidentdb.draft.text import Article, Span

# How long after a known incident's last day an article may still report it.
REPORTED_WITHIN = dt.timedelta(days=14)


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
