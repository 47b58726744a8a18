"""reporting.timeline: add entry_key, the timeline entry's stable key.

A row of the timeline belongs to an incident or to a mission. "Everything on the timeline of
this incident, its missions' entries included" is a condition on two joined tables, which
PostgreSQL answers by reading every entry; with the entry's key in the view, a report can
select the keys from the base table by index and join on them. The column is added at the
end, so nothing existing changes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = """
    i.slug AS incident_slug,
    m.slug AS mission_slug,
    t.occurred_from,
    t.occurred_to,
    t.kind,
    tk.label AS kind_label,
    t.description,
    place.name AS place_name,
    (SELECT string_agg(e.quote, ' … ' ORDER BY e.char_start, e.id)
     FROM evidence e WHERE e.timeline_entry_id = t.id) AS quote,
    (
        SELECT string_agg(DISTINCT s.title, '; ' ORDER BY s.title)
        FROM evidence e JOIN source s ON s.id = e.source_id
        WHERE e.timeline_entry_id = t.id
    ) AS source_title"""

FROM = """
FROM timeline_entry t
JOIN timeline_kind tk ON tk.code = t.kind
LEFT JOIN incident i ON i.id = t.incident_id
LEFT JOIN mission m ON m.id = t.mission_id
LEFT JOIN place ON place.id = t.place_id
"""


def _execute(statement: str) -> None:
    op.get_bind().exec_driver_sql(statement)


def upgrade() -> None:
    _execute(
        f"CREATE OR REPLACE VIEW reporting.timeline AS SELECT {COLUMNS},\n"
        f"    t.key AS entry_key {FROM}"
    )
    _execute(
        "COMMENT ON COLUMN reporting.timeline.entry_key IS 'Stable key of the timeline entry "
        "(incident or mission slug, source slug, entry slug); unique.'"
    )


def downgrade() -> None:
    # A view's columns cannot be dropped in place: recreate it as it was (comments on the
    # remaining columns and grants to readers are kept by copying them back).
    bind = op.get_bind()
    comments = bind.exec_driver_sql(
        "SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
        "WHERE a.attrelid = 'reporting.timeline'::regclass AND a.attnum > 0 "
        "AND a.attname <> 'entry_key'"
    ).fetchall()
    view_comment = bind.exec_driver_sql(
        "SELECT obj_description('reporting.timeline'::regclass, 'pg_class')"
    ).scalar_one()
    grants = bind.exec_driver_sql(
        "SELECT grantee FROM information_schema.role_table_grants "
        "WHERE table_schema = 'reporting' AND table_name = 'timeline' "
        "AND privilege_type = 'SELECT' AND grantee <> current_user"
    ).fetchall()
    _execute("DROP VIEW reporting.timeline")
    _execute(f"CREATE VIEW reporting.timeline AS SELECT {COLUMNS} {FROM}")
    if view_comment is not None:
        bind.exec_driver_sql("COMMENT ON VIEW reporting.timeline IS " + _quote(view_comment))
    for column, comment in comments:
        if comment is not None:
            bind.exec_driver_sql(
                f'COMMENT ON COLUMN reporting.timeline."{column}" IS ' + _quote(comment)
            )
    for (grantee,) in grants:
        bind.exec_driver_sql(f'GRANT SELECT ON reporting.timeline TO "{grantee}"')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
