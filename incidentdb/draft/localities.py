"""Towns, villages and regions the registry lacks, placed in their country offline.

Short event reports name a village and its district rather than the country: "in the
village of Y (district, region)", "in the area of X", "near X", "between X and Y", "on the
X-Y road". Each name is resolved with `geonames.resolve`; the country is the one most of the
text's place names can lie in (a country the text names first), and every place found gets
its parent chain up to that country, so the incident's country follows from its places.
"""

from __future__ import annotations

import re

from incidentdb.draft import geonames
from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.model import Entities, Mention, NewPlace, slug
from incidentdb.draft.places import NAME, country_name, country_of, inside_other_actor
from incidentdb.draft.text import Article, Span

_N = rf"{NAME}(?:\s+{NAME}){{0,2}}"
PATTERNS = [
    (
        re.compile(
            rf"(?:\b(?P<kw>village|town|city|locality|camp)\s+(?:of\s+)?)?(?P<name>{_N})\s*\("
            rf"(?P<a>{_N})(?:,\s*(?P<b>{_N}))?(?:\s+(?:district|county|region|state|province))?"
            r"\)"
        ),
        "'Y (district, region)'",
    ),
    (re.compile(rf"\bbetween\s+(?P<name>{_N})\s+and\s+(?P<b>{_N})"), "'between X and Y'"),
    (
        re.compile(
            r"(?P<name>[A-Z][\w'’]+)[-–](?P<b>[A-Z][\w'’]+)\s+(?i:road|highway|axis|route|corridor)"
        ),
        "'X-Y road'",
    ),
    (
        # "in Lekuangole, Pibor district, Jonglei State": the district and region after it
        re.compile(
            rf"(?<=[a-z])(?:\s+(?:district|county|region|state|province|prefecture|territory"
            rf"|cercle|department|town|village))?,\s+(?P<name>{_N})(?=\s*(?:[.,;(]|$)|\s+[a-z])"
        ),
        "'X, its district, its region'",
    ),
    (
        re.compile(
            r"\b(?:in\s+the\s+(?:area|vicinity|region|outskirts|surroundings)\s+of|near|outside"
            r"|around|[Ii]n|at|from|to|towards?|of|between|and)\s+(?:the\s+)?"
            rf"(?P<name>{_N})"
        ),
        "'in/near X'",
    ),
    # "leaving Abeibara", "the capital Mogadishu": a known subdivision or town anywhere
    (re.compile(rf"(?<=[a-z,]\s)(?P<name>{_N})"), "'a name'"),
]
# Kinds of place that a bare name ("'a name'") may stand for: not a village of the same name.
_BARE_KINDS = {"admin1", "admin2", "city"}
# Words of a subdivision that one country alone uses: "Minga payam", "Chiro kebele".
_UNITS = {"payam": ("SS", "admin3"), "kebele": ("ET", "admin3"), "woreda": ("ET", "admin3")}
_UNIT = re.compile(rf"(?P<name>{_N})\s+(?P<unit>(?i:payam|kebele|woreda))s?\b")
_KINDS = {"village": "locality", "camp": "locality", "locality": "locality", "town": "city"}


def _names(article: Article, entities: Entities) -> list[tuple[Span, str, str | None]]:
    """(name span, how, kind word) for every candidate place name, in text order."""
    text = article.text
    out: list[tuple[Span, str, str | None]] = []
    seen: set[int] = set()
    for rx, how in PATTERNS:
        for m in rx.finditer(text, article.body_start):
            for group in ("name", "a", "b"):
                if group not in rx.groupindex or m.group(group) is None:
                    continue
                s, e = m.span(group)
                name = m.group(group)
                while (
                    " " in name
                    and name.split()[-1] in geonames.NOT_PLACES
                    and not geonames.resolve(name)
                ):
                    name = name.rsplit(" ", 1)[0]
                    e = s + len(name)
                if s in seen or _actor_at(entities, s, e):
                    continue
                seen.add(s)
                kw = m.groupdict().get("kw") if group == "name" else None
                if how == "'X-Y road'" and group == "name":
                    whole = text[s : m.end("b")]
                    if geonames.resolve(whole):  # "the Kaga-Bandoro axis": one town
                        seen.add(m.start("b"))
                        out.append((Span(s, m.end("b"), whole), how, kw))
                        continue
                out.append((Span(s, e, name), how, kw))
    return sorted(out, key=lambda x: x[0].start)


def _actor_at(entities: Entities, s: int, e: int) -> bool:
    return any(m.start < e and s < m.end and m.table != "place" for m in entities.mentions)


def _text_countries(g: Gazetteer, entities: Entities, demonyms: bool = False) -> list[str]:
    """ISO codes of the countries the text names, in text order: by a name (a place's, or
    the country's own), or with `demonyms` only by a demonym ("a Kenyan driver" tells the
    driver's nationality, not where the event happened)."""
    out: list[str] = []
    for m in sorted(entities.mentions, key=lambda m: m.start):
        if m.table != "place" or m.via.startswith("demonym") != demonyms:
            continue
        c = country_of(m.slug, g, entities)
        if c is None or inside_other_actor(m, c, g, entities):
            continue
        iso = _iso(c, g, entities)
        if iso and iso not in out:
            out.append(iso)
    return out


def _iso(place_slug: str, g: Gazetteer, entities: Entities) -> str | None:
    known = g.places.get(place_slug)
    if known is not None:
        return known.iso2
    new = entities.places.get(place_slug)
    return new.iso2 if new else None


def _votes(
    resolved: list[tuple[Span, str, str | None, list[geonames.GeoPlace]]],
) -> dict[str, float]:
    """Each name votes once for every country it may lie in: a subdivision and a large town
    the most, a name with many countries or that is another language's name of the place
    the least, the first name a little more."""
    votes: dict[str, float] = {}
    seen: set[str] = set()
    for i, (span, _, _, cands) in enumerate(resolved):
        if geonames.key(span.text) in seen:
            continue  # a name written twice is one place
        seen.add(geonames.key(span.text))
        weight: dict[str, float] = {}
        for p in cands[:8]:
            # a subdivision's population is not known here: it weighs as a large town
            w = 1.5 if p.kind.startswith("admin") else 1 + min(p.population, 10**6) / 10**6
            if geonames.key(p.name) != geonames.key(span.text):
                w = 0.5  # another language's name of the place ("Minga" for Munich)
            weight[p.iso2] = max(weight.get(p.iso2, 0), w)
        for iso2, w in weight.items():
            votes[iso2] = votes.get(iso2, 0) + w / len(weight) ** 0.5 * (1.2 if i == 0 else 1)
    return votes


def _resolve(
    span: Span, how: str, kw: str | None, countries: set[str]
) -> tuple[Span, str, str | None, list[geonames.GeoPlace]]:
    """The candidates of a name; a longer name that GeoNames lacks stands for the place it
    holds: without an acronym or a word such as Camp after it ("Bentiu POC"), without a
    word of direction before it ("Eastern Tigray", "New Fangak")."""
    cands = geonames.resolve(span.text, countries)
    if how == "'a name'":
        cands = [p for p in cands if p.kind in _BARE_KINDS]
    words = span.text.split()
    while not cands and len(words) > 1 and _qualifier(words[-1]):
        words = words[:-1]
        cands = geonames.resolve(" ".join(words), countries)
        if cands:
            span = Span(span.start, span.start + len(" ".join(words)), " ".join(words))
    if not cands and len(words) > 1 and words[0] in _DIRECTIONS:
        rest = " ".join(words[1:])
        cands = geonames.resolve(rest, countries)
        if cands:
            start = span.start + span.text.index(rest, len(words[0]))
            span = Span(start, start + len(rest), rest)
    if not cands:
        cands = geonames.resolve_misspelt(span.text)  # "Jongeli State"
    if not cands and len(words) > 1:
        # "Duk Payuel", "Deraja Wau": a village named after the county or town it lies in
        for word in (words[0], words[-1]):
            found = [
                p
                for p in geonames.resolve(word, countries)
                if p.kind.startswith("admin") or p.population >= 50_000
            ]
            if found:
                start = (
                    span.start + span.text.index(word)
                    if word == words[0]
                    else (span.end - len(word))
                )
                return Span(start, start + len(word), word), how, kw, found
    return span, how, kw, cands


_DIRECTIONS = {
    "North", "South", "East", "West", "Central", "Eastern", "Western", "Northern", "Southern",
    "Upper", "Lower", "New", "Greater",
}  # fmt: skip


def _qualifier(word: str) -> bool:
    """A word after a place's name that is not part of it: an acronym, 'Camp', 'Town'."""
    return word in geonames.NOT_PLACES or (len(word) <= 5 and sum(c.isupper() for c in word) >= 2)


def find_localities(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Place names resolved in GeoNames and ISO 3166-2, each with its parent chain."""
    names = _names(article, entities)
    named = _text_countries(g, entities)
    resolved = [_resolve(span, how, kw, set(named)) for span, how, kw in names]
    votes = _votes(resolved)
    for iso2 in _text_countries(g, entities, demonyms=True):
        votes[iso2] = votes.get(iso2, 0) + 0.5
    units = []
    for m in _UNIT.finditer(article.text, article.body_start):
        iso2, kind = _UNITS[m.group("unit").lower()]
        votes[iso2] = votes.get(iso2, 0) + 3
        units.append((Span(m.start("name"), m.end("name"), m.group("name")), iso2, kind))
    actors: dict[str, Span] = {}
    for o in entities.organisations.values():  # a national body or a host country's mission
        if o.country and o.kind in {"military_force", "armed_group", "intergovernmental_body"}:
            iso = _iso(o.country, g, entities) or o.country.upper()
            votes[iso] = votes.get(iso, 0) + 1.5
            actors.setdefault(iso, o.evidence)
    # a named country that the text's places may lie in before one merely named
    named = sorted(named, key=lambda c: -votes.get(c, 0))
    order = named + [c for c in sorted(votes, key=lambda c: -votes[c]) if c not in named]
    # a country the text names only, where none of its places lies ("flown to Kenya"),
    # comes after the one its places lie in
    country = next((c for c in order if votes.get(c)), named[0] if named else None)
    if country is None:
        return
    if country in actors and country not in named:
        _country_slug(country, g, entities, actors[country], "an armed actor of it")
    for span, iso2, kind in units:
        if iso2 != country:
            continue
        existing = entities.at(span.start, span.end)
        new = entities.places.get(existing.slug) if existing is not None else None
        if existing is None:
            _add(entities, g, span, kind, country, f"'X {kind}', a subdivision of {iso2}", None)
        elif new is not None and new.parent is None and new.kind != "country":
            new.parent = _country_slug(country, g, entities, span)
            new.kind = kind
            new.how += f"; a subdivision of {country}, by the word after it"
    for span, how, kw, cands in resolved:
        best = next((p for p in cands if p.iso2 == country), None)
        existing = entities.at(span.start, span.end)
        if best is None:
            if not how.startswith("'Y ("):
                continue
            new = entities.places.get(existing.slug) if existing is not None else None
            if new is not None and new.parent is None and new.kind != "country":
                new.parent = _country_slug(country, g, entities, span)
                new.how += f"; in {country}, the country of its district and region"
            elif existing is None and kw is not None:
                _add(entities, g, span, _KINDS.get(kw, "locality"), country, how, None)
            continue
        if existing is not None and existing.table == "place":
            new = entities.places.get(existing.slug)
            if new is not None and new.kind != "country" and new.parent is None:
                new.parent = _country_slug(country, g, entities, span)
                new.how += f"; in {country} (GeoNames: {best.name})"
            continue
        if existing is not None:
            continue
        _add(entities, g, span, _KINDS.get(kw or "", best.kind), country, how, best)


def _add(
    entities: Entities,
    g: Gazetteer,
    span: Span,
    kind: str,
    country: str,
    how: str,
    best: geonames.GeoPlace | None,
) -> None:
    place_slug = slug(span.text)
    if place_slug in g.places:
        entities.add(Mention("place", place_slug, span.start, span.end, span.text, "gazetteer"))
        return
    source = f"GeoNames/ISO 3166-2: {best.name}, {best.iso2}" if best else "its region's country"
    entities.add(
        Mention("place", place_slug, span.start, span.end, span.text, f"new place ({how})")
    )
    entities.places.setdefault(
        place_slug,
        NewPlace(
            place_slug,
            span.text,
            kind,
            span,
            f"pattern {how}; {source}; kind {kind}",
            parent=_country_slug(country, g, entities, span),
        ),
    )


def _country_slug(
    iso2: str, g: Gazetteer, entities: Entities, evidence: Span, what: str = "a place in it"
) -> str:
    """The country's slug: the registry's, the draft's, or a new country placed by `evidence`
    (the name of a place that lies in it, or of an armed actor of that country)."""
    known = g.place_by_iso2(iso2)
    if known is not None:
        return known.slug
    for p in entities.places.values():
        if p.iso2 == iso2:
            return p.slug
    place_slug = iso2.lower()
    entities.places[place_slug] = NewPlace(
        place_slug,
        country_name(iso2),
        "country",
        evidence,
        f"the country of {evidence.text!r} ({what}; GeoNames/ISO 3166-2 and the shipped "
        "registry); the text does not name it",
        iso2=iso2,
    )
    return place_slug
