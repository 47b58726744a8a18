"""What the database already knows: places, organisations and persons with their names.

The gazetteer is read from registry files (seed files without a `source`) and, when it can
be reached, from the database. The draft refers to what it finds here by slug.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class KnownPlace:
    slug: str
    name: str
    kind: str
    iso2: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class KnownOrganisation:
    slug: str
    name: str
    kind: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class KnownPerson:
    slug: str
    name: str
    description: str | None = None


@dataclass
class KnownIncident:
    """An incident another file (or the database) defines, and the entities tied to it: its
    places and actors, and who reported its figures or spoke about it, in any file."""

    slug: str
    title: str
    type: str
    start: dt.date
    end: dt.date
    country: str | None = None
    defined_in: Path | None = None  # the seed file that defines it; None: the database
    defined_by: str | None = None  # sha256 of the article whose seed defines it
    # (table, slug, sha256 of the article that ties it to the incident, "" if unknown)
    links: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class Gazetteer:
    places: dict[str, KnownPlace] = field(default_factory=dict)
    organisations: dict[str, KnownOrganisation] = field(default_factory=dict)
    persons: dict[str, KnownPerson] = field(default_factory=dict)
    incidents: dict[str, KnownIncident] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # registry files the draft may refer to
    from_database: set[tuple[str, str]] = field(default_factory=set)  # (table, slug)

    def place_by_iso2(self, iso2: str) -> KnownPlace | None:
        for p in self.places.values():
            if p.iso2 == iso2:
                return p
        return None

    def known(self, table: str, keys: set[str]) -> set[str]:
        """For the validator: the keys the database holds (registry files are given as files)."""
        return {k for k in keys if (table, k) in self.from_database}


def registry_files(paths: Iterable[Path]) -> list[Path]:
    """Registry files among `paths` (folders are searched): YAML files without a `source`."""
    out: list[Path] = []
    for p in yaml_files(paths):
        data = load_yaml(p)
        if isinstance(data, dict) and "source" not in data:
            out.append(p)
    return out


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Every seed file under `paths` (folders are searched), drafts left out."""
    out: list[Path] = []
    for given in paths:
        candidates = sorted(given.rglob("*.y*ml")) if given.is_dir() else [given]
        for p in candidates:
            if p.suffix in (".yaml", ".yml") and not p.name.endswith((".draft.yaml", ".draft.yml")):
                out.append(p)
    return out


def load_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError):
        return None


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def read_registry(paths: Iterable[Path], gazetteer: Gazetteer | None = None) -> Gazetteer:
    """Add the places, organisations and persons of the registry files under `paths`, and
    the incidents that any seed file there defines (article seeds included)."""
    from incidentdb.draft.known_incidents import read_incidents

    paths = list(paths)
    g = gazetteer or Gazetteer()
    read_incidents(paths, g)
    for path in registry_files(paths):
        data = load_yaml(path)
        g.files.append(path)
        for p in data.get("places") or []:
            if isinstance(p, dict) and p.get("slug") and p.get("name"):
                g.places[str(p["slug"])] = KnownPlace(
                    str(p["slug"]),
                    str(p["name"]),
                    str(p.get("kind") or "area"),
                    _str(p.get("iso2")),
                    _str(p.get("parent")),
                )
        for o in data.get("organisations") or []:
            if isinstance(o, dict) and o.get("slug") and o.get("name"):
                g.organisations[str(o["slug"])] = KnownOrganisation(
                    str(o["slug"]),
                    str(o["name"]),
                    str(o.get("kind") or "other"),
                    _str(o.get("acronym")),
                    tuple(str(a) for a in o.get("aliases") or []),
                    _str(o.get("parent")),
                    _str(o.get("country")),
                )
        for p in data.get("persons") or []:
            if isinstance(p, dict) and p.get("slug") and p.get("name"):
                g.persons[str(p["slug"])] = KnownPerson(
                    str(p["slug"]), str(p["name"]), _str(p.get("description"))
                )
    return g


def read_database(url: str, gazetteer: Gazetteer | None = None) -> Gazetteer:
    """Add what the database holds; entities also in registry files keep the files' version."""
    import psycopg

    from incidentdb.db.settings import libpq_url

    g = gazetteer or Gazetteer()
    with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
        for slug, name, kind, iso2, parent in conn.execute(
            "SELECT p.slug, p.name, p.kind, p.iso_alpha2, pp.slug FROM place p "
            "LEFT JOIN place pp ON pp.id = p.parent_id"
        ):
            if slug not in g.places:
                g.places[slug] = KnownPlace(slug, name, kind, iso2, parent)
                g.from_database.add(("place", slug))
        for slug, name, kind, acronym, parent, country, aliases in conn.execute(
            "SELECT o.slug, o.name, o.kind, o.acronym, po.slug, c.slug, "
            "coalesce(array_agg(a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}') "
            "FROM organisation o LEFT JOIN organisation po ON po.id = o.parent_id "
            "LEFT JOIN place c ON c.id = o.country_id "
            "LEFT JOIN organisation_alias a ON a.organisation_id = o.id "
            "GROUP BY o.id, po.slug, c.slug"
        ):
            if slug not in g.organisations:
                g.organisations[slug] = KnownOrganisation(
                    slug, name, kind, acronym, tuple(aliases), parent, country
                )
                g.from_database.add(("organisation", slug))
        for slug, name, description in conn.execute("SELECT slug, name, description FROM person"):
            if slug not in g.persons:
                g.persons[slug] = KnownPerson(slug, name, description)
                g.from_database.add(("person", slug))
        from incidentdb.draft.known_incidents import read_database_incidents

        read_database_incidents(conn, g)
    return g
