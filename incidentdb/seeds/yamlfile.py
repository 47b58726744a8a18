"""Reading a seed file's YAML with the line and column of every value.

ruamel.yaml's round-trip loader keeps positions on mappings and sequences. Before loading,
the parser's events are walked once to refuse, with their field path, what seed files never
need: aliases (no alias bombs: refused before anything is expanded), duplicate keys and deep
nesting. Files over MAX_BYTES and non-UTF-8 bytes are refused before parsing. Timestamps
stay strings so that an impossible date is reported by the validator with its position
instead of crashing the YAML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentdb.seeds.positioned import MAX_KEYS, too_many_keys, where
from incidentdb.seeds.positioned import start as container_start

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Located:
    """A problem at a place in a file (1-based line and column; 0 when unknown)."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class YamlError(Exception):
    def __init__(self, problem: Located) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    yaml = YAML(typ="rt", pure=True)

    class SeedConstructor(RoundTripConstructor):
        pass

    SeedConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    yaml.Constructor = SeedConstructor
    return yaml


def dotted(path: tuple[str | int, ...]) -> str:
    """A field path as the user reads it: casualty_reports[1].figure."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(str(part)):
            out += f"[{str(part)!r}]"  # a key with spaces or control characters, shown escaped
        else:
            out += f".{part}" if out else str(part)
    return out


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-?]+")
_LONG_NUMBER = re.compile(r"[-+]?[0-9_]{101}")


def describe(value: Any) -> str:
    """What kind of YAML value this is, for 'expected ..., got ...' messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 72:
        return repr(value[:72] + "...")
    return repr(value)


def read_yaml(path: Path, shown: str) -> Any:
    """The YAML document in `path` (None if empty), or YamlError naming file:line:column."""
    text = _read_text(path, shown)
    # The fast path (libyaml, in C) reads valid files; on any problem the precise path below
    # reads the file again to say where and why, with the field path.
    from incidentdb.seeds import positioned

    try:
        return positioned.load(text, max_depth=MAX_DEPTH, long_number=_LONG_NUMBER)
    except positioned.YamlProblem as problem:
        fast_problem = problem
    except RecursionError:
        fast_problem = positioned.YamlProblem(0, 0, f"nested more than {MAX_DEPTH} levels deep")
    raise YamlError(_precise_problem(text, shown, fast_problem))


def _read_text(path: Path, shown: str) -> str:
    """The file's text, refused (YamlError) when missing, too large or not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise YamlError(Located(shown, 0, 0, "", "file not found")) from None
    if size > MAX_BYTES:
        raise YamlError(
            Located(
                shown,
                0,
                0,
                "",
                f"file is {size:,} bytes, more than the {MAX_BYTES:,} a seed file may hold; "
                "split it, or use `incidentdb import` for datasets",
            )
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(_not_utf8(raw, exc, shown)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, shown: str) -> Located:
    line = raw[: exc.start].count(b"\n") + 1
    column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
    where = _path_at_end(raw[: exc.start].decode("utf-8"))
    return Located(
        shown,
        line,
        column,
        dotted(where),
        f"expected UTF-8 text, got the byte 0x{raw[exc.start]:02x}; save the file as UTF-8",
    )


def _precise_problem(text: str, shown: str, fast_problem: Any) -> Located:
    """Where and why a file that the fast path refused is wrong: ruamel.yaml's parser, with
    the field path of each event; the fast path's own problem if ruamel reads it."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = _yaml()
    walker = _Walker(shown)
    try:
        for event in yaml.parse(text):
            walker.step(event)
    except MarkedYAMLError as exc:
        return _marked_problem(shown, exc, walker.path())
    except ReaderError as exc:
        return _not_printable(text, shown, exc.position)
    except YAMLError as exc:
        message = " ".join(str(exc).split())
        return Located(shown, 0, 0, dotted(walker.path()), f"YAML error: {message}")
    try:
        yaml.load(text)
    except MarkedYAMLError as exc:
        return _marked_problem(shown, exc, ())
    except YAMLError as exc:
        message = " ".join(str(exc).split())
        return Located(shown, 0, 0, "", f"YAML error: {message}")
    return Located(shown, fast_problem.line, fast_problem.column, "", fast_problem.message)


def _not_printable(text: str, shown: str, at: int) -> Located:
    before = text[:at]
    line = before.count("\n") + 1
    column = at - (before.rfind("\n") + 1) + 1
    character = text[at] if at < len(text) else "?"
    return Located(
        shown,
        line,
        column,
        dotted(_path_at_end(before)),
        f"expected printable text, got the control character U+{ord(character):04X}; "
        "YAML does not allow it: delete it",
    )


MAX_DEPTH = 40

_HINTS = {
    "mapping values are not allowed here": "a value that holds ': ' must be put in quotes, "
    "or the line is indented too far",
    "found character '\\t' that cannot start any token": "YAML indents with spaces, not tabs",
    "found unexpected end of stream": "a quote or bracket is not closed",
}


def _marked_problem(shown: str, exc: Any, path: tuple[str | int, ...]) -> Located:
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join(str(exc.problem or exc).split())
    context = " ".join(str(exc.context or "").split())
    if context.startswith("expected a single document"):
        problem = "expected one YAML document, but found another (a line of --- starts one)"
    elif context and exc.context_mark is not None and exc.context_mark is not mark:
        problem += f" ({context} at line {exc.context_mark.line + 1})"
    for start, hint in _HINTS.items():
        if problem.startswith(start):
            problem += f"; {hint}"
    if context.startswith("while parsing a flow"):
        problem += "; a [ or { is not closed, or a value in it needs quotes"
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Located(shown, line, column, dotted(path), f"YAML error: {problem}")


class _Frame:
    __slots__ = ("path", "is_map", "expect_key", "key", "index", "keys")

    def __init__(self, path: tuple[str | int, ...], is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.expect_key = True
        self.key: str | int = ""
        self.index = 0
        self.keys: dict[str, Any] = {}


class _Walker:
    """Follows the parser's events, knowing the field path of each node.

    It refuses, with that path, what the seed format never needs: aliases (a few lines of
    them expand to billions of nodes), duplicate keys and absurd nesting.
    """

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.stack: list[_Frame] = []
        self.last_scalar: tuple[tuple[str | int, ...], int] | None = None

    def _node_path(self) -> tuple[str | int, ...]:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.is_map:
            return top.path if top.expect_key else (*top.path, top.key)
        return (*top.path, top.index)

    def path(self) -> tuple[str | int, ...]:
        """Where the parser is: the node being read (for errors)."""
        return self._node_path()

    def _done(self) -> None:
        if self.stack:
            top = self.stack[-1]
            if top.is_map:
                top.expect_key = not top.expect_key
            else:
                top.index += 1

    def _refuse(self, mark: Any, path: tuple[str | int, ...], message: str) -> None:
        raise YamlError(Located(self.shown, mark.line + 1, mark.column + 1, dotted(path), message))

    def step(self, event: Any) -> None:
        from ruamel.yaml.events import (
            AliasEvent,
            CollectionEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceStartEvent,
        )

        if isinstance(event, AliasEvent):
            self._refuse(
                event.start_mark,
                self._node_path(),
                f"YAML aliases (*{event.anchor}) are not allowed in seed files; "
                "write the value out",
            )
        top = self.stack[-1] if self.stack else None
        is_key = top is not None and top.is_map and top.expect_key
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            self._refuse(
                event.start_mark,
                self._node_path(),
                f"YAML tags ({shown}) are not allowed in seed files; write the value plainly",
            )
        if (
            isinstance(event, ScalarEvent)
            and event.style is None
            and _LONG_NUMBER.match(event.value)
        ):
            self._refuse(
                event.start_mark,
                self._node_path(),
                "expected a number of at most 100 digits; put text in quotes",
            )
        if isinstance(event, ScalarEvent):
            if is_key:
                assert top is not None
                first = top.keys.get(event.value)
                if first is not None:
                    self._refuse(
                        event.start_mark,
                        (*top.path, event.value),
                        f"duplicate key: {event.value!r} is already given at line "
                        f"{first.line + 1}, column {first.column + 1}; "
                        "a mapping holds each key once",
                    )
                if len(top.keys) >= MAX_KEYS:
                    self._refuse(event.start_mark, (*top.path, event.value), too_many_keys())
                top.keys[event.value] = event.start_mark
                top.key = event.value
            else:
                self.last_scalar = (self._node_path(), event.end_mark.index)
            self._done()
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            if is_key:
                assert top is not None
                top.key = "?"
                path: tuple[str | int, ...] = (*top.path, "?")
            else:
                path = self._node_path()
            if len(self.stack) >= MAX_DEPTH:
                self._refuse(event.start_mark, path, f"nested more than {MAX_DEPTH} levels deep")
            self.stack.append(_Frame(path, isinstance(event, MappingStartEvent)))
        elif isinstance(event, CollectionEndEvent):
            self.stack.pop()
            self._done()


def _path_at_end(text: str) -> tuple[str | int, ...]:
    """The field path of the value that `text` (a prefix of a file) ends in, if any."""
    from ruamel.yaml.error import YAMLError

    walker = _Walker("")
    try:
        for event in _yaml().parse(text):
            walker.step(event)
    except (YAMLError, YamlError):
        return walker.path()
    if walker.last_scalar is not None and walker.last_scalar[1] >= len(text.rstrip(" ")):
        return walker.last_scalar[0]
    return ()


def position(document: Any, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at `path`, or of the nearest parent that exists.

    With `key`, the position of the last part's key rather than of its value.
    """
    node = document
    found = container_start(node) or (0, 0)
    for i, part in enumerate(path):
        if getattr(node, "lc", None) is None:
            break
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            found = where(node, part)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            found = where(node, part, key=key and i == len(path) - 1)
            node = node[part]
        else:
            break
    return found[0] + 1, found[1] + 1
