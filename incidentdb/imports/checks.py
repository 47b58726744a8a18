"""What importers check before a value reaches the database: each refusal names the file, the
row and the column, instead of a database error (or a traceback) at the end of the import.

- text without NUL characters (PostgreSQL text cannot hold one);
- whole numbers that fit the database's integer columns;
- place slugs within the slug column's 200 characters (long names end in a hash);
- one set of facts per event id in a file (several rows per event are fine if they agree);
- a bounded nesting depth for JSON values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from incidentdb.imports.common import ImportFormatError

INT_MAX = 2_147_483_647  # PostgreSQL integer
MAX_JSON_DEPTH = 32  # a GED feature is 3 deep; properties are flat


def no_nul(values: Mapping[str, Any], file: str, row: int) -> None:
    """ImportFormatError at the first text value holding a NUL character."""
    for column, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            raise ImportFormatError(
                file,
                "a NUL character (\\0) is not allowed in text; remove it from the file",
                row,
                str(column),
            )


def fits_integer(number: int, file: str, row: int, column: str) -> int:
    if not -INT_MAX - 1 <= number <= INT_MAX:
        raise ImportFormatError(
            file,
            f"{number} is beyond {INT_MAX:,}, the largest count the database holds",
            row,
            column,
        )
    return number


class EventIds:
    """The event ids seen so far in a file, with a digest of their facts: the same id again
    must bring the same facts (ACLED gives an event one row per associated actor)."""

    def __init__(self, file: str, id_column: str) -> None:
        self.file = file
        self.id_column = id_column
        self._seen: dict[str, tuple[int, bytes]] = {}

    def add(self, event_id: str, row: int, facts: Iterable[tuple[str, Any]]) -> bool:
        """True the first time the id is seen; False for a row that repeats it with the same
        facts; ImportFormatError for one with other facts."""
        digest = hashlib.blake2b(
            repr(sorted((str(k), str(v)) for k, v in facts)).encode("utf-8"), digest_size=12
        ).digest()
        first = self._seen.get(event_id)
        if first is None:
            self._seen[event_id] = (row, digest)
            return True
        if first[1] != digest:
            raise ImportFormatError(
                self.file,
                f"event {event_id!r} is also in row {first[0]} with other facts (rows "
                f"{first[0]} and {row}); a file must give an event one set of facts",
                row,
                self.id_column,
            )
        return False

    def __len__(self) -> int:
        return len(self._seen)


def bounded_items(stream: Any, prefix: str, file: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """What ijson.items(stream, prefix) gives, refusing a document nested deeper than
    max_depth before anything of it is built. Parsed with ijson.basic_parse, whose events do
    not carry their path: with ijson.parse every event of a 200,000-deep array would hold a
    path as long as its depth (gigabytes)."""
    import ijson
    from ijson.common import ObjectBuilder

    target = prefix.split(".")
    keys: list[str | None] = []  # per open container: its current key, or "item" in arrays
    builder: ObjectBuilder | None = None
    built_at = 0
    number = 0
    for event, value in ijson.basic_parse(stream):
        if builder is None and event != "map_key" and not event.startswith("end_"):
            if keys == target:
                number += 1
                if event in ("start_map", "start_array"):
                    builder, built_at = ObjectBuilder(), len(keys)
                else:
                    yield value
        if event == "map_key":
            keys[-1] = value
        elif event in ("start_map", "start_array"):
            keys.append(None if event == "start_map" else "item")
            if len(keys) > max_depth:
                raise ImportFormatError(
                    file,
                    f"nested more than {max_depth} levels deep; not a GED feature",
                    number or None,
                )
        elif event in ("end_map", "end_array"):
            keys.pop()
        if builder is not None:
            builder.event(event, value)
            if event in ("end_map", "end_array") and len(keys) == built_at:
                yield builder.value
                builder = None
