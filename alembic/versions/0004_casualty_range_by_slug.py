"""reporting.casualty_reports: compute the per-incident range by incident slug.

The range columns use a window over each incident's reports. Partitioned by the incident's
id, the window kept PostgreSQL from applying a filter on incident_slug before it, so a query
for one incident read every casualty report. Partitioned by the slug (one per incident, so
the same groups), the filter goes first and uses the index. Columns, rows and comments are
unchanged.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BY_ID = "PARTITION BY cr.incident_id, cr.category"
BY_SLUG = "PARTITION BY i.slug, cr.category"


def _replace_window(old: str, new: str) -> None:
    bind = op.get_bind()
    definition = bind.exec_driver_sql(
        "SELECT pg_get_viewdef('reporting.casualty_reports'::regclass)"
    ).scalar_one()
    if old not in definition:
        raise RuntimeError(f"reporting.casualty_reports does not hold {old!r} as expected")
    # CREATE OR REPLACE keeps the view's identity, so its grants and comments stay.
    bind.exec_driver_sql(
        "CREATE OR REPLACE VIEW reporting.casualty_reports AS "
        + definition.replace(old, new).rstrip().rstrip(";")
    )


def upgrade() -> None:
    _replace_window(BY_ID, BY_SLUG)


def downgrade() -> None:
    _replace_window(BY_SLUG, BY_ID)
