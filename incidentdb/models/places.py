"""Places: countries (ISO 3166), regions, admin areas and cities, in a hierarchy."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, slug_check, slug_column


class Place(Base):
    __tablename__ = "place"
    __table_args__ = (
        slug_check(),
        CheckConstraint("iso_alpha2 ~ '^[A-Z]{2}$'", name="iso_alpha2_format"),
        CheckConstraint("iso_alpha3 ~ '^[A-Z]{3}$'", name="iso_alpha3_format"),
        CheckConstraint("kind <> 'country' OR iso_alpha2 IS NOT NULL", name="country_has_iso"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_paired"),
        CheckConstraint("geo_precision BETWEEN 1 AND 9", name="geo_precision_range"),
        CheckConstraint("parent_id <> id", name="not_own_parent"),
        {"comment": "Places: countries with ISO 3166 codes, regions, admin areas and cities."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key used in seed files, e.g. kz or moscow.")
    name: Mapped[str] = mapped_column(Text, nullable=False, comment="Name in English.")
    kind: Mapped[str] = mapped_column(
        ForeignKey("place_kind.code", ondelete="RESTRICT"),
        nullable=False,
        comment="Place kind (see place_kind).",
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="The place this one lies in (a city's country); NULL for top-level places.",
    )
    iso_alpha2: Mapped[str | None] = mapped_column(
        String(2), unique=True, comment="ISO 3166-1 alpha-2 code, countries only."
    )
    iso_alpha3: Mapped[str | None] = mapped_column(
        String(3), unique=True, comment="ISO 3166-1 alpha-3 code, countries only."
    )
    latitude: Mapped[float | None] = mapped_column(
        Float, comment="WGS 84 latitude in degrees; NULL when unknown."
    )
    longitude: Mapped[float | None] = mapped_column(
        Float, comment="WGS 84 longitude in degrees; NULL when unknown."
    )
    geo_precision: Mapped[int | None] = mapped_column(
        SmallInteger,
        comment="How exact the coordinates are, 1 (the place itself) and up (coarser), as in "
        "ACLED and UCDP; NULL when unknown.",
    )
    description: Mapped[str | None] = mapped_column(
        Text, comment="Notes on the place, e.g. what a vague place name in a source covers."
    )
    seed_file_id: Mapped[int | None] = owner_column()
