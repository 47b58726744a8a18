"""Reports: rows read through the `reporting` views, for the CLI and for programs.

    from incidentdb import reports

    with reports.connect(url) as conn:
        listing = reports.casualties(conn, incident="2022-kazakhstan-unrest")
    listing.columns  # the view's column names, the keys of every row
    listing.rows     # one dict per casualty report
    reports.incidents(conn, page=reports.Page(limit=50, offset=100))  # rows 101 to 150

The functions never print: `incidentdb report ...` hands their results to `incidentdb.cli.output`.
"""

from incidentdb.reports.core import Listing, Page, connect, resolve_country
from incidentdb.reports.dossier import Dossier, dossier
from incidentdb.reports.listings import (
    casualties,
    casualty_ranges,
    incidents,
    missions,
    organisations,
    persons,
    sources,
    statements,
    timeline,
)
from incidentdb.reports.summary import summary

__all__ = [
    "Dossier",
    "Listing",
    "Page",
    "casualties",
    "casualty_ranges",
    "connect",
    "dossier",
    "incidents",
    "missions",
    "organisations",
    "persons",
    "resolve_country",
    "sources",
    "statements",
    "summary",
    "timeline",
]
