"""What the database already knows: places, organisations and persons with their names, and
incidents with what ties them to their articles.

The gazetteer is read from registry files (seed files without a `source`), the incidents
that any seed file defines and, when it can be reached, from the database. The draft refers
to what it finds here by slug.
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
        read_database_incidents(conn, g)
    return g


def _date(value: Any) -> tuple[dt.date, dt.date] | None:
    """A seed file's day or range ({from, to}, {before}, {by}) as its first and last day."""
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        return day, day
    if isinstance(value, dict):
        first = _date(value.get("from") or value.get("by") or value.get("before"))
        last = _date(value.get("to") or value.get("by") or value.get("before"))
        if first is not None and last is not None:
            return first[0], last[1]
    return None


def _items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    return [x for x in data.get(section) or [] if isinstance(x, dict)]


def _entry_links(item: dict[str, Any]) -> set[tuple[str, str]]:
    """The places and organisations an incident (or a mention of one) names itself."""
    out = {("place", str(p)) for p in item.get("places") or [] if isinstance(p, str)}
    for actor in _items(item, "actors"):
        if actor.get("organisation"):
            out.add(("organisation", str(actor["organisation"])))
    for entry in _items(item, "timeline"):
        if entry.get("place"):
            out.add(("place", str(entry["place"])))
    return out


def _fact_links(data: dict[str, Any], incident: str) -> set[tuple[str, str]]:
    """Who reported the incident's figures, who spoke about it, which missions served it."""
    out: set[tuple[str, str]] = set()
    for r in _items(data, "casualty_reports"):
        if r.get("incident") == incident:
            if r.get("reported_by"):
                out.add(("organisation", str(r["reported_by"])))
            if r.get("reported_by_person"):
                out.add(("person", str(r["reported_by_person"])))
    for s in _items(data, "statements"):
        if s.get("incident") == incident:
            if s.get("speaker"):
                out.add(("person", str(s["speaker"])))
            if s.get("organisation"):
                out.add(("organisation", str(s["organisation"])))
    for m in _items(data, "missions"):
        if incident in (m.get("incidents") or []):
            if m.get("lead"):
                out.add(("organisation", str(m["lead"])))
            for c in _items(m, "contributors"):
                if c.get("organisation"):
                    out.add(("organisation", str(c["organisation"])))
    return out


def _filed(data: dict[str, Any]) -> set[tuple[str, str]]:
    """The dateline's place and the publisher of a file's article."""
    source = data.get("source")
    if not isinstance(source, dict):
        return set()
    out = set()
    if source.get("dateline"):
        out.add(("place", str(source["dateline"])))
    if source.get("publisher"):
        out.add(("organisation", str(source["publisher"])))
    return out


def read_incidents(paths: Iterable[Path], g: Gazetteer) -> None:
    """Add the incidents that the seed files under `paths` define, with what each file ties
    to them (its own incidents, and the ones it mentions)."""
    tied: list[tuple[str, set[tuple[str, str]], str]] = []
    for path in yaml_files(paths):
        data = load_yaml(path)
        if not isinstance(data, dict):
            continue
        source = data.get("source")
        sha = str(source.get("sha256") or "") if isinstance(source, dict) else ""
        filed = _filed(data)
        referred = [m for m in _items(data, "mentions") if m.get("incident")]
        for inc in _items(data, "incidents"):
            when = _date(inc.get("occurred"))
            if not inc.get("slug") or when is None:
                continue
            slug = str(inc["slug"])
            g.incidents[slug] = KnownIncident(
                slug,
                str(inc.get("title") or slug),
                str(inc.get("type") or "other"),
                when[0],
                when[1],
                str(inc["country"]) if inc.get("country") else None,
                defined_in=path,
                defined_by=sha or None,
            )
            tied.append((slug, (_entry_links(inc) | _fact_links(data, slug)) - filed, sha))
        for m in referred:
            slug = str(m["incident"])
            tied.append((slug, (_entry_links(m) | _fact_links(data, slug)) - filed, sha))
    for slug, links, sha in tied:
        if slug in g.incidents:
            g.incidents[slug].links.update((table, key, sha) for table, key in links)


_DB_LINKS = [
    "SELECT i.slug, 'place', p.slug, '' FROM incident_place ip JOIN incident i ON i.id = "
    "ip.incident_id JOIN place p ON p.id = ip.place_id",
    "SELECT i.slug, 'organisation', o.slug, '' FROM incident_actor a JOIN incident i ON i.id "
    "= a.incident_id JOIN organisation o ON o.id = a.organisation_id",
    "SELECT i.slug, 'place', p.slug, '' FROM timeline_entry t JOIN incident i ON i.id = "
    "t.incident_id JOIN place p ON p.id = t.place_id",
    "SELECT i.slug, 'organisation', o.slug, s.content_hash FROM casualty_report r JOIN "
    "incident i ON i.id = r.incident_id JOIN organisation o ON o.id = "
    "r.reported_by_organisation_id JOIN source s ON s.id = r.source_id",
    "SELECT i.slug, 'person', p.slug, s.content_hash FROM casualty_report r JOIN incident i "
    "ON i.id = r.incident_id JOIN person p ON p.id = r.reported_by_person_id JOIN source s "
    "ON s.id = r.source_id",
    "SELECT i.slug, 'person', p.slug, s.content_hash FROM statement st JOIN incident i ON "
    "i.id = st.incident_id JOIN person p ON p.id = st.speaker_person_id JOIN source s ON "
    "s.id = st.source_id",
    "SELECT i.slug, 'organisation', o.slug, s.content_hash FROM statement st JOIN incident i "
    "ON i.id = st.incident_id JOIN organisation o ON o.id = st.speaker_organisation_id JOIN "
    "source s ON s.id = st.source_id",
]


def read_database_incidents(conn: Any, g: Gazetteer) -> None:
    """Add the database's incidents that no file given defines, with their ties."""
    for slug, title, kind, start, end, country in conn.execute(
        "SELECT i.slug, i.title, i.incident_type, i.occurred_from, i.occurred_to, c.slug "
        "FROM incident i LEFT JOIN place c ON c.id = i.country_id"
    ):
        if slug not in g.incidents:
            g.incidents[slug] = KnownIncident(slug, title, kind, start, end, country)
            g.from_database.add(("incident", slug))
    for query in _DB_LINKS:
        for slug, table, key, sha in conn.execute(query):
            if ("incident", slug) in g.from_database:
                g.incidents[slug].links.add((table, key, sha or ""))
