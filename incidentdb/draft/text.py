"""The article as the drafter sees it: title, lede, dateline, paragraphs and sentences.

Every piece keeps its character offsets in the article text, so that any quote the drafter
proposes is a slice of the article and therefore verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "brig", "cpl",
    "pvt", "rev", "jr", "sr", "st", "no", "gov", "sen", "rep", "inc", "co", "corp", "ltd",
    "vs", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "approx", "est", "prof", "pres",
}  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Span:
    """A slice of the article: [start, end) and its text."""

    start: int
    end: int
    text: str


@dataclass
class Article:
    text: str
    sha256: str
    title: Span
    lede: Span | None
    paragraphs: list[Span]  # the body: every line after the title and lede
    sentences: list[Span] = field(default_factory=list)
    brief: bool = False  # one paragraph and no title line: a wire brief or an event log entry

    @property
    def body_start(self) -> int:
        """Where the finders start: after the title, or at the text of a brief."""
        return self.paragraphs[0].start if self.brief else self.title.end

    def quote(self, start: int, end: int) -> Span:
        """The article slice [start, end) trimmed of spaces and trailing commas and stops."""
        while start < end and self.text[start] in " \t,;:—–-":
            start += 1
        while end > start and self.text[end - 1] in " \t\r\n,;:.":
            end -= 1
        return Span(start, end, self.text[start:end])

    def sentence_at(self, offset: int) -> Span | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def paragraph_at(self, offset: int) -> Span | None:
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                return p
        return None


def split_sentences(text: str, paragraph: Span) -> list[Span]:
    """The sentences of a paragraph, as spans of the article."""
    out: list[Span] = []
    start = paragraph.start
    chunk = text[paragraph.start : paragraph.end]
    for m in _SENTENCE_END.finditer(chunk):
        end = paragraph.start + m.end()
        word = re.search(r"([A-Za-z.]+)[.!?]$", text[start : paragraph.start + m.start() + 1])
        if word is not None:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREVIATIONS or len(w) == 1:
                continue
        out.append(_strip(text, start, end))
        start = end
    if start < paragraph.end:
        out.append(_strip(text, start, paragraph.end))
    return [s for s in out if s.text]


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])
