"""Incident actors: who took part in an incident and on which side (for UCDP and ACLED imports).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incident_actor",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: incident slug/role/organisation."
        ),
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            nullable=False,
            comment="The actor: an armed group, force, government or crowd.",
        ),
        sa.Column(
            "role",
            sa.Text(),
            nullable=False,
            comment="side_a / side_b (UCDP), actor1 / actor2 / associated (ACLED), or involved.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); "
            "NULL for rows written by hand.",
        ),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_incident_actor_key_not_empty")),
        sa.CheckConstraint(
            "role IN ('side_a', 'side_b', 'actor1', 'actor2', 'associated', 'involved')",
            name=op.f("ck_incident_actor_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_actor_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_incident_actor_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_incident_actor_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_actor")),
        sa.UniqueConstraint("key", name=op.f("uq_incident_actor_key")),
        comment="Who took part in an incident, and on which side (as the dataset codes it).",
    )
    op.create_index(op.f("ix_incident_actor_incident_id"), "incident_actor", ["incident_id"])
    op.create_index(
        op.f("ix_incident_actor_organisation_id"), "incident_actor", ["organisation_id"]
    )
    op.create_index(op.f("ix_incident_actor_seed_file_id"), "incident_actor", ["seed_file_id"])


def downgrade() -> None:
    op.drop_table("incident_actor")
