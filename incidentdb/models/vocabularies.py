"""Controlled vocabularies: reference tables filled by migrations, for BI joins and filters."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from incidentdb.models.base import Base


class Vocabulary(Base):
    __abstract__ = True

    code: Mapped[str] = mapped_column(
        String(40), primary_key=True, comment="Stable code used in seed files and foreign keys."
    )
    label: Mapped[str] = mapped_column(Text, nullable=False, comment="Human-readable label.")
    description: Mapped[str] = mapped_column(
        Text, nullable=False, comment="What the code means and when to use it."
    )
    sort_order: Mapped[int] = mapped_column(
        Integer, nullable=False, comment="Position in pick lists and reports."
    )

    @declared_attr.directive
    def __table_args__(cls) -> dict[str, str]:  # noqa: N805
        return {"comment": cls.__doc__ or ""}


class IncidentType(Vocabulary):
    """Vocabulary of incident types (unrest, riot, armed clash, ...)."""

    __tablename__ = "incident_type"


class TimelineKind(Vocabulary):
    """Vocabulary of timeline entry kinds (protest, riot, deployment, ...)."""

    __tablename__ = "timeline_kind"


class CasualtyCategory(Vocabulary):
    """Vocabulary of casualty categories (killed, injured, detained, ...)."""

    __tablename__ = "casualty_category"


class Qualifier(Vocabulary):
    """Vocabulary of figure qualifiers: how a reported figure bounds the true count."""

    __tablename__ = "qualifier"

    bound_rule: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        comment="How count_low and count_high follow from the figure under this qualifier.",
    )


class OrganisationKind(Vocabulary):
    """Vocabulary of organisation kinds (intergovernmental, government, media, ...)."""

    __tablename__ = "organisation_kind"


class MissionKind(Vocabulary):
    """Vocabulary of mission kinds (peacekeeping, observer, training, ...)."""

    __tablename__ = "mission_kind"


class PlaceKind(Vocabulary):
    """Vocabulary of place kinds (country, region, admin1, city, ...)."""

    __tablename__ = "place_kind"
