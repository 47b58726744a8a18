"""Missions (peace operations and the like), their incidents and contributors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, range_check, slug_check, slug_column


class Mission(Base):
    __tablename__ = "mission"
    __table_args__ = (
        slug_check(),
        range_check("started_from", "started_to"),
        range_check("ended_from", "ended_to"),
        range_check("started_from", "ended_to"),
        {"comment": "Missions: peace operations and other deployments, with lead and host."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key, e.g. csto-kazakhstan-2022.")
    name: Mapped[str] = mapped_column(Text, nullable=False, comment="Name of the mission.")
    kind: Mapped[str] = mapped_column(
        ForeignKey("mission_kind.code", ondelete="RESTRICT"),
        nullable=False,
        comment="Mission kind (see mission_kind).",
    )
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The organisation leading the mission; NULL when unknown.",
    )
    host_country_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="The country hosting the mission; NULL when unknown.",
    )
    started_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="Earliest day the mission may have started; NULL when unknown."
    )
    started_to: Mapped[dt.date | None] = mapped_column(
        Date, comment="Latest day the mission may have started; NULL when unknown."
    )
    ended_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="Earliest day the mission may have ended; NULL when unknown or ongoing."
    )
    ended_to: Mapped[dt.date | None] = mapped_column(
        Date, comment="Latest day the mission may have ended; NULL when unknown or ongoing."
    )
    mandate: Mapped[str | None] = mapped_column(Text, comment="The mandate; NULL when not stated.")
    seed_file_id: Mapped[int | None] = owner_column()


class MissionIncident(Base):
    __tablename__ = "mission_incident"
    __table_args__ = ({"comment": "The incidents a mission responded to."},)

    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), primary_key=True, comment="The mission."
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
        comment="An incident it responded to.",
    )


class MissionContributor(Base):
    __tablename__ = "mission_contributor"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint("num_nonnulls(organisation_id, country_id) >= 1", name="has_contributor"),
        CheckConstraint("personnel >= 0", name="personnel_non_negative"),
        {"comment": "Who contributed to a mission, and with how many personnel."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: mission slug/contributor slug."
    )
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        comment="The mission.",
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The contributing organisation; NULL if only a country is known.",
    )
    country_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="The contributing country; NULL if only an organisation is known.",
    )
    personnel: Mapped[int | None] = mapped_column(
        Integer, comment="Personnel contributed (people); NULL when unknown, never 0 for unknown."
    )
    seed_file_id: Mapped[int | None] = owner_column()
