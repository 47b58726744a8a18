"""The text of validation problems: pydantic's errors, NULs, near-miss quotes and duplicates
turned into file:line:column messages that say what was expected and what to do."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from incidentdb.errors import IncidentdbError
from incidentdb.seeds.yamlfile import Located, describe, dotted, position

MAX_PROBLEMS = 50  # shown in the error's text
MAX_KEPT = 10_000  # kept with their place and text; beyond them, problems are only counted
NUL = "a NUL character (\\0) is not allowed in text; remove it"


class Problems:
    """The problems found so far: the first MAX_KEPT kept, every one counted.

    A 10 MB file can hold a million mistakes; keeping each with its message would take
    gigabytes, and nobody reads past the first screenful. The count stays exact."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.kept: list[Located] = []
        self.count = 0
        self.limit = limit

    @property
    def full(self) -> bool:
        """True once no more problems are kept: a caller may count instead of locating."""
        return self.count >= self.limit

    def add(self, problem: Located) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def extend(self, problems: Iterable[Located]) -> None:
        for problem in problems:
            self.add(problem)

    def counted(self, n: int = 1) -> None:
        """`n` problems found but not located (see `full`)."""
        self.count += n

    def __bool__(self) -> bool:
        return self.count > 0


class SeedValidationError(IncidentdbError):
    """One or more seed files are invalid; nothing was written.

    `problems` holds the problems kept (at most MAX_KEPT), `count` how many there are."""

    def __init__(self, problems: list[Located], count: int | None = None) -> None:
        self.problems = problems
        self.count = len(problems) if count is None else count
        shown = [str(p) for p in problems[:MAX_PROBLEMS]]
        if self.count > MAX_PROBLEMS:
            shown.append(f"... and {self.count - MAX_PROBLEMS} more problems")
        noun = "problem" if self.count == 1 else "problems"
        super().__init__(f"{self.count} {noun} in seed files:\n" + "\n".join(shown))

    @classmethod
    def of(cls, problems: Problems) -> SeedValidationError:
        return cls(problems.kept, problems.count)


def nul_problems(shown: str, raw: Any) -> list[Located]:
    """Every text value (or key) holding a NUL character, which PostgreSQL text cannot."""
    problems: list[Located] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(raw, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        node, path = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and "\x00" in k:
                    line, col = position(raw, (*path, k), key=True)
                    problems.append(Located(shown, line, col, dotted(path), NUL))
                stack.append((v, (*path, k)))
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            line, col = position(raw, path)
            problems.append(Located(shown, line, col, dotted(path), NUL))
    return sorted(problems, key=lambda p: (p.line, p.column))


def add_pydantic_problems(shown: str, raw: Any, errors: list[Any], problems: Problems) -> None:
    """pydantic's errors as problems; once `problems` keeps no more, only counted."""
    if problems.full:
        problems.counted(len(_problem_errors(raw, errors)[0]))
    else:
        problems.extend(pydantic_problems(shown, raw, errors))


def _problem_errors(
    raw: Any, errors: list[Any]
) -> tuple[list[tuple[tuple[str | int, ...], Any]], dict[tuple[str | int, ...], str]]:
    """The errors that are problems, at their place in the document, and the hints for
    unknown keys that look like a known field."""
    located = [(_where(raw, err), err) for err in errors]
    # An unknown key that looks like a missing field is one typo, not two problems.
    unknown = {loc: loc[-1] for loc, err in located if err["type"] == "extra_forbidden"}
    hints: dict[tuple[str | int, ...], str] = {}
    for loc, key in unknown.items():
        close = _close_field(str(key), _record_path(loc[:-1]))
        if close:
            hints[loc] = close
    typos = {(*loc[:-1], name) for loc, name in hints.items()}
    kept = [(loc, err) for loc, err in located if not (err["type"] == "missing" and loc in typos)]
    return kept, hints


def pydantic_problems(shown: str, raw: Any, errors: list[Any]) -> list[Located]:
    kept, hints = _problem_errors(raw, errors)
    problems: list[Located] = []
    for loc, err in kept:
        kind = err["type"]
        if kind == "extra_forbidden":
            line, col = position(raw, loc, key=True)
            if loc in hints:
                msg = f"unknown field {loc[-1]!r}: did you mean {hints[loc]!r}?"
            else:
                allowed = ", ".join(_field_names(_record_path(loc[:-1])))
                msg = f"unknown field {loc[-1]!r}; expected one of: {allowed}"
        else:
            line, col = position(raw, loc)
            msg = _message(err)
        problems.append(Located(shown, line, col, dotted(loc), msg))
    return problems


def _record_path(path: tuple[str | int, ...]) -> tuple[str, ...]:
    """The path without list indexes: the same for every record of a section."""
    return tuple(p for p in path if isinstance(p, str))


# A file of many records repeats its mistakes: the fields and the hints are worked out once.
@functools.lru_cache(maxsize=256)
def _field_names(path: tuple[str, ...]) -> tuple[str, ...]:
    from incidentdb.seeds.format import field_names

    return tuple(field_names(path))


@functools.lru_cache(maxsize=4096)
def _close_field(key: str, path: tuple[str, ...]) -> str | None:
    import difflib

    close = difflib.get_close_matches(key, _field_names(path), n=1, cutoff=0.6)
    return close[0] if close else None


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
    from incidentdb.seeds import fields as f

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


_LOOKALIKES = ("'‘’‚‛ʼ′`´", '"“”„‟″«»', "-‐‑‒–—―−", " \u00a0\u2009\u202f")


def near_miss(body: str, quote: str) -> str:
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


def evidence_in_registry(fact_table: str) -> str:
    """Why a fact that needs evidence cannot be coded in a file without a source."""
    return (
        f"every {fact_table.replace('_', ' ')} needs evidence, a quote from an "
        "article, and a file without a source (a registry) has none; code it in the "
        "seed file of an article that reports it"
    )


def quote_not_found(file: str, quote: str, body: str) -> str:
    """A quote that is not in the article, with what nearly matches it."""
    return (
        f"expected a quote found verbatim in {file}, got {describe(quote)}{near_miss(body, quote)}"
    )


def defined_twice(
    table: str,
    key: str,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    first_at: str,
    slugged: bool,
    same_file: bool,
) -> str:
    """Why a row defined again with other content is refused: what differs, and what to do."""
    differ = [k for k in mine if mine[k] != theirs.get(k)]
    shown = "; ".join(
        f"{_column_name(k)} {_short(mine[k])} here, {_short(theirs.get(k))} there"
        for k in differ[:3]
    )
    if table in ("timeline_entry", "casualty_report", "statement"):
        hint = "; if both are meant, give each a slug of its own"
    elif not slugged:
        hint = "; merge them into one"
    elif same_file:
        hint = "; remove one, or give it another slug"
    else:
        hint = "; define it once (in a registry file if several files need it)"
    return (
        f"{table.replace('_', ' ')} {key!r} is defined twice with different "
        f"content (first at {first_at}): {shown}{hint}"
    )


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
