"""Organisations and persons: the gazetteer's, matched by name, acronym and alias; new ones
proposed from patterns ("Collective Security Treaty Organization (CSTO)", "President
Kassym-Jomart Tokayev", "Stanislav Zas, the CSTO secretary general"), with their roles."""

from __future__ import annotations

import re

from incidentdb.draft.gazetteer import Gazetteer, KnownOrganisation
from incidentdb.draft.model import Entities, Mention, PersonEntry, Role, slug
from incidentdb.draft.places import country_forms, country_of
from incidentdb.draft.text import Article, Span

CONNECTORS = {"of", "for", "the", "and", "on", "in", "de", "des", "du", "la", "al"}
# Head words that end an organisation's name, and the kind each suggests.
ORG_HEADS = {
    "Ministry": "state_agency", "Department": "state_agency", "Agency": "state_agency",
    "Service": "state_agency", "Bureau": "state_agency", "Directorate": "state_agency",
    "Office": "state_agency", "Committee": "state_agency", "Police": "state_agency",
    "Court": "state_agency", "Commission": "other", "Council": "intergovernmental_body",
    "Organization": "intergovernmental", "Organisation": "intergovernmental",
    "Union": "intergovernmental", "Nations": "intergovernmental",
    "Alliance": "intergovernmental", "Community": "intergovernmental",
    "Forces": "military_force", "Force": "military_force", "Army": "military_force",
    "Guard": "military_force", "Brigade": "military_force", "Brigades": "military_force",
    "Party": "political_party", "Front": "armed_group", "Movement": "armed_group",
    "Mission": "other", "Parliament": "government", "Assembly": "government",
    "Government": "government", "Cross": "ngo", "Crescent": "ngo", "Watch": "ngo",
    "International": "ngo", "Fund": "ngo", "Programme": "intergovernmental_body",
    "Program": "intergovernmental_body", "Institute": "other", "Federation": "other",
}  # fmt: skip
# "Kazakh authorities", "Kyrgyzstan's health ministry": a country's bodies, named generically.
GENERIC_BODIES = {
    "authorities": "government", "government": "government", "officials": "government",
    "police": "state_agency", "military": "military_force", "army": "military_force",
    "armed forces": "military_force", "security forces": "military_force",
    "troops": "military_force", "border guards": "military_force",
    "border service": "state_agency", "national guard": "military_force",
    "health ministry": "state_agency", "interior ministry": "state_agency",
    "defense ministry": "state_agency", "defence ministry": "state_agency",
    "foreign ministry": "state_agency", "emergencies ministry": "state_agency",
    "emergency situations ministry": "state_agency", "presidential office": "government",
    "forces": "military_force", "defense force": "military_force",
    "defence force": "military_force",
    "ministry": "state_agency", "refugee agency": "intergovernmental_body",
    "election commission": "state_agency", "parliament": "government",
}  # fmt: skip
ARMED_GROUP_WORDS = r"(?:rebels|rebel group|militants|insurgents|militia|fighters|gangs?|group)"
NOT_ACRONYMS = {
    "I", "A", "AM", "PM", "TV", "OK", "US", "UK", "EU?", "GMT", "UTC", "CEO", "ID", "II",
    "III", "IV", "COVID", "AIDS", "HIV", "NO", "AP", "AFP", "UPI", "AK",
    # kinds of organisation or of people, not organisations: "an INGO staff member"
    "NGO", "NGOs", "INGO", "INGOs", "NNGO", "NNGOs", "LNGO", "LNGOs", "IDP", "IDPs", "PoC",
    "POC", "IED", "IEDs", "UXO", "RPG", "VBIED", "SVBIED", "GBV", "SGBV", "WASH", "NFI",
    "HQ", "GPS", "SUV", "MP", "MPs", "CSO", "CBO", "FBO",
    # generic words of field reports: a non-state armed group, an armed opposition group,
    # local time, compass points, a vehicle-borne IED, Ebola virus disease
    "NSAG", "NSAGs", "AOG", "AOGs", "LT", "N", "S", "E", "W", "NE", "NW", "SE", "SW", "VIED",
    "EVD",
}  # fmt: skip

NAME_TOKEN = r"[A-Z\u00c0-\u00de][\w'’]*(?:-[\w'’]+)*"
PERSON_NAME = (
    rf"{NAME_TOKEN}(?:\s+(?:(?:al|el|bin|ibn|de|da|dos|van|von|le|la)[-\s])?{NAME_TOKEN}){{1,3}}"
)
TITLES = [
    "Secretary General", "Secretary-General", "Deputy Secretary General", "Prime Minister",
    "Deputy Prime Minister", "Vice President", "President", "Foreign Minister",
    "Defense Minister", "Defence Minister", "Interior Minister", "Health Minister",
    "Justice Minister", "Information Minister", "Minister", "Lt. Gen.", "Maj. Gen.", "Gen.",
    "General", "Colonel", "Col.", "Commander", "Chief", "Governor", "Mayor", "Ambassador",
    "Special Envoy", "Envoy", "Spokesman", "Spokeswoman", "Spokesperson", "Chairman",
    "Chairwoman", "Director", "Director-General", "Leader", "Head", "King", "Queen", "Sen.",
    "Senator", "Judge", "Commissioner", "Archbishop", "Pope", "Emir", "Sheikh", "Speaker",
    "Police Chief", "Army Chief", "Chief of Staff", "Prosecutor General", "Prosecutor",
    "Colonel Major", "Col. Maj.", "Major", "Maj.", "Captain", "Capt.", "Lieutenant", "Lt.",
    "Sergeant", "Sgt.", "Brigadier General", "Brigadier", "Marshal", "Admiral", "Adm.",
]  # fmt: skip
_TITLE_RX = "|".join(
    re.escape(t).replace(r"\ ", r"\s+") for t in sorted(TITLES, key=len, reverse=True)
)
TITLE_RE = re.compile(rf"(?i:{_TITLE_RX})")
_FORMER = r"(?:(?P<former>former|ex-|then-|acting|interim)\s*)?"
_SPEECH = (
    r"(?:said|says|told|added|explained|stressed|noted|emphasized|emphasised|pointed out"
    r"|warned|announced|declared|stated|wrote|insisted|claimed|affirmed|affirm|affirms"
    r"|confirmed|reported|acknowledged|urged|argued|asserted|called)"
)
NOT_NAME_WORDS = {
    "The", "This", "That", "But", "And", "He", "She", "They", "It", "In", "On", "At", "As",
    "According", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.",
    "Nov.", "Dec.", "Police", "Officials", "Rebels", "Authorities", "Government", "Army",
    "State", "Security", "Council", "Ministry", "Forces", "Force", "Troops", "President",
    "Minister", "Several", "Many", "Some", "Most", "Both", "Thousands", "Hundreds", "Dozens",
    "Protesters", "Witnesses", "Residents", "Doctors", "Human", "Rights", "National",
    "Interior", "Health", "Emergency", "Collective", "Mission", "Kremlin", "Islamic",
    "Major", "Colonel", "General", "Captain", "Lieutenant", "Sergeant", "Brigadier",
}  # fmt: skip


SENTENCE_WORDS = {
    "The", "This", "That", "These", "Those", "But", "And", "He", "She", "They", "It", "In",
    "On", "At", "As", "According", "Its", "His", "Her", "Their", "A", "An",
}  # fmt: skip


def find_known_organisations(article: Article, g: Gazetteer, entities: Entities) -> None:
    """The gazetteer's organisations, by name, acronym, alias, and name without the parent's
    acronym ('the collective rapid response force' for 'CSTO Collective Rapid Response Force')."""
    forms: list[tuple[str, str, bool]] = []  # (form, slug, case-insensitive)
    for o in g.organisations.values():
        for form in _org_forms(o, g):
            forms.append((form, o.slug, len(form.split()) > 1))
    forms.sort(key=lambda f: -len(f[0]))
    for form, org_slug, insensitive in forms:
        rx = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", re.I if insensitive else 0)
        for m in rx.finditer(article.text, article.body_start):
            entities.add(
                Mention(
                    "organisation",
                    org_slug,
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"gazetteer organisation {form!r}",
                )
            )


def _org_forms(o: KnownOrganisation, g: Gazetteer) -> list[str]:
    forms = [o.name, *o.aliases]
    if o.acronym:
        forms.append(o.acronym)
    parent = g.organisations.get(o.parent) if o.parent else None
    if parent is not None:
        for prefix in (parent.acronym, parent.name):
            if prefix and o.name.startswith(prefix + " ") and len(o.name.split()) > 2:
                forms.append(o.name[len(prefix) + 1 :])
    return [f for f in forms if f]


def find_known_persons(article: Article, g: Gazetteer, entities: Entities) -> None:
    """The gazetteer's persons by full name, and by surname once the full name has appeared."""
    for p in sorted(g.persons.values(), key=lambda p: -len(p.name)):
        full = list(re.finditer(rf"(?<![\w-]){re.escape(p.name)}(?![\w-])", article.text))
        for m in full:
            entities.add(
                Mention(
                    "person", p.slug, m.start(), m.end(), m.group(0), f"gazetteer person {p.name!r}"
                )
            )
        if full:
            entities.persons.setdefault(
                p.slug,
                PersonEntry(
                    p.slug,
                    p.name,
                    "gazetteer",
                    known=True,
                    description=p.description,
                ),
            )
            _surname_mentions(article, entities, p.slug, p.name, full[0].end())


def _surname_mentions(
    article: Article, entities: Entities, slug_: str, name: str, after: int
) -> None:
    surname = name.split()[-1]
    if len(surname) < 4:
        return
    for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", article.text):
        if m.start() >= after:
            entities.add(Mention("person", slug_, m.start(), m.end(), surname, "surname"))


def find_new_persons(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Persons the gazetteer lacks: after a title ('President William Ruto'), in an
    apposition ('Stanislav Zas, the CSTO secretary general'), or next to a speech verb."""
    text = article.text
    patterns = [
        (
            re.compile(rf"(?:(?<=\s)|^)(?P<title>{TITLE_RE.pattern})\s+(?P<name>{PERSON_NAME})"),
            "title + name",
        ),
        (
            re.compile(
                rf"(?P<name>{PERSON_NAME}),\s+(?:the\s+|a\s+|an\s+)?"
                rf"(?:[\w.'’-]+\s+){{0,5}}?(?P<title>{TITLE_RE.pattern})(?=[\s,.])"
            ),
            "apposition",
        ),
        (re.compile(rf"(?P<name>{PERSON_NAME})\s+{_SPEECH}\b"), "name + speech verb"),
        (
            re.compile(rf"\b(?:said|says|according\s+to)\s+(?P<name>{PERSON_NAME})"),
            "speech verb + name",
        ),
    ]
    for rx, how in patterns:
        for sentence in article.sentences:
            for m in rx.finditer(text, sentence.start, sentence.end):
                s, e = m.span("name")
                name = m.group("name")
                while name.split()[0] in NOT_NAME_WORDS or name.split()[0] in country_forms():
                    if len(name.split()) <= 2:
                        name = ""
                        break
                    cut = name.index(" ") + 1
                    s += cut
                    name = name[cut:]
                if not name or _not_a_person(name, entities, s, e):
                    continue
                person_slug = slug(name)
                if person_slug in g.persons:
                    entry = entities.persons.setdefault(
                        person_slug,
                        PersonEntry(
                            person_slug,
                            g.persons[person_slug].name,
                            "gazetteer slug",
                            known=True,
                            description=g.persons[person_slug].description,
                        ),
                    )
                else:
                    entry = entities.persons.setdefault(
                        person_slug, PersonEntry(person_slug, name, f"pattern {how}")
                    )
                if entry.evidence is None and not entry.known:
                    entry.evidence = Span(s, e, name)
                entities.add(Mention("person", person_slug, s, e, name, f"new person ({how})"))
                _surname_mentions(article, entities, person_slug, name, e)


def _not_a_person(name: str, entities: Entities, s: int, e: int) -> bool:
    words = name.split()
    if len(words) < 2:
        return True
    if any(w in NOT_NAME_WORDS or w.rstrip(".") in ORG_HEADS for w in words[1:]):
        return True
    if any(w in country_forms() for w in words):
        return True
    if entities.taken(s, e):
        return True
    return any(w.isupper() and len(w) > 1 for w in words)


def find_roles(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Roles of the persons found: 'CSTO former Secretary General Nikolay Bordyuzha',
    'Kazakh President Kassym-Jomart Tokayev', 'Stanislav Zas, the CSTO secretary general'."""
    text = article.text
    for person in list(entities.mentions):
        if person.table != "person":
            continue
        entry = entities.persons.get(person.slug)
        if entry is None:
            continue
        # Before the name: [ORG|DEMONYM] [former] TITLE NAME
        before = text[max(0, person.start - 90) : person.start]
        m = re.search(rf"(?P<title>{TITLE_RE.pattern})\s+$", before)
        role: Role | None = None
        if m is not None:
            t_start = person.start - len(before) + m.start("title")
            pre = text[max(0, t_start - 60) : t_start]
            f = re.search(r"(?P<former>former|ex-|then-|acting|interim)\s*$", pre, re.I)
            q_start = t_start - (len(pre) - f.start()) if f else t_start
            lead = _leading_body(text, entities, g, q_start)
            start_quote = lead[1] if lead else q_start
            role = _role(
                text[t_start : person.start - len(before) + m.end("title")],
                Span(start_quote, person.end, text[start_quote : person.end]),
                lead[0] if lead else None,
                f is not None,
                g,
                entities,
            )
        else:
            after = re.match(
                rf",\s+(?:the\s+|a\s+|an\s+)?(?P<former>former\s+|ex-)?(?P<desc>(?:[\w.'’-]+\s+)"
                rf"{{0,5}}?)(?P<title>{TITLE_RE.pattern})(?=[\s,.])",
                text[person.end : person.end + 120],
            )
            if after is not None:
                d_start = person.end + after.start("desc")
                d_end = person.end + after.end("desc")
                body = _body_in(entities, g, d_start, d_end)
                end = person.end + after.end("title")
                role = _role(
                    after.group("title"),
                    Span(person.start, end, text[person.start : end]),
                    body,
                    after.group("former") is not None,
                    g,
                    entities,
                )
        if role is not None and not any(
            r.title == role.title and r.organisation == role.organisation for r in entry.roles
        ):
            entry.roles.append(role)


def _leading_body(
    text: str, entities: Entities, g: Gazetteer, before: int
) -> tuple[tuple[str, str], int] | None:
    """An organisation or country named just before a title: (('organisation'|'country',
    slug), start)."""
    for m in sorted(entities.mentions, key=lambda m: -m.end):
        if m.end <= before and not text[m.end : before].strip(" ’'s"):
            if m.table == "organisation":
                return ("organisation", m.slug), m.start
            if m.table == "place" and country_of(m.slug, g, entities) == m.slug:
                return ("country", m.slug), m.start
    return None


def _body_in(entities: Entities, g: Gazetteer, s: int, e: int) -> tuple[str, str] | None:
    for m in entities.within(s, e):
        if m.table == "organisation":
            return ("organisation", m.slug)
        if m.table == "place" and country_of(m.slug, g, entities) == m.slug:
            return ("country", m.slug)
    return None


def _role(
    title: str,
    evidence: Span,
    body: tuple[str, str] | None,
    former: bool,
    g: Gazetteer,
    entities: Entities,
) -> Role:
    words = " ".join(title.split()).replace("Secretary-General", "Secretary General")
    pretty = " ".join(w if w[0].isupper() else w.title() for w in words.split())
    organisation = None
    if body is not None and body[0] == "organisation":
        organisation = body[1]
    elif body is not None:
        place = g.places.get(body[1])
        name = (
            place.name
            if place
            else (entities.places[body[1]].name if body[1] in entities.places else body[1])
        )
        pretty = f"{pretty} of {name}"
    return Role(pretty, evidence, organisation, former)
