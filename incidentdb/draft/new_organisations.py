"""New organisations: names the gazetteer lacks, proposed from patterns in the article
("Collective Security Treaty Organization (CSTO)", "... Ministry", "Kazakh authorities",
"M23 rebels", unknown acronyms)."""

from __future__ import annotations

import re

from incidentdb.draft.actors import (
    ARMED_GROUP_WORDS,
    CONNECTORS,
    GENERIC_BODIES,
    NAME_TOKEN,
    NOT_ACRONYMS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    SENTENCE_WORDS,
)
from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.model import Entities, Mention, NewOrganisation, slug
from incidentdb.draft.places import IRREGULAR_DEMONYMS, country_forms
from incidentdb.draft.text import Article, Span


def _capitalised_run(text: str, end: int) -> list[tuple[int, int, str]]:
    """The words before `end` that can belong to a name: capitalised words and connectors."""
    words = list(re.finditer(r"[\w'’.&-]+", text[max(0, end - 160) : end]))
    base = max(0, end - 160)
    run: list[tuple[int, int, str]] = []
    for w in reversed(words):
        token = w.group(0)
        between = text[base + w.end() : (run[0][0] if run else end)]
        if between.strip():
            break
        if token[0].isupper() or token.lower() in CONNECTORS or token[0].isdigit():
            run.insert(0, (base + w.start(), base + w.end(), token))
        else:
            break
    while run and run[0][2].lower() in CONNECTORS:
        run.pop(0)
    return run


def _new_org(entities: Entities, org: NewOrganisation) -> str:
    """Add a proposed organisation, merging with one of the same acronym or name."""
    for existing in entities.organisations.values():
        same_acronym = org.acronym and existing.acronym == org.acronym
        if same_acronym or existing.name.lower() == org.name.lower():
            if org.acronym and not existing.acronym:
                existing.acronym = org.acronym
            return existing.slug
    key = org.slug
    n = 2
    while key in entities.organisations:
        key = f"{org.slug}-{n}"
        n += 1
    org.slug = key
    entities.organisations[key] = org
    return key


def _kind_of(name: str) -> str:
    last = name.split()[-1] if name.split() else ""
    if re.search(rf"\b{ARMED_GROUP_WORDS}\b", name, re.I):
        return "armed_group"
    if "Security Council" in name:
        return "intergovernmental_body"
    return ORG_HEADS.get(last, ORG_HEADS.get(last.title(), "other"))


def find_new_organisations(
    article: Article, g: Gazetteer, entities: Entities, skip: set[str]
) -> None:
    """Organisations the gazetteer lacks: 'Name (ACR)', names ending in a head word
    ('... Ministry', '... Council'), a country's generic bodies ('Kyrgyz authorities'),
    armed groups ('M23 rebels', 'the Islamic State group'), and unknown acronyms."""
    known_acronyms = {o.acronym for o in g.organisations.values() if o.acronym} | skip
    _bracketed_acronyms(article, entities, skip, known_acronyms)
    _head_word_names(article, entities)
    _country_bodies(article, entities)
    _armed_groups(article, entities)
    _claimants_and_media(article, entities)
    _acronyms_again(article, entities, skip)


def _bracketed_acronyms(
    article: Article, entities: Entities, skip: set[str], known_acronyms: set[str]
) -> None:
    """Names with their acronym in brackets: 'Collective Security Treaty Organization (CSTO)'."""
    text = article.text
    start = article.body_start
    for m in re.finditer(r"\((?P<acr>[A-Z][A-Za-z0-9&.-]{1,9})\)", text[start:]):
        acr = m.group("acr")
        s = start + m.start()
        run = _capitalised_run(text, s - 1 if text[s - 1] == " " else s)
        letters = [c for c in acr if c.isupper()]
        chosen = None
        for i in range(len(run)):
            content = [w for w in run[i:] if w[2].lower() not in CONNECTORS]
            if run[i][2][0].upper() == letters[0] and len(content) >= max(2, len(letters) - 2):
                chosen = run[i:]
                break
        if chosen is None or acr in skip:
            continue
        name_start, name_end = chosen[0][0], chosen[-1][1]
        name = text[name_start:name_end]
        if _actor_at(entities, name_start, name_end):
            existing = _actor_at(entities, name_start, name_end)
            if existing is not None and existing.table == "organisation":
                entities.add(
                    Mention(
                        "organisation",
                        existing.slug,
                        start + m.start("acr"),
                        start + m.end("acr"),
                        acr,
                        "acronym in brackets",
                    )
                )
            continue
        evidence = Span(name_start, start + m.end(), text[name_start : start + m.end()])
        org_slug = _new_org(
            entities,
            NewOrganisation(
                slug(acr) if acr not in known_acronyms else slug(name),
                name,
                _kind_of(name),
                evidence,
                "pattern 'Name (ACRONYM)'",
                acronym=acr,
            ),
        )
        _replace(
            entities,
            Mention(
                "organisation",
                org_slug,
                name_start,
                start + m.end(),
                evidence.text,
                "new organisation 'Name (ACRONYM)'",
            ),
        )


def _head_word_names(article: Article, entities: Entities) -> None:
    """Names ending in a head word: 'Kenya National Commission on Human Rights'."""
    text = article.text
    heads = "|".join(ORG_HEADS)
    rx = re.compile(
        rf"(?P<name>(?:(?:{NAME_TOKEN}|U\.N\.|U\.S\.)\s+(?:(?:of|for|on|and)\s+(?:the\s+)?)?){{1,5}}"
        rf"(?:{heads})(?:\s+(?:of|on|for)\s+(?:the\s+)?{NAME_TOKEN}(?:\s+(?:and\s+)?"
        rf"{NAME_TOKEN}){{0,3}})?)(?![\w-])"
    )
    for sentence in article.sentences:
        for m in rx.finditer(text, sentence.start, sentence.end):
            s, e = m.span("name")
            words = text[s:e].split()
            while words and (
                words[0]
                in NOT_NAME_WORDS
                - {
                    "National",
                    "Human",
                    "Collective",
                    "Security",
                    "Interior",
                    "Health",
                    "Islamic",
                    "State",
                    "Emergency",
                }
                or words[0].lower() in CONNECTORS
            ):
                s = text.index(words[0], s) + len(words[0])
                while text[s] == " ":
                    s += 1
                words.pop(0)
            if len(words) < 2 or _actor_at(entities, s, e):
                continue
            if any(w.rstrip(".").lower() in {"president", "minister"} for w in words):
                continue
            name = text[s:e]
            org_slug = _new_org(
                entities,
                NewOrganisation(
                    slug(name),
                    name,
                    _kind_of(name),
                    Span(s, e, name),
                    f"name ends in {words[-1]!r}; kind guessed from it",
                ),
            )
            _replace(
                entities, Mention("organisation", org_slug, s, e, name, "new organisation name")
            )


def _country_bodies(article: Article, entities: Entities) -> None:
    """A country's generic bodies: 'Kazakh authorities', "Kyrgyzstan's health ministry"."""
    text = article.text
    start = article.body_start
    forms = "|".join(re.escape(f) for f in sorted(country_forms(), key=len, reverse=True))
    bodies = "|".join(re.escape(b) for b in sorted(GENERIC_BODIES, key=len, reverse=True))
    rx = re.compile(
        rf"(?<![\w.])(?P<country>{forms}|U\.N\.|UN)(?:['’]s)?\s+(?P<body>{bodies})\b"
        r"(?!\s+(?:officers?|officials?|chief|spokes\w+|commander|vehicles))",
        re.I,
    )
    for m in rx.finditer(text, start):
        if not m.group("country")[0].isupper() or not m.group("body").islower():
            continue
        s, e = m.span()
        if _actor_at(entities, s, e):
            continue
        name = m.group(0)
        country = entities.at(m.start("country"), m.end("country"))
        org = NewOrganisation(
            slug(name),
            name[0].upper() + name[1:],
            GENERIC_BODIES[m.group("body").lower()],
            Span(s, e, name),
            f"a country's {m.group('body').lower()}",
            country=country.slug if country is not None and country.table == "place" else None,
        )
        org_slug = _new_org(entities, org)
        _replace(entities, Mention("organisation", org_slug, s, e, name, "new organisation"))


def _armed_groups(article: Article, entities: Entities) -> None:
    """Armed groups: 'M23 rebels', 'the Islamic State group'."""
    text = article.text
    rx = re.compile(
        rf"(?P<name>(?:[A-Z][\w-]*\s+){{0,2}}[A-Z][\w-]*)\s+(?P<w>{ARMED_GROUP_WORDS})\b"
    )
    for sentence in article.sentences:
        for m in rx.finditer(text, sentence.start, sentence.end):
            s, e = m.span("name")
            name = m.group("name")
            if name.split()[0] in NOT_NAME_WORDS or name in IRREGULAR_DEMONYMS:
                continue
            if name in country_forms():
                continue
            existing = entities.at(s, e)
            if existing is not None:
                continue
            org_slug = _new_org(
                entities,
                NewOrganisation(
                    slug(name),
                    name,
                    "armed_group",
                    Span(s, m.end(), text[s : m.end()]),
                    f"'{name} {m.group('w')}'",
                    acronym=name if name.isupper() else None,
                ),
            )
            entities.add(Mention("organisation", org_slug, s, e, name, "new armed group"))


def _claimants_and_media(article: Article, entities: Entities) -> None:
    """'Islamic State claimed responsibility': an armed group; 'its Amaq news agency': media."""
    text = article.text
    for rx, kind, how in (
        (
            re.compile(
                rf"(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,3}})\s+(?:has\s+|have\s+)?"
                r"claimed\s+responsibility"
            ),
            "armed_group",
            "claimed responsibility",
        ),
        (
            re.compile(
                rf"(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,2}}\s+(?:news\s+agency"
                r"|news\s+outlet|newspaper|broadcaster|television|radio))\b"
            ),
            "media",
            "name of a news medium",
        ),
    ):
        for sentence in article.sentences:
            for m in rx.finditer(text, sentence.start, sentence.end):
                s, e = m.span("name")
                name = m.group("name")
                if name.split()[0] in SENTENCE_WORDS or _actor_at(entities, s, e):
                    continue
                org_slug = _new_org(
                    entities, NewOrganisation(slug(name), name, kind, Span(s, e, name), how)
                )
                _replace(entities, Mention("organisation", org_slug, s, e, name, how))


def _acronyms_again(article: Article, entities: Entities, skip: set[str]) -> None:
    """Acronyms met again: a proposed organisation's acronym, or an unknown one."""
    text = article.text
    start = article.body_start
    for m in re.finditer(
        r"(?<![\w.])([A-Z](?:[A-Z0-9]{1,5}|\.[A-Z]\.(?:[A-Z]\.)?))(?![\w])", text[start:]
    ):
        acr = m.group(1)
        s, e = start + m.start(1), start + m.end(1)
        if acr in NOT_ACRONYMS or acr in country_forms() or entities.taken(s, e):
            continue
        if acr in skip or acr.replace(".", "") in skip:
            continue
        plain = acr.replace(".", "")
        match = next(
            (o for o in entities.organisations.values() if o.acronym in (acr, plain)), None
        )
        if match is not None:
            entities.add(Mention("organisation", match.slug, s, e, acr, "acronym"))
            continue
        if acr.isdigit() or len(plain) < 2 or not any(c.isalpha() for c in plain):
            continue
        around = article.sentence_at(s)
        if around is not None and around.text.isupper():
            continue
        org_slug = _new_org(
            entities,
            NewOrganisation(
                slug(plain),
                acr,
                "other",
                Span(s, e, acr),
                "unknown acronym; name and kind to fill in",
                acronym=plain,
            ),
        )
        entities.add(Mention("organisation", org_slug, s, e, acr, "new acronym"))


def _actor_at(entities: Entities, s: int, e: int) -> Mention | None:
    """An organisation or person mention overlapping [s, e) (places may overlap names:
    'Kenya' in 'Kenya National Commission on Human Rights')."""
    for m in entities.mentions:
        if m.start < e and s < m.end and m.table != "place":
            return m
    return None


def _replace(entities: Entities, mention: Mention) -> None:
    """Add an organisation mention that may contain place mentions (the country in
    "Kyrgyzstan's health ministry" stays a place mention beside it)."""
    entities.mentions.append(mention)
