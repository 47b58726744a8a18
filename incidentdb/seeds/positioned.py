"""YAML to plain data that remembers where every value was, parsed with libyaml (C).

The mappings and sequences returned are dict and list subclasses with an `lc` attribute in
the shape ruamel.yaml uses (`lc.line`, `lc.col`, `lc.key(k)`, `lc.value(k)`, `lc.item(i)`,
all 0-based), so positions can be looked up the same way. libyaml's composer is about
twenty times faster than a pure-Python parser, which matters for large seed sets.

Seed files refuse aliases (a node used twice), duplicate keys and timestamps-as-dates: a
date stays a string so the validator reports an impossible one with its position.
"""

from __future__ import annotations

from typing import Any


class YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # 1-based
        self.column = column
        self.message = message


class _Positions:
    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col
        self._keys: dict[Any, tuple[int, int]] = {}
        self._values: dict[Any, tuple[int, int]] = {}

    def key(self, k: Any) -> tuple[int, int]:
        return self._keys[k]

    def value(self, k: Any) -> tuple[int, int]:
        return self._values[k]

    def item(self, i: int) -> tuple[int, int]:
        return self._values[i]


class PositionedMap(dict[Any, Any]):
    lc: _Positions


class PositionedList(list[Any]):
    lc: _Positions


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


_NO_KEY = object()


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
                self.stack.pop()
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
        positions = _Positions(event.start_mark.line, event.start_mark.column)
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
        where = (mark.line, mark.column)
        if isinstance(container, list):
            positions._values[len(container)] = where
            container.append(value)
        elif key is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise _refuse(mark, "a mapping key must be a plain value") from None
            if value in container:
                raise _refuse(
                    mark,
                    f"YAML error: duplicate key {value!r} (first at line "
                    f"{positions._keys[value][0] + 1})",
                )
            positions._keys[value] = where
            container[value] = None
            top[2] = value
        else:
            positions._values[key] = where
            container[key] = value
            top[2] = _NO_KEY

    def _scalar(self, event: Any) -> Any:
        yaml = self.yaml
        value = event.value
        plain = not event.style  # libyaml gives "" for plain scalars
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        implicit = self.resolver.resolve(yaml.ScalarNode, value, (plain, not plain))  # type: ignore[no-untyped-call]
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
