"""YAML to plain data that remembers where every value was, parsed with libyaml (C).

The mappings and sequences returned are dict and list subclasses whose `lc` attribute packs
where the container starts and where each of its keys, values or items is into one bytes
object (`start`, `where`), so that the positions of a 10 MB file cost about twenty
megabytes, not hundreds. libyaml's composer is about twenty times faster than a pure-Python
parser, which matters for large seed sets.

Seed files refuse aliases (a node used twice), duplicate keys, mappings of more than
MAX_KEYS keys (no record of the format has a tenth of that many fields, and every unknown
key would be one more problem to build and locate) and timestamps-as-dates: a date stays a
string so the validator reports an impossible one with its position.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any, Union

MAX_KEYS = 100


class YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # 1-based
        self.column = column
        self.message = message


# A container's positions, each a 64-bit (line << 32 | column): where it starts, then for a
# list one per item, for a mapping key, value, key, value, ... An array while the container
# is read, bytes (one small object, no spare room) once it is closed.
Positions = Union["array[int]", bytes]


class PositionedMap(dict[Any, Any]):
    __slots__ = ("lc",)
    lc: Positions


class PositionedList(list[Any]):
    __slots__ = ("lc",)
    lc: Positions


def _pack(line: int, col: int) -> int:
    return line << 32 | col


def _packed(positions: Positions, i: int) -> tuple[int, int]:
    if isinstance(positions, array):
        packed = positions[i]
    else:
        packed = int.from_bytes(positions[8 * i : 8 * i + 8], sys.byteorder)
    return packed >> 32, packed & 0xFFFFFFFF


def start(node: Any) -> tuple[int, int] | None:
    """0-based (line, column) where a container of a loaded document starts; None for
    anything else."""
    positions = getattr(node, "lc", None)
    return None if positions is None else _packed(positions, 0)


def where(node: Any, part: Any, key: bool = False) -> tuple[int, int]:
    """0-based (line, column) of item `part` of a list, or of the value (or with `key`, the
    key) `part` of a mapping."""
    positions: Positions = node.lc
    if isinstance(node, list):
        return _packed(positions, 1 + part)
    index = next(i for i, k in enumerate(node) if k == part)  # at most MAX_KEYS
    return _packed(positions, 1 + 2 * index + (0 if key else 1))


def load(text: str, max_depth: int = 40, long_number: Any = None) -> Any:
    """The document in `text` (None if empty), or YamlProblem with its position.

    Also refused: explicit tags, aliases, nesting deeper than `max_depth`, and plain scalars
    that `long_number` (a compiled pattern) matches. Built from libyaml's events, without its
    node graph, so memory stays a small multiple of the text.
    """
    import yaml

    try:
        return _Builder(max_depth, long_number).build(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(line, col, f"YAML error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"YAML error: {exc}") from None


def forget_values(document: Any) -> None:
    """Drop the scalar values of a loaded document, keeping its mappings, lists, keys and
    positions: once a document is validated, its values live on in the validated records
    and only the positions are still needed (for the messages of later checks)."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append(value)
                else:
                    node[key] = None
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append(value)
                else:
                    node[i] = None


_NO_KEY = object()


def too_many_keys() -> str:
    return (
        f"more than {MAX_KEYS} keys in one mapping; no record of a seed file has that many "
        "fields (is a list item's '- ' missing, or the indentation wrong?)"
    )


def _refuse(mark: Any, message: str) -> YamlProblem:
    return YamlProblem(mark.line + 1, mark.column + 1, message)


class _Builder:
    def __init__(self, max_depth: int, long_number: Any) -> None:
        import yaml

        self.yaml = yaml
        self.constructors = yaml.constructor.SafeConstructor.yaml_constructors
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.max_depth = max_depth
        self.long_number = long_number
        self.keys: dict[str, str] = {}  # one string object per distinct key, not per use
        # open containers: (container, its positions, the key waiting for its value)
        self.stack: list[list[Any]] = []
        self.root: Any = None

    def build(self, events: Any) -> Any:
        yaml = self.yaml
        documents = 0
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._put(self._scalar(event), event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._open(event, kind is yaml.SequenceStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, positions, _ = self.stack.pop()
                container.lc = positions.tobytes()
            elif kind is yaml.AliasEvent:
                raise _refuse(
                    event.start_mark,
                    f"YAML aliases (*{event.anchor}) are not allowed in seed files; write the "
                    "value out",
                )
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _refuse(event.start_mark, "YAML error: expected a single document")
        return self.root

    def _open(self, event: Any, sequence: bool) -> None:
        default = "tag:yaml.org,2002:seq" if sequence else "tag:yaml.org,2002:map"
        if event.tag not in (None, "!", default):
            raise _refuse(event.start_mark, "YAML tags are not allowed in seed files")
        if len(self.stack) >= self.max_depth:
            raise _refuse(event.start_mark, f"nested more than {self.max_depth} levels deep")
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY:
            raise _refuse(event.start_mark, "a mapping key must be a plain value")
        positions = array("Q", (_pack(event.start_mark.line, event.start_mark.column),))
        container: Any = PositionedList() if sequence else PositionedMap()
        container.lc = positions
        self._put(container, event.start_mark)
        self.stack.append([container, positions, _NO_KEY])

    def _put(self, value: Any, mark: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        container, positions, key = top
        packed = _pack(mark.line, mark.column)
        if isinstance(container, list):
            positions.append(packed)
            container.append(value)
        elif key is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise _refuse(mark, "a mapping key must be a plain value") from None
            if value in container:
                first, _ = where(container, value, key=True)
                raise _refuse(
                    mark, f"YAML error: duplicate key {value!r} (first at line {first + 1})"
                )
            if len(container) >= MAX_KEYS:
                raise _refuse(mark, too_many_keys())
            if isinstance(value, str):
                value = self.keys.setdefault(value, value)
            positions.extend((packed, 0))
            container[value] = None
            top[2] = value
        else:
            positions[-1] = packed
            container[key] = value
            top[2] = _NO_KEY

    def _implicit(self, value: str, plain: bool) -> str:
        if not plain:  # a quoted scalar is a string whatever it holds
            return "tag:yaml.org,2002:str"
        tag: str = self.resolver.resolve(self.yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        return tag

    def _scalar(self, event: Any) -> Any:
        yaml = self.yaml
        value = event.value
        plain = not event.style  # libyaml gives "" for plain scalars
        tag = event.tag
        # The tag the value would have without an explicit one; a tag that differs is refused.
        implicit = self._implicit(value, plain)
        if tag is None or tag == "!":
            tag = (
                implicit
                if event.implicit == (plain, not plain)
                else self.resolver.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
            )
        if tag != implicit:
            raise _refuse(event.start_mark, "YAML tags are not allowed in seed files")
        if plain and self.long_number is not None and self.long_number.match(value):
            raise _refuse(event.start_mark, "expected a number of at most 100 digits")
        if tag == "tag:yaml.org,2002:timestamp":
            return value
        if tag == "tag:yaml.org,2002:merge":
            raise _refuse(event.start_mark, "YAML merge keys (<<) are not allowed in seed files")
        if tag == "tag:yaml.org,2002:str":
            return value
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructors[tag](self.constructor, node)
        except (KeyError, yaml.constructor.ConstructorError) as exc:  # e.g. the '=' value key
            problem = getattr(exc, "problem", None) or f"cannot read a value tagged {tag}"
            raise _refuse(event.start_mark, f"YAML error: {problem}") from None
