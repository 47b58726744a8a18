"""Writing a draft as a seed file: the project's format, a `# review` comment on every fact,
and a header that says how each decision was made. Every quote is checked against the
article before it is written; a fact without a verbatim quote is left out."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from incidentdb.draft.build import Draft, DraftError
from incidentdb.draft.dates import DayRange
from incidentdb.draft.model import slug
from incidentdb.draft.text import Span
from incidentdb.write.rows import slugify

_PLAIN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, DayRange):
        if value.exact:
            return value.start.isoformat()
        return f"{{from: {value.start.isoformat()}, to: {value.end.isoformat()}}}"
    text = str(value)
    if _PLAIN.match(text) and text not in _RESERVED and not re.fullmatch(r"[\d_]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str) -> list[str]:
    out = []
    for line in text.splitlines() or [""]:
        line = " ".join(line.split())
        while len(line) > 96 - len(indent):
            cut = line.rfind(" ", 0, 96 - len(indent))
            cut = cut if cut > 20 else 96 - len(indent)
            out.append(f"{indent}# {line[:cut]}")
            line = "  " + line[cut:].strip()
        out.append(f"{indent}# {line}".rstrip())
    return out


class _Doc:
    """A YAML document written line by line, so that comments sit where a reviewer reads."""

    def __init__(self, article_text: str) -> None:
        self.lines: list[str] = []
        self.text = article_text
        self.dropped: list[str] = []

    def verbatim(self, quotes: Iterable[Span | str], what: str) -> list[str]:
        good = []
        for q in quotes:
            s = q.text if isinstance(q, Span) else q
            if s and s in self.text and s not in good:
                good.append(s)
        if not good:
            self.dropped.append(what)
        return good

    def item(self, indent: str, review: str, fields: list[tuple[str, Any]]) -> None:
        self.lines.extend(_comment(f"review: {review}", indent))
        first = True
        for key, value in fields:
            if value is None or value == [] or value == ():
                continue
            lead = f"{indent}- " if first else f"{indent}  "
            first = False
            self._field(lead, indent + "  ", key, value)

    def _field(self, lead: str, indent: str, key: str, value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            self.lines.append(f"{lead}{key}:")
            for sub in value:
                sub_review = sub.pop("_review", None)
                if sub_review:
                    self.lines.extend(_comment(f"review: {sub_review}", indent + "  "))
                first = True
                for k, v in sub.items():
                    if v is None or v == []:
                        continue
                    self._field(
                        f"{indent}  - " if first else f"{indent}    ", indent + "    ", k, v
                    )
                    first = False
        elif isinstance(value, list):
            if len(value) == 1 and key == "evidence":
                self.lines.append(f"{lead}{key}: {_scalar(value[0])}")
            elif all(_PLAIN.match(str(v)) for v in value):
                self.lines.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]")
            else:
                self.lines.append(f"{lead}{key}:")
                for v in value:
                    self.lines.append(f"{indent}  - {_scalar(v)}")
        else:
            self.lines.append(f"{lead}{key}: {_scalar(value)}")


def render_draft(draft: Draft, seed_path: Path, registry_files: list[Path]) -> tuple[str, int]:
    """The seed file's text and the number of facts in it."""
    g = draft.gazetteer
    e = draft.entities
    a = draft.article
    doc = _Doc(a.text)
    facts = 0
    body: list[str] = []

    def section(name: str) -> None:
        body.append("")
        body.append(f"{name}:")

    # places: new ones
    new_places = [p for p in e.places.values() if doc.verbatim([p.evidence], f"place {p.slug}")]
    if new_places:
        section("places")
        for place in new_places:
            doc.lines = []
            doc.item(
                "  ",
                f"new place: {place.how}",
                [
                    ("slug", place.slug),
                    ("name", place.name),
                    ("kind", place.kind),
                    ("iso2", place.iso2),
                    ("parent", place.parent if place.parent != place.slug else None),
                    ("evidence", doc.verbatim([place.evidence], "")),
                ],
            )
            body.extend(doc.lines)
            facts += 1
    # organisations: new ones
    new_orgs = list(e.organisations.values())
    if new_orgs:
        section("organisations")
        for o in new_orgs:
            doc.lines = []
            evidence = [o.evidence] if o.evidence.text else []
            quotes = [q for q in evidence if q.text in a.text]
            country = o.country if o.country in g.places or o.country in e.places else None
            doc.item(
                "  ",
                f"new organisation: {o.how}",
                [
                    ("slug", o.slug),
                    ("name", o.name),
                    ("acronym", o.acronym),
                    ("kind", o.kind),
                    ("country", country),
                    ("evidence", [q.text for q in quotes]),
                ],
            )
            body.extend(doc.lines)
            facts += 1
    # persons: new ones, and known ones that get roles
    persons = [p for p in e.persons.values() if not p.known or p.roles]
    if persons:
        section("persons")
        for p in persons:
            roles = []
            for r in p.roles:
                q = doc.verbatim([r.evidence], f"role {r.title} of {p.slug}")
                if q:
                    roles.append(
                        {
                            "_review": "role from the words around the name",
                            "title": r.title,
                            "organisation": r.organisation,
                            "former": True if r.former else None,
                            "evidence": q,
                        }
                    )
            person_quotes = doc.verbatim([p.evidence], "") if p.evidence else []
            if not p.known and not person_quotes:
                continue
            doc.lines = []
            how = (
                f"known person ({p.how}), repeated here with the same name to add roles"
                if p.known
                else f"new person: {p.how}"
            )
            doc.item(
                "  ",
                how,
                [
                    ("slug", p.slug),
                    ("name", p.name),
                    ("description", p.description),
                    ("roles", roles),
                    ("evidence", person_quotes),
                ],
            )
            body.extend(doc.lines)
            facts += 1 + len(roles)
    # incident with its timeline
    inc = draft.incident
    if inc is not None:
        timeline = []
        keys: set[str] = set()
        for t in inc.timeline:
            q = doc.verbatim([t.quote], f"timeline {t.when}")
            if q:
                key = f"{t.when.start}-{t.kind.replace('_', '-')}"
                local = None
                n = 2
                while (local or key) in keys:
                    local = f"{key}-{n}"
                    n += 1
                keys.add(local or key)
                timeline.append(
                    {
                        "_review": t.how,
                        "slug": local,
                        "occurred": t.when,
                        "kind": t.kind,
                        "description": t.description,
                        "place": t.place,
                        "evidence": q,
                    }
                )
        q = doc.verbatim([inc.quote], f"incident {inc.slug}")
        if q:
            section("incidents")
            doc.lines = []
            doc.item(
                "  ",
                f"one incident proposed: {inc.how}",
                [
                    ("slug", inc.slug),
                    ("title", inc.title),
                    ("type", inc.type),
                    ("occurred", inc.when),
                    ("country", inc.country),
                    ("places", inc.places),
                    ("evidence", q),
                    ("timeline", timeline),
                ],
            )
            body.extend(doc.lines)
            facts += 1 + len(timeline)
        else:
            inc = None
    # casualty reports
    if inc is not None and draft.casualties:
        rows: list[tuple[str, list[tuple[str, Any]]]] = []
        seen_keys: set[str] = set()
        seen_facts: set[tuple[Any, ...]] = set()
        for c in draft.casualties:
            identity = (c.category, c.figure.value, c.qualifier, c.population, c.reported_by)
            if identity in seen_facts:
                continue
            q = doc.verbatim([c.quote], f"casualty figure {c.number.text}")
            if not q:
                continue
            seen_facts.add(identity)
            reporter = c.reported_by[1] if c.reported_by else "unattributed"
            key = "-".join([c.category, slugify(c.population) if c.population else "all", reporter])
            local = None
            if key in seen_keys or c.earlier:
                local = slug(
                    f"{c.category}-{c.population or ''}-{reporter}-"
                    f"{'earlier-' if c.earlier else ''}{c.figure.value}"
                )
            seen_keys.add(local or key)
            low = high = None
            if c.qualifier == "approximately":
                low, high = c.figure.low, c.figure.high
                if c.number.text.lower().startswith(("nearly", "almost")):
                    high = c.figure.value
            as_of = c.as_of.resolved.start if c.as_of and c.as_of.resolved else None
            who = (
                f"reported by {c.reported_by[1]} ({c.reporter_text!r})"
                if c.reported_by
                else "no reporter named in the sentence"
            )
            review = (
                f"{c.number.text!r}: figure {c.figure.value}, qualifier {c.qualifier}; "
                f"category {c.category} from {c.how}; {who}"
                + (f"; population {c.population!r}" if c.population else "")
                + ("; an earlier toll the article reports" if c.earlier else "")
            )
            rows.append(
                (
                    review,
                    [
                        ("slug", local),
                        ("incident", inc.slug),
                        ("category", c.category),
                        ("population", c.population),
                        ("figure", c.figure.value),
                        ("qualifier", c.qualifier),
                        ("low", low),
                        ("high", high),
                        (
                            "reported_by",
                            c.reported_by[1]
                            if c.reported_by and c.reported_by[0] == "organisation"
                            else None,
                        ),
                        (
                            "reported_by_person",
                            c.reported_by[1]
                            if c.reported_by and c.reported_by[0] == "person"
                            else None,
                        ),
                        ("as_of", as_of),
                        ("evidence", q),
                    ],
                )
            )
        if rows:
            section("casualty_reports")
            for review, fields in rows:
                doc.lines = []
                doc.item("  ", review, fields)
                body.extend(doc.lines)
                facts += 1
    # statements
    if draft.statements:
        statement_rows: list[tuple[str, list[tuple[str, Any]]]] = []
        seen: set[str] = set()
        first = min((t.when.start for t in draft.timeline), default=draft.published)
        for s in draft.statements:
            q = doc.verbatim(s.quotes, f"statement {s.summary[:40]!r}")
            if not q or s.speaker is None:
                continue
            said = s.said
            said_how = s.said_how
            if said is None:
                if draft.published is None or first is None:
                    doc.dropped.append(f"statement {s.summary[:40]!r} (no date)")
                    continue
                said = DayRange(min(first, draft.published), draft.published)
                said_how = "undated: between the first dated event and publication"
            speaker = s.speaker.slug if s.speaker.table == "person" else None
            org = s.speaker.slug if s.speaker.table == "organisation" else None
            if speaker is not None and speaker in e.persons:
                org = next(
                    (r.organisation for r in e.persons[speaker].roles if r.organisation), None
                )
            who = speaker or org or ""
            local_key = f"{who}-{slugify(s.summary, 5)}"
            local = None
            if local_key in seen:
                local = slug(f"{who}-{s.summary}", 10)
            seen.add(local or local_key)
            said_place = (
                draft.dateline_place
                if draft.published is not None
                and said == DayRange(draft.published, draft.published)
                else None
            )
            review = f"{s.mode} speech; {s.how}; said {said_how or 'date from the sentence'}" + (
                "; place: the dateline's, said on the publication day" if said_place else ""
            )
            statement_rows.append(
                (
                    review,
                    [
                        ("slug", local),
                        ("speaker", speaker),
                        ("organisation", org),
                        ("said", said),
                        ("place", said_place),
                        ("occasion", s.occasion),
                        ("incident", inc.slug if inc is not None else None),
                        ("mode", s.mode),
                        ("summary", s.summary),
                        ("evidence", q),
                    ],
                )
            )
        if statement_rows:
            section("statements")
            for review, fields in statement_rows:
                doc.lines = []
                doc.item("  ", review, fields)
                body.extend(doc.lines)
                facts += 1
    # mentions of known entities
    mentions = []
    seen_m: set[tuple[str, str]] = set()
    for m in sorted(e.mentions, key=lambda m: m.start):
        if m.table == "person":
            # a known person with roles is written under persons: instead
            entry = e.persons.get(m.slug)
            known = m.slug in g.persons and (entry is None or not entry.roles)
        else:
            known = m.slug in (g.places if m.table == "place" else g.organisations)
        if not known or (m.table, m.slug) in seen_m:
            continue
        q = doc.verbatim([m.span], f"mention of {m.slug}")
        if q:
            seen_m.add((m.table, m.slug))
            mentions.append((m, q))
    if mentions:
        section("mentions")
        for m, q in mentions:
            doc.lines = []
            doc.item("  ", f"known {m.table}: {m.via}", [(m.table, m.slug), ("evidence", q)])
            body.extend(doc.lines)
            facts += 1

    header = _header(draft, seed_path, registry_files, doc.dropped)
    source = _source(draft, seed_path)
    return "\n".join([*header, "", *source, *body, ""]), facts


def _source(draft: Draft, seed_path: Path) -> list[str]:
    rel = os.path.relpath(draft.article_path.resolve(), seed_path.resolve().parent)
    lines = ["source:"]
    fields: list[tuple[str, Any]] = [
        ("slug", draft.source_slug),
        ("file", Path(rel).as_posix()),
        ("sha256", draft.article.sha256),
        ("title", draft.title),
        ("lede", draft.lede),
        ("publisher", draft.publisher),
        ("dateline", draft.dateline_place),
        ("published_on", draft.published),
        ("language", "en"),
    ]
    for key, value in fields:
        if value is not None:
            lines.append(f"  {key}: {_scalar(value)}")
    return lines


def _header(
    draft: Draft, seed_path: Path, registry_files: list[Path], dropped: list[str]
) -> list[str]:
    rel = [os.path.relpath(p.resolve(), Path.cwd()) for p in registry_files]
    validate = " ".join([*rel, os.path.relpath(seed_path.resolve(), Path.cwd())])
    text = [
        f"DRAFT of a seed file for {draft.article_path.name}, written by `incidentdb seed draft`."
        " Nothing here is checked by a person yet: every fact carries a `# review` comment;"
        " check it against the article, fix or delete it, then delete the comment.",
        f"Check the file with: incidentdb seed validate {validate}",
        "",
        "How the decisions were made:",
        f"- Publication date: {draft.published_how}.",
        f"- Publisher: {draft.publisher_how}.",
        "- Dateline: "
        + (
            f"{draft.dateline.span.text.strip()!r} → place {draft.dateline_place}."
            if draft.dateline
            else "none found."
        ),
        "- Registry (what the database already knows): "
        + (", ".join(str(p) for p in rel) if rel else "no registry files")
        + (
            f" and {len(draft.gazetteer.from_database)} entities from the database"
            if draft.gazetteer.from_database
            else ""
        )
        + ". Known entities are referred to by slug (mentions); others are proposed as new.",
        "- Dates are ranges: a printed day without a year takes the publication's year (the "
        "year before if it would fall after publication); weekdays and 'last week' count back "
        "from publication; 'a few days later' is 1-7 days after the previous date in the text; "
        "'by DATE' runs from the previous date to DATE. Undated events and statements span "
        "from the first dated event to publication.",
        "- Timeline kinds come from keywords (protest, riot, state of emergency lifted, order "
        "restored, deployment, meeting, claim ...); the incident spans the dated events, its "
        "type and country from keyword and mention counts.",
        "- Casualty figures keep their words: 'more than'/'over' → more_than, 'at least' → "
        "at_least, 'nearly'/'about'/'some'/'around' → approximately, 'up to' → at_most, "
        "'fewer than' → fewer_than, none → exact; 'up from N' is kept as an earlier report.",
        "- Countries by name or demonym (pycountry names plus a small table of everyday names "
        "and irregular demonyms); persons and organisations by name, acronym and alias, new "
        "ones from patterns (titles, 'Name (ACRONYM)', head words such as Ministry).",
        "- Statements: quoted speech with the speaker after or before the quote ('he said' is "
        "the last person named), reported speech ('X said ...', 'according to X').",
    ]
    text.extend(f"- {n}" for n in draft.notes)
    if dropped:
        text.append("- Left out for want of a verbatim quote: " + "; ".join(dropped))
    return [line for t in text for line in (_comment(t, "") if t else ["#"])]


def write_draft(
    draft: Draft,
    output: Path,
    registry_files: list[Path],
    force: bool = False,
) -> tuple[Path, int]:
    """Write the draft to `output` after the seed validator has accepted it (with the
    registry files it refers to). Refuses to overwrite an existing file unless `force`."""
    from incidentdb.seeds.validate import SeedValidationError, read_seed_set

    if output.exists() and not force:
        raise DraftError(f"{output} exists; use --force to overwrite it, or --output")
    text, facts = render_draft(draft, output, registry_files)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        read_seed_set([*registry_files, tmp], known=draft.gazetteer.known)
    except SeedValidationError as exc:
        tmp.unlink()
        raise DraftError(
            "the draft would not be a valid seed file (a bug in the drafter; please report "
            f"it with the article):\n{exc}"
        ) from None
    os.replace(tmp, output)
    return output, facts
