"""Validation of seed files: format, references, quotes and articles, with file:line:column.

Everything here works without a database; the loader adds the database's own slugs as
known references. The stages live in their own modules: discover (finding and reading files
and articles), to_rows (documents to rows), references (slugs against the files and the
database) and messages (the text of each problem).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from incidentdb.seeds.discover import (
    MAX_ARTICLE_BYTES,
    find_seed_files,
    quick_hash,
)
from incidentdb.seeds.messages import Problems, SeedValidationError
from incidentdb.seeds.model import SeedFile, SeedSet
from incidentdb.seeds.parallel import read_seed_files
from incidentdb.seeds.references import check_references, check_report_links, slugs_in
from incidentdb.seeds.to_rows import RowBuilder
from incidentdb.seeds.yamlfile import Located, dotted, position
from incidentdb.write.gc_tuning import fewer_collections

# Kept importable from here: the names other code has long imported from this module.
__all__ = [
    "MAX_ARTICLE_BYTES",
    "SeedFile",
    "SeedSet",
    "SeedValidationError",
    "find_seed_files",
    "quick_hash",
    "read_seed_set",
]


def read_seed_set(
    paths: Iterable[Path],
    known: Callable[[str, set[str]], set[str]] | None = None,
) -> SeedSet:
    """Read, validate and turn into rows every seed file under `paths`.

    `known(table, keys)` returns those keys that already exist outside the files (the
    database); without it, every reference must be defined in the files themselves.
    Raises SeedValidationError listing every problem found.
    """
    with fewer_collections():
        return _read_seed_set(list(paths), known)


def _read_seed_set(paths: list[Path], known: Callable[[str, set[str]], set[str]] | None) -> SeedSet:
    listed, found = find_seed_files(paths)
    problems = Problems()
    problems.extend(found)
    files: list[SeedFile] = []
    claimed: set[str] = set()  # slugs that files refused above seem to define
    for (path, _, _), seed in read_seed_files(listed, problems):
        if seed is not None:
            files.append(seed)
        else:
            claimed |= slugs_in(path)
    problems.extend(_same_identity(files))
    seed_set = SeedSet(files)
    if files:
        builder = RowBuilder(problems)
        for f in files:
            builder.add_file(f)
        problems.extend(check_report_links(builder))
        seed_set.rows = builder.rows
        check_references(builder, known, claimed, problems)
    if problems:
        raise SeedValidationError.of(problems)
    return seed_set


def _same_identity(files: list[SeedFile]) -> list[Located]:
    """Two files that claim one identity (two copies of an article's seed, two registries of
    one name) would overwrite each other in the ledger: refuse the later ones."""
    first: dict[str, SeedFile] = {}
    problems = []
    for f in files:
        other = first.setdefault(f.identity, f)
        if other is f:
            continue
        what, field_ = (
            ("source slug", ("source", "slug"))
            if f.document.source is not None
            else ("registry name", ("registry",))
        )
        line, col = position(f.raw, field_)
        problems.append(
            Located(
                f.shown,
                line,
                col,
                dotted(field_),
                f"{other.shown} has the same {what} {f.identity.split(':', 1)[1]!r}: the "
                f"{what} names the file in the database, so give each file its own",
            )
        )
    return problems
