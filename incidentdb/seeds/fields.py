"""The building blocks of the seed format: patterns, slugs, text, counts, days, evidence
and the day-or-range types (When, AsOf), with the spans they stand for."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from incidentdb.models.base import SLUG_PATTERN

SHA256_PATTERN = r"^[0-9a-f]{64}$"
ISO2_PATTERN = r"^[A-Z]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
_SLUG_BODY = SLUG_PATTERN.removeprefix("^").removesuffix("$")
REPORT_REF_PATTERN = rf"^(?:{_SLUG_BODY}/)?{_SLUG_BODY}$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=200),
    Field(description="A stable key: lower-case words joined by '-', e.g. csto or kz."),
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
INT_MAX = 2_147_483_647  # the database's integer columns
Count = Annotated[
    StrictInt,
    Field(ge=0, le=INT_MAX, description="A non-negative whole number of people."),
]


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(value: object) -> object:
    """A day written YYYY-MM-DD; nothing else (a bare number would be read as a timestamp)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"expected a real calendar day ({exc})") from None
    raise ValueError("expected a day written YYYY-MM-DD, e.g. 2022-01-07")


Day = Annotated[dt.date, BeforeValidator(_day)]


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return value


Latitude = Annotated[float, Field(ge=-90, le=90), BeforeValidator(_number)]
Longitude = Annotated[float, Field(ge=-180, le=180), BeforeValidator(_number)]


def _listify(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("expected words from the article, got only white space")
    return value


Quote = Annotated[str, StringConstraints(min_length=1), AfterValidator(_not_blank)]
Evidence = Annotated[
    list[Quote],
    BeforeValidator(_listify),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}},
            ]
        }
    ),
    Field(
        description="Verbatim quote(s) from the source text backing this fact: a string or "
        "a list of strings. Each must appear exactly as written in the article."
    ),
]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DateRange(Spec):
    """A range of days: the earliest and latest the thing may have happened."""

    from_: Day = Field(alias="from")
    to: Day

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.to < self.from_:
            raise ValueError(
                "expected a range that ends on or after the day it starts, "
                f"got from {self.from_} to {self.to}"
            )
        return self


def _when_kind(value: object) -> str:
    return "range" if isinstance(value, dict | DateRange) else "day"


When = Annotated[
    Annotated[Day, Tag("day")] | Annotated[DateRange, Tag("range")],
    Discriminator(_when_kind),
    Field(description="A day (2022-01-02) or a range {from: 2022-01-03, to: 2022-01-06}."),
]


class Before(Spec):
    """A figure current on some day before this one: as_of {before: 2022-01-15}."""

    before: Day


class By(Spec):
    """A figure current on or before this day: as_of {by: 2022-01-15}."""

    by: Day


def _as_of_kind(value: object) -> str:
    if isinstance(value, dict):
        if "before" in value:
            return "before"
        if "by" in value:
            return "by"
        return "range"
    kinds: dict[type, str] = {Before: "before", By: "by", DateRange: "range"}
    return kinds.get(type(value), "day")


AsOf = Annotated[
    Annotated[Day, Tag("day")]
    | Annotated[DateRange, Tag("range")]
    | Annotated[Before, Tag("before")]
    | Annotated[By, Tag("by")],
    Discriminator(_as_of_kind),
    Field(
        description="When the figure was current: a day (2022-01-15), a range {from, to}, "
        "{before: 2022-01-15} (some day before it) or {by: 2022-01-15} (on or before it)."
    ),
]


def as_of_span(
    when: dt.date | DateRange | Before | By | None,
) -> tuple[dt.date | None, dt.date | None]:
    if isinstance(when, Before):
        return None, when.before - dt.timedelta(days=1)
    if isinstance(when, By):
        return None, when.by
    return span(when)


def span(when: dt.date | DateRange | None) -> tuple[dt.date | None, dt.date | None]:
    if when is None:
        return None, None
    if isinstance(when, DateRange):
        return when.from_, when.to
    return when, when
