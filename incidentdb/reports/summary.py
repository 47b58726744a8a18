"""The summary: counts per year, country and incident type, with casualty ranges."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from incidentdb.reports.core import Listing, fetch

if TYPE_CHECKING:
    from incidentdb.reports.core import Connection

# Ranges add up across distinct incidents (never across conflicting reports of one): the low
# end is the sum of the incidents' lowest figures, a floor even where some incident has no
# figure; the high end is only known when every incident in the group has an upper bound.
_SUMMARY = """
SELECT
    extract(year FROM v.occurred_from)::integer AS year,
    v.country_iso2,
    v.country_name,
    v.incident_type,
    v.incident_type_label,
    count(*)::bigint AS incident_count,
    sum(v.casualty_report_count)::bigint AS casualty_report_count,
    sum(v.killed_low)::bigint AS killed_low,
    CASE WHEN bool_and(v.killed_high IS NOT NULL) THEN sum(v.killed_high)::bigint END
        AS killed_high,
    sum(v.injured_low)::bigint AS injured_low,
    CASE WHEN bool_and(v.injured_high IS NOT NULL) THEN sum(v.injured_high)::bigint END
        AS injured_high
FROM reporting.incidents AS v
WHERE (%(country)s::text IS NULL OR v.country_iso2 = %(country)s::text)
  AND (%(since)s::date IS NULL OR v.occurred_to >= %(since)s::date)
  AND (%(until)s::date IS NULL OR v.occurred_from <= %(until)s::date)
GROUP BY 1, 2, 3, 4, 5
ORDER BY year, v.country_name COLLATE "C" NULLS LAST, v.incident_type COLLATE "C"
"""


def summary(
    conn: Connection,
    *,
    country: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Listing:
    """One row per year (of the incident's first possible day), country and incident type:
    how many incidents and casualty reports, and the range of deaths and injuries."""
    result = fetch(conn, _SUMMARY, {"country": country, "since": since, "until": until})
    return Listing("summary", result.columns, result.rows)
