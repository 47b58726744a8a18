"""Dates in news text, as honest ranges of days.

`find_dates` finds the expressions; `resolve` turns them into `DayRange`s in text order,
against the publication date (for "on Tuesday", "last week") and the previous date in the
text (for "a few days later", "by the morning of January 7"). An expression that cannot be
resolved without guessing (a weekday when the publication date is unknown) stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
Y = r"(?:19|20)\d{2}(?!\d)"
W = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PART = r"(?:morning|afternoon|evening|night)"
FEW = r"(?:a\s+few|a\s+couple\s+of|several|two|three|four|five|six|seven|\d{1,2})"

_PATTERNS: list[tuple[str, str]] = [
    ("range_md", rf"(?:between\s+|from\s+)?(?P<m1>{M})\s+(?P<d1>{D})\s*(?:-|–|to|and|through)\s*"
     rf"(?:(?P<m2>{M})\s+)?(?P<d2>{D})(?:,?\s+(?P<y>{Y}))?"),
    ("range_dm", rf"(?:between\s+|from\s+)?(?P<d1>{D})\s*(?:-|–|to|and)\s*(?P<d2>{D})\s+"
     rf"(?P<m1>{M})(?:,?\s+(?P<y>{Y}))?"),
    ("md", rf"(?:(?:the\s+)?{PART}\s+of\s+)?(?:{W},?\s+)?(?P<m1>{M})\s+(?P<d1>{D})"
     rf"(?:,?\s+(?P<y>{Y}))?"),
    ("dm", rf"(?:(?:the\s+)?{PART}\s+of\s+)?(?:{W},?\s+)?(?:the\s+)?(?P<d1>{D})\s+(?:of\s+)?"
     rf"(?P<m1>{M})(?:,?\s+(?P<y>{Y}))?"),
    ("part_month", rf"(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of"
     rf"|the\s+start\s+of)[\s-]+(?P<m1>{M})(?:,?\s+(?P<y>{Y}))?"),
    ("month_year", rf"(?P<m1>{M}),?\s+(?P<y>{Y})"),
    ("in_month", rf"(?:(?<=\bin\s)|(?<=\bsince\s)|(?<=\buntil\s))(?P<m1>{M})(?!\s+\d)"),
    ("later", rf"(?P<n>{FEW}\s+|a\s+|one\s+|the\s+)?(?P<unit>days?|weeks?|hours?|months?)"
     rf"\s+later|the\s+(?:next|following)\s+(?P<next>day|morning|afternoon|evening|night|week)"),
    ("ago", rf"(?P<n>{FEW}|a|one)\s+(?P<unit>days?|weeks?|months?)\s+ago"),
    ("weekday", rf"(?P<mod>last\s+|next\s+|this\s+|early\s+|late\s+|on\s+)?(?P<w>{W})"
     rf"(?:\s+{PART})?"),
    ("named", r"(?P<word>yesterday|today|last\s+night|overnight|last\s+week|this\s+week"
     r"|earlier\s+this\s+(?:week|month|year)|last\s+month|this\s+month|last\s+weekend"
     r"|(?:over|at|during)\s+the\s+weekend|(?:in\s+)?recent\s+days"
     r"|(?:since\s+)?the\s+(?:start|beginning)\s+of\s+the\s+year|this\s+year)\b"),
]  # fmt: skip
_COMPILED = [
    (name, re.compile(rf"\b{pattern}", re.IGNORECASE if name in {"later", "ago", "named"} else 0))
    for name, pattern in _PATTERNS
]
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is\s+due|are\s+due|is\s+to|are\s+to|scheduled|planned|plans\s+to"
    r"|expected\s+to|set\s+to)\b",
    re.I,
)
_PREFIX = re.compile(r"(?:\b(?P<word>by|since|until|till|before|after|as\s+of)\s+)$", re.I)
_NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "a couple of": 2,
}


@dataclass(frozen=True)
class DayRange:
    """The earliest and latest day something may have happened (equal when the day is known)."""

    start: dt.date
    end: dt.date

    @property
    def exact(self) -> bool:
        return self.start == self.end

    def __str__(self) -> str:
        return str(self.start) if self.exact else f"{self.start}..{self.end}"


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    kind: str  # one of the pattern names
    prefix: str | None  # by, since, until, before, after, as of
    groups: dict[str, str | None]
    resolved: DayRange | None = None
    how: str = ""
    future: bool = False  # the clause speaks of the future: "will resign on Wednesday"

    @property
    def relative(self) -> bool:
        """Resolved against other dates, so that it may need cutting at publication."""
        return self.kind in {"later", "ago", "weekday", "named", "in_month", "part_month"}


def month_number(token: str) -> int:
    t = token.lower().rstrip(".")
    if t in MONTH_NAMES:
        return MONTH_NAMES.index(t) + 1
    return _MONTH_ABBR[t]


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in text[start:end], longest first, not overlapping, in text order."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text, start, end):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            before = _PREFIX.search(text, max(start, s - 12), s)
            prefix = None
            if before is not None:
                prefix = " ".join(before.group("word").lower().split())
                s = before.start()
            groups = {k: v for k, v in m.groupdict().items()}
            clause = re.split(r"[.;!?]", text[max(start, s - 80) : s])[-1]
            future = _FUTURE.search(clause) is not None
            found.append(DateMention(s, e, text[s:e], name, prefix, groups, future=future))
            taken.append((s, e))
    found.sort(key=lambda d: d.start)
    return found


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_range(year: int, month: int) -> DayRange:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return DayRange(first, nxt - dt.timedelta(days=1))


def year_for(month: int, day: int, published: dt.date | None, year_hint: int | None) -> int | None:
    """The year of a day printed without one: the publication's, or the year before when
    the day would fall more than two months after publication (nearer days are announced
    ones: "declared Sunday, March 24, a day of mourning"); else the year the text gives."""
    if published is not None:
        candidate = _day(published.year, month, day)
        if candidate is not None and candidate > published + dt.timedelta(days=62):
            return published.year - 1
        return published.year
    return year_hint


def latest_weekday(weekday: int, on_or_before: dt.date, strictly: bool = False) -> dt.date:
    delta = (on_or_before.weekday() - weekday) % 7
    if delta == 0 and strictly:
        delta = 7
    return on_or_before - dt.timedelta(days=delta)


def infer_year(month: int, day: int, weekday: int, today: dt.date, back: int = 80) -> int | None:
    """The year nearest `today`, going back, in which month/day fell on `weekday`."""
    for year in range(today.year, today.year - back, -1):
        d = _day(year, month, day)
        if d is not None and d <= today and d.weekday() == weekday:
            return year
    return None


def _count(token: str | None) -> tuple[int, int]:
    """(low, high) of a count word: 'a few' is 2-7, 'several' 3-7, digits exact."""
    if token is None:
        return 1, 7
    t = " ".join(token.lower().split())
    if t in ("a few", "several"):
        return (2 if t == "a few" else 3), 7
    if t.isdigit():
        return int(t), int(t)
    n = _NUMBER_WORDS.get(t, 1)
    return n, n


def resolve(mentions: list[DateMention], published: dt.date | None, year_hint: int | None) -> None:
    """Fill `resolved` and `how` on every mention that can be resolved, in text order."""
    anchor: DayRange | None = None
    for m in mentions:
        rng, how = _resolve_one(m, published, year_hint, anchor)
        if rng is None:
            m.how = how
            continue
        if m.prefix in {"by", "before", "until", "till", "as of"}:
            if m.prefix == "before":
                rng = DayRange(rng.start - dt.timedelta(days=1), rng.start - dt.timedelta(days=1))
            if anchor is not None and anchor.start <= rng.end:
                rng = DayRange(anchor.start, rng.end)
                how += f"; '{m.prefix}': from the previous date in the text ({anchor.start})"
            else:
                rng = DayRange(rng.end - dt.timedelta(days=30), rng.end)
                how += f"; '{m.prefix}' with no earlier date in the text: up to 30 days before"
        elif m.prefix in {"since", "after"} and published is not None and rng.start <= published:
            rng = DayRange(rng.start, published)
            how += f"; '{m.prefix}': until publication"
        if published is not None and rng.end > published and m.relative and not m.future:
            rng = DayRange(min(rng.start, published), published)
            how += "; cut at the publication date"
        m.resolved = rng
        m.how = how
        anchor = rng


_MONTH_KINDS = {"md", "dm", "range_md", "range_dm", "part_month", "in_month", "month_year"}


def _resolve_one(
    m: DateMention, published: dt.date | None, year_hint: int | None, anchor: DayRange | None
) -> tuple[DayRange | None, str]:
    """The days one mention stands for, and how they were found."""
    if m.kind in _MONTH_KINDS:
        return _resolve_in_month(m, published, year_hint)
    if m.kind == "later":
        return _resolve_later(m, anchor)
    if published is None:
        return None, "relative to the publication date, which is unknown (give --published-on)"
    if m.kind == "ago":
        g = m.groups
        low, high = _count((g.get("n") or "").strip() or None)
        days = {"day": 1, "week": 7, "month": 30}[(g.get("unit") or "day").lower().rstrip("s")]
        return DayRange(
            published - dt.timedelta(high * days), published - dt.timedelta(low * days)
        ), (f"{m.text.strip()} before publication")
    if m.kind == "weekday":
        return _resolve_weekday(m, published)
    return _resolve_word(m, published)


def _resolve_in_month(
    m: DateMention, published: dt.date | None, year_hint: int | None
) -> tuple[DayRange | None, str]:
    """A day, a range of days, a part of a month or a whole month ("3 May", "early May")."""
    g = m.groups
    month = month_number(g["m1"] or "")
    if g.get("y"):
        year = int(g["y"] or 0)
        how = "the year is printed"
    else:
        found = year_for(month, int(re.sub(r"\D", "", g.get("d1") or "1")), published, year_hint)
        if found is None:
            return None, "no year: none printed, and the publication date is unknown"
        year = found
        how = "year of publication" if published is not None else f"year {year} from the text"
    if m.kind in {"md", "dm"}:
        d = _day(year, month, int(re.sub(r"\D", "", g["d1"] or "")))
        return (DayRange(d, d), how) if d else (None, "no such day")
    if m.kind in {"range_md", "range_dm"}:
        d1 = _day(year, month, int(re.sub(r"\D", "", g["d1"] or "")))
        month2 = month_number(g["m2"] or "") if g.get("m2") else month
        d2 = _day(year, month2, int(re.sub(r"\D", "", g["d2"] or "")))
        if d1 is None or d2 is None or d2 < d1:
            return None, "not a range of days"
        return DayRange(d1, d2), how
    whole = _month_range(year, month)
    if m.kind == "part_month":
        part = " ".join((g["part"] or "").lower().split())
        if part in {"early", "the beginning of", "the start of"}:
            return DayRange(whole.start, whole.start.replace(day=10)), how + f"; {part}: 1-10"
        if part == "mid":
            return DayRange(whole.start.replace(day=11), whole.start.replace(day=20)), (
                how + "; mid: 11-20"
            )
        return DayRange(whole.start.replace(day=21), whole.end), how + f"; {part}: 21-end"
    return whole, how + "; the whole month"


def _resolve_later(m: DateMention, anchor: DayRange | None) -> tuple[DayRange | None, str]:
    """After an earlier date of the text: "the next day", "three days later"."""
    g = m.groups
    if anchor is None:
        return None, "relative to an earlier date, but the text gives none before it"
    if g.get("next"):
        step = 7 if g["next"] == "week" else 1
        return DayRange(anchor.start + dt.timedelta(step), anchor.end + dt.timedelta(step)), (
            f"the {g['next']} after {anchor}"
        )
    unit = (g.get("unit") or "day").lower()
    n = (g.get("n") or "").strip().lower()
    if unit.startswith("hour"):
        return DayRange(anchor.start, anchor.end + dt.timedelta(1)), f"hours after {anchor}"
    low, high = _count(n if n not in {"", "the"} else None)
    if n in {"a", "one"}:
        low = high = 1
    if not n:  # "days later", "weeks later": at least one
        low, high = 1, 7
    days = {"day": 1, "week": 7, "month": 30}[unit.rstrip("s")]
    if n in {"", "a few", "several"} and days == 1:
        low = 1  # "a few days later": the day after at the earliest
    return (
        DayRange(anchor.start + dt.timedelta(low * days), anchor.end + dt.timedelta(high * days)),
        f"{m.text.strip()} than {anchor}: {low * days}-{high * days} days after",
    )


def _resolve_weekday(m: DateMention, p: dt.date) -> tuple[DayRange | None, str]:
    """A weekday before publication ("on Tuesday"), or after it when the clause speaks of the
    future."""
    g = m.groups
    wd = WEEKDAY_NAMES.index((g["w"] or "").lower())
    mod = (g.get("mod") or "").strip().lower()
    if mod == "next" or m.future:
        d = latest_weekday(wd, p + dt.timedelta(days=7), strictly=True)
        return DayRange(d, d), (
            f"the {WEEKDAY_NAMES[wd].title()} after publication ({p}): the clause speaks "
            "of the future"
        )
    d = latest_weekday(wd, p, strictly=mod == "last")
    when = "strictly before" if mod == "last" else "on or before"
    return DayRange(d, d), f"the {WEEKDAY_NAMES[wd].title()} {when} publication ({p})"


def _resolve_word(m: DateMention, p: dt.date) -> tuple[DayRange | None, str]:
    """Words relative to publication: "yesterday", "last week", "earlier this month"."""
    word = " ".join((m.groups.get("word") or "").lower().split())
    monday = p - dt.timedelta(p.weekday())
    if word == "yesterday":
        return DayRange(p - dt.timedelta(1), p - dt.timedelta(1)), "the day before publication"
    if word == "today":
        return DayRange(p, p), "the publication date"
    if word in {"last night", "overnight"}:
        return DayRange(p - dt.timedelta(1), p), "the night before publication"
    if word == "last week":
        return DayRange(monday - dt.timedelta(7), monday - dt.timedelta(1)), (
            "the Monday-Sunday week before publication"
        )
    if word in {"this week", "earlier this week"}:
        return DayRange(monday, p), "from Monday of the publication week to publication"
    if word in {"earlier this month", "this month"}:
        return DayRange(p.replace(day=1), p), "from the 1st of the month to publication"
    if word in {"earlier this year", "this year"} or "of the year" in word:
        return DayRange(p.replace(month=1, day=1), p), "from 1 January to publication"
    if word == "last month":
        prev = p.replace(day=1) - dt.timedelta(1)
        return _month_range(prev.year, prev.month), "the month before publication"
    if "weekend" in word:
        sat = latest_weekday(5, p, strictly=word == "last weekend")
        return DayRange(sat, min(sat + dt.timedelta(1), p)), "the last weekend before publication"
    if "recent days" in word:
        return DayRange(p - dt.timedelta(7), p), "the 7 days before publication"
    return None, "not understood"
