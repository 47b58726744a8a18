"""Turning validated seed documents into Rows, checking duplicates and quotes as it goes."""

from __future__ import annotations

import hashlib
from typing import Any

from incidentdb.seeds.messages import Problems, defined_twice, evidence_in_registry, quote_not_found
from incidentdb.seeds.model import SeedFile
from incidentdb.seeds.yamlfile import Located, dotted, position
from incidentdb.write.rows import Path_, Ref, Row, slugify

_SLUGGED = {"place", "organisation", "person", "incident", "mission", "source"}
_MENTIONABLE = ("place", "organisation", "person", "incident", "mission")


def casualty_local_key(c: Any) -> str:
    """A casualty report's key within its article: its slug, else category, population and
    reporter (so two reports of one article differ unless they say the same)."""
    if c.slug:
        return str(c.slug)
    reporter = c.reported_by or c.reported_by_person or "unattributed"
    population = slugify(c.population) if c.population else "all"
    return "-".join([c.category, population, reporter])


class RowBuilder:
    """Turns seed documents into Rows, checking duplicates and quotes as it goes."""

    def __init__(self, problems: Problems | None = None) -> None:
        self.rows: list[Row] = []
        self.problems = problems if problems is not None else Problems()
        self.by_key: dict[str, dict[str, Row]] = {}  # table -> key -> the row defined first
        self.files: dict[str, SeedFile] = {}  # by identity
        self.refs: list[tuple[Ref, SeedFile, Path_]] = []  # those not satisfied yet
        # (target key, category, field, file, path) of every supersedes / part_of
        self.report_links: list[tuple[str, str, str, SeedFile, Path_]] = []

    # -- helpers -----------------------------------------------------------------
    def _ref(self, f: SeedFile, table: str, key: str | None, path: Path_) -> Ref | None:
        if key is None:
            return None
        # The place of the reference lives only in `refs`, kept while it is not satisfied.
        ref = Ref(table, key)
        self.refs.append((ref, f, path))
        return ref

    def _add(self, f: SeedFile, table: str, key: str, path: Path_, values: dict[str, Any]) -> bool:
        row = Row(table, key, values, f.identity, path)
        defined = self.by_key.setdefault(table, {})
        other = defined.get(key)
        if other is not None:
            other_file = self.files[other.file]
            mine, theirs = row.comparable(), other.comparable()
            if theirs != mine:
                oline, ocol = position(other_file.raw, other.path)
                first_at = f"{other_file.shown}:{oline}:{ocol}"
                slugged, same_file = table in _SLUGGED, other_file is f
                message = defined_twice(table, key, mine, theirs, first_at, slugged, same_file)
                self._problem(f, path, "", message)
            elif f.identity != other.file and f.identity not in other.also:
                # Defined again, the same: this file defines it too and owns it as well.
                other.also.append(f.identity)
            return False
        defined[key] = row
        self.rows.append(row)
        return True

    def _problem(self, f: SeedFile, path: Path_, field_: str, message: str) -> None:
        if self.problems.full:
            self.problems.counted()
            return
        line, col = position(f.raw, path)
        self.problems.add(Located(f.shown, line, col, field_ or dotted(path), message))

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
            elif required:
                self._problem(f, path, "", evidence_in_registry(fact_table))
            return
        if not quotes:
            if required:
                self._problem(
                    f,
                    path,
                    dotted((*path, "evidence")),
                    "every fact needs evidence: a verbatim quote from the article",
                )
            return
        assert f.body is not None
        for i, quote in enumerate(quotes):
            start = f.body.find(quote)
            qpath = (*path, "evidence", i)
            if start < 0 and self.problems.full:
                self.problems.counted()
                continue
            if start < 0:
                listed = isinstance(_node(f.raw, (*path, "evidence")), list)
                where = qpath if listed else (*path, "evidence")
                self._problem(f, where, "", quote_not_found(src.file, quote, f.body))
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
        self.files[f.identity] = f
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
        for section, build in (
            ("places", self._place),
            ("organisations", self._organisation),
            ("persons", self._person),
            ("incidents", self._incident),
            ("missions", self._mission),
            ("casualty_reports", self._casualty),
            ("statements", self._statement),
            ("mentions", self._mention),
        ):
            for i, record in f.hand_over(section):
                build(f, record, (section, i))
        self._keep_pending_refs()

    def _keep_pending_refs(self) -> None:
        """Forget the references already satisfied (keys are only ever added): the check at
        the end needs only those still pending, in the order they were made."""
        by_key = self.by_key
        self.refs = [ref for ref in self.refs if ref[0].key not in by_key.get(ref[0].table, ())]

    def _mention(self, f: SeedFile, m: Any, path: Path_) -> None:
        """Evidence that the article names an entity defined elsewhere, and the timeline
        entries, actors and contributors it adds to a mentioned incident or mission."""
        table = next(t for t in _MENTIONABLE if getattr(m, t) is not None)
        slug = getattr(m, table)
        self._ref(f, table, slug, (*path, table))
        self._evidence(f, m.evidence, table, slug, path, required=True)
        if m.timeline:
            self._timeline(f, m.timeline, table, slug, path)
        self._actors(f, m.actors, slug, path)
        self._contributors(f, m.contributors, slug, path)

    def _place(self, f: SeedFile, p: Any, path: Path_) -> None:
        iso3 = None
        if p.iso2 is not None:
            import pycountry

            country = pycountry.countries.get(alpha_2=p.iso2)
            if country is None:
                # Still defined below, so that what refers to this place is not also blamed.
                self._problem(
                    f,
                    (*path, "iso2"),
                    "",
                    "expected an ISO 3166-1 alpha-2 country code that pycountry knows, "
                    f"got {p.iso2!r}",
                )
            else:
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
                "organisation_alias": tuple(sorted(set(o.aliases))),
            },
        )
        if added:
            self._evidence(f, o.evidence, "organisation", o.slug, path, required=False)

    def _person(self, f: SeedFile, p: Any, path: Path_) -> None:
        from incidentdb.seeds.fields import span

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
        from incidentdb.seeds.fields import span

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
        from incidentdb.seeds.fields import span

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
                "incident_place": tuple(
                    self._ref(f, "place", s, (*path, "places", i))
                    for i, s in enumerate(sorted(set(inc.places)))
                ),
            },
        )
        self._evidence(f, inc.evidence, "incident", inc.slug, path, required=True)
        self._actors(f, inc.actors, inc.slug, path)
        self._timeline(f, inc.timeline, "incident", inc.slug, path)

    def _actors(self, f: SeedFile, actors: list[Any], incident: str, path: Path_) -> None:
        for i, a in enumerate(actors):
            apath = (*path, "actors", i)
            key = f"{incident}/{a.role}/{a.organisation}"
            self._add(
                f,
                "incident_actor",
                key,
                apath,
                {
                    "incident_id": self._ref(f, "incident", incident, path),
                    "organisation_id": self._ref(
                        f, "organisation", a.organisation, (*apath, "organisation")
                    ),
                    "role": a.role,
                },
            )
            self._evidence(f, a.evidence, "incident_actor", key, apath, required=True)

    def _mission(self, f: SeedFile, m: Any, path: Path_) -> None:
        from incidentdb.seeds.fields import span

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
                "mission_incident": tuple(
                    self._ref(f, "incident", s, (*path, "incidents", i))
                    for i, s in enumerate(sorted(set(m.incidents)))
                ),
            },
        )
        self._evidence(f, m.evidence, "mission", m.slug, path, required=True)
        self._contributors(f, m.contributors, m.slug, path)
        self._timeline(f, m.timeline, "mission", m.slug, path)

    def _contributors(
        self, f: SeedFile, contributors: list[Any], mission: str, path: Path_
    ) -> None:
        for i, c in enumerate(contributors):
            cpath = (*path, "contributors", i)
            key = f"{mission}/{c.organisation or '-'}/{c.country or '-'}"
            self._add(
                f,
                "mission_contributor",
                key,
                cpath,
                {
                    "mission_id": self._ref(f, "mission", mission, path),
                    "organisation_id": self._ref(
                        f, "organisation", c.organisation, (*cpath, "organisation")
                    ),
                    "country_id": self._ref(f, "place", c.country, (*cpath, "country")),
                    "personnel": c.personnel,
                },
            )
            self._evidence(f, c.evidence, "mission_contributor", key, cpath, required=True)

    def _casualty(self, f: SeedFile, c: Any, path: Path_) -> None:
        from incidentdb.seeds.fields import as_of_span
        from incidentdb.vocabulary import bounds

        src = f.document.source
        if src is None:
            self._problem(f, path, "", "casualty reports need a source: this file has none")
            return
        key = f"{c.incident}/{src.slug}/{casualty_local_key(c)}"
        low, high = bounds(c.qualifier, c.figure)
        if c.qualifier == "approximately":
            low, high = c.low, c.high
        as_of_from, as_of_to = as_of_span(c.as_of)
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
                "as_of_from": as_of_from,
                "as_of_to": as_of_to,
                "source_id": self._ref(f, "source", src.slug, ("source",)),
                "supersedes_id": self._report_ref(f, c, "supersedes", src.slug, path),
                "part_of_id": self._report_ref(f, c, "part_of", src.slug, path),
            },
        )
        self._evidence(f, c.evidence, "casualty_report", key, path, required=True)

    def _report_ref(self, f: SeedFile, c: Any, field_: str, source: str, path: Path_) -> Ref | None:
        """A casualty report that `c` supersedes or is part of: REPORT-SLUG in this file,
        SOURCE-SLUG/REPORT-SLUG in another; always of the same incident."""
        target = getattr(c, field_)
        if target is None:
            return None
        key = f"{c.incident}/{target}" if "/" in target else f"{c.incident}/{source}/{target}"
        ref = self._ref(f, "casualty_report", key, (*path, field_))
        self.report_links.append((key, c.category, field_, f, path))
        return ref

    def _statement(self, f: SeedFile, s: Any, path: Path_) -> None:
        from incidentdb.seeds.fields import span

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


def _node(document: Any, path: Path_) -> Any:
    node = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
