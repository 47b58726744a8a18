"""What the drafter finds: mentions of known entities and proposals of new ones, with quotes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from incidentdb.draft.text import Span


def slug(text: str, words: int = 8) -> str:
    """A slug from any text: ASCII, lower case, words joined by '-'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_ = re.sub(r"['’]s\b", "", ascii_)
    parts = re.findall(r"[a-z0-9]+", ascii_.replace("'", "").lower())
    return "-".join(parts[:words]) or "x"


@dataclass(frozen=True)
class Mention:
    """A span of the article that names an entity (known or proposed) by its slug."""

    table: str  # place | organisation | person
    slug: str
    start: int
    end: int
    text: str
    via: str  # how it was recognised, for the review comment

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass
class NewPlace:
    slug: str
    name: str
    kind: str
    evidence: Span
    how: str
    iso2: str | None = None
    parent: str | None = None


@dataclass
class NewOrganisation:
    slug: str
    name: str
    kind: str
    evidence: Span
    how: str
    acronym: str | None = None
    country: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Role:
    title: str
    evidence: Span
    organisation: str | None = None
    former: bool = False


@dataclass
class PersonEntry:
    slug: str
    name: str
    how: str
    known: bool = False
    description: str | None = None
    evidence: Span | None = None
    roles: list[Role] = field(default_factory=list)


@dataclass
class Entities:
    """Every entity mention in the article, and the entities the gazetteer lacks."""

    mentions: list[Mention] = field(default_factory=list)
    places: dict[str, NewPlace] = field(default_factory=dict)
    organisations: dict[str, NewOrganisation] = field(default_factory=dict)
    persons: dict[str, PersonEntry] = field(default_factory=dict)

    def taken(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.mentions)

    def add(self, mention: Mention) -> bool:
        """Add a mention unless it overlaps one already found (earlier finders win)."""
        if self.taken(mention.start, mention.end):
            return False
        self.mentions.append(mention)
        return True

    def within(self, start: int, end: int, table: str | None = None) -> list[Mention]:
        return sorted(
            (
                m
                for m in self.mentions
                if m.start >= start and m.end <= end and (table is None or m.table == table)
            ),
            key=lambda m: m.start,
        )

    def at(self, start: int, end: int) -> Mention | None:
        for m in self.mentions:
            if m.start < end and start < m.end:
                return m
        return None
