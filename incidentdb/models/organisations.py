"""Organisations, their parent bodies and their aliases."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, slug_check, slug_column


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        slug_check(),
        CheckConstraint("parent_id <> id", name="not_own_parent"),
        {"comment": "Organisations: intergovernmental bodies, governments, forces, media, groups."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key used in seed files, e.g. csto.")
    name: Mapped[str] = mapped_column(Text, nullable=False, comment="Full name in English.")
    acronym: Mapped[str | None] = mapped_column(Text, comment="Usual acronym, e.g. CSTO.")
    kind: Mapped[str] = mapped_column(
        ForeignKey("organisation_kind.code", ondelete="RESTRICT"),
        nullable=False,
        comment="Organisation kind (see organisation_kind).",
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The body this one belongs to (a council's organisation); NULL if none.",
    )
    country_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="The country the organisation belongs to; NULL for international ones.",
    )
    description: Mapped[str | None] = mapped_column(Text, comment="Notes on the organisation.")
    seed_file_id: Mapped[int | None] = owner_column()


class OrganisationAlias(Base):
    __tablename__ = "organisation_alias"
    __table_args__ = (
        CheckConstraint("length(alias) > 0", name="alias_not_empty"),
        {"comment": "Other names and acronyms of an organisation, for matching and search."},
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        comment="The organisation.",
    )
    alias: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="Another name or acronym, e.g. ODKB."
    )
