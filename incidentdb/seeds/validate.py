"""Validation of seed files: format, references, quotes and articles, with file:line:column.

Everything here works without a database; the loader adds the database's own slugs as
known references.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incidentdb.errors import IncidentdbError
from incidentdb.seeds.rows import Path_, Ref, Row, slugify
from incidentdb.seeds.yamlfile import Located, YamlError, position, read_yaml

MAX_PROBLEMS = 50
SEED_SUFFIXES = (".yaml", ".yml")


class SeedValidationError(IncidentdbError):
    """One or more seed files are invalid; nothing was written."""

    def __init__(self, problems: list[Located]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS} more problems")
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{len(problems)} {noun} in seed files:\n" + "\n".join(shown))


@dataclass
class SeedFile:
    path: Path
    shown: str  # the path as the user gave it, for messages
    identity: str  # stable name in the ledger: the path relative to its seed folder
    raw: Any
    document: Any  # SeedDocument
    body: str | None  # the article's text, for article seeds
    content_hash: str

    @property
    def kind(self) -> str:
        return "seed" if self.document.source is not None else "registry"


@dataclass
class SeedSet:
    files: list[SeedFile]
    rows: list[Row] = field(default_factory=list)

    def rows_of(self, identities: set[str]) -> list[Row]:
        return [r for r in self.rows if r.file in identities]


def find_seed_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, str, str]], list[Located]]:
    """(path, shown, identity) for every seed file named or found in folders, sorted."""
    found: dict[Path, tuple[Path, str, str]] = {}
    problems: list[Located] = []
    for given in paths:
        if given.is_dir():
            for p in sorted(given.rglob("*")):
                if p.suffix in SEED_SUFFIXES and p.is_file():
                    found.setdefault(p.resolve(), (p, str(p), p.relative_to(given).as_posix()))
        elif given.is_file():
            found.setdefault(given.resolve(), (given, str(given), given.name))
        else:
            problems.append(Located(str(given), 0, 0, "", "no such file or folder"))
    files = sorted(found.values(), key=lambda t: t[2])
    if not files and not problems:
        problems.append(Located(", ".join(map(str, paths)), 0, 0, "", "no seed files (*.yaml)"))
    return files, problems


def read_seed_set(
    paths: Iterable[Path], known: Callable[[str, set[str]], set[str]] | None = None
) -> SeedSet:
    """Read, validate and turn into rows every seed file under `paths`.

    `known(table, keys)` returns those keys that already exist outside the files (the
    database); without it, every reference must be defined in the files themselves.
    Raises SeedValidationError listing every problem found.
    """
    listed, problems = find_seed_files(list(paths))
    files: list[SeedFile] = []
    for path, shown, identity in listed:
        seed, file_problems = _read_one(path, shown, identity)
        problems.extend(file_problems)
        if seed is not None:
            files.append(seed)
    seed_set = SeedSet(files)
    if files:
        builder = _RowBuilder()
        for f in files:
            builder.add_file(f)
        problems.extend(builder.problems)
        seed_set.rows = builder.rows
        problems.extend(_check_references(seed_set, builder, known))
    if problems:
        raise SeedValidationError(problems)
    return seed_set


def _read_one(path: Path, shown: str, identity: str) -> tuple[SeedFile | None, list[Located]]:
    from pydantic import ValidationError

    from incidentdb.seeds.format import SeedDocument

    try:
        raw = read_yaml(path, shown)
    except YamlError as exc:
        return None, [exc.problem]
    if raw is None:
        return None, [
            Located(
                shown,
                1,
                1,
                "",
                "the file is empty; a seed file holds a mapping "
                "with keys such as source, incidents, organisations",
            )
        ]
    if not isinstance(raw, dict):
        return None, [
            Located(
                shown, 1, 1, "", f"expected a mapping at the top level, got a {type(raw).__name__}"
            )
        ]
    try:
        document = SeedDocument.model_validate(raw)
    except ValidationError as exc:
        return None, [_pydantic_problem(shown, raw, err) for err in exc.errors()]

    file_bytes = path.read_bytes()
    digest = hashlib.sha256(file_bytes)
    body: str | None = None
    problems: list[Located] = []
    if document.source is not None:
        body, problem = _read_article(path, shown, raw, document.source)
        if problem:
            problems.append(problem)
        else:
            assert body is not None
            digest.update(body.encode("utf-8"))
    seed = SeedFile(path, shown, identity, raw, document, body, digest.hexdigest())
    return (seed if not problems else None), problems


def _read_article(
    path: Path, shown: str, raw: Any, source: Any
) -> tuple[str | None, Located | None]:
    article = path.parent / source.file
    line, col = position(raw, ("source", "file"))
    try:
        data = article.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None, Located(shown, line, col, "source.file", f"article file not found: {article}")
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        sline, scol = position(raw, ("source", "sha256"))
        return None, Located(
            shown,
            sline,
            scol,
            "source.sha256",
            f"the article {article} was edited after coding: expected sha256 {source.sha256}, "
            f"the file has {actual}; re-check every quote, then update sha256",
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, Located(
            shown,
            line,
            col,
            "source.file",
            f"article {article} is not UTF-8 text (byte offset {exc.start})",
        )


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problem(shown: str, raw: Any, err: Any) -> Located:
    # Drop pydantic's union-branch labels (e.g. 'date', 'DateRange') from the location.
    loc = tuple(
        p
        for p in err["loc"]
        if not (
            isinstance(p, str) and p[:1].isupper() or p in ("date", "function-after[_ordered()]")
        )
    )
    line, col = position(raw, loc)
    kind = err["type"]
    msg = err["msg"]
    if kind == "extra_forbidden":
        msg = "unknown field (check the spelling; see docs/seed-format.md)"
    elif kind == "missing":
        msg = "required field is missing"
    else:
        msg = msg.replace("Input should be", "expected").replace("Value error, ", "")
        if "input" in err and not isinstance(err["input"], dict | list):
            msg += f", got {err['input']!r}"
    return Located(shown, line, col, _dotted(loc), msg)


class _RowBuilder:
    """Turns seed documents into Rows, checking duplicates and quotes as it goes."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.problems: list[Located] = []
        self._by_key: dict[tuple[str, str], tuple[Row, SeedFile]] = {}
        self.refs: list[tuple[Ref, SeedFile]] = []

    # -- helpers -----------------------------------------------------------------
    def _ref(self, f: SeedFile, table: str, key: str | None, path: Path_) -> Ref | None:
        if key is None:
            return None
        ref = Ref(table, key, path)
        self.refs.append((ref, f))
        return ref

    def _add(self, f: SeedFile, table: str, key: str, path: Path_, values: dict[str, Any]) -> bool:
        row = Row(table, key, values, f.identity, path)
        seen = self._by_key.get((table, key))
        if seen is not None:
            other, other_file = seen
            if other.comparable() != row.comparable():
                line, col = position(f.raw, path)
                oline, _ = position(other_file.raw, other.path)
                hint = "; give one of them its own slug" if other_file is f else ""
                self._problem(
                    f,
                    path,
                    "",
                    f"{table} {key!r} is defined twice with different content (also at "
                    f"{other_file.shown}:{oline}){hint}",
                )
            return False
        self._by_key[(table, key)] = (row, f)
        self.rows.append(row)
        return True

    def _problem(self, f: SeedFile, path: Path_, field_: str, message: str) -> None:
        line, col = position(f.raw, path)
        self.problems.append(Located(f.shown, line, col, field_ or _dotted(path), message))

    def _evidence(
        self,
        f: SeedFile,
        quotes: list[str],
        fact_table: str,
        fact_key: str,
        path: Path_,
        required: bool,
    ) -> None:
        src = f.document.source
        if src is None:
            if quotes:
                self._problem(
                    f,
                    (*path, "evidence"),
                    "",
                    "evidence needs a source: this file has no 'source' section",
                )
            return
        if not quotes:
            if required:
                self._problem(
                    f,
                    path,
                    _dotted((*path, "evidence")),
                    "every fact needs evidence: a verbatim quote from the article",
                )
            return
        assert f.body is not None
        for i, quote in enumerate(quotes):
            start = f.body.find(quote)
            qpath = (*path, "evidence", i)
            if start < 0:
                hint = _near_miss(f.body, quote)
                self._problem(
                    f,
                    qpath if len(quotes) > 1 else (*path, "evidence"),
                    _dotted(qpath),
                    f"quote not found verbatim in {src.file}: {quote[:80]!r}{hint}",
                )
                continue
            end = start + len(quote)
            key = f"{fact_table}:{fact_key}@{src.slug}:{start}-{end}"
            self._add(
                f,
                "evidence",
                key,
                qpath,
                {
                    "source_id": self._ref(f, "source", src.slug, ("source",)),
                    "quote": quote,
                    "char_start": start,
                    "char_end": end,
                    "fact": (f"{fact_table}_id", self._ref(f, fact_table, fact_key, path)),
                },
            )

    # -- per file ------------------------------------------------------------------
    def add_file(self, f: SeedFile) -> None:
        d = f.document
        src = d.source
        if src is not None:
            self._add(
                f,
                "source",
                src.slug,
                ("source",),
                {
                    "title": src.title,
                    "lede": src.lede,
                    "publisher_id": self._ref(
                        f, "organisation", src.publisher, ("source", "publisher")
                    ),
                    "dateline_place_id": self._ref(
                        f, "place", src.dateline, ("source", "dateline")
                    ),
                    "published_on": src.published_on,
                    "url": src.url,
                    "language": src.language,
                    "file_name": src.file,
                    "body": f.body,
                    "content_hash": _sha256(f.body or ""),
                },
            )
        for i, p in enumerate(d.places):
            self._place(f, p, ("places", i))
        for i, o in enumerate(d.organisations):
            self._organisation(f, o, ("organisations", i))
        for i, p in enumerate(d.persons):
            self._person(f, p, ("persons", i))
        for i, inc in enumerate(d.incidents):
            self._incident(f, inc, ("incidents", i))
        for i, m in enumerate(d.missions):
            self._mission(f, m, ("missions", i))
        for i, c in enumerate(d.casualty_reports):
            self._casualty(f, c, ("casualty_reports", i))
        for i, s in enumerate(d.statements):
            self._statement(f, s, ("statements", i))
        for i, m in enumerate(d.mentions):
            self._mention(f, m, ("mentions", i))

    def _mention(self, f: SeedFile, m: Any, path: Path_) -> None:
        table = "place" if m.place else "organisation" if m.organisation else "person"
        slug = m.place or m.organisation or m.person
        field_ = "place" if m.place else "organisation" if m.organisation else "person"
        self._ref(f, table, slug, (*path, field_))
        self._evidence(f, m.evidence, table, slug, path, required=True)

    def _place(self, f: SeedFile, p: Any, path: Path_) -> None:
        iso3 = None
        if p.iso2 is not None:
            import pycountry

            country = pycountry.countries.get(alpha_2=p.iso2)
            if country is None:
                self._problem(
                    f, (*path, "iso2"), "", f"{p.iso2!r} is not an ISO 3166-1 alpha-2 country code"
                )
                return
            iso3 = country.alpha_3
        self._add(
            f,
            "place",
            p.slug,
            path,
            {
                "name": p.name,
                "kind": p.kind,
                "parent_id": self._ref(f, "place", p.parent, (*path, "parent")),
                "iso_alpha2": p.iso2,
                "iso_alpha3": iso3,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "geo_precision": p.geo_precision,
                "description": p.description,
            },
        )
        self._evidence(f, p.evidence, "place", p.slug, path, required=False)

    def _organisation(self, f: SeedFile, o: Any, path: Path_) -> None:
        added = self._add(
            f,
            "organisation",
            o.slug,
            path,
            {
                "name": o.name,
                "acronym": o.acronym,
                "kind": o.kind,
                "parent_id": self._ref(f, "organisation", o.parent, (*path, "parent")),
                "country_id": self._ref(f, "place", o.country, (*path, "country")),
                "description": o.description,
                "aliases": tuple(sorted(set(o.aliases))),
            },
        )
        if added:
            self._evidence(f, o.evidence, "organisation", o.slug, path, required=False)

    def _person(self, f: SeedFile, p: Any, path: Path_) -> None:
        from incidentdb.seeds.format import span

        self._add(f, "person", p.slug, path, {"name": p.name, "description": p.description})
        self._evidence(f, p.evidence, "person", p.slug, path, required=False)
        for i, r in enumerate(p.roles):
            rpath = (*path, "roles", i)
            key = f"{p.slug}/{r.organisation or 'none'}/{slugify(r.title)}"
            sf, st = span(r.started)
            ef, et = span(r.ended)
            self._add(
                f,
                "person_role",
                key,
                rpath,
                {
                    "person_id": self._ref(f, "person", p.slug, path),
                    "organisation_id": self._ref(
                        f, "organisation", r.organisation, (*rpath, "organisation")
                    ),
                    "title": r.title,
                    "is_former": r.former,
                    "started_from": sf,
                    "started_to": st,
                    "ended_from": ef,
                    "ended_to": et,
                },
            )
            self._evidence(f, r.evidence, "person_role", key, rpath, required=True)

    def _timeline(
        self, f: SeedFile, entries: list[Any], parent_table: str, parent: str, path: Path_
    ) -> None:
        from incidentdb.seeds.format import span

        for i, t in enumerate(entries):
            tpath = (*path, "timeline", i)
            frm, to = span(t.occurred)
            local = t.slug or f"{frm}-{t.kind.replace('_', '-')}"
            source = f.document.source.slug if f.document.source else "registry"
            key = f"{parent}/{source}/{local}"
            self._add(
                f,
                "timeline_entry",
                key,
                tpath,
                {
                    "incident_id": self._ref(f, "incident", parent, path)
                    if parent_table == "incident"
                    else None,
                    "mission_id": self._ref(f, "mission", parent, path)
                    if parent_table == "mission"
                    else None,
                    "occurred_from": frm,
                    "occurred_to": to,
                    "kind": t.kind,
                    "description": t.description,
                    "place_id": self._ref(f, "place", t.place, (*tpath, "place")),
                },
            )
            self._evidence(f, t.evidence, "timeline_entry", key, tpath, required=True)

    def _incident(self, f: SeedFile, inc: Any, path: Path_) -> None:
        from incidentdb.seeds.format import span

        frm, to = span(inc.occurred)
        self._add(
            f,
            "incident",
            inc.slug,
            path,
            {
                "title": inc.title,
                "description": inc.description,
                "incident_type": inc.type,
                "occurred_from": frm,
                "occurred_to": to,
                "country_id": self._ref(f, "place", inc.country, (*path, "country")),
                "parent_id": self._ref(f, "incident", inc.parent, (*path, "parent")),
                "places": tuple(
                    self._ref(f, "place", s, (*path, "places", i))
                    for i, s in enumerate(sorted(set(inc.places)))
                ),
            },
        )
        self._evidence(f, inc.evidence, "incident", inc.slug, path, required=True)
        self._timeline(f, inc.timeline, "incident", inc.slug, path)

    def _mission(self, f: SeedFile, m: Any, path: Path_) -> None:
        from incidentdb.seeds.format import span

        sf, st = span(m.started)
        ef, et = span(m.ended)
        self._add(
            f,
            "mission",
            m.slug,
            path,
            {
                "name": m.name,
                "kind": m.kind,
                "lead_organisation_id": self._ref(f, "organisation", m.lead, (*path, "lead")),
                "host_country_id": self._ref(f, "place", m.host_country, (*path, "host_country")),
                "started_from": sf,
                "started_to": st,
                "ended_from": ef,
                "ended_to": et,
                "mandate": m.mandate,
                "incidents": tuple(
                    self._ref(f, "incident", s, (*path, "incidents", i))
                    for i, s in enumerate(sorted(set(m.incidents)))
                ),
            },
        )
        self._evidence(f, m.evidence, "mission", m.slug, path, required=True)
        for i, c in enumerate(m.contributors):
            cpath = (*path, "contributors", i)
            key = f"{m.slug}/{c.organisation or '-'}/{c.country or '-'}"
            self._add(
                f,
                "mission_contributor",
                key,
                cpath,
                {
                    "mission_id": self._ref(f, "mission", m.slug, path),
                    "organisation_id": self._ref(
                        f, "organisation", c.organisation, (*cpath, "organisation")
                    ),
                    "country_id": self._ref(f, "place", c.country, (*cpath, "country")),
                    "personnel": c.personnel,
                },
            )
            self._evidence(f, c.evidence, "mission_contributor", key, cpath, required=True)
        self._timeline(f, m.timeline, "mission", m.slug, path)

    def _casualty(self, f: SeedFile, c: Any, path: Path_) -> None:
        from incidentdb.vocabulary import bounds

        src = f.document.source
        if src is None:
            self._problem(f, path, "", "casualty reports need a source: this file has none")
            return
        reporter = c.reported_by or c.reported_by_person or "unattributed"
        local = c.slug or "-".join(
            [c.category, slugify(c.population) if c.population else "all", reporter]
        )
        key = f"{c.incident}/{src.slug}/{local}"
        low, high = bounds(c.qualifier, c.figure)
        if c.qualifier == "approximately":
            low, high = c.low, c.high
        self._add(
            f,
            "casualty_report",
            key,
            path,
            {
                "incident_id": self._ref(f, "incident", c.incident, (*path, "incident")),
                "category": c.category,
                "population": c.population,
                "figure": c.figure,
                "qualifier": c.qualifier,
                "count_low": low,
                "count_high": high,
                "reported_by_organisation_id": self._ref(
                    f, "organisation", c.reported_by, (*path, "reported_by")
                ),
                "reported_by_person_id": self._ref(
                    f, "person", c.reported_by_person, (*path, "reported_by_person")
                ),
                "as_of": c.as_of,
                "source_id": self._ref(f, "source", src.slug, ("source",)),
            },
        )
        self._evidence(f, c.evidence, "casualty_report", key, path, required=True)

    def _statement(self, f: SeedFile, s: Any, path: Path_) -> None:
        from incidentdb.seeds.format import span

        src = f.document.source
        if src is None:
            self._problem(f, path, "", "statements need a source: this file has none")
            return
        frm, to = span(s.said)
        who = s.speaker or s.organisation
        local = s.slug or f"{who}-{slugify(s.summary, 5)}"
        key = f"{src.slug}/{local}"
        self._add(
            f,
            "statement",
            key,
            path,
            {
                "speaker_person_id": self._ref(f, "person", s.speaker, (*path, "speaker")),
                "speaker_organisation_id": self._ref(
                    f, "organisation", s.organisation, (*path, "organisation")
                ),
                "said_from": frm,
                "said_to": to,
                "place_id": self._ref(f, "place", s.place, (*path, "place")),
                "occasion": s.occasion,
                "incident_id": self._ref(f, "incident", s.incident, (*path, "incident")),
                "mission_id": self._ref(f, "mission", s.mission, (*path, "mission")),
                "mode": s.mode,
                "summary": s.summary,
                "source_id": self._ref(f, "source", src.slug, ("source",)),
            },
        )
        self._evidence(f, s.evidence, "statement", key, path, required=True)


def _check_references(
    seed_set: SeedSet, builder: _RowBuilder, known: Callable[[str, set[str]], set[str]] | None
) -> list[Located]:
    defined: dict[str, set[str]] = {}
    for row in seed_set.rows:
        defined.setdefault(row.table, set()).add(row.key)
    missing: dict[str, set[str]] = {}
    for ref, _ in builder.refs:
        if ref.key not in defined.get(ref.table, set()):
            missing.setdefault(ref.table, set()).add(ref.key)
    found: dict[str, set[str]] = {}
    if known is not None:
        for table, keys in missing.items():
            found[table] = known(table, keys)
    problems = []
    reported: set[tuple[str, str, str]] = set()
    for ref, f in builder.refs:
        if ref.key in defined.get(ref.table, set()) or ref.key in found.get(ref.table, set()):
            continue
        if (f.identity, ref.table, ref.key) in reported:
            continue
        reported.add((f.identity, ref.table, ref.key))
        line, col = position(f.raw, ref.path)
        where = (
            "in the files given or the database"
            if known
            else ("in the files given (pass the registry files too, or the whole seeds folder)")
        )
        problems.append(
            Located(
                f.shown,
                line,
                col,
                _dotted(ref.path),
                f"no {ref.table.replace('_', ' ')} with slug {ref.key!r} {where}",
            )
        )
    return problems


def _near_miss(body: str, quote: str) -> str:
    def norm(s: str) -> str:
        table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
        return " ".join(s.translate(table).split())

    if norm(quote) in norm(body):
        return " (it differs from the article in quotation marks, dashes or spacing)"
    return ""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
