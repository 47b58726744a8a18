"""Sources: the articles and dataset records that facts are coded from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from incidentdb.models.base import Base, owner_column, slug_check, slug_column


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (
        slug_check(),
        CheckConstraint("content_hash ~ '^[0-9a-f]{64}$'", name="content_hash_hex"),
        CheckConstraint(
            "content_hash = encode(sha256(convert_to(body, 'UTF8')), 'hex')",
            name="content_hash_matches_body",
        ),
        CheckConstraint("language ~ '^[a-z]{2}$'", name="language_iso639_1"),
        {"comment": "Sources: each article (or dataset record) with its full text and hash."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Internal id.")
    slug: Mapped[str] = slug_column("Stable key, e.g. tass-2022-01-25-csto-mission-kazakhstan.")
    title: Mapped[str] = mapped_column(Text, nullable=False, comment="Headline.")
    lede: Mapped[str | None] = mapped_column(Text, comment="Standfirst or lede; NULL if none.")
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"),
        index=True,
        comment="The publishing organisation (news agency, dataset); NULL when unknown.",
    )
    dateline_place_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="RESTRICT"),
        index=True,
        comment="Where the article was filed (its dateline); NULL when none.",
    )
    published_on: Mapped[dt.date | None] = mapped_column(
        Date, index=True, comment="Publication day; NULL when unknown."
    )
    url: Mapped[str | None] = mapped_column(Text, comment="Address of the original; NULL if none.")
    language: Mapped[str] = mapped_column(
        String(2), nullable=False, comment="ISO 639-1 language of the text, e.g. en."
    )
    file_name: Mapped[str | None] = mapped_column(
        Text, comment="Name of the verbatim text file in seeds/; NULL for imported records."
    )
    body: Mapped[str] = mapped_column(
        Text, nullable=False, comment="The full text, verbatim; evidence offsets point into it."
    )
    content_hash: Mapped[str] = mapped_column(
        String(64), nullable=False, comment="SHA-256 (hex) of the body's UTF-8 bytes."
    )
    seed_file_id: Mapped[int | None] = owner_column()
