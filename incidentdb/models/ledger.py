"""The ledger of loaded files: which file defined which rows, and the content hash it had."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
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
    identity: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        unique=True,
        comment="The file's stable name, whatever folder it is loaded from: source:SLUG for "
        "an article's seed, registry:NAME for a registry that declares its name, file:PATH "
        "for one that does not, import:DATASET:CONTENT (the file's hash) for an import.",
    )
    location: Mapped[str | None] = mapped_column(
        Text,
        comment="Absolute path the file was last loaded from; NULL when unknown (loaded "
        "before locations were recorded).",
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


class SeedFileClaim(Base):
    """A row that another loaded file defines too (identically), besides its owner."""

    __tablename__ = "seed_file_claim"
    __table_args__ = (
        {
            "comment": "Ledger: rows that a loaded file defines besides the file that owns them "
            "(seed_file_id on the row). A row stays while its owner or any claim defines it."
        },
    )

    table_name: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The table of the claimed row, e.g. person."
    )
    row_key: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The claimed row's slug or key."
    )
    seed_file_id: Mapped[int] = mapped_column(
        ForeignKey("seed_file.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
        comment="The file that also defines the row.",
    )
