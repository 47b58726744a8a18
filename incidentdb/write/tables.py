"""The table graph the write path loads, derived from the SQLAlchemy models' metadata.

An **entity table** has an `id` primary key and a natural key (`slug` or `key`) that rows
name each other by; its references are its foreign keys to other entity tables, resolved
from keys to ids on the way in. A reference to its own table is either its `parent` (loaded
level by level) or a late reference (set once the whole table is written). A **link table**
(incident_place, mission_incident, organisation_alias) has a composite primary key: its first
column points at the owning row, the second at an item (another row, or a plain value), and
its rows are replaced per owner. A Row carries its link items under the link table's name.

Nothing here is written by hand: a column added to a model is loaded, and a Row naming a
column its table lacks is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

OWNER = "seed_file_id"  # the ledger file that owns a row
KEYS = ("slug", "key")


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str  # natural key column: slug or key
    columns: tuple[str, ...]  # value columns, in staging order
    refs: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    parent: str | None = None  # self-referencing column, loaded level by level
    late: tuple[str, ...] = ()  # references to rows of the same table, set after the upsert

    @property
    def early(self) -> tuple[str, ...]:
        """The columns written by the upsert: all but the late references."""
        return tuple(c for c in self.columns if c not in self.late)


@dataclass(frozen=True)
class LinkSpec:
    """A link table replaced per owner row: (owner column, item column) <- the Row's value
    under the link table's name, a tuple of Refs (or of plain values)."""

    name: str
    owner_table: str
    owner_column: str
    item_column: str
    item_table: str | None  # None: the items are plain values


@dataclass(frozen=True)
class TableGraph:
    tables: tuple[TableSpec, ...]  # in dependency order: a table after those it refers to
    links: tuple[LinkSpec, ...]
    by_name: dict[str, TableSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {t.name: t for t in self.tables})

    def spec(self, name: str) -> TableSpec:
        return self.by_name[name]

    def key_of(self, name: str) -> str:
        return self.spec(name).key

    def accepts(self, name: str) -> frozenset[str]:
        """The values a Row of this table may carry: its columns and its link tables."""
        links = {link.name for link in self.links if link.owner_table == name}
        return frozenset({*self.spec(name).columns, *links})


def _entity(table: object) -> TableSpec | None:
    from sqlalchemy import Table

    assert isinstance(table, Table)
    names = [c.name for c in table.columns]
    key = next((k for k in KEYS if k in names), None)
    if key is None or [c.name for c in table.primary_key.columns] != ["id"]:
        return None
    refs: dict[str, str] = {}
    for fk in table.foreign_keys:
        target = fk.column.table
        if fk.parent.name != OWNER and fk.column.name == "id":
            refs[fk.parent.name] = target.name
    own = [c for c, t in refs.items() if t == table.name]
    parent = "parent_id" if "parent_id" in own else None
    columns = tuple(n for n in names if n not in ("id", key, OWNER))
    late = tuple(c for c in own if c != parent)
    return TableSpec(table.name, key, columns, refs, parent, late)


def _link(table: object, entities: dict[str, TableSpec]) -> LinkSpec | None:
    from sqlalchemy import Table

    assert isinstance(table, Table)
    pk = list(table.primary_key.columns)
    if len(pk) != 2 or not pk[0].foreign_keys:
        return None
    owner = next(iter(pk[0].foreign_keys)).column.table.name
    if owner not in entities:
        return None
    item_fk = next(iter(pk[1].foreign_keys), None)
    item = item_fk.column.table.name if item_fk is not None else None
    return LinkSpec(table.name, owner, pk[0].name, pk[1].name, item)


@cache
def graph() -> TableGraph:
    """The graph of every table the write path loads."""
    from incidentdb.models import metadata

    ordered = [t for t in metadata.sorted_tables if t.schema is None]
    entities = {spec.name: spec for t in ordered if (spec := _entity(t)) is not None}
    links = tuple(link for t in ordered if (link := _link(t, entities)) is not None)
    return TableGraph(tuple(entities.values()), links)
