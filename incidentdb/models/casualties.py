"""Casualty reports: one reported figure each, with its qualifier and implied bounds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, range_check

# The bounds a qualifier implies; the loader computes them and the database checks them.
QUALIFIER_BOUNDS = (
    "(qualifier = 'exact' AND count_low = figure AND count_high = figure)"
    " OR (qualifier = 'at_least' AND count_low = figure AND count_high IS NULL)"
    " OR (qualifier = 'more_than' AND count_low = figure + 1 AND count_high IS NULL)"
    " OR (qualifier = 'at_most' AND count_low = 0 AND count_high = figure)"
    " OR (qualifier = 'fewer_than' AND figure > 0 AND count_low = 0 AND count_high = figure - 1)"
    " OR (qualifier = 'approximately'"
    " AND (count_low IS NULL OR count_low <= figure)"
    " AND (count_high IS NULL OR count_high >= figure))"
)


class CasualtyReport(Base):
    __tablename__ = "casualty_report"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint("figure >= 0", name="figure_non_negative"),
        CheckConstraint("count_low >= 0", name="count_low_non_negative"),
        CheckConstraint("count_high >= 0", name="count_high_non_negative"),
        CheckConstraint(
            "count_low IS NULL OR count_high IS NULL OR count_low <= count_high",
            name="low_le_high",
        ),
        CheckConstraint(QUALIFIER_BOUNDS, name="bounds_follow_qualifier"),
        CheckConstraint("supersedes_id <> id", name="supersedes_another"),
        CheckConstraint("part_of_id <> id", name="part_of_another"),
        range_check("as_of_from", "as_of_to"),
        {
            "comment": "Casualty reports: one reported figure (killed, injured, ...) per row, "
            "with who reported it and the source. Conflicting reports are kept side by side."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: incident slug/report slug."
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        comment="The incident the figure is about.",
    )
    category: Mapped[str] = mapped_column(
        ForeignKey("casualty_category.code", ondelete="RESTRICT"),
        nullable=False,
        index=True,
        comment="What the figure counts (see casualty_category).",
    )
    population: Mapped[str | None] = mapped_column(
        Text, comment="Who was counted, e.g. civilians; NULL when the source does not say."
    )
    figure: Mapped[int] = mapped_column(
        Integer, nullable=False, comment="The number as reported (people)."
    )
    qualifier: Mapped[str] = mapped_column(
        ForeignKey("qualifier.code", ondelete="RESTRICT"),
        nullable=False,
        comment="How the figure bounds the true count (see qualifier).",
    )
    count_low: Mapped[int | None] = mapped_column(
        Integer,
        comment="Lowest count the report allows (people): the figure if exact or 'at least', "
        "figure + 1 if 'more than', 0 if 'at most'/'fewer than'; NULL when it sets none.",
    )
    count_high: Mapped[int | None] = mapped_column(
        Integer,
        comment="Highest count the report allows (people): the figure if exact or 'at most', "
        "figure - 1 if 'fewer than'; NULL when unbounded ('at least', 'more than').",
    )
    reported_by_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The organisation that reported the figure (or the one the reporting person "
        "spoke for); NULL when unstated.",
    )
    reported_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"),
        index=True,
        comment="The person who reported the figure; NULL when unstated.",
    )
    as_of_from: Mapped[dt.date | None] = mapped_column(
        Date,
        comment="Earliest day the figure may have been current; NULL when unknown or open "
        "('before 15 January' has only as_of_to).",
    )
    as_of_to: Mapped[dt.date | None] = mapped_column(
        Date,
        comment="Latest day the figure may have been current; equals as_of_from when the day "
        "is known; NULL when unknown.",
    )
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("casualty_report.id", ondelete="SET NULL"),
        index=True,
        comment="An earlier report of the same count that this one replaces (e.g. a revised "
        "toll); the earlier stays, marked superseded, and no longer bounds the range.",
    )
    part_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("casualty_report.id", ondelete="SET NULL"),
        index=True,
        comment="The report whose population this figure's population is part of (19 police "
        "among 225 dead); a subset never bounds the range.",
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
        comment="The source that carries the figure.",
    )
    seed_file_id: Mapped[int | None] = owner_column()
