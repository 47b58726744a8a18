"""Datelines: `MOSCOW, January 25. /TASS/.`, `GOMA, Congo (AP) —`, `MOSCOW, March 23 (Reuters) -`.

The dateline gives the place the story was filed from, often the publisher (the agency in
brackets or slashes) and sometimes the day. A year missing from it is decided by
`publication_date`: from --published-on, else from a weekday the text names ("on Tuesday"
with January 25 → the latest year, going back from today, in which 25 January was a
Tuesday), else from a year printed in the text, else the latest past January 25.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from incidentdb.draft.dates import WEEKDAY_NAMES, M, infer_year, month_number
from incidentdb.draft.text import Article, Span

DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]*(?:\s+[A-Z][A-Z'’.\-]*){0,3}(?![a-z])"
    r"|[A-Z][a-z]+(?:(?:[ -]|-[a-z]{1,3}-)[A-Z][a-z]+){0,2}"
    rf"(?=\s*[(\[]|,\s*{M}\s+\d))"
    rf"(?:,\s*(?!{M})(?P<region>[A-Z][A-Za-z.'’]*(?:\s+[A-Z][A-Za-z.'’]*){{0,3}})"
    r"|\s*\[(?P<bracket>[A-Z][A-Za-z.'’]*(?:\s+[A-Z][A-Za-z.'’]*){0,3})\])?"
    rf"(?:,\s*(?P<month>{M})\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?)?"
    r"\s*\.?\s*"
    r"(?:\((?P<agency1>[A-Za-z][A-Za-z .&-]{0,30})\)|/(?P<agency2>[A-Za-z][A-Za-z .&-]{0,30})/)?"
    r"\.?\s*(?P<dash>[—–-]{1,2}|:)?\s*"
)

# Wire services whose short names appear in datelines, with their full names.
WIRE_SERVICES = {
    "AP": "Associated Press", "AFP": "Agence France-Presse", "Reuters": "Reuters",
    "TASS": "TASS", "Xinhua": "Xinhua", "Interfax": "Interfax", "RIA Novosti": "RIA Novosti",
    "Anadolu": "Anadolu Agency", "dpa": "Deutsche Presse-Agentur",
    "UPI": "United Press International",
}  # fmt: skip


@dataclass
class Dateline:
    span: Span  # the whole dateline, up to the first word of the story
    place: Span
    region: Span | None
    agency: Span | None
    month: int | None
    day: int | None
    year: int | None
    body_start: int


def match_dateline(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The dateline at text[start:], if the line opens with one."""
    m = DATELINE.match(text, start, len(text) if end is None else end)
    if m is None or len(m.group("place")) < 3:
        return None
    if not (m.group("agency1") or m.group("agency2") or m.group("dash") or m.group("month")):
        return None
    if not m.group("place").isupper() and not (m.group("agency1") or m.group("agency2")):
        return None
    return m


def find_dateline(article: Article) -> Dateline | None:
    """The dateline at the start of the body (the first paragraph after title and lede)."""
    if not article.paragraphs:
        return None
    first = article.paragraphs[0]
    m = match_dateline(article.text, first.start, first.end)
    if m is None:
        return None

    def span(name: str) -> Span | None:
        if m is None or m.group(name) is None:
            return None
        return Span(m.start(name), m.end(name), m.group(name))

    agency = span("agency1") or span("agency2")
    place = span("place")
    assert place is not None
    return Dateline(
        span=Span(m.start(), m.end(), m.group(0)),
        place=place,
        region=span("region") or span("bracket"),
        agency=agency,
        month=month_number(m.group("month")) if m.group("month") else None,
        day=int(m.group("day")) if m.group("day") else None,
        year=int(m.group("year")) if m.group("year") else None,
        body_start=m.end(),
    )


_WEEKDAY_DATE = re.compile(
    rf"\b(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?P<m>{M})\s+"
    r"(?P<d>\d{1,2})\b"
)
_WEEKDAY = re.compile(r"\b(?:on\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _year_from_weekdays(body: str, month: int, day: int, today: dt.date) -> tuple[int, str] | None:
    """The publication year from the weekdays the text names.

    A weekday printed with its day ("Sunday, March 24") fixes the year outright. Otherwise
    the publication day is taken to be one of the weekdays named, the one that puts the
    others closest before it ("late on Wednesday" and "on Thursday" → a Thursday), and the
    year is the latest, going back from today, in which the dateline's day fell on it.
    """
    for m in _WEEKDAY_DATE.finditer(body):
        wd = WEEKDAY_NAMES.index(m.group("w").lower())
        m2, d2 = month_number(m.group("m")), int(m.group("d"))
        year = infer_year(m2, d2, wd, today + dt.timedelta(days=366))
        if year is None:
            continue
        if (m2, d2) > (month, day) and (m2 - month) % 12 > 6:
            year += 1  # "Thursday, Dec. 29" in a story filed on 2 January
        elif (m2, d2) < (month, day) and (month - m2) % 12 > 6:
            year -= 1
        return year, (
            f"the text prints {m.group(0)!r}, which falls in {year} (nearest year going back)"
        )
    named = [WEEKDAY_NAMES.index(w.lower()) for w in _WEEKDAY.findall(body)]
    if not named:
        return None
    best: tuple[int, int, int] | None = None  # (days back in all, -year, weekday)
    for candidate in sorted(set(named)):
        year = infer_year(month, day, candidate, today)
        if year is None:
            continue
        back = sum((candidate - w) % 7 for w in named)
        if best is None or (back, -year) < best[:2]:
            best = (back, -year, candidate)
    if best is None:
        return None
    year, wd = -best[1], best[2]
    names = ", ".join(dict.fromkeys(WEEKDAY_NAMES[w].title() for w in named))
    return year, (
        f"the text names {names}: the publication day is taken to be a "
        f"{WEEKDAY_NAMES[wd].title()} (the weekday that puts the others closest before it), "
        f"and {year} is the latest year up to today ({today}) in which "
        f"{dt.date(2000, month, day):%B} {day} was a {WEEKDAY_NAMES[wd].title()}"
    )


@dataclass
class Publication:
    date: dt.date | None
    how: str


def publication_date(
    article: Article, dateline: Dateline | None, given: dt.date | None, today: dt.date
) -> Publication:
    """The publication date and how it was decided (for the draft's header comment)."""
    if given is not None:
        how = "given with --published-on"
        if (
            dateline
            and dateline.month
            and dateline.day
            and ((given.month, given.day) != (dateline.month, dateline.day))
        ):
            how += f" (the dateline says {dateline.month:02d}-{dateline.day:02d}: check)"
        return Publication(given, how)
    if dateline is None or dateline.month is None or dateline.day is None:
        return Publication(None, "unknown: the dateline prints no day; give --published-on")
    month, day = dateline.month, dateline.day
    if dateline.year is not None:
        return Publication(dt.date(dateline.year, month, day), "printed in the dateline")
    body = article.text[dateline.body_start :]
    inferred = _year_from_weekdays(body, month, day, today)
    if inferred is not None:
        year, why = inferred
        return Publication(
            dt.date(year, month, day),
            f"the dateline prints {dt.date(2000, month, day):%B} {day} without a year; {why}",
        )
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", body) if int(y) <= today.year]
    if years:
        year = max(years)
        candidate = dt.date(year, month, day)
        return Publication(
            candidate,
            f"the dateline prints no year; {year} is the latest year printed in the text",
        )
    year = today.year if dt.date(today.year, month, day) <= today else today.year - 1
    return Publication(
        dt.date(year, month, day),
        f"the dateline prints no year and the text gives no clue: the latest "
        f"{dt.date(2000, month, day):%B} {day} up to today assumed; check",
    )
