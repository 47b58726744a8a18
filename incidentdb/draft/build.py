"""Drafting a seed file from an article: every finder in turn, then one consistent draft."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from incidentdb.draft import actors, forces, known, localities, new_organisations, places
from incidentdb.draft.article import read_article
from incidentdb.draft.dateline import WIRE_SERVICES, Dateline, find_dateline, publication_date
from incidentdb.draft.dates import DateMention, find_dates, resolve
from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.incident import (
    IncidentFact,
    TimelineFact,
    build_timeline,
    main_country,
    propose_incident,
)
from incidentdb.draft.known_incidents import IncidentMatch, match_known_incident
from incidentdb.draft.model import Entities, Mention, NewOrganisation, slug
from incidentdb.draft.numbers.casualties import CasualtyFact, find_casualties
from incidentdb.draft.statements import StatementFact, find_statements
from incidentdb.draft.text import Article, Span
from incidentdb.errors import IncidentdbError

_TITLE_STOPWORDS = {
    "a", "an", "the", "in", "of", "on", "at", "to", "for", "and", "or", "with", "by", "from",
    "as", "is", "are", "was", "were", "be", "after", "over", "into", "amid", "says", "said",
    "its", "his", "her", "their", "ex", "has", "have", "than", "more", "up",
}  # fmt: skip


class DraftError(IncidentdbError):
    """The article cannot be drafted, or the draft would not be a valid seed file."""


@dataclass
class Draft:
    article_path: Path
    article: Article
    source_slug: str
    title: str
    lede: str | None
    published: dt.date | None
    published_how: str
    publisher: str | None
    publisher_how: str
    dateline: Dateline | None
    dateline_place: str | None
    gazetteer: Gazetteer
    entities: Entities
    dates: list[DateMention]
    casualties: list[CasualtyFact]
    statements: list[StatementFact]
    timeline: list[TimelineFact]
    incident: IncidentFact | None
    known_incident: IncidentMatch | None = None
    notes: list[str] = field(default_factory=list)


def draft_article(
    path: Path,
    gazetteer: Gazetteer,
    publisher: str | None = None,
    published_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Draft:
    """Read the article at `path` and find every fact it can, each with a verbatim quote."""
    article = _read(path)
    today = today or dt.date.today()
    g = gazetteer
    entities = Entities()
    notes: list[str] = []
    dateline = find_dateline(article)
    pub = publication_date(article, dateline, published_on, today)

    publisher_slug, publisher_how, dateline_place = _find_entities(
        article, dateline, publisher, g, entities
    )

    # Dates, figures, statements, events.
    body_start = (
        dateline.body_start
        if dateline
        else (article.paragraphs[0].start if article.paragraphs else len(article.text))
    )
    dates, year_hint = _dates(article, body_start, pub.date)
    quoted = _direct_quotes(article)
    timeline = build_timeline(article, dates, entities, g, quoted, pub.date)
    match, timeline = _known_incident(
        article, entities, g, dates, timeline, quoted, pub.date, year_hint, dateline,
        {("place", dateline_place or ""), ("organisation", publisher_slug or "")},
    )  # fmt: skip
    filed_at = dateline.span if dateline is not None else None
    unresolved = [d for d in dates if d.resolved is None]
    if unresolved:
        notes.append(
            "Dates left out (could not be resolved): "
            + "; ".join(f"{d.text!r} ({d.how})" for d in unresolved)
        )
    skipped: list[str] = []
    casualties = find_casualties(article, entities, dates, quoted, body_start, skipped)
    if skipped:
        notes.append("Casualty figures left out (review them): " + "; ".join(skipped))
    casualty_sentences = {
        s.start for s in article.sentences for c in casualties if s.start <= c.number.start < s.end
    }
    statements = find_statements(article, entities, dates, casualty_sentences)
    incident = _incident(
        article, entities, g, timeline, pub.date, year_hint, filed_at, match, casualties, notes
    )
    source_slug = _source_slug(article, publisher_slug, pub.date)
    return Draft(
        article_path=path,
        article=article,
        source_slug=source_slug,
        title=article.title.text,
        lede=article.lede.text if article.lede else None,
        published=pub.date,
        published_how=pub.how,
        publisher=publisher_slug,
        publisher_how=publisher_how,
        dateline=dateline,
        dateline_place=dateline_place,
        gazetteer=g,
        entities=entities,
        dates=dates,
        casualties=casualties,
        statements=statements,
        timeline=timeline,
        incident=incident,
        known_incident=match,
        notes=notes,
    )


def _dates(
    article: Article, body_start: int, published: dt.date | None
) -> tuple[list[DateMention], int | None]:
    """The body's dates, resolved, and the year that dates without one take."""
    dates = find_dates(article.text, body_start)
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", article.text)]
    year_hint = published.year if published else (max(years) if years else None)
    resolve(dates, published, year_hint)
    return dates, year_hint


def _incident(
    article: Article,
    entities: Entities,
    g: Gazetteer,
    timeline: list[TimelineFact],
    published: dt.date | None,
    year_hint: int | None,
    filed_at: Span | None,
    match: IncidentMatch | None,
    casualties: list[CasualtyFact],
    notes: list[str],
) -> IncidentFact | None:
    """The new incident the article reports, unless it reports a known one; why not, in
    `notes`."""
    if match is not None:
        notes.append(f"No new incident: the article reports the {match.reason}.")
        return None
    incident = propose_incident(article, entities, g, timeline, published, year_hint, filed_at)
    if incident is None and casualties:
        notes.append(
            f"{len(casualties)} casualty figures left out: no date to place an incident "
            "(give --published-on)"
        )
    return incident


def _read(path: Path) -> Article:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"cannot read the article {path}: {exc.strerror}") from None
    try:
        return read_article(data)
    except UnicodeDecodeError as exc:
        raise DraftError(f"the article {path} is not UTF-8 text (byte {exc.start})") from None
    except ValueError as exc:
        raise DraftError(f"the article {path}: {exc}") from None


def _find_entities(
    article: Article,
    dateline: Dateline | None,
    publisher: str | None,
    g: Gazetteer,
    entities: Entities,
) -> tuple[str | None, str, str | None]:
    """Every entity mention: the publisher's slug and how it was found, the dateline's place."""
    # Most specific first: a span taken by one finder is not taken by the next.
    publisher_slug, publisher_how = _publisher(article, dateline, publisher, g, entities)
    actors.find_known_persons(article, g, entities)
    actors.find_known_organisations(article, g, entities)
    places.find_known_places(article, g, entities)
    places.find_countries(article, g, entities)
    dateline_place = None
    if dateline is not None:
        hint = None
        if dateline.region is not None:
            region = entities.at(dateline.region.start, dateline.region.end)
            hint = region.slug if region is not None and region.table == "place" else None
        dateline_place = places.dateline_place(
            dateline.place.text, dateline.place, hint, g, entities
        )
    known.find_known_actors(article, g, entities)
    skip = {a for a in WIRE_SERVICES if a.isupper()}
    new_organisations.find_new_organisations(article, g, entities, skip)
    actors.find_new_persons(article, g, entities)
    actors.find_roles(article, g, entities)
    forces.find_communities(article, g, entities)
    places.find_new_places(article, g, entities)
    localities.find_localities(article, g, entities)
    forces.find_state_forces(article, g, entities)
    entities.mentions.sort(key=lambda m: (m.start, -m.end))
    return publisher_slug, publisher_how, dateline_place


def _known_incident(
    article: Article,
    entities: Entities,
    g: Gazetteer,
    dates: list[DateMention],
    timeline: list[TimelineFact],
    quoted: list[Span],
    published: dt.date | None,
    year_hint: int | None,
    dateline: Dateline | None,
    filed: set[tuple[str, str]],
) -> tuple[IncidentMatch | None, list[TimelineFact]]:
    """The known incident the article reports, and the timeline (read again when the days
    printed without a year take the incident's year)."""
    filed_at = dateline.span if dateline is not None else None
    country = main_country(article, entities, g, timeline, filed_at)
    match = match_known_incident(article, entities, g, country, dates, published, year_hint, filed)
    if match is None or match.year is None:
        return match, timeline
    resolve(dates, published, match.year)
    for d in dates:
        d.how = d.how.replace(
            f"year {match.year} from the text",
            f"year {match.year} from the known incident {match.incident.slug}",
        )
    return match, build_timeline(article, dates, entities, g, quoted, published)


def _source_slug(article: Article, publisher: str | None, published: dt.date | None) -> str:
    title_words = [
        w
        for w in re.findall(r"[a-z0-9]+", _ascii(article.title.text).lower())
        if w not in _TITLE_STOPWORDS
    ][:3]
    parts = [publisher or "", str(published) if published else "", *title_words]
    return slug("-".join(p for p in parts if p), 12)


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _direct_quotes(article: Article) -> list[Span]:
    out = []
    for m in re.finditer(r"“[^”]+”|\"[^\"\n]+\"", article.text):
        if len(m.group(0).split()) >= 4:
            out.append(Span(m.start(), m.end(), m.group(0)))
    return out


def _publisher(
    article: Article,
    dateline: Dateline | None,
    given: str | None,
    g: Gazetteer,
    entities: Entities,
) -> tuple[str | None, str]:
    """The publisher's organisation slug: --publisher (slug or name), else the dateline's
    agency; known to the gazetteer, else proposed as a new media organisation."""
    agency = dateline.agency if dateline else None
    wanted = given or (agency.text if agency else None)
    if wanted is None:
        return None, "none: the dateline names no agency and --publisher was not given"
    full = WIRE_SERVICES.get(wanted, wanted)
    for o in g.organisations.values():
        forms = {o.slug, o.name.lower(), (o.acronym or "").lower(), *(a.lower() for a in o.aliases)}
        if wanted.lower() in forms or full.lower() in forms:
            if agency is not None and agency.text.lower() in forms | {o.name.lower()}:
                span = _agency_span(article, agency)
                entities.add(
                    Mention(
                        "organisation",
                        o.slug,
                        span.start,
                        span.end,
                        span.text,
                        "the dateline's agency",
                    )
                )
            source = (
                "--publisher"
                if given
                else f"the dateline's agency {agency.text!r}"
                if agency
                else "?"
            )
            return o.slug, f"{source}, known as {o.slug!r}"
    org_slug = slug(full)
    evidence = _agency_span(article, agency) if agency is not None and not given else None
    if evidence is None:
        found = re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", article.text)
        evidence = Span(found.start(), found.end(), found.group(0)) if found else None
    acronym = wanted if wanted.isupper() and wanted != full else None
    entities.organisations[org_slug] = NewOrganisation(
        org_slug,
        full,
        "media",
        evidence or Span(0, 0, ""),
        "the publisher" + (" (given with --publisher)" if given else " (dateline agency)"),
        acronym=acronym,
    )
    if evidence is not None and evidence.text:
        entities.add(
            Mention(
                "organisation", org_slug, evidence.start, evidence.end, evidence.text, "publisher"
            )
        )
    how = "--publisher" if given else f"the dateline's agency {wanted!r}"
    return org_slug, f"{how}; not in the registry: proposed as a new media organisation"


def _agency_span(article: Article, agency: Span) -> Span:
    """The agency with its slashes when the dateline has them: '/TASS/'."""
    text = article.text
    if (
        agency.start > 0
        and text[agency.start - 1] == "/"
        and text[agency.end : agency.end + 1] == "/"
    ):
        return Span(agency.start - 1, agency.end + 1, text[agency.start - 1 : agency.end + 1])
    return agency
