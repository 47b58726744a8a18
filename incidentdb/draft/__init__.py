"""Drafting seed files from articles: rules, pycountry and the database's own registry.

`draft_article` reads an article and finds its facts (dates, casualty figures, places,
organisations, persons, statements), each with a verbatim quote; `render_draft` writes them
in the seed format with a review comment on each; `write_draft` checks the result with the
seed validator before it writes anything.
"""

from __future__ import annotations

from incidentdb.draft.build import Draft, DraftError, draft_article
from incidentdb.draft.gazetteer import Gazetteer, read_database, read_registry

__all__ = ["Draft", "DraftError", "Gazetteer", "draft_article", "read_database", "read_registry"]
