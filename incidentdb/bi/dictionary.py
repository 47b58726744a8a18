"""The data dictionary: what a BI user can read, described.

The reporting views' descriptions come from their files (incidentdb/views/NAME.sql), the same
source the migrations freeze their SQL from; their columns' types and nullability from the
database. With everything=True the core tables follow, described by the comments PostgreSQL
holds on them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from incidentdb import views
from incidentdb.bi.reader import CORE_SCHEMA, REPORTING_SCHEMA, _driver_connection
from incidentdb.errors import UPGRADE_HINT, SchemaError

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    comment: str | None


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    kind: str  # view, table, materialized view, partitioned table, foreign table
    comment: str | None
    columns: list[Column]


_KINDS = {
    "r": "table",
    "v": "view",
    "m": "materialized view",
    "p": "partitioned table",
    "f": "foreign table",
}

_CATALOG = """
SELECT c.relname, c.relkind::text, obj_description(c.oid, 'pg_class'),
       a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
       col_description(c.oid, a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = %(schema)s
  AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND NOT (n.nspname = 'public' AND c.relname = 'alembic_version')
ORDER BY c.relname, a.attnum
"""


def data_dictionary(connection: Connection, everything: bool = False) -> list[Relation]:
    """The reporting views (what the BI reader can read); with everything, then the tables."""
    catalog = {r.name: r for r in _catalog(connection, REPORTING_SCHEMA)}
    relations: list[Relation] = []
    for view in views.load():
        if view.name not in catalog:
            raise SchemaError(
                f"the database has no view {REPORTING_SCHEMA}.{view.name}; {UPGRADE_HINT}"
            )
        columns = [
            Column(c.name, c.type, c.nullable, view.columns.get(c.name))
            for c in catalog[view.name].columns
        ]
        relations.append(Relation(REPORTING_SCHEMA, view.name, "view", view.comment, columns))
    if everything:
        relations += _catalog(connection, CORE_SCHEMA)
    return relations


def _catalog(connection: Connection, schema: str) -> list[Relation]:
    """The relations of `schema` with their columns, as the database describes them."""
    rows = _driver_connection(connection).execute(_CATALOG, {"schema": schema}).fetchall()
    relations: list[Relation] = []
    for name, kind, comment, column, type_, nullable, column_comment in rows:
        if not relations or relations[-1].name != name:
            relations.append(Relation(schema, name, _KINDS[kind], comment, []))
        relations[-1].columns.append(Column(column, type_, nullable, column_comment))
    return relations


COLUMN_ROW = ("schema", "relation", "kind", "column", "type", "nullable", "comment")


def dictionary_rows(relations: list[Relation]) -> list[dict[str, Any]]:
    """One row per column of every relation, for csv and jsonl (keys: COLUMN_ROW)."""
    return [
        dict(
            zip(
                COLUMN_ROW,
                (r.schema, r.name, r.kind, c.name, c.type, c.nullable, c.comment),
                strict=True,
            )
        )
        for r in relations
        for c in r.columns
    ]


def dictionary_json(relations: list[Relation]) -> str:
    return json.dumps([asdict(r) for r in relations], indent=2, ensure_ascii=False)


def dictionary_markdown(relations: list[Relation]) -> str:
    intro = (
        f"Generated from the view files and the comments in the database. The views in "
        f"`{REPORTING_SCHEMA}` are for BI tools and analysts"
    )
    if any(r.schema != REPORTING_SCHEMA for r in relations):
        intro += f"; the tables in `{CORE_SCHEMA}` hold the data they read."
    else:
        intro += " (the only relations a BI reader can read)."
    lines = ["# incidentdb data dictionary", "", intro]
    for relation in relations:
        lines += [
            "",
            f"## {relation.schema}.{relation.name} ({relation.kind})",
            "",
            _cell(relation.comment) or "_No description._",
            "",
            "| Column | Type | Nullable | Description |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.name} | {c.type} | {'yes' if c.nullable else 'no'} | {_cell(c.comment)} |"
            for c in relation.columns
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")
