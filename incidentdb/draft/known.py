"""Well-known actors shipped with the project (data/known_actors.yaml), beside the registry.

UN peace operations, regional organisations and their missions, national armed forces,
widely reported armed groups, the Red Cross movement and the UN's humanitarian agencies,
each with its acronym, aliases and the source its name can be checked in. `seed draft`
proposes the ones an article names as new organisations (each marked `# review` with its
source) unless the user's registry or the database already has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from incidentdb.draft.gazetteer import Gazetteer
from incidentdb.draft.model import Entities, Mention, NewOrganisation
from incidentdb.draft.places import country_forms
from incidentdb.draft.text import Article, Span

FIELDS = {"slug", "name", "kind", "acronym", "aliases", "country", "national", "source"}
NATIONAL_WORDS = ["armed forces", "army", "military", "soldiers", "troops", "forces"]


@dataclass(frozen=True)
class KnownActor:
    slug: str
    name: str
    kind: str
    source: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2
    national: bool = False

    def forms(self) -> list[str]:
        """Every way the text may name it: name, acronym, aliases, and for a country's
        armed forces the demonym with army/forces/soldiers/troops ('Malian soldiers')."""
        out = [self.name, *self.aliases]
        if self.acronym:
            out.append(self.acronym)
        if self.national and self.country:
            for form, c in country_forms().items():
                if c.iso2 == self.country and c.demonym:
                    out.extend(f"{form} {w}" for w in NATIONAL_WORDS)
        return out


def _entry(raw: dict[str, Any]) -> KnownActor:
    unknown = set(raw) - FIELDS
    if unknown:
        raise ValueError(f"{raw.get('slug')}: unknown fields {sorted(unknown)}")
    return KnownActor(
        slug=str(raw["slug"]),
        name=str(raw["name"]),
        kind=str(raw["kind"]),
        source=str(raw["source"]),
        acronym=str(raw["acronym"]) if raw.get("acronym") else None,
        aliases=tuple(str(a) for a in raw.get("aliases") or []),
        country=str(raw["country"]) if raw.get("country") else None,
        national=bool(raw.get("national", False)),
    )


@lru_cache(maxsize=1)
def known_actors() -> tuple[KnownActor, ...]:
    """The shipped entries, in file order."""
    import yaml

    text = files("incidentdb.draft").joinpath("data/known_actors.yaml").read_text("utf-8")
    return tuple(_entry(raw) for raw in yaml.safe_load(text))


def _in_registry(actor: KnownActor, g: Gazetteer) -> bool:
    names = {actor.name.lower(), *(a.lower() for a in actor.aliases)}
    for o in g.organisations.values():
        if o.slug == actor.slug or o.name.lower() in names:
            return True
        if actor.acronym and o.acronym == actor.acronym:
            return True
    return False


@lru_cache(maxsize=1)
def _forms() -> list[tuple[re.Pattern[str], KnownActor, str]]:
    out = []
    for actor in known_actors():
        for form in actor.forms():
            flags = re.I if len(form.split()) > 1 else 0
            rx = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)
            out.append((rx, actor, form))
    out.sort(key=lambda f: -len(f[2]))
    return out


def _inside_a_name(text: str, m: re.Match[str]) -> bool:
    """'UN' in 'UN Security Council', 'Red Cross' in 'South Sudan Red Cross': part of a
    longer name, which the other finders read."""
    after = re.match(r"\s+([A-Z][a-z]+)", text[m.end() : m.end() + 30])
    before = re.search(r"([A-Z][a-z]+)\s+$", text[max(0, m.start() - 30) : m.start()])
    if after is not None and after.group(1) not in {"On", "In", "At", "The", "And"}:
        return True
    return before is not None and " " in m.group(0) and before.group(1) not in {"The", "A"}


def find_known_actors(article: Article, g: Gazetteer, entities: Entities) -> None:
    """Mentions of shipped actors the registry lacks, proposed as new organisations."""
    for rx, actor, form in _forms():
        if _in_registry(actor, g):
            continue
        for m in rx.finditer(article.text, article.body_start):
            s, e = m.start(), m.end()
            actor_there = any(
                x.start < e and s < x.end and x.table != "place" for x in entities.mentions
            )  # a country's demonym may sit inside: "Malian soldiers"
            if actor_there or _inside_a_name(article.text, m):
                continue
            if actor.slug not in entities.organisations:
                country = None
                if actor.country:
                    known = g.place_by_iso2(actor.country)
                    country = known.slug if known else actor.country.lower()
                entities.organisations[actor.slug] = NewOrganisation(
                    actor.slug,
                    actor.name,
                    actor.kind,
                    Span(m.start(), m.end(), m.group(0)),
                    f"a well-known actor ({actor.source}; shipped registry)",
                    acronym=actor.acronym,
                    country=country,
                    aliases=list(actor.aliases),
                )
            entities.mentions.append(
                Mention(
                    "organisation",
                    actor.slug,
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"shipped registry {form!r}",
                )
            )
