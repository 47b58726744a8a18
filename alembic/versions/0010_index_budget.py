"""The index budget: every index serves a constraint, a delete, a view's join or a report's
filter or order (docs/indexes.md), and an index on a nullable foreign-key column holds only the
rows that refer to something.

- ix_incident_incident_type goes: no report or view filters incidents by type (the summary
  groups them all), and incident_type rows are only ever removed by a migration.
- The 48 indexes on nullable foreign-key columns become partial (WHERE column IS NOT NULL):
  a lookup by a parent's id (a cascade or a foreign key's check on delete, the write path's
  removal step, a view's join) never asks for NULL, and a row that refers to nothing no longer
  writes an entry. Evidence rows fill one of eleven fact columns each, so each writes one of
  those eleven indexes instead of all eleven.

Downgrade recreates every index as it was (plain, on every row).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) of each index ix_<table>_<column> that becomes partial.
PARTIAL: list[tuple[str, str]] = [
    ("casualty_report", "part_of_id"),
    ("casualty_report", "reported_by_organisation_id"),
    ("casualty_report", "reported_by_person_id"),
    ("casualty_report", "seed_file_id"),
    ("casualty_report", "supersedes_id"),
    ("evidence", "casualty_report_id"),
    ("evidence", "incident_actor_id"),
    ("evidence", "incident_id"),
    ("evidence", "mission_contributor_id"),
    ("evidence", "mission_id"),
    ("evidence", "organisation_id"),
    ("evidence", "person_id"),
    ("evidence", "person_role_id"),
    ("evidence", "place_id"),
    ("evidence", "seed_file_id"),
    ("evidence", "statement_id"),
    ("evidence", "timeline_entry_id"),
    ("incident", "country_id"),
    ("incident", "parent_id"),
    ("incident", "seed_file_id"),
    ("incident_actor", "seed_file_id"),
    ("mission", "host_country_id"),
    ("mission", "lead_organisation_id"),
    ("mission", "seed_file_id"),
    ("mission_contributor", "country_id"),
    ("mission_contributor", "organisation_id"),
    ("mission_contributor", "seed_file_id"),
    ("organisation", "country_id"),
    ("organisation", "parent_id"),
    ("organisation", "seed_file_id"),
    ("person", "seed_file_id"),
    ("person_role", "organisation_id"),
    ("person_role", "seed_file_id"),
    ("place", "parent_id"),
    ("place", "seed_file_id"),
    ("source", "dateline_place_id"),
    ("source", "publisher_id"),
    ("source", "seed_file_id"),
    ("statement", "incident_id"),
    ("statement", "mission_id"),
    ("statement", "place_id"),
    ("statement", "seed_file_id"),
    ("statement", "speaker_organisation_id"),
    ("statement", "speaker_person_id"),
    ("timeline_entry", "incident_id"),
    ("timeline_entry", "mission_id"),
    ("timeline_entry", "place_id"),
    ("timeline_entry", "seed_file_id"),
]

# (table, column) of each index ix_<table>_<column> that goes.
DROPPED: list[tuple[str, str]] = [
    ("incident", "incident_type"),
]


def upgrade() -> None:
    for table, column in DROPPED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table, column in PARTIAL:
        name = f"ix_{table}_{column}"
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], postgresql_where=sa.text(f"{column} IS NOT NULL"))


def downgrade() -> None:
    for table, column in PARTIAL:
        name = f"ix_{table}_{column}"
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column])
    for table, column in DROPPED:
        op.create_index(f"ix_{table}_{column}", table, [column])
