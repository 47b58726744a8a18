"""The ledger of loaded files: which file defined which rows, and the content hash it had."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base


class SeedFile(Base):
    """Ledger: one row per seed, registry or import file loaded, with its content hash."""

    __tablename__ = "seed_file"
    __table_args__ = (
        CheckConstraint("content_hash ~ '^[0-9a-f]{64}$'", name="content_hash_hex"),
        CheckConstraint("kind IN ('seed', 'registry', 'import')", name="kind_known"),
        CheckConstraint("row_count >= 0", name="row_count_non_negative"),
        {"comment": "Ledger: one row per seed, registry or import file loaded, with its hash."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    path: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        unique=True,
        comment="The file's path relative to the folder it was loaded from (its stable name).",
    )
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
        comment="seed (an article), registry (shared entities) or import.",
    )
    content_hash: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
        comment="SHA-256 of the file's bytes (and its article's) when loaded.",
    )
    row_count: Mapped[int] = mapped_column(
        Integer, nullable=False, comment="Number of rows the file defines."
    )
    loaded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        comment="When the file was last loaded with changes.",
    )
