"""Validation of seed files: format, references, quotes and articles, with file:line:column.

Everything here works without a database; the loader adds the database's own slugs as
known references.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from incidentdb.errors import IncidentdbError
from incidentdb.seeds.yamlfile import (
    MAX_BYTES,
    Located,
    YamlError,
    describe,
    dotted,
    position,
    read_yaml,
)
from incidentdb.write.rows import Path_, Ref, Row, slugify

MAX_PROBLEMS = 50
SEED_SUFFIXES = (".yaml", ".yml")
DRAFT = ".draft.yaml"


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
    legacy: str  # the path relative to its seed folder: the ledger's name before identities
    raw: Any
    document: Any  # SeedDocument
    body: str | None  # the article's text, for article seeds
    content_hash: str

    @property
    def kind(self) -> str:
        return "seed" if self.document.source is not None else "registry"

    @cached_property
    def identity(self) -> str:
        """The file's name in the ledger, whatever folder or working directory it is loaded
        from: its article's source slug, its declared registry name, else its real path."""
        return file_identity(self.document, self.path)

    @cached_property
    def location(self) -> str:
        return str(self.path.resolve())


def file_identity(document: Any, path: Path) -> str:
    if document.source is not None:
        return f"source:{document.source.slug}"
    if document.registry is not None:
        return f"registry:{document.registry}"
    return f"file:{path.resolve()}"


@dataclass
class SeedSet:
    files: list[SeedFile]
    rows: list[Row] = field(default_factory=list)

    def rows_of(self, identities: set[str]) -> list[Row]:
        """The rows that any of these files defines (alone or with other files)."""
        return [r for r in self.rows if r.file in identities or not identities.isdisjoint(r.also)]


def find_seed_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, str, str]], list[Located]]:
    """(path, shown, name relative to its folder) for every seed file named or found in
    folders, sorted."""
    found: dict[Path, tuple[Path, str, str]] = {}
    problems: list[Located] = []
    for given in paths:
        if given.is_dir():
            for p in sorted(given.rglob("*")):
                # Drafts (`seed draft`) wait for review: a folder load skips them; name one
                # explicitly to validate it.
                if p.suffix in SEED_SUFFIXES and p.is_file() and not p.name.endswith(DRAFT):
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
    paths: Iterable[Path],
    known: Callable[[str, set[str]], set[str]] | None = None,
) -> SeedSet:
    """Read, validate and turn into rows every seed file under `paths`.

    `known(table, keys)` returns those keys that already exist outside the files (the
    database); without it, every reference must be defined in the files themselves.
    Raises SeedValidationError listing every problem found.
    """
    listed, problems = find_seed_files(list(paths))
    files: list[SeedFile] = []
    claimed: set[str] = set()  # slugs that files refused above seem to define
    for path, shown, legacy in listed:
        seed, file_problems = _read_one(path, shown, legacy)
        problems.extend(file_problems)
        if seed is not None:
            files.append(seed)
        else:
            claimed |= _slugs_in(path)
    problems.extend(_same_identity(files))
    seed_set = SeedSet(files)
    if files:
        builder = _RowBuilder()
        for f in files:
            builder.add_file(f)
        problems.extend(builder.problems)
        problems.extend(builder.check_report_links())
        seed_set.rows = builder.rows
        problems.extend(_check_references(seed_set, builder, known, claimed))
    if problems:
        raise SeedValidationError(problems)
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


def quick_hash(path: Path) -> str | None:
    """The ledger hash of a seed file (its bytes, then its article's), without validating
    it; None when that cannot be told without reading the file properly."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
        digest = hashlib.sha256(data)
        article = _article_name(data)
        if article is not None:
            digest.update((path.parent / article).read_bytes())
        return digest.hexdigest()
    except Exception:  # noqa: BLE001 - any doubt: read the file properly
        return None


def _article_name(data: bytes) -> str | None:
    """`source.file` of a seed file, read from libyaml's events, stopping once found."""
    import yaml

    depth = 0
    key: object = None
    in_source = False
    expect_key = False
    for event in yaml.parse(data, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            in_source = in_source or (depth == 2 and key == "source")
            expect_key = isinstance(event, yaml.MappingStartEvent)
            key = None
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            if depth < 2 and in_source:
                return None  # a source without a file: validation will say so
            expect_key = depth >= 1
        elif isinstance(event, yaml.ScalarEvent):
            if expect_key:
                key = event.value
            elif in_source and depth == 2 and key == "file":
                return str(event.value)
            expect_key = not expect_key if depth >= 1 else expect_key
    return None


_SLUG_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?slug:[ \t]*['\"]?([a-z0-9][a-z0-9._-]*)", re.M)


def _slugs_in(path: Path) -> set[str]:
    """The slugs a refused file seems to define, so that files referring to them are not
    also blamed: one typo in a registry should give one error, not one per reference."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return set()
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return set()
    return set(_SLUG_LINE.findall(text))


def _read_one(path: Path, shown: str, legacy: str) -> tuple[SeedFile | None, list[Located]]:
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
                shown,
                1,
                1,
                "",
                "expected a mapping at the top level (keys such as source, places, incidents), "
                f"got {describe(raw) if isinstance(raw, list) else 'the value ' + repr(raw)}",
            )
        ]
    nul = _nul_problems(shown, raw)
    if nul:
        return None, nul
    try:
        document = SeedDocument.model_validate(raw)
    except ValidationError as exc:
        return None, _pydantic_problems(shown, raw, exc.errors())

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
    seed = SeedFile(path, shown, legacy, raw, document, body, digest.hexdigest())
    return (seed if not problems else None), problems


MAX_ARTICLE_BYTES = 10 * 1024 * 1024


def _confined(seed: Path, article: Path) -> str | None:
    """Why the article may not be read, if so: it must be a regular file in the seed file's
    folder (or below it), of at most MAX_ARTICLE_BYTES, so that a seed file cannot load
    /etc/passwd, another folder's files or a device into the database."""
    folder = seed.resolve().parent
    try:
        real = article.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        return f"article file not found: {article}"
    if not real.is_relative_to(folder):
        return (
            f"expected an article file in the seed file's folder ({folder}) or below it, "
            f"got {article}; copy the article next to the seed file"
        )
    if not real.is_file():
        return f"expected a regular file for the article, got {article}"
    size = real.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        return f"the article {article} has {size:,} bytes; at most {MAX_ARTICLE_BYTES:,} are read"
    return None


def _nul_problems(shown: str, raw: Any) -> list[Located]:
    """Every text value (or key) holding a NUL character, which PostgreSQL text cannot."""
    problems: list[Located] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(raw, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        node, path = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and "\x00" in k:
                    line, col = position(raw, (*path, k), key=True)
                    problems.append(Located(shown, line, col, dotted(path), _NUL))
                stack.append((v, (*path, k)))
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            line, col = position(raw, path)
            problems.append(Located(shown, line, col, dotted(path), _NUL))
    return sorted(problems, key=lambda p: (p.line, p.column))


NEWLINE = b"\n"
_NUL = "a NUL character (\\0) is not allowed in text; remove it"


def _read_article(
    path: Path, shown: str, raw: Any, source: Any
) -> tuple[str | None, Located | None]:
    article = path.parent / source.file
    line, col = position(raw, ("source", "file"))
    refused = _confined(path, article)
    if refused:
        return None, Located(shown, line, col, "source.file", refused)
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
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, Located(
            shown,
            line,
            col,
            "source.file",
            f"the article {article} holds a NUL character at line "
            f"{data.count(NEWLINE, 0, nul) + 1} of it; remove it, then update sha256",
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        aline = data[: exc.start].count(b"\n") + 1
        acol = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
        return None, Located(
            shown,
            line,
            col,
            "source.file",
            f"expected the article {article} in UTF-8, got the byte 0x{data[exc.start]:02x} "
            f"at line {aline}, column {acol} of it; save it as UTF-8, then update sha256",
        )


def _pydantic_problems(shown: str, raw: Any, errors: list[Any]) -> list[Located]:
    import difflib

    from incidentdb.seeds.format import field_names

    located = [(_where(raw, err), err) for err in errors]
    # An unknown key that looks like a missing field is one typo, not two problems.
    unknown = {loc: loc[-1] for loc, err in located if err["type"] == "extra_forbidden"}
    hints: dict[tuple[str | int, ...], str] = {}
    for loc, key in unknown.items():
        names = field_names(loc[:-1])
        close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
        if close:
            hints[loc] = close[0]
    typos = {(*loc[:-1], name) for loc, name in hints.items()}
    problems: list[Located] = []
    for loc, err in located:
        kind = err["type"]
        if kind == "missing" and loc in typos:
            continue
        if kind == "extra_forbidden":
            line, col = position(raw, loc, key=True)
            if loc in hints:
                msg = f"unknown field {loc[-1]!r}: did you mean {hints[loc]!r}?"
            else:
                allowed = ", ".join(field_names(loc[:-1]))
                msg = f"unknown field {loc[-1]!r}; expected one of: {allowed}"
        else:
            line, col = position(raw, loc)
            msg = _message(err)
        problems.append(Located(shown, line, col, dotted(loc), msg))
    return problems


def _where(raw: Any, err: Any) -> tuple[str | int, ...]:
    """The error's location in the document, without pydantic's labels for union branches,
    validators and models (which are not keys in the file)."""
    loc = tuple(err["loc"])
    node = raw
    out: list[str | int] = []
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif last and err["type"] in ("missing", "extra_forbidden"):
            out.append(part)
    return tuple(out)


def _pattern_words(pattern: str) -> str | None:
    from incidentdb.models.base import SLUG_PATTERN
    from incidentdb.seeds import format as f

    return {
        SLUG_PATTERN: "a slug: lower-case letters and digits joined by '-' "
        "(e.g. csto, 2022-kazakhstan-unrest)",
        f.SHA256_PATTERN: "64 lower-case hex digits (the article file's sha256sum)",
        f.ISO2_PATTERN: "two capital letters (an ISO 3166-1 alpha-2 code, e.g. KZ)",
        f.LANGUAGE_PATTERN: "two lower-case letters (an ISO 639-1 code, e.g. en)",
        f.REPORT_REF_PATTERN: "a casualty report's slug in this file, or SOURCE-SLUG/REPORT-SLUG "
        "for a report in another article's file",
    }.get(pattern)


def _message(err: Any) -> str:
    """'expected ..., got ...' for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        msg = "expected a whole number"
        if isinstance(value, str) and re.fullmatch(r"[0-9][0-9,. ]*[0-9]", value.strip()):
            msg += " (write it without separators or quotes, e.g. 4500)"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {
            "greater_than_equal": ("ge", "at least"),
            "less_than_equal": ("le", "at most"),
            "greater_than": ("gt", "more than"),
            "less_than": ("lt", "less than"),
        }[kind]
        msg = f"expected a number of {words[1]} {ctx.get(words[0])}"
    elif kind == "string_pattern_mismatch" and _pattern_words(ctx.get("pattern", "")):
        msg = f"expected {_pattern_words(ctx['pattern'])}"
    elif kind == "string_too_short":
        msg = "expected some text"
    elif kind == "bool_type":
        msg = "expected true or false"
    else:
        msg = (
            err["msg"]
            .replace("Input should be", "expected")
            .replace("Value error, ", "")
            .replace("expected a valid dictionary", "expected a mapping")
            .replace("expected a valid ", "expected a ")
        )
    if "input" not in err or (kind == "value_error" and isinstance(value, dict)):
        return msg  # a check on a whole mapping says what it found itself
    return f"{msg}, got {describe(value)}"


def casualty_local_key(c: Any) -> str:
    """A casualty report's key within its article: its slug, else category, population and
    reporter (so two reports of one article differ unless they say the same)."""
    if c.slug:
        return str(c.slug)
    reporter = c.reported_by or c.reported_by_person or "unattributed"
    population = slugify(c.population) if c.population else "all"
    return "-".join([c.category, population, reporter])


class _RowBuilder:
    """Turns seed documents into Rows, checking duplicates and quotes as it goes."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.problems: list[Located] = []
        self._by_key: dict[tuple[str, str], tuple[Row, SeedFile]] = {}
        self.refs: list[tuple[Ref, SeedFile]] = []
        # (target key, category, field, file, path) of every supersedes / part_of
        self.report_links: list[tuple[str, str, str, SeedFile, Path_]] = []

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
            mine, theirs = row.comparable(), other.comparable()
            if theirs != mine:
                oline, ocol = position(other_file.raw, other.path)
                differ = [k for k in mine if mine[k] != theirs.get(k)]
                shown = "; ".join(
                    f"{_column_name(k)} {_short(mine[k])} here, {_short(theirs.get(k))} there"
                    for k in differ[:3]
                )
                if table in ("timeline_entry", "casualty_report", "statement"):
                    hint = "; if both are meant, give each a slug of its own"
                elif table not in _SLUGGED:
                    hint = "; merge them into one"
                elif other_file is f:
                    hint = "; remove one, or give it another slug"
                else:
                    hint = "; define it once (in a registry file if several files need it)"
                self._problem(
                    f,
                    path,
                    "",
                    f"{table.replace('_', ' ')} {key!r} is defined twice with different "
                    f"content (first at {other_file.shown}:{oline}:{ocol}): {shown}{hint}",
                )
            elif f.identity != other.file and f.identity not in other.also:
                # Defined again, the same: this file defines it too and owns it as well.
                other.also.append(f.identity)
            return False
        self._by_key[(table, key)] = (row, f)
        self.rows.append(row)
        return True

    def _problem(self, f: SeedFile, path: Path_, field_: str, message: str) -> None:
        line, col = position(f.raw, path)
        self.problems.append(Located(f.shown, line, col, field_ or dotted(path), message))

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
                self._problem(
                    f,
                    path,
                    "",
                    f"every {fact_table.replace('_', ' ')} needs evidence, a quote from an "
                    "article, and a file without a source (a registry) has none; code it in the "
                    "seed file of an article that reports it",
                )
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
        listed = isinstance(_node(f.raw, (*path, "evidence")), list)
        for i, quote in enumerate(quotes):
            start = f.body.find(quote)
            qpath = (*path, "evidence", i)
            if start < 0:
                where = qpath if listed else (*path, "evidence")
                self._problem(
                    f,
                    where,
                    "",
                    f"expected a quote found verbatim in {src.file}, got {describe(quote)}"
                    f"{_near_miss(f.body, quote)}",
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

    def check_report_links(self) -> list[Located]:
        """supersedes / part_of point at a report of the same category, and no chain of
        supersedes comes back to where it started."""
        reports = {
            key: row
            for (table, key), (row, _) in self._by_key.items()
            if table == "casualty_report"
        }
        problems = []
        for target, category, field_, f, path in self.report_links:
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
        for target, _, field_, f, path in self.report_links:
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
        from incidentdb.seeds.format import as_of_span
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
    seed_set: SeedSet,
    builder: _RowBuilder,
    known: Callable[[str, set[str]], set[str]] | None,
    claimed: set[str],
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
        if ref.key in claimed:  # defined by a file refused above; fix that one first
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
                dotted(ref.path),
                f"no {ref.table.replace('_', ' ')} with slug {ref.key!r} {where}",
            )
        )
    return problems


_LOOKALIKES = ("'‘’‚‛ʼ′`´", '"“”„‟″«»', "-‐‑‒–—―−", " \u00a0\u2009\u202f")


def _near_miss(body: str, quote: str) -> str:
    """A hint when the quote is in the article but for quotation marks, dashes, spacing or
    case: which characters differ, and the article's own words around the first one."""
    import difflib
    import unicodedata

    group = {c: g for g in _LOOKALIKES for c in g}
    parts: list[str] = []
    for ch in quote:
        if ch.isspace():
            if parts[-1:] != [r"\s+"]:
                parts.append(r"\s+")
        elif ch in group:
            parts.append("[" + re.escape(group[ch]) + "]")
        else:
            parts.append(re.escape(ch))
    match = re.search("".join(parts), body, re.IGNORECASE) if parts else None
    if match is None:
        return ""
    found = match.group(0)

    def name(c: str) -> str:
        return f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"

    pairs: list[str] = []
    first: int | None = None
    matcher = difflib.SequenceMatcher(None, quote, found, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        first = j1 if first is None else first
        if tag == "replace" and i2 - i1 == j2 - j1:
            for a, b in zip(quote[i1:i2], found[j1:j2], strict=True):
                pair = f"{name(b)} where the quote has {name(a)}"
                if a.lower() == b.lower():
                    pair = "other upper/lower case"
                elif a.isspace() and b.isspace():
                    pair = "other spacing"
                if pair not in pairs:
                    pairs.append(pair)
        elif "other spacing" not in pairs:
            pairs.append("other spacing")
    at = match.start() + (first or 0)
    context = body[max(match.start(), at - 20) : at + 20]
    return (
        f"; the article has {'; '.join(pairs[:3])} (article: {context!r}): copy the "
        "passage from the article"
    )


def _node(document: Any, path: Path_) -> Any:
    node = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_SLUGGED = {"place", "organisation", "person", "incident", "mission", "source"}
_MENTIONABLE = ("place", "organisation", "person", "incident", "mission")


# The seed fields that rows carry under their link table's name.
_LINK_FIELDS = {
    "incident_place": "places",
    "organisation_alias": "aliases",
    "mission_incident": "incidents",
}


def _column_name(column: str) -> str:
    return _LINK_FIELDS.get(column, column.removesuffix("_id"))


def _short(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return describe(value) if value is not None else "nothing"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
