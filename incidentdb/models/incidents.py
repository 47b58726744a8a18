"""Incidents, the places they happened in and their timelines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, range_check, slug_check, slug_column


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (
        slug_check(),
        range_check("occurred_from", "occurred_to"),
        CheckConstraint("parent_id <> id", name="not_own_parent"),
        {"comment": "Incidents: one row per event, with its type and date range."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key, e.g. 2022-kazakhstan-unrest.")
    title: Mapped[str] = mapped_column(Text, nullable=False, comment="Short title.")
    description: Mapped[str | None] = mapped_column(Text, comment="What happened, in brief.")
    incident_type: Mapped[str] = mapped_column(
        ForeignKey("incident_type.code", ondelete="RESTRICT"),
        nullable=False,
        comment="Incident type (see incident_type).",
    )
    occurred_from: Mapped[dt.date] = mapped_column(
        Date,
        nullable=False,
        index=True,
        comment="Earliest day the incident may have started.",
    )
    occurred_to: Mapped[dt.date] = mapped_column(
        Date,
        nullable=False,
        comment="Latest day the incident may have lasted to; equals occurred_from for one day.",
    )
    country_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="The country the incident happened in; NULL when it spans several or is unknown.",
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="RESTRICT"),
        index=True,
        comment="The larger incident this one is part of; NULL for top-level incidents.",
    )
    seed_file_id: Mapped[int | None] = owner_column()


class IncidentPlace(Base):
    __tablename__ = "incident_place"
    __table_args__ = ({"comment": "The places an incident happened in."},)

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True, comment="The incident."
    )
    place_id: Mapped[int] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
        comment="A place it happened in.",
    )


class TimelineEntry(Base):
    __tablename__ = "timeline_entry"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint("num_nonnulls(incident_id, mission_id) = 1", name="one_subject"),
        range_check("occurred_from", "occurred_to"),
        {"comment": "What happened when, within an incident or a mission."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        unique=True,
        comment="Stable key: incident or mission slug/entry slug.",
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"),
        index=True,
        comment="The incident this entry belongs to; NULL when it belongs to a mission.",
    )
    mission_id: Mapped[int | None] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"),
        index=True,
        comment="The mission this entry belongs to; NULL when it belongs to an incident.",
    )
    occurred_from: Mapped[dt.date] = mapped_column(
        Date, nullable=False, comment="Earliest day it may have happened."
    )
    occurred_to: Mapped[dt.date] = mapped_column(
        Date,
        nullable=False,
        comment="Latest day it may have happened; equal when the day is known.",
    )
    kind: Mapped[str] = mapped_column(
        ForeignKey("timeline_kind.code", ondelete="RESTRICT"),
        nullable=False,
        comment="What kind of development (see timeline_kind).",
    )
    description: Mapped[str] = mapped_column(
        Text, nullable=False, comment="What happened, in the coder's words."
    )
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="Where it happened; NULL when not stated.",
    )
    seed_file_id: Mapped[int | None] = owner_column()


class IncidentActor(Base):
    __tablename__ = "incident_actor"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint(
            "role IN ('side_a', 'side_b', 'actor1', 'actor2', 'associated', 'involved')",
            name="role_known",
        ),
        {"comment": "Who took part in an incident, and on which side (as the dataset codes it)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: incident slug/role/organisation."
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        comment="The incident.",
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
        comment="The actor: an armed group, force, government or crowd.",
    )
    role: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        comment="side_a / side_b (UCDP), actor1 / actor2 / associated (ACLED), or involved.",
    )
    seed_file_id: Mapped[int | None] = owner_column()
