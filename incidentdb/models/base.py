"""The declarative base, its naming convention and shared column helpers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, MappedColumn, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def index_non_null_references(metadata: MetaData) -> None:
    """An index on one nullable foreign-key column holds only the rows that refer to something
    (a partial index, WHERE column IS NOT NULL). What such an index serves is a lookup by a
    parent's id: a cascade or a foreign key's check when the parent is deleted, the write
    path's removal step, a view's join. None of them asks for NULL, and a row that refers to
    nothing then writes no entry: an evidence row fills one of eleven fact columns, so it
    writes one of those eleven indexes, not all of them. See docs/indexes.md."""
    for table in metadata.tables.values():
        for index in table.indexes:
            columns = list(index.columns)
            if len(columns) != 1 or index.unique:
                continue
            column = columns[0]
            if column.nullable and column.foreign_keys:
                index.dialect_kwargs["postgresql_where"] = text(f"{column.name} IS NOT NULL")


def slug_check(column: str = "slug") -> CheckConstraint:
    """Slugs are lower-case words joined by hyphens, underscores or dots."""
    return CheckConstraint(f"{column} ~ '{SLUG_PATTERN}'", name=f"{column}_format")


def range_check(low: str, high: str) -> CheckConstraint:
    """A range whose end is not before its start (either side may be unknown)."""
    return CheckConstraint(
        f"{low} IS NULL OR {high} IS NULL OR {low} <= {high}", name=f"{low}_le_{high}"
    )


def slug_column(comment: str) -> MappedColumn[Any]:
    return mapped_column(String(200), nullable=False, unique=True, comment=comment)


def owner_column() -> MappedColumn[Any]:
    return mapped_column(
        ForeignKey("seed_file.id", ondelete="RESTRICT"),
        index=True,
        comment="The seed or import file that defines this row (see seed_file); NULL for "
        "rows written by hand.",
    )


def date_from_column(what: str, nullable: bool = False) -> MappedColumn[Any]:
    return mapped_column(
        Date,
        nullable=nullable,
        comment=f"Earliest day {what}; equal to the _to column when the day is known.",
    )


def date_to_column(what: str, nullable: bool = False) -> MappedColumn[Any]:
    return mapped_column(
        Date,
        nullable=nullable,
        comment=f"Latest day {what}; equal to the _from column when the day is known.",
    )


def text_column(comment: str, nullable: bool = True) -> MappedColumn[Any]:
    return mapped_column(Text, nullable=nullable, comment=comment)
