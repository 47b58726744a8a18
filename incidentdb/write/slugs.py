"""The slug rule: lower-case ASCII letters and digits, words joined by '-'.

Every key the project derives from text goes through here: seed files' derived keys
(`words`, a few words of a title or summary) and imported names (`unique`, which stays
unique for names the rule would shorten or change, by ending them with a short hash).
The slug columns hold at most SLUG_LIMIT characters."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

SLUG_LIMIT = 200  # the slug columns' length
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str, count: int = 6) -> str:
    """The first `count` words of `text` as a slug ('x' for text with none)."""
    return "-".join(_WORD.findall(text.lower())[:count]) or "x"


@lru_cache(maxsize=1 << 16)  # the same actor and place names recur on every event
def unique(text: str, limit: int = 80) -> str:
    """A slug from any text; long or non-Latin names get a short hash to stay unique."""
    found = _WORD.findall(text.lower())
    slug = "-".join(found)
    if not slug or len(slug) > limit or slug != "-".join(text.lower().split()):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:limit].strip('-')}-{digest}" if slug else digest
    return slug


def child(parent: str, name: str) -> str:
    """`parent-name` as a slug; past the column's limit, shortened and ended with a hash of
    the whole, so that two long names under one parent stay two places."""
    slug = f"{parent}-{unique(name)}"
    if len(slug) <= SLUG_LIMIT:
        return slug
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:10]
    return f"{slug[: SLUG_LIMIT - len(digest) - 1].rstrip('-')}-{digest}"
