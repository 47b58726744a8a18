"""Resolving references: every slug a row refers to is defined in the files or the
database, and casualty reports link to reports of their own category without circles."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from incidentdb.seeds.messages import Problems
from incidentdb.seeds.to_rows import RowBuilder
from incidentdb.seeds.yamlfile import MAX_BYTES, Located, dotted, position
from incidentdb.write.rows import Ref

_SLUG_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?slug:[ \t]*['\"]?([a-z0-9][a-z0-9._-]*)", re.M)


def slugs_in(path: Path) -> set[str]:
    """The slugs a refused file seems to define, so that files referring to them are not
    also blamed: one typo in a registry should give one error, not one per reference."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return set()
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return set()
    return set(_SLUG_LINE.findall(text))


def check_references(
    builder: RowBuilder,
    known: Callable[[str, set[str]], set[str]] | None,
    claimed: set[str],
    problems: Problems,
) -> None:
    """Adds to `problems` every reference to a slug defined neither in the files nor (with
    `known`) in the database."""
    defined = builder.by_key  # every row of the files, by table and key
    missing: dict[str, set[str]] = {}
    for ref, _, _ in builder.refs:
        if ref.key not in defined.get(ref.table, {}):
            missing.setdefault(ref.table, set()).add(ref.key)
    found: dict[str, set[str]] = {}
    if known is not None:
        for table, keys in missing.items():
            found[table] = known(table, keys)
    reported: set[tuple[str, str, str]] = set()
    for ref, f, path in builder.refs:
        if ref.key in defined.get(ref.table, {}) or ref.key in found.get(ref.table, set()):
            continue
        if ref.key in claimed:  # defined by a file refused above; fix that one first
            continue
        if (f.identity, ref.table, ref.key) in reported:
            continue
        reported.add((f.identity, ref.table, ref.key))
        if problems.full:
            problems.counted()
            continue
        line, col = position(f.raw, path)
        where = (
            "in the files given or the database"
            if known
            else ("in the files given (pass the registry files too, or the whole seeds folder)")
        )
        problems.add(
            Located(
                f.shown,
                line,
                col,
                dotted(path),
                f"no {ref.table.replace('_', ' ')} with slug {ref.key!r} {where}",
            )
        )


def check_report_links(builder: RowBuilder) -> list[Located]:
    """supersedes / part_of point at a report of the same category, and no chain of
    supersedes comes back to where it started."""
    reports = builder.by_key.get("casualty_report", {})
    problems = []
    for target, category, field_, f, path in builder.report_links:
        row = reports.get(target)
        if row is not None and row.values["category"] != category:
            line, col = position(f.raw, (*path, field_))
            problems.append(
                Located(
                    f.shown,
                    line,
                    col,
                    dotted((*path, field_)),
                    f"{target!r} counts {row.values['category']}, this report "
                    f"{category}: a report supersedes or is part of a report of its own "
                    "category",
                )
            )
    for target, _, field_, f, path in builder.report_links:
        if field_ != "supersedes":
            continue
        seen: set[str] = set()
        key: str | None = target
        while key is not None and key in reports and key not in seen:
            seen.add(key)
            ref = reports[key].values.get("supersedes_id")
            key = ref.key if isinstance(ref, Ref) else None
        if key is not None and key in seen:
            line, col = position(f.raw, (*path, field_))
            problems.append(
                Located(
                    f.shown,
                    line,
                    col,
                    dotted((*path, field_)),
                    f"supersedes {target!r}, which (through the reports it supersedes) "
                    "supersedes this one: a chain of revisions cannot go round in a circle",
                )
            )
    return problems
