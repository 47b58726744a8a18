"""Reading a seed file's YAML with the line and column of every value.

ruamel.yaml's round-trip loader keeps positions on mappings and sequences. Seed files refuse
aliases (no alias bombs), duplicate keys (ruamel refuses them) and non-UTF-8 bytes, and
timestamps stay strings so that an impossible date is reported by the validator with its
position instead of crashing the YAML parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def read_yaml(path: Path, shown: str) -> Any:
    """The YAML document in `path` (None if empty), or YamlError naming file:line:column."""
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
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            Located(shown, line, column, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]

    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import AliasEvent

    yaml = _yaml()
    try:
        for event in yaml.parse(text):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                raise YamlError(
                    Located(
                        shown,
                        mark.line + 1,
                        mark.column + 1,
                        "",
                        "YAML aliases (*name) are not allowed in seed files; write the value out",
                    )
                )
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or str(exc)).strip()
        if exc.__class__.__name__ == "DuplicateKeyError":
            problem = problem.replace("found duplicate key", "duplicate key").split(" with value")[
                0
            ]
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlError(Located(shown, line, column, "", f"YAML error: {problem}")) from None
    except YAMLError as exc:
        raise YamlError(Located(shown, 0, 0, "", f"YAML error: {exc}")) from None


def position(document: Any, path: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based (line, column) of the value at `path`, or of the nearest parent that exists."""
    node = document
    lc = getattr(node, "lc", None)
    found: tuple[int, int] = (lc.line, lc.col) if lc is not None else (0, 0)
    for part in path:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            found = lc.item(part)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            found = lc.value(part)
            node = node[part]
        else:
            break
    return found[0] + 1, found[1] + 1
