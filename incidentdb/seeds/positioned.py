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

    Also refused: explicit tags, nesting deeper than `max_depth`, and plain scalars that
    `long_number` (a compiled pattern) matches.
    """
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(line, col, f"YAML error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"YAML error: {exc}") from None
    if node is None:
        return None
    return _Converter(max_depth, long_number).convert(node, 0)


class _Converter:
    def __init__(self, max_depth: int, long_number: Any) -> None:
        import yaml

        self.yaml = yaml
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.seen: set[int] = set()
        self.max_depth = max_depth
        self.long_number = long_number

    def _refuse(self, node: Any, message: str) -> None:
        raise YamlProblem(node.start_mark.line + 1, node.start_mark.column + 1, message)

    def convert(self, node: Any, depth: int) -> Any:
        yaml = self.yaml
        if depth > self.max_depth:
            self._refuse(node, f"nested more than {self.max_depth} levels deep")
        if id(node) in self.seen:
            mark = node.start_mark
            raise YamlProblem(
                mark.line + 1,
                mark.column + 1,
                "YAML aliases (*name) are not allowed in seed files; write the value out "
                "(this value is used again through an alias)",
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # libyaml gives "" for plain scalars
            implicit = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, node.value, (plain, not plain)
            )
            if node.tag != implicit:
                self._refuse(node, "YAML tags are not allowed in seed files")
            if plain and self.long_number is not None and self.long_number.match(node.value):
                self._refuse(node, "expected a number of at most 100 digits")
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value
            if node.tag == "tag:yaml.org,2002:merge":
                self._refuse(node, "YAML merge keys (<<) are not allowed in seed files")
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError as exc:  # e.g. the '=' value key
                self._refuse(node, f"YAML error: {exc.problem}")
        default = "seq" if isinstance(node, yaml.SequenceNode) else "map"
        if node.tag != f"tag:yaml.org,2002:{default}":
            self._refuse(node, "YAML tags are not allowed in seed files")
        positions = _Positions(node.start_mark.line, node.start_mark.column)
        if isinstance(node, yaml.SequenceNode):
            seq = PositionedList()
            seq.lc = positions
            for i, child in enumerate(node.value):
                positions._values[i] = (child.start_mark.line, child.start_mark.column)
                seq.append(self.convert(child, depth + 1))
            return seq
        mapping = PositionedMap()
        mapping.lc = positions
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "a mapping key must be a plain value",
                ) from None
            if key in mapping:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    f"YAML error: duplicate key {key!r} (first at line "
                    f"{positions._keys[key][0] + 1})",
                )
            positions._keys[key] = (key_node.start_mark.line, key_node.start_mark.column)
            positions._values[key] = (value_node.start_mark.line, value_node.start_mark.column)
            mapping[key] = self.convert(value_node, depth + 1)
        return mapping
