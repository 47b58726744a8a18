"""Persons and the titles they hold in organisations over time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, range_check, slug_check, slug_column


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (slug_check(), {"comment": "Persons named in sources."})

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key used in seed files, e.g. kassym-jomart-tokayev.")
    name: Mapped[str] = mapped_column(Text, nullable=False, comment="Full name in English.")
    description: Mapped[str | None] = mapped_column(Text, comment="Notes on the person.")
    seed_file_id: Mapped[int | None] = owner_column()


class PersonRole(Base):
    __tablename__ = "person_role"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        range_check("started_from", "started_to"),
        range_check("ended_from", "ended_to"),
        range_check("started_from", "ended_to"),
        {"comment": "A title a person holds or held in an organisation, over a period."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: person/organisation/title."
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        comment="The person.",
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The organisation the title is held in; NULL when none is named.",
    )
    title: Mapped[str] = mapped_column(
        Text, nullable=False, comment="The title, e.g. Secretary General."
    )
    is_former: Mapped[bool] = mapped_column(
        Boolean,
        nullable=False,
        comment="True when the source calls the person a former holder of the title.",
    )
    started_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="Earliest day the role may have started; NULL when unknown."
    )
    started_to: Mapped[dt.date | None] = mapped_column(
        Date, comment="Latest day the role may have started; NULL when unknown."
    )
    ended_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="Earliest day the role may have ended; NULL when unknown or ongoing."
    )
    ended_to: Mapped[dt.date | None] = mapped_column(
        Date, comment="Latest day the role may have ended; NULL when unknown or ongoing."
    )
    seed_file_id: Mapped[int | None] = owner_column()
