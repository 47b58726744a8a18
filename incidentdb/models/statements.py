"""Statements: who said what, when, where, about which incident or mission."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, range_check


class Statement(Base):
    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint(
            "num_nonnulls(speaker_person_id, speaker_organisation_id) >= 1", name="has_speaker"
        ),
        CheckConstraint("mode IN ('direct', 'reported')", name="mode_known"),
        range_check("said_from", "said_to"),
        {"comment": "Statements: who said what, when and where, about which incident or mission."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: source slug/statement slug."
    )
    speaker_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"),
        index=True,
        comment="The person who spoke; NULL when only an organisation is named.",
    )
    speaker_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The organisation that spoke, or that the speaker spoke for; NULL if none.",
    )
    said_from: Mapped[dt.date] = mapped_column(
        Date, nullable=False, comment="Earliest day the statement may have been made."
    )
    said_to: Mapped[dt.date] = mapped_column(
        Date, nullable=False, comment="Latest day it may have been made; equal when known."
    )
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="Where it was said; NULL when not stated.",
    )
    occasion: Mapped[str | None] = mapped_column(
        Text, comment="The occasion, e.g. a press conference; NULL when not stated."
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"),
        index=True,
        comment="The incident it is about; NULL if none.",
    )
    mission_id: Mapped[int | None] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"),
        index=True,
        comment="The mission it is about; NULL if none.",
    )
    mode: Mapped[str] = mapped_column(
        Text,
        nullable=False,
        comment="direct (the speaker's words quoted) or reported (paraphrased by the source).",
    )
    summary: Mapped[str] = mapped_column(
        Text, nullable=False, comment="What was said, in the coder's words."
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
        comment="The source that reports the statement.",
    )
    seed_file_id: Mapped[int | None] = owner_column()
