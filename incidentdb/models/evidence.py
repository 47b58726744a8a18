"""Evidence: a verbatim quote from a source, with its character offsets, backing one fact."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column

# Each evidence row backs exactly one fact; one nullable foreign key per kind of fact keeps
# every link checked by PostgreSQL (an "exclusive arc").
FACT_COLUMNS = (
    "incident_id",
    "timeline_entry_id",
    "casualty_report_id",
    "statement_id",
    "mission_id",
    "mission_contributor_id",
    "person_role_id",
    "organisation_id",
    "person_id",
    "place_id",
    "incident_actor_id",
)


def _fact(table: str, what: str) -> Mapped[int | None]:
    return mapped_column(
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        index=True,
        comment=f"The {what} this quote backs; NULL when it backs another fact.",
    )


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint("char_start >= 0", name="char_start_non_negative"),
        CheckConstraint("char_end - char_start = char_length(quote)", name="offsets_match_quote"),
        CheckConstraint("length(quote) > 0", name="quote_not_empty"),
        CheckConstraint(f"num_nonnulls({', '.join(FACT_COLUMNS)}) = 1", name="one_fact"),
        {
            "comment": "Evidence: a verbatim quote from a source, with character offsets into its "
            "body, backing exactly one fact."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    key: Mapped[str] = mapped_column(
        Text, nullable=False, unique=True, comment="Stable key: fact key and quote offsets."
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        comment="The source quoted.",
    )
    quote: Mapped[str] = mapped_column(
        Text, nullable=False, comment="The words, verbatim from the source's body."
    )
    char_start: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
        comment="Offset of the quote's first character in the body (0-based).",
    )
    char_end: Mapped[int] = mapped_column(
        Integer, nullable=False, comment="Offset just past the quote's last character."
    )
    incident_id: Mapped[int | None] = _fact("incident", "incident")
    timeline_entry_id: Mapped[int | None] = _fact("timeline_entry", "timeline entry")
    casualty_report_id: Mapped[int | None] = _fact("casualty_report", "casualty report")
    statement_id: Mapped[int | None] = _fact("statement", "statement")
    mission_id: Mapped[int | None] = _fact("mission", "mission")
    mission_contributor_id: Mapped[int | None] = _fact("mission_contributor", "contribution")
    person_role_id: Mapped[int | None] = _fact("person_role", "person's role")
    organisation_id: Mapped[int | None] = _fact("organisation", "organisation mention")
    person_id: Mapped[int | None] = _fact("person", "person mention")
    place_id: Mapped[int | None] = _fact("place", "place mention")
    incident_actor_id: Mapped[int | None] = _fact("incident_actor", "incident actor")
    seed_file_id: Mapped[int | None] = owner_column()
