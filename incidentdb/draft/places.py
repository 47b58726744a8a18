"""Places: countries by name and demonym (pycountry), the gazetteer's places, new place names.

pycountry knows every country's ISO name, common name and official name but no demonyms and
few everyday names. Two small tables fill the gap, and only them:

- `EVERYDAY_NAMES`: what news text calls a country when pycountry's names differ
  ("Russia", "Turkey", "Britain"; and "Congo", which wire services use for the Democratic
  Republic of the Congo, while pycountry's "Congo" is the Republic of the Congo).
- `IRREGULAR_DEMONYMS`: demonyms the spelling rules below get wrong ("Chinese", "French").

The rules derive the regular demonyms from the names: Kazakhstan → Kazakh (-stan), Russia →
Russian, Kenya → Kenyan (-a: +n), Mali → Malian, Haiti → Haitian (-i: +an), Mexico →
Mexican (-o: -an), Chile → Chilean (-e: +an), Iraq → Iraqi, Israel → Israeli (consonant: +i).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.model import Entities, Mention, NewPlace, slug
from incidentdb.draft.text import Article, Span

EVERYDAY_NAMES = {
    "Russia": "RU", "Britain": "GB", "Great Britain": "GB", "UK": "GB", "U.K.": "GB",
    "US": "US", "U.S.": "US", "United States of America": "US", "Turkey": "TR",
    "Congo": "CD", "DR Congo": "CD", "DRC": "CD", "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD", "Republic of Congo": "CG",
    "Republic of the Congo": "CG", "Congo-Brazzaville": "CG", "Ivory Coast": "CI",
    "South Korea": "KR", "North Korea": "KP", "Czech Republic": "CZ", "Burma": "MM",
    "Palestine": "PS", "Vatican": "VA", "East Timor": "TL", "Cape Verde": "CV",
    "Swaziland": "SZ", "Macedonia": "MK",
}  # fmt: skip
IRREGULAR_DEMONYMS = {
    "Chinese": "CN", "Japanese": "JP", "Vietnamese": "VN", "Lebanese": "LB", "Sudanese": "SD",
    "South Sudanese": "SS", "Senegalese": "SN", "Congolese": "CD", "Togolese": "TG",
    "Burmese": "MM", "Nepalese": "NP", "Taiwanese": "TW", "Portuguese": "PT",
    "Pakistani": "PK", "Iranian": "IR", "Ukrainian": "UA", "Egyptian": "EG",
    "Belarusian": "BY", "Jordanian": "JO", "Chadian": "TD", "Brazilian": "BR",
    "Canadian": "CA", "Peruvian": "PE", "Norwegian": "NO", "Cameroonian": "CM",
    "Mozambican": "MZ", "Zimbabwean": "ZW", "Somali": "SO", "Nigerien": "NE", "Ivorian": "CI",
    "Burkinabe": "BF", "French": "FR", "British": "GB", "Dutch": "NL", "Swiss": "CH",
    "Greek": "GR", "Turkish": "TR", "Polish": "PL", "Spanish": "ES", "Danish": "DK",
    "Swedish": "SE", "Finnish": "FI", "Irish": "IE", "German": "DE", "Italian": "IT",
    "Hungarian": "HU", "Filipino": "PH", "Thai": "TH", "Emirati": "AE", "Saudi": "SA",
    "American": "US", "Palestinian": "PS", "Cypriot": "CY", "Kyrgyz": "KG", "Belgian": "BE",
    "Afghan": "AF", "Uzbek": "UZ", "Tajik": "TJ", "Turkmen": "TM", "Kazakh": "KZ",
    "Malagasy": "MG", "Bangladeshi": "BD", "Uruguayan": "UY", "Malawian": "MW",
}  # fmt: skip


@dataclass(frozen=True)
class CountryForm:
    iso2: str
    demonym: bool


def country_name(iso2: str) -> str:
    """The name news text uses: everyday name, else pycountry's common or ISO name."""
    import pycountry

    for name, code in EVERYDAY_NAMES.items():
        if code == iso2 and len(name) > 3 and "." not in name and name != "Congo":
            if code not in {"CG", "CD"}:
                return name
    c = pycountry.countries.get(alpha_2=iso2)
    if c is None:
        return iso2
    name = str(getattr(c, "common_name", None) or c.name)
    if iso2 == "CD":
        return "Democratic Republic of the Congo"
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return name


def _demonyms(name: str) -> list[str]:
    if " " in name or "," in name or "(" in name:
        return []
    if name.endswith("stan"):
        return [name[:-4]]
    if name.endswith("a"):
        return [name + "n"]
    if name.endswith("i"):
        return [name + "an"]
    if name.endswith("o"):
        return [name[:-1] + "an"]
    if name.endswith("e"):
        return [name + "an"]
    if name.endswith("y"):
        return []
    return [name + "i"]


@lru_cache(maxsize=1)
def country_forms() -> dict[str, CountryForm]:
    """Every surface form that names a country, to its ISO code; longest forms win later."""
    import pycountry

    forms: dict[str, CountryForm] = {}
    names: list[tuple[str, str]] = []
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if not value or "(" in value:
                continue
            names.append((str(value), c.alpha_2))
            if ", " in value:
                head, tail = str(value).split(", ", 1)
                names.append((f"{tail} {head}", c.alpha_2))
    names.extend(EVERYDAY_NAMES.items())
    for name, code in names:
        if code == "CG" and name == "Congo":
            continue  # see EVERYDAY_NAMES
        forms.setdefault(name, CountryForm(code, False))
        if name.startswith("the "):
            forms.setdefault(name[4:], CountryForm(code, False))
    for dem, code in IRREGULAR_DEMONYMS.items():
        forms.setdefault(dem, CountryForm(code, True))
    for name, code in names:
        for dem in _demonyms(name):
            forms.setdefault(dem, CountryForm(code, True))
    return forms


@lru_cache(maxsize=1)
def _country_regex() -> re.Pattern[str]:
    alternatives = sorted(country_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")


def find_countries(article: Article, g: Gazetteer, entities: Entities) -> list[Mention]:
    """Mentions of countries by name or demonym; countries unknown to the gazetteer are
    proposed as new places with their ISO code as slug."""
    found: list[Mention] = []
    text = article.text
    for m in _country_regex().finditer(text, article.body_start):
        form = country_forms()[m.group(1)]
        known = g.place_by_iso2(form.iso2)
        place_slug = known.slug if known else form.iso2.lower()
        via = f"{'demonym' if form.demonym else 'name'} {m.group(1)!r} → {form.iso2}"
        via += " (gazetteer)" if known else " (pycountry; new place)"
        mention = Mention("place", place_slug, m.start(), m.end(), m.group(1), via)
        if entities.add(mention):
            found.append(mention)
            if known is None and place_slug not in entities.places:
                entities.places[place_slug] = NewPlace(
                    place_slug,
                    country_name(form.iso2),
                    "country",
                    mention.span,
                    f"country {form.iso2} found by {via.split(' → ')[0]}",
                    iso2=form.iso2,
                )
            elif known is None and not form.demonym:
                new = entities.places[place_slug]
                if country_forms()[new.evidence.text].demonym:
                    new.evidence = mention.span  # the name is better evidence than a demonym
    return found


def find_known_places(article: Article, g: Gazetteer, entities: Entities) -> None:
    """The gazetteer's places other than countries, by name (a region name may carry the
    adjective ending -n: 'the Central Asian region')."""
    for p in sorted(g.places.values(), key=lambda p: -len(p.name)):
        if p.kind == "country":
            continue
        suffix = "n?" if p.kind == "supranational_region" and p.name.endswith("a") else ""
        rx = re.compile(
            rf"(?<![\w-]){re.escape(p.name)}{suffix}(?![\w-])",
            re.IGNORECASE if p.name.isupper() else 0,
        )
        for m in rx.finditer(article.text, article.body_start):
            entities.add(
                Mention(
                    "place", p.slug, m.start(), m.end(), m.group(0), f"gazetteer place {p.name!r}"
                )
            )


_KIND_WORDS = {
    "province": "admin1", "region": "admin1", "state": "admin1", "oblast": "admin1",
    "district": "admin2", "county": "admin2", "city": "city", "town": "city",
    "capital": "city", "village": "locality", "neighborhood": "locality",
    "neighbourhood": "locality", "camp": "locality",
}  # fmt: skip
NAME = r"[A-Z][\w'’]*(?:-[A-Z]?[\w'’]+)*"
_PLACE_NOT = {
    "The", "This", "That", "These", "He", "She", "They", "It", "We", "I", "In", "On", "At",
    "But", "And", "A", "An", "His", "Her", "Their", "Its", "Our", "Parliament", "Congress",
    "Government", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov",
    "Dec", "Christmas", "Easter", "Ramadan", "English", "Russian", "Twitter", "Telegram", "X",
    "Facebook", "Instagram", "TikTok", "YouTube", "WhatsApp", "Islam", "God", "Mr", "Mrs",
}  # fmt: skip
_NEW_PLACE_PATTERNS = [
    # "the city of Goma", "the province of North Kivu"
    re.compile(rf"\b(?P<kw>city|town|village|province|region|district|capital)\s+of\s+"
               rf"(?P<name>{NAME}(?:\s+{NAME}){{0,2}})"),
    # "North Kivu province", "Ayacucho region"
    re.compile(rf"(?P<name>{NAME}(?:\s+{NAME}){{0,2}}?)\s+(?P<kw>(?i:province|region|district|"
               rf"oblast|county)|state)\b"),
    # "in Goma", "near Bishkek, Kyrgyzstan"
    re.compile(rf"\b(?:in|near|outside|around|into|from|at|to|toward|towards)\s+"
               rf"(?P<name>{NAME}(?:\s+{NAME}){{0,2}})(?=\s*[,.;:)]|\s+[a-z])"),
]  # fmt: skip


def find_new_places(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Place names the gazetteer lacks, from patterns ('the city of X', 'X province', 'in X')."""
    text = article.text
    for i, rx in enumerate(_NEW_PLACE_PATTERNS):
        for sentence in article.sentences:
            for m in rx.finditer(text, sentence.start, sentence.end):
                name = m.group("name")
                s, e = m.span("name")
                while " " in name and re.fullmatch(r"(?=(?:\w*[A-Z]){2})\w{2,5}", name.split()[-1]):
                    name = name.rsplit(" ", 1)[0]  # "Bentiu PoC": an acronym after the name
                    e = s + len(name)
                words = name.split()
                if words[0] in _PLACE_NOT or any(w in _PLACE_NOT for w in words):
                    continue
                if entities.taken(s, e) or name.upper() == name:
                    continue
                if i == 2 and s == sentence.start:
                    continue
                kind = _KIND_WORDS.get((m.groupdict().get("kw") or "").lower(), "city")
                parent = None
                after = re.match(r",\s+(" + NAME + r"(?:\s+" + NAME + r")?)", text[e : e + 40])
                if after is not None:
                    c = entities.at(e + after.start(1), e + after.end(1))
                    if c is not None and c.table == "place" and _is_country(c.slug, g, entities):
                        parent = c.slug
                place_slug = slug(name)
                if place_slug in g.places:
                    entities.add(Mention("place", place_slug, s, e, name, "gazetteer slug"))
                    continue
                how = ["'city of X'", "'X province'", "'in X'"][i]
                entities.add(Mention("place", place_slug, s, e, name, f"new place ({how})"))
                if place_slug not in entities.places:
                    entities.places[place_slug] = NewPlace(
                        place_slug,
                        name,
                        kind,
                        Span(s, e, name),
                        f"pattern {how}; kind {kind} guessed" + ("" if i < 2 else " (default)"),
                        parent=parent,
                    )


def _is_country(place_slug: str, g: Gazetteer, entities: Entities) -> bool:
    known = g.places.get(place_slug)
    if known is not None:
        return known.kind == "country"
    new = entities.places.get(place_slug)
    return new is not None and new.kind == "country"


def country_of(place_slug: str, g: Gazetteer, entities: Entities) -> str | None:
    """The country a place lies in (itself for a country), following parents."""
    seen: set[str] = set()
    current: str | None = place_slug
    while current is not None and current not in seen:
        seen.add(current)
        if _is_country(current, g, entities):
            return current
        known = g.places.get(current)
        new = entities.places.get(current)
        current = known.parent if known else (new.parent if new else None)
    return None


def inside_other_actor(m: Mention, country: str, g: Gazetteer, entities: Entities) -> bool:
    """A country's name inside an organisation's name that is not that country's own
    ("Sudan" in "Sudan People's Liberation Army-in-Opposition", a South Sudanese group)."""
    for o in entities.mentions:
        if o.table == "organisation" and o.start <= m.start and m.end <= o.end:
            new = entities.organisations.get(o.slug)
            known = g.organisations.get(o.slug)
            own = new.country if new else known.country if known else None
            return own != country
    return False


def is_country_slug(place_slug: str, g: Gazetteer, entities: Entities) -> bool:
    return _is_country(place_slug, g, entities)


def dateline_place(
    name: str, span: Span, country_hint: str | None, g: Gazetteer, entities: Entities
) -> str:
    """The slug of the dateline's place: known by name, else proposed as a new city."""
    for p in g.places.values():
        if p.name.lower() == name.lower():
            entities.add(
                Mention(
                    "place",
                    p.slug,
                    span.start,
                    span.end,
                    span.text,
                    f"dateline, gazetteer place {p.name!r}",
                )
            )
            return p.slug
    pretty = name.title() if name.isupper() else name
    place_slug = slug(pretty)
    entities.add(Mention("place", place_slug, span.start, span.end, span.text, "dateline"))
    entities.places.setdefault(
        place_slug,
        NewPlace(
            place_slug,
            pretty,
            "city",
            span,
            "the dateline's place; kind city assumed",
            parent=country_hint,
        ),
    )
    return place_slug
