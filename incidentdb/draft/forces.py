"""Armed actors that event reports name without a proper name of their own:

- identity militias, named by their community: "Murle perpetrators", "armed Fulani
  tribesmen", "Karamojong raiders" (ACLED codes them as the community's militia);
- in a short report, a country's state forces named by a generic word: "police officers",
  "security forces", "government troops". With the country the text's places lie in, they
  are the country's armed forces when the shipped registry knows them ("government troops"
  in South Sudan: the SSPDF), else a force proposed under the text's own word with that
  country.

Each is proposed as a new organisation, marked `# review`: the words name a force, not its
full name.
"""

from __future__ import annotations

import re

from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.geonames import NOT_PLACES, resolve
from incidentdb.draft.incident import main_country
from incidentdb.draft.known import known_actors
from incidentdb.draft.model import Entities, Mention, NewOrganisation, slug
from incidentdb.draft.places import country_forms
from incidentdb.draft.text import Article, Span

_MEMBERS = (
    r"tribesm[ae]n|militia(?:men)?|perpetrators|fighters|raiders|herders|youths?|gunmen"
    r"|attackers|assailants|elements|cattle\s+raiders"
)
_COMMUNITY = re.compile(
    rf"(?<![\w-])(?P<name>[A-Z][a-z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]+)?)\s+(?P<w>(?i:{_MEMBERS}))\b"
)
# Capitalised words before such a noun that name no community.
_NOT_COMMUNITY = {
    "Suspected", "Unidentified", "Unknown", "Armed", "Local", "Several", "Other", "Some",
    "Many", "Few", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Angry", "Rival", "Heavily", "Young", "Male", "Female", "Criminal", "Government",
    "Opposition", "Rebel", "Militia", "Islamist", "Jihadist", "Alleged", "Presumed", "Masked",
    "Hostile", "Former", "Ex", "Violent", "Bandit", "Intoxicated", "Cattle", "Community",
}  # fmt: skip
_GENERIC = re.compile(
    r"(?<![\w-])(?:(?P<gov>government|state)\s+)?(?P<word>police(?:\s+officers|men)?|policemen"
    r"|security\s+forces|security\s+personnel|security\s+services|military|soldiers|troops"
    r"|army|armed\s+forces|joint\s+forces?)\b(?!\s+(?:station|post|headquarters|base|camp|checkpoint))",
    re.IGNORECASE,
)
_NAMES = {
    "police": "Police", "police officers": "Police", "policemen": "Police",
    "security forces": "Security Forces", "security personnel": "Security Forces",
    "security services": "Security Forces", "joint force": "Joint Force",
    "joint forces": "Joint Force", "military": "Military", "army": "Army",
    "armed forces": "Armed Forces", "soldiers": "Armed Forces", "troops": "Armed Forces",
}  # fmt: skip
_NATIONAL = {"military", "soldiers", "troops", "army", "armed forces"}


# "armed men, suspected to be Misseriya": the attackers' community, named alone
_TO_BE = re.compile(
    r"\b(?:suspected|believed|reported|thought|said)\s+to\s+be\s+(?:from\s+the\s+)?"
    r"(?P<name>[A-Z][a-z][\w'’-]+)\b(?![\w'’-]|\s+[A-Z])"
)


def find_communities(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Identity militias named by their community ('Murle perpetrators', 'suspected to be
    Misseriya')."""
    text = article.text
    starts = {s.start for s in article.sentences}
    found = [(m, m.group("w")) for m in _COMMUNITY.finditer(text, article.body_start)]
    found += [(m, "") for m in _TO_BE.finditer(text, article.body_start)]
    for m, word in found:
        name, s, e = m.group("name"), m.start("name"), m.end("name")
        words = name.split()
        if words[0] in _NOT_COMMUNITY or any(w in NOT_PLACES for w in words) or s in starts:
            continue  # a capitalised word at a sentence's start may be any word
        if name in country_forms() or entities.taken(s, m.end()):
            continue
        if not word and resolve(name):
            continue  # "believed to be Bor": a place
        end = m.end() if word else e
        org_slug = slug(f"{name} militia")
        if org_slug not in entities.organisations:
            entities.organisations[org_slug] = NewOrganisation(
                org_slug,
                f"{name} Militia",
                "armed_group",
                Span(s, end, text[s:end]),
                f"{text[s:end]!r}: an identity militia named by its community; "
                "give it the name the sources use",
                aliases=[name, *_designation(name, word)],
            )
        entities.add(Mention("organisation", org_slug, s, e, name, "identity militia"))


def _designation(name: str, word: str) -> list[str]:
    """The text's words when they name the group as one ('Arab tribesmen', 'Fulani
    militia'), not when they only tell what its members did ('Murle raiders')."""
    if word and re.fullmatch(r"(?i:tribesm[ae]n|militia(?:men)?)", word):
        return [f"{name} {word}"]
    return []


def find_state_forces(article: Article, g: Gazetteer, entities: Entities) -> None:
    """A country's forces named by a generic word ('police officers', 'security forces'), in
    a short report, where they are actors; in a full article such words are more often
    the ones who respond or speak, and the coder names them."""
    if not article.brief:
        return
    text = article.text
    country: str | None = None
    looked = False
    for m in _GENERIC.finditer(text, article.body_start):
        s, e = m.span()
        if entities.taken(s, e) or _in_a_name(article, m):
            continue
        if not looked:
            country, looked = main_country(article, entities, g, []), True
        word = " ".join(m.group("word").lower().split())
        span = Span(s, e, m.group(0))
        national = _national(country, g, entities, span) if word in _NATIONAL else None
        if word in _NATIONAL and national is None and country is None:
            continue  # "soldiers" of no known country: the text does not say whose
        org_slug = national or _generic(word, country, span, entities)
        entities.add(Mention("organisation", org_slug, s, e, m.group(0), f"state force {word!r}"))


def _in_a_name(article: Article, m: re.Match[str]) -> bool:
    """'the National Police', 'Kenya Police Service': part of a proper name; or a word
    capitalised inside a sentence."""
    text = article.text
    first = m.group(0)
    if first[0].isupper() and not any(m.start() == s.start for s in article.sentences):
        return True
    before = re.search(r"([A-Z][\w'’-]*)\s+$", text[max(0, m.start() - 30) : m.start()])
    after = re.match(r"\s+([A-Z][\w'’-]*)", text[m.end() : m.end() + 30])
    return before is not None and before.group(1) not in {"The", "A", "An"} or after is not None


def _national(country: str | None, g: Gazetteer, entities: Entities, span: Span) -> str | None:
    """The slug of the country's armed forces, from the shipped registry."""
    place = g.places.get(country) if country else None
    new = entities.places.get(country) if country else None
    iso2 = place.iso2 if place else new.iso2 if new else None
    if iso2 is None:
        return None
    for actor in known_actors():
        if actor.national and actor.country == iso2:
            known = next((o for o in g.organisations.values() if o.name == actor.name), None)
            if known is not None:
                return known.slug
            if actor.slug not in entities.organisations:
                entities.organisations[actor.slug] = NewOrganisation(
                    actor.slug,
                    actor.name,
                    actor.kind,
                    span,
                    f"a well-known actor ({actor.source}; shipped registry): the country's "
                    "forces, named by a generic word",
                    acronym=actor.acronym,
                    country=country,
                    aliases=list(actor.aliases),
                )
            return actor.slug
    return None


def _generic(word: str, country: str | None, span: Span, entities: Entities) -> str:
    name = _NAMES[word]
    org_slug = slug(f"{country} {name}" if country else name)
    if org_slug not in entities.organisations:
        entities.organisations[org_slug] = NewOrganisation(
            org_slug,
            name,
            "state_agency" if name == "Police" else "military_force",
            span,
            f"a state force named only {word!r}"
            + (f", of the country of the text's places ({country})" if country else "")
            + "; give it its full name or the registry's",
            country=country,
        )
    return org_slug
