"""Timeline entries from dated events, and the one incident the article is about."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from incidentdb.draft.dates import DateMention, DayRange
from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.model import Entities
from incidentdb.draft.places import country_name, country_of, inside_other_actor, is_country_slug
from incidentdb.draft.text import Article, Span

# Checked in order: the first kind whose keywords the event's words contain wins.
TIMELINE_KINDS: list[tuple[str, str]] = [
    ("emergency_lifted", r"state\s+of\s+emergency\b.{0,60}\b(?:lifted|ended|revoked|cancel+ed)"
     r"|(?:lift(?:ed)?|end(?:ed)?)\s+the\s+state\s+of\s+emergency|curfew\s+was\s+lifted"),
    ("emergency_declared", r"state\s+of\s+emergency|martial\s+law|curfew"),
    ("order_restored", r"\b(?:order|calm|control)\b.{0,60}\brestored|restored\s+(?:law\s+and\s+)?"
     r"order|regained\s+control"),
    ("withdrawal", r"\bwithdr[ae]w|\bwithdrawal|\bpull(?:ed)?\s+out\b|\bleft\s+the\s+country"),
    ("deployment", r"\bdeploy|\barriv(?:ed|al)\b|\bsent\s+(?:troops|forces|police)|\bdispatched"),
    ("meeting", r"\bmeeting\b|\bsummit\b|\btalks\b|\bmet\b|\bconvened\b"),
    ("claim", r"\bclaim(?:ed|s)?\s+responsibility|\bcoup\s+was\s+attempted|\battempted\s+coup"
     r"|\bcoup\s+attempt"),
    ("casualties", r"\bkilled\b|\bdead\b|\bdied\b|\binjured\b|\bwounded\b|\bdeath\s+toll"),
    ("riot", r"\briot|\bransack|\bloot|\btorch|\bset\s+(?:on\s+)?fire|\bstormed\b"),
    ("escalation", r"\bescalat|\bintensif|\bclash|\bfighting\b|\boffensive\b|\bcaptur|\bseiz"
     r"|\battack|\bshell(?:ing|ed)\b|\bopened\s+fire"),
    ("protest", r"\bprotest|\bdemonstrat|\brall(?:y|ies|ied)\b|\bmarch(?:ed|es)?\b"),
]  # fmt: skip
UNDATED_KINDS = {"claim", "deployment", "meeting", "emergency_declared", "withdrawal"}
_SPEECH_ONLY = re.compile(
    r"\b(?:said|says|told|press\s+conference|news\s+conference|briefing"
    r"|interview|statement)\b",
    re.I,
)

# Incident types by keyword; the type with most hits wins, ties in this order.
INCIDENT_TYPES: list[tuple[str, str, str]] = [
    ("attack", "attack", r"\battack|\bgunmen\b|\bbombing|\bsuicide\b|\bopened\s+fire|\bassault"),
    ("explosion", "explosion", r"\bexplosion|\bblast\b|\bexploded"),
    ("armed_clash", "clashes", r"\bclash|\bfighting\b|\boffensive\b|\bshelling|\bbattle\b"
     r"|\bcaptur|\bseiz|\bincursion"),
    ("coup_attempt", "coup-attempt", r"\bcoup\b"),
    ("riot", "riots", r"\briot|\bransack|\bloot"),
    ("protest", "protests", r"\bprotest|\bdemonstrat|\brall(?:y|ies)\b"),
    ("unrest", "unrest", r"\bunrest\b|\bupheaval\b|\bturmoil\b"),
    ("strategic_development", "deployment", r"\bdeploy|\bpeacekeep|\bmission\b"),
]  # fmt: skip


@dataclass
class TimelineFact:
    when: DayRange
    kind: str
    description: str
    quote: Span
    how: str
    place: str | None = None
    dated: bool = True


@dataclass
class IncidentFact:
    slug: str
    title: str
    type: str
    when: DayRange
    quote: Span
    how: str
    country: str | None = None
    places: list[str] = field(default_factory=list)
    timeline: list[TimelineFact] = field(default_factory=list)


def timeline_kind(words: str) -> str:
    for kind, pattern in TIMELINE_KINDS:
        if re.search(pattern, words, re.I):
            return kind
    return "other"


def event_segment(article: Article, d: DateMention, dates: list[DateMention]) -> Span | None:
    """The words a date belongs to: from the previous date (or the sentence start) to the
    date, or from the date to the next one when the sentence opens with it."""
    sentence = article.sentence_at(d.start)
    if sentence is None:
        return None
    others = [x for x in dates if sentence.start <= x.start < sentence.end and x is not d]
    lead = article.text[sentence.start : d.start].strip(" ,").lower()
    if lead in {"", "on", "by", "since", "and"}:  # the sentence opens with the date
        nxt = min((x.start for x in others if x.start > d.start), default=sentence.end)
        return article.quote(sentence.start, nxt)
    prev = max((x.end for x in others if x.end <= d.start), default=sentence.start)
    return article.quote(prev, d.end)


def build_timeline(
    article: Article,
    dates: list[DateMention],
    entities: Entities,
    g: Gazetteer,
    quoted: list[Span],
    published: dt.date | None,
) -> list[TimelineFact]:
    """One entry per resolved date that dates an event (not a statement, not inside a quote),
    plus undated entries for deployments, meetings and claims."""
    out: list[TimelineFact] = []
    dated_sentences: set[int] = set()
    for d in dates:
        if d.resolved is None or any(q.start <= d.start < q.end for q in quoted):
            continue
        seg = event_segment(article, d, dates)
        if seg is None or not seg.text:
            continue
        kind = timeline_kind(seg.text)
        if kind == "other" and _SPEECH_ONLY.search(seg.text):
            continue  # a date of speech: it goes to the statement
        dated_sentences.add(seg.start)
        out.append(
            TimelineFact(
                d.resolved,
                kind,
                _describe(seg.text),
                seg,
                f"{d.text!r}: {d.how}; kind from keywords",
                _place_in(entities, g, seg),
            )
        )
    first = min((t.when.start for t in out), default=published)
    if first is None or published is None:
        return out
    for sentence in article.sentences:
        if any(d.start >= sentence.start and d.end <= sentence.end for d in dates):
            continue
        if any(q.start <= sentence.start < q.end for q in quoted):
            continue
        for kind, pattern in TIMELINE_KINDS:
            if kind not in UNDATED_KINDS:
                continue
            hit = re.search(pattern, sentence.text, re.I)
            if hit is None:
                continue
            quote = clause(article, sentence, sentence.start + hit.start())
            out.append(
                TimelineFact(
                    DayRange(min(first, published), max(first, published)),
                    kind,
                    _describe(quote.text),
                    quote,
                    "undated: between the first dated event and publication",
                    _place_in(entities, g, quote),
                    dated=False,
                )
            )
    return out


def clause(article: Article, sentence: Span, at: int) -> Span:
    """The clause of `sentence` around offset `at`: between commas, semicolons and dashes."""
    text = article.text
    start = (
        max((m.end() for m in re.finditer(r"[,;:—]\s", text[sentence.start : at])), default=0)
        + sentence.start
    )
    nxt = re.search(r"[,;:—]\s", text[at : sentence.end])
    end = at + nxt.start() if nxt else sentence.end
    return article.quote(start, end)


def _describe(words: str) -> str:
    d = " ".join(words.split()).strip(" ,;")
    d = d[0].upper() + d[1:] if d else d
    return d if d.endswith(".") else d + "."


def _place_in(entities: Entities, g: Gazetteer, seg: Span) -> str | None:
    places = entities.within(seg.start, seg.end, "place")
    cities = [m for m in places if not is_country_slug(m.slug, g, entities)]
    if cities:
        return cities[0].slug
    return None


def main_country(
    article: Article,
    entities: Entities,
    g: Gazetteer,
    timeline: list[TimelineFact],
    filed_at: Span | None = None,
) -> str | None:
    """The country the body mentions most (mentions inside dated events count double, the
    dateline's and a demonym's half: they say where the report was filed and who someone
    is), the first mentioned on a tie."""
    countries = Counter[str]()
    first_seen: dict[str, int] = {}
    body = article.paragraphs[0].start if article.paragraphs else 0
    for m in entities.mentions:
        if m.start < body or m.table == "person":
            continue
        if m.table == "organisation":  # "the SPLA-IO": an armed actor of one country
            c = _actor_country(m.slug, g, entities)
            if c is not None:
                countries[c] += 1
                first_seen.setdefault(c, m.start)
            continue
        c = country_of(m.slug, g, entities)
        if c is not None and inside_other_actor(m, c, g, entities):
            continue  # "Sudan" in "Sudan People's Liberation Army-in-Opposition"
        if c is not None:
            weight = 4 if any(t.quote.start <= m.start < t.quote.end for t in timeline) else 2
            if filed_at is not None and filed_at.start <= m.start < filed_at.end:
                weight = 1
            elif m.via.startswith("demonym"):  # "a Kenyan driver": a nationality
                weight //= 2
            elif c != m.slug:  # a town or region: where something happened
                weight += 1
            countries[c] += weight
            first_seen.setdefault(c, m.start)
    return max(countries, key=lambda c: (countries[c], -first_seen[c])) if countries else None


_ARMED_KINDS = {"military_force", "armed_group", "intergovernmental_body"}


def _actor_country(org_slug: str, g: Gazetteer, entities: Entities) -> str | None:
    """The country slug of an armed force, armed group or mission with one."""
    new = entities.organisations.get(org_slug)
    known = g.organisations.get(org_slug)
    kind = new.kind if new else known.kind if known else None
    country = new.country if new else known.country if known else None
    if kind not in _ARMED_KINDS or country is None:
        return None
    return country if country in g.places or country in entities.places else None


def propose_incident(
    article: Article,
    entities: Entities,
    g: Gazetteer,
    timeline: list[TimelineFact],
    published: dt.date | None,
    year_hint: int | None,
    filed_at: Span | None = None,
) -> IncidentFact | None:
    """One incident spanning the dated events: type, country and slug from keywords."""
    body = article.text[article.paragraphs[0].start :] if article.paragraphs else ""
    scores = Counter({code: len(re.findall(rx, body, re.I)) for code, _, rx in INCIDENT_TYPES})
    kinds = {t.kind for t in timeline}
    if (scores["protest"] and scores["riot"]) or {"protest", "riot"} <= kinds:
        scores["unrest"] += scores["protest"] + scores["riot"] + scores["coup_attempt"] + 1
    order = [c for c, _, _ in INCIDENT_TYPES]
    best = max(order, key=lambda c: (scores[c], -order.index(c)))
    itype = best if scores[best] else "other"
    word = next((w for c, w, _ in INCIDENT_TYPES if c == itype), "incident")
    country = main_country(article, entities, g, timeline, filed_at)
    dated = [t for t in timeline if t.dated]
    if not dated and not article.sentences:
        return None
    if dated:
        when = DayRange(min(t.when.start for t in dated), max(t.when.end for t in dated))
        how_when = "from the first to the last dated event"
    elif published is not None:
        when = DayRange(published, published)
        how_when = "no dated event: the publication date; widen it"
    else:
        return None
    cname = _country_display(country, g, entities) if country else None
    year = when.start.year
    slug_ = "-".join(x for x in [str(year), _slugword(cname) if cname else None, word] if x)
    title_word = {
        "unrest": "unrest",
        "protests": "protests",
        "riots": "riots",
        "clashes": "clashes",
        "coup-attempt": "coup attempt",
    }.get(word, word)
    title = f"{when.start:%B} {year} {title_word}" + (f" in {cname}" if cname else "")
    quote = (
        dated[0].quote
        if dated
        else (article.quote(article.sentences[0].start, article.sentences[0].end))
    )
    places = []
    for t in timeline:
        if t.place and t.place not in places:
            places.append(t.place)
    how = (
        f"type {itype} from keyword counts ({', '.join(f'{k} {v}' for k, v in scores.items() if v)}"
        f"); country {country or 'unknown'} is the most mentioned; dates {how_when}"
    )
    return IncidentFact(slug_, title, itype, when, quote, how, country, places, timeline)


def _slugword(name: str) -> str:
    from incidentdb.draft.model import slug

    return slug(name)


def _country_display(country: str, g: Gazetteer, entities: Entities) -> str:
    known = g.places.get(country)
    if known is not None:
        return known.name
    new = entities.places.get(country)
    if new is not None and new.iso2:
        return country_name(new.iso2)
    return new.name if new else country
