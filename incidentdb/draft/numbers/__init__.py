"""Numbers as news text writes them, and the qualifiers in front of them.

`parse_number("4,500")` is 4500, `parse_number("twenty-five")` 25, `parse_number("dozens")`
a vague figure of 24 with bounds 24-99. `QUALIFIER` maps the words before a figure to the
project's qualifier codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague amounts: (figure, low, high). "dozens" is at least two dozen and fewer than a hundred.
VAGUE = {
    "a dozen": (12, 12, 12),
    "dozens": (24, 24, 99),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, 9999),
    "tens of thousands": (20_000, 20_000, 99_999),
    "hundreds of thousands": (200_000, 200_000, 999_999),
}

_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand))?(?![\d,]*\d)"
    r"|(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|a\s+dozen|dozens|scores|hundreds"
    r"|thousands)"
    rf"|(?:(?:a|{_WORD})[\s-]+(?:hundred|thousand|million)(?:\s+(?:and\s+)?(?:{_WORD}))?"
    rf"|(?:{'|'.join(_TENS)})[\s-](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)})"
    rf"|{_WORD})"
)
NUMBER_RE = re.compile(rf"\b(?:{NUMBER})\b", re.IGNORECASE)

# Longest phrases first; the code is the project's qualifier vocabulary.
QUALIFIERS: list[tuple[str, str]] = [
    ("more than", "more_than"), ("over", "more_than"), ("upwards of", "more_than"),
    ("in excess of", "more_than"), ("above", "more_than"),
    ("at least", "at_least"), ("no fewer than", "at_least"), ("no less than", "at_least"),
    ("a minimum of", "at_least"),
    ("nearly", "approximately"), ("almost", "approximately"), ("about", "approximately"),
    ("around", "approximately"), ("some", "approximately"), ("roughly", "approximately"),
    ("approximately", "approximately"), ("an estimated", "approximately"),
    ("close to", "approximately"), ("an approximate", "approximately"),
    ("up to", "at_most"), ("as many as", "at_most"), ("at most", "at_most"),
    ("no more than", "at_most"), ("fewer than", "fewer_than"), ("less than", "fewer_than"),
    ("under", "fewer_than"),
]  # fmt: skip
QUALIFIER_RE = re.compile(
    r"\b(?P<q>"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0]))
    )
    + r")\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    value: int
    low: int | None = None  # bounds of a vague amount ("dozens": 24-99)
    high: int | None = None

    @property
    def vague(self) -> bool:
        return self.low is not None or self.high is not None


def parse_number(text: str) -> Figure | None:
    """The figure a number phrase stands for, or None if it is not one."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE or t.replace(" ", " ") in VAGUE:
        v, lo, hi = VAGUE[t]
        return Figure(v, lo, hi) if lo != hi else Figure(v)
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?: (million|thousand))?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2)]
        if value != int(value):
            return None
        return Figure(int(value))
    total = 0
    current = 0
    seen = False
    for word in t.split():
        if word == "and":
            continue
        if word == "a" and not seen:
            current = 1
            seen = True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word in _SCALES and seen:
            scale = _SCALES[word]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        else:
            return None
    return Figure(total + current) if seen else None


def qualifier_before(text: str, end: int) -> tuple[str, int] | None:
    """(qualifier code, start of the qualifier words) when text[:end] ends with one."""
    m = QUALIFIER_RE.search(text, max(0, end - 25), end)
    if m is None:
        return None
    phrase = " ".join(m.group("q").lower().split())
    for words, code in QUALIFIERS:
        if words == phrase:
            return code, m.start()
    return None
