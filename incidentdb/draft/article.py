"""Reading an article's bytes into title, lede, paragraphs and sentences.

A file of one paragraph (a wire brief, an agency bulletin, an event log entry) has no title
line: the whole paragraph is the body and its first sentence stands as the title.
"""

from __future__ import annotations

import hashlib

from incidentdb.draft.dateline import match_dateline
from incidentdb.draft.text import Article, Span, split_sentences


def read_article(data: bytes) -> Article:
    """Split the article's bytes (UTF-8) into title, lede, paragraphs and sentences."""
    text = data.decode("utf-8")
    lines: list[Span] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            lines.append(Span(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    if not lines:
        raise ValueError("the article is empty")
    if len(lines) == 1:
        return _brief(text, data, lines[0])
    title = lines[0]
    rest = lines[1:]
    lede = None
    if len(rest) >= 2 and not _looks_like_dateline(rest[0].text) and len(rest[0].text) < 600:
        lede = rest[0]
        rest = rest[1:]
    article = Article(text, hashlib.sha256(data).hexdigest(), title, lede, rest)
    for p in rest:
        article.sentences.extend(split_sentences(text, p))
    return article


def _looks_like_dateline(line: str) -> bool:
    return match_dateline(line) is not None


def _brief(text: str, data: bytes, line: Span) -> Article:
    """A text of one paragraph: the paragraph is the body and its first sentence the title."""
    article = Article(text, hashlib.sha256(data).hexdigest(), line, None, [line], brief=True)
    article.sentences.extend(split_sentences(text, line))
    first = article.sentences[0] if article.sentences else line
    if len(first.text) > 200:
        cut = first.text.rfind(" ", 0, 200)
        first = Span(first.start, first.start + cut, first.text[:cut] + " ...")
    article.title = first
    return article
