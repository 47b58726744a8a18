"""Writing a draft as a seed file: the project's format, a `# review` comment on every fact,
and a header that says how each decision was made. Every quote is checked against the
article before it is written; a fact without a verbatim quote is left out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from incidentdb.draft import sections
from incidentdb.draft.build import Draft, DraftError
from incidentdb.draft.yamldoc import Doc, comment, scalar


def render_draft(draft: Draft, seed_path: Path, registry_files: list[Path]) -> tuple[str, int]:
    """The seed file's text and the number of facts in it."""
    doc = Doc(draft.article.text)
    body: list[str] = []
    facts = sections.new_places(doc, draft, body)
    facts += sections.new_organisations(doc, draft, body)
    facts += sections.persons(doc, draft, body)
    n, incident = sections.incident(doc, draft, body)
    facts += n
    facts += sections.casualty_reports(doc, draft, body, incident)
    facts += sections.statements(doc, draft, body, incident)
    facts += sections.mentions(doc, draft, body)
    header = _header(draft, seed_path, validation_files(draft, registry_files), doc.dropped)
    source = _source(draft, seed_path)
    return "\n".join([*header, "", *source, *body, ""]), facts


def validation_files(draft: Draft, registry_files: list[Path]) -> list[Path]:
    """The registry files, and the file that defines the known incident the draft refers to."""
    known = draft.known_incident
    extra = known.incident.defined_in if known is not None else None
    if extra is None or any(p.resolve() == extra.resolve() for p in registry_files):
        return list(registry_files)
    return [*registry_files, extra]


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
            lines.append(f"  {key}: {scalar(value)}")
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
    return [line for t in text for line in (comment(t, "") if t else ["#"])]


def write_draft(
    draft: Draft,
    output: Path,
    registry_files: list[Path],
    force: bool = False,
) -> tuple[Path, int]:
    """Write the draft to `output` after the seed validator has accepted it (with the
    registry files it refers to). Refuses to overwrite an existing file unless `force`."""
    from incidentdb.seeds.messages import SeedValidationError
    from incidentdb.seeds.validate import read_seed_set

    if output.exists() and not force:
        raise DraftError(f"{output} exists; use --force to overwrite it, or --output")
    folder = output.resolve().parent
    if not draft.article_path.resolve().is_relative_to(folder):
        raise DraftError(
            f"a seed file's article lies in its folder or below it: write the draft in "
            f"{draft.article_path.resolve().parent} (or a folder above it), or copy the "
            f"article next to {output}"
        )
    text, facts = render_draft(draft, output, registry_files)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        read_seed_set([*validation_files(draft, registry_files), tmp], known=draft.gazetteer.known)
    except SeedValidationError as exc:
        tmp.unlink()
        raise DraftError(
            "the draft would not be a valid seed file (a bug in the drafter; please report "
            f"it with the article):\n{exc}"
        ) from None
    os.replace(tmp, output)
    return output, facts
