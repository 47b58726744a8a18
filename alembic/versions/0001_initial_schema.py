"""Initial schema: every entity, the ledger, and the controlled vocabularies with their codes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 21:26:11.242284
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


VOCABULARIES: dict[str, list[tuple[str, str, str]]] = {
    "incident_type": [
        (
            "unrest",
            "Unrest",
            "Protests, riots and clashes over days or weeks, coded as one incident.",
        ),
        ("protest", "Protest", "A demonstration, peaceful or not, by civilians."),
        ("riot", "Riot", "Violent disorder by a crowd: looting, arson, attacks on buildings."),
        ("coup_attempt", "Coup attempt", "An attempt, claimed or real, to seize state power."),
        ("armed_clash", "Armed clash", "Fighting between armed groups or forces."),
        ("attack", "Attack", "An attack on people or property by an armed actor."),
        ("explosion", "Explosion or remote violence", "Shelling, air strikes, bombs, mines."),
        (
            "violence_against_civilians",
            "Violence against civilians",
            "Deliberate violence by an organised actor against unarmed people.",
        ),
        (
            "state_based_conflict",
            "State-based conflict",
            "UCDP: armed force between two parties, at least one a government.",
        ),
        (
            "non_state_conflict",
            "Non-state conflict",
            "UCDP: armed force between organised groups, none a government.",
        ),
        (
            "one_sided_violence",
            "One-sided violence",
            "UCDP: armed force by a government or group against civilians.",
        ),
        (
            "strategic_development",
            "Strategic development",
            "ACLED: a non-violent event of importance: agreements, arrests, deployments.",
        ),
        ("other", "Other", "None of the above; say what in the incident's description."),
    ],
    "timeline_kind": [
        ("protest", "Protest", "Demonstrations begin or spread."),
        ("escalation", "Escalation", "The situation turns violent or widens."),
        ("riot", "Riot", "Mass riots, looting, attacks on buildings."),
        ("claim", "Claim", "An actor claims something happened (e.g. a coup attempt)."),
        ("deployment", "Deployment", "Forces are sent or arrive."),
        ("meeting", "Meeting", "A meeting of leaders or bodies about the incident or mission."),
        ("order_restored", "Order restored", "Authorities say control was re-established."),
        ("emergency_declared", "Emergency declared", "A state of emergency is declared."),
        ("emergency_lifted", "Emergency lifted", "A state of emergency ends."),
        ("withdrawal", "Withdrawal", "Forces leave."),
        ("casualties", "Casualties", "People are killed, injured or detained."),
        ("other", "Other", "Any other development; say what in the description."),
    ],
    "casualty_category": [
        ("killed", "Killed", "People killed, dead or died as a result of the incident."),
        ("injured", "Injured", "People injured or wounded."),
        ("detained", "Detained", "People detained or held."),
        ("arrested", "Arrested", "People arrested or charged."),
        ("missing", "Missing", "People missing."),
        ("displaced", "Displaced", "People forced to leave their homes."),
    ],
    "organisation_kind": [
        (
            "intergovernmental",
            "Intergovernmental organisation",
            "A body of several states, e.g. the CSTO.",
        ),
        (
            "intergovernmental_body",
            "Intergovernmental body",
            "An organ of an intergovernmental organisation, e.g. a council or secretariat.",
        ),
        ("military_force", "Military force", "Armed forces, joint forces or contingents."),
        ("government", "Government", "A state's government or its authorities."),
        ("state_agency", "State agency", "A ministry, police, security service or other agency."),
        ("armed_group", "Armed group", "A non-state armed group."),
        ("political_party", "Political party", "A political party or movement."),
        ("media", "Media", "A news agency, newspaper or broadcaster."),
        ("ngo", "Non-governmental organisation", "An NGO, think tank or research body."),
        ("civilian_group", "Civilian group", "Protesters, communities, identity groups."),
        ("other", "Other", "None of the above."),
    ],
    "mission_kind": [
        ("peacekeeping", "Peacekeeping", "Forces deployed to keep or restore peace and order."),
        ("observer", "Observer", "Unarmed monitors."),
        ("training", "Training", "Training or advising of local forces."),
        ("combat", "Combat", "Deployed to fight."),
        ("humanitarian", "Humanitarian", "Relief and protection of civilians."),
        ("political", "Political", "Good offices, mediation, elections."),
        ("other", "Other", "None of the above."),
    ],
    "place_kind": [
        ("country", "Country", "A country with ISO 3166-1 codes."),
        (
            "supranational_region",
            "Supranational region",
            "A region of several countries, e.g. Central Asia.",
        ),
        ("admin1", "First-level administrative division", "A province, oblast or state."),
        ("admin2", "Second-level administrative division", "A district."),
        ("admin3", "Third-level administrative division", "A sub-district."),
        ("city", "City", "A city or town."),
        ("locality", "Locality", "A village, neighbourhood or named site."),
        ("area", "Area", "A loosely defined area, e.g. 'several cities'; see the description."),
    ],
}

QUALIFIERS: list[tuple[str, str, str, str]] = [
    (
        "exact",
        "Exact",
        "The source gives the figure as it is: '225 people were killed'.",
        "count_low = count_high = figure",
    ),
    (
        "approximately",
        "Approximately",
        "'About', 'nearly', 'some', 'around' the figure.",
        "count_low and count_high as the source or dataset gives them, around the figure; NULL if "
        "none",
    ),
    ("at_least", "At least", "'At least' the figure.", "count_low = figure, count_high NULL"),
    (
        "more_than",
        "More than",
        "'More than', 'over' the figure: 'more than 4,500 were injured'.",
        "count_low = figure + 1, count_high NULL",
    ),
    ("at_most", "At most", "'Up to', 'at most' the figure.", "count_low = 0, count_high = figure"),
    (
        "fewer_than",
        "Fewer than",
        "'Fewer than', 'under' the figure.",
        "count_low = 0, count_high = figure - 1",
    ),
]


def _seed_vocabularies() -> None:
    for table, rows in VOCABULARIES.items():
        target = sa.table(
            table,
            sa.column("code"),
            sa.column("label"),
            sa.column("description"),
            sa.column("sort_order"),
        )
        op.bulk_insert(
            target,
            [
                {"code": c, "label": label, "description": d, "sort_order": i}
                for i, (c, label, d) in enumerate(rows, start=1)
            ],
        )
    qualifier = sa.table(
        "qualifier",
        sa.column("code"),
        sa.column("label"),
        sa.column("description"),
        sa.column("bound_rule"),
        sa.column("sort_order"),
    )
    op.bulk_insert(
        qualifier,
        [
            {"code": c, "label": label, "description": d, "bound_rule": b, "sort_order": i}
            for i, (c, label, d, b) in enumerate(QUALIFIERS, start=1)
        ],
    )


def upgrade() -> None:
    op.create_table(
        "casualty_category",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_casualty_category")),
        comment="Vocabulary of casualty categories (killed, injured, detained, ...).",
    )
    op.create_table(
        "incident_type",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_incident_type")),
        comment="Vocabulary of incident types (unrest, riot, armed clash, ...).",
    )
    op.create_table(
        "mission_kind",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_mission_kind")),
        comment="Vocabulary of mission kinds (peacekeeping, observer, training, ...).",
    )
    op.create_table(
        "organisation_kind",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organisation_kind")),
        comment="Vocabulary of organisation kinds (intergovernmental, government, media, ...).",
    )
    op.create_table(
        "place_kind",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_place_kind")),
        comment="Vocabulary of place kinds (country, region, admin1, city, ...).",
    )
    op.create_table(
        "qualifier",
        sa.Column(
            "bound_rule",
            sa.Text(),
            nullable=False,
            comment="How count_low and count_high follow from the figure under this qualifier.",
        ),
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_qualifier")),
        comment="Vocabulary of figure qualifiers: how a reported figure bounds the true count.",
    )
    op.create_table(
        "seed_file",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "path",
            sa.Text(),
            nullable=False,
            comment="The file's path relative to the folder it was loaded from (its stable name).",
        ),
        sa.Column(
            "kind",
            sa.String(length=20),
            nullable=False,
            comment="seed (an article), registry (shared entities) or import.",
        ),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the file's bytes (and its article's) when loaded.",
        ),
        sa.Column(
            "row_count", sa.Integer(), nullable=False, comment="Number of rows the file defines."
        ),
        sa.Column(
            "loaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the file was last loaded with changes.",
        ),
        sa.CheckConstraint(
            "content_hash ~ '^[0-9a-f]{64}$'", name=op.f("ck_seed_file_content_hash_hex")
        ),
        sa.CheckConstraint(
            "kind IN ('seed', 'registry', 'import')", name=op.f("ck_seed_file_kind_known")
        ),
        sa.CheckConstraint("row_count >= 0", name=op.f("ck_seed_file_row_count_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seed_file")),
        sa.UniqueConstraint("path", name=op.f("uq_seed_file_path")),
        comment="Ledger: one row per seed, registry or import file loaded, with its hash.",
    )
    op.create_table(
        "timeline_kind",
        sa.Column(
            "code",
            sa.String(length=40),
            nullable=False,
            comment="Stable code used in seed files and foreign keys.",
        ),
        sa.Column("label", sa.Text(), nullable=False, comment="Human-readable label."),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="What the code means and when to use it.",
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            nullable=False,
            comment="Position in pick lists and reports.",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_timeline_kind")),
        comment="Vocabulary of timeline entry kinds (protest, riot, deployment, ...).",
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key used in seed files, e.g. kassym-jomart-tokayev.",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="Full name in English."),
        sa.Column("description", sa.Text(), nullable=True, comment="Notes on the person."),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_person_slug_format")
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_person_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("slug", name=op.f("uq_person_slug")),
        comment="Persons named in sources.",
    )
    op.create_index(op.f("ix_person_seed_file_id"), "person", ["seed_file_id"], unique=False)
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key used in seed files, e.g. kz or moscow.",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="Name in English."),
        sa.Column(
            "kind", sa.String(length=40), nullable=False, comment="Place kind (see place_kind)."
        ),
        sa.Column(
            "parent_id",
            sa.Integer(),
            nullable=True,
            comment="The place this one lies in (a city's country); NULL for top-level places.",
        ),
        sa.Column(
            "iso_alpha2",
            sa.String(length=2),
            nullable=True,
            comment="ISO 3166-1 alpha-2 code, countries only.",
        ),
        sa.Column(
            "iso_alpha3",
            sa.String(length=3),
            nullable=True,
            comment="ISO 3166-1 alpha-3 code, countries only.",
        ),
        sa.Column(
            "latitude",
            sa.Float(),
            nullable=True,
            comment="WGS 84 latitude in degrees; NULL when unknown.",
        ),
        sa.Column(
            "longitude",
            sa.Float(),
            nullable=True,
            comment="WGS 84 longitude in degrees; NULL when unknown.",
        ),
        sa.Column(
            "geo_precision",
            sa.SmallInteger(),
            nullable=True,
            comment="How exact the coordinates are, 1 (the place itself) and up (coarser), as in ACLED and UCDP; NULL when unknown.",
        ),
        sa.Column(
            "description",
            sa.Text(),
            nullable=True,
            comment="Notes on the place, e.g. what a vague place name in a source covers.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint("iso_alpha2 ~ '^[A-Z]{2}$'", name=op.f("ck_place_iso_alpha2_format")),
        sa.CheckConstraint("iso_alpha3 ~ '^[A-Z]{3}$'", name=op.f("ck_place_iso_alpha3_format")),
        sa.CheckConstraint(
            "kind <> 'country' OR iso_alpha2 IS NOT NULL", name=op.f("ck_place_country_has_iso")
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_place_slug_format")
        ),
        sa.CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL)", name=op.f("ck_place_coordinates_paired")
        ),
        sa.CheckConstraint(
            "geo_precision BETWEEN 1 AND 9", name=op.f("ck_place_geo_precision_range")
        ),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_place_latitude_range")),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name=op.f("ck_place_longitude_range")),
        sa.CheckConstraint("parent_id <> id", name=op.f("ck_place_not_own_parent")),
        sa.ForeignKeyConstraint(
            ["kind"],
            ["place_kind.code"],
            name=op.f("fk_place_kind_place_kind"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["place.id"], name=op.f("fk_place_parent_id_place"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_place_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("iso_alpha2", name=op.f("uq_place_iso_alpha2")),
        sa.UniqueConstraint("iso_alpha3", name=op.f("uq_place_iso_alpha3")),
        sa.UniqueConstraint("slug", name=op.f("uq_place_slug")),
        comment="Places: countries with ISO 3166 codes, regions, admin areas and cities.",
    )
    op.create_index(op.f("ix_place_parent_id"), "place", ["parent_id"], unique=False)
    op.create_index(op.f("ix_place_seed_file_id"), "place", ["seed_file_id"], unique=False)
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key, e.g. 2022-kazakhstan-unrest.",
        ),
        sa.Column("title", sa.Text(), nullable=False, comment="Short title."),
        sa.Column("description", sa.Text(), nullable=True, comment="What happened, in brief."),
        sa.Column(
            "incident_type",
            sa.String(length=40),
            nullable=False,
            comment="Incident type (see incident_type).",
        ),
        sa.Column(
            "occurred_from",
            sa.Date(),
            nullable=False,
            comment="Earliest day the incident may have started.",
        ),
        sa.Column(
            "occurred_to",
            sa.Date(),
            nullable=False,
            comment="Latest day the incident may have lasted to; equals occurred_from for one day.",
        ),
        sa.Column(
            "country_id",
            sa.Integer(),
            nullable=True,
            comment="The country the incident happened in; NULL when it spans several or is unknown.",
        ),
        sa.Column(
            "parent_id",
            sa.Integer(),
            nullable=True,
            comment="The larger incident this one is part of; NULL for top-level incidents.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_incident_slug_format")
        ),
        sa.CheckConstraint(
            "occurred_from IS NULL OR occurred_to IS NULL OR occurred_from <= occurred_to",
            name=op.f("ck_incident_occurred_from_le_occurred_to"),
        ),
        sa.CheckConstraint("parent_id <> id", name=op.f("ck_incident_not_own_parent")),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["place.id"],
            name=op.f("fk_incident_country_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["incident_type"],
            ["incident_type.code"],
            name=op.f("fk_incident_incident_type_incident_type"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["incident.id"],
            name=op.f("fk_incident_parent_id_incident"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_incident_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("slug", name=op.f("uq_incident_slug")),
        comment="Incidents: one row per event, with its type and date range.",
    )
    op.create_index(op.f("ix_incident_country_id"), "incident", ["country_id"], unique=False)
    op.create_index(op.f("ix_incident_incident_type"), "incident", ["incident_type"], unique=False)
    op.create_index(op.f("ix_incident_occurred_from"), "incident", ["occurred_from"], unique=False)
    op.create_index(op.f("ix_incident_parent_id"), "incident", ["parent_id"], unique=False)
    op.create_index(op.f("ix_incident_seed_file_id"), "incident", ["seed_file_id"], unique=False)
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key used in seed files, e.g. csto.",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="Full name in English."),
        sa.Column("acronym", sa.Text(), nullable=True, comment="Usual acronym, e.g. CSTO."),
        sa.Column(
            "kind",
            sa.String(length=40),
            nullable=False,
            comment="Organisation kind (see organisation_kind).",
        ),
        sa.Column(
            "parent_id",
            sa.Integer(),
            nullable=True,
            comment="The body this one belongs to (a council's organisation); NULL if none.",
        ),
        sa.Column(
            "country_id",
            sa.Integer(),
            nullable=True,
            comment="The country the organisation belongs to; NULL for international ones.",
        ),
        sa.Column("description", sa.Text(), nullable=True, comment="Notes on the organisation."),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_organisation_slug_format")
        ),
        sa.CheckConstraint("parent_id <> id", name=op.f("ck_organisation_not_own_parent")),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["place.id"],
            name=op.f("fk_organisation_country_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["kind"],
            ["organisation_kind.code"],
            name=op.f("fk_organisation_kind_organisation_kind"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_parent_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_organisation_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
        comment="Organisations: intergovernmental bodies, governments, forces, media, groups.",
    )
    op.create_index(
        op.f("ix_organisation_country_id"), "organisation", ["country_id"], unique=False
    )
    op.create_index(op.f("ix_organisation_parent_id"), "organisation", ["parent_id"], unique=False)
    op.create_index(
        op.f("ix_organisation_seed_file_id"), "organisation", ["seed_file_id"], unique=False
    )
    op.create_table(
        "incident_place",
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column("place_id", sa.Integer(), nullable=False, comment="A place it happened in."),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_place_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["place.id"],
            name=op.f("fk_incident_place_place_id_place"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("incident_id", "place_id", name=op.f("pk_incident_place")),
        comment="The places an incident happened in.",
    )
    op.create_index(
        op.f("ix_incident_place_place_id"), "incident_place", ["place_id"], unique=False
    )
    op.create_table(
        "mission",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key, e.g. csto-kazakhstan-2022.",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="Name of the mission."),
        sa.Column(
            "kind", sa.String(length=40), nullable=False, comment="Mission kind (see mission_kind)."
        ),
        sa.Column(
            "lead_organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The organisation leading the mission; NULL when unknown.",
        ),
        sa.Column(
            "host_country_id",
            sa.Integer(),
            nullable=True,
            comment="The country hosting the mission; NULL when unknown.",
        ),
        sa.Column(
            "started_from",
            sa.Date(),
            nullable=True,
            comment="Earliest day the mission may have started; NULL when unknown.",
        ),
        sa.Column(
            "started_to",
            sa.Date(),
            nullable=True,
            comment="Latest day the mission may have started; NULL when unknown.",
        ),
        sa.Column(
            "ended_from",
            sa.Date(),
            nullable=True,
            comment="Earliest day the mission may have ended; NULL when unknown or ongoing.",
        ),
        sa.Column(
            "ended_to",
            sa.Date(),
            nullable=True,
            comment="Latest day the mission may have ended; NULL when unknown or ongoing.",
        ),
        sa.Column(
            "mandate", sa.Text(), nullable=True, comment="The mandate; NULL when not stated."
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_mission_slug_format")
        ),
        sa.CheckConstraint(
            "ended_from IS NULL OR ended_to IS NULL OR ended_from <= ended_to",
            name=op.f("ck_mission_ended_from_le_ended_to"),
        ),
        sa.CheckConstraint(
            "started_from IS NULL OR ended_to IS NULL OR started_from <= ended_to",
            name=op.f("ck_mission_started_from_le_ended_to"),
        ),
        sa.CheckConstraint(
            "started_from IS NULL OR started_to IS NULL OR started_from <= started_to",
            name=op.f("ck_mission_started_from_le_started_to"),
        ),
        sa.ForeignKeyConstraint(
            ["host_country_id"],
            ["place.id"],
            name=op.f("fk_mission_host_country_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["kind"],
            ["mission_kind.code"],
            name=op.f("fk_mission_kind_mission_kind"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lead_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mission_lead_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_mission_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission")),
        sa.UniqueConstraint("slug", name=op.f("uq_mission_slug")),
        comment="Missions: peace operations and other deployments, with lead and host.",
    )
    op.create_index(
        op.f("ix_mission_host_country_id"), "mission", ["host_country_id"], unique=False
    )
    op.create_index(
        op.f("ix_mission_lead_organisation_id"), "mission", ["lead_organisation_id"], unique=False
    )
    op.create_index(op.f("ix_mission_seed_file_id"), "mission", ["seed_file_id"], unique=False)
    op.create_table(
        "organisation_alias",
        sa.Column("organisation_id", sa.Integer(), nullable=False, comment="The organisation."),
        sa.Column(
            "alias", sa.Text(), nullable=False, comment="Another name or acronym, e.g. ODKB."
        ),
        sa.CheckConstraint("length(alias) > 0", name=op.f("ck_organisation_alias_alias_not_empty")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_alias_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "alias", name=op.f("pk_organisation_alias")),
        comment="Other names and acronyms of an organisation, for matching and search.",
    )
    op.create_table(
        "person_role",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: person/organisation/title."
        ),
        sa.Column("person_id", sa.Integer(), nullable=False, comment="The person."),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The organisation the title is held in; NULL when none is named.",
        ),
        sa.Column("title", sa.Text(), nullable=False, comment="The title, e.g. Secretary General."),
        sa.Column(
            "is_former",
            sa.Boolean(),
            nullable=False,
            comment="True when the source calls the person a former holder of the title.",
        ),
        sa.Column(
            "started_from",
            sa.Date(),
            nullable=True,
            comment="Earliest day the role may have started; NULL when unknown.",
        ),
        sa.Column(
            "started_to",
            sa.Date(),
            nullable=True,
            comment="Latest day the role may have started; NULL when unknown.",
        ),
        sa.Column(
            "ended_from",
            sa.Date(),
            nullable=True,
            comment="Earliest day the role may have ended; NULL when unknown or ongoing.",
        ),
        sa.Column(
            "ended_to",
            sa.Date(),
            nullable=True,
            comment="Latest day the role may have ended; NULL when unknown or ongoing.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "ended_from IS NULL OR ended_to IS NULL OR ended_from <= ended_to",
            name=op.f("ck_person_role_ended_from_le_ended_to"),
        ),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_person_role_key_not_empty")),
        sa.CheckConstraint(
            "started_from IS NULL OR ended_to IS NULL OR started_from <= ended_to",
            name=op.f("ck_person_role_started_from_le_ended_to"),
        ),
        sa.CheckConstraint(
            "started_from IS NULL OR started_to IS NULL OR started_from <= started_to",
            name=op.f("ck_person_role_started_from_le_started_to"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_person_role_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_role_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_person_role_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_role")),
        sa.UniqueConstraint("key", name=op.f("uq_person_role_key")),
        comment="A title a person holds or held in an organisation, over a period.",
    )
    op.create_index(
        op.f("ix_person_role_organisation_id"), "person_role", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_person_role_person_id"), "person_role", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_person_role_seed_file_id"), "person_role", ["seed_file_id"], unique=False
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "slug",
            sa.String(length=200),
            nullable=False,
            comment="Stable key, e.g. tass-2022-01-25-csto-mission-kazakhstan.",
        ),
        sa.Column("title", sa.Text(), nullable=False, comment="Headline."),
        sa.Column("lede", sa.Text(), nullable=True, comment="Standfirst or lede; NULL if none."),
        sa.Column(
            "publisher_id",
            sa.Integer(),
            nullable=True,
            comment="The publishing organisation (news agency, dataset); NULL when unknown.",
        ),
        sa.Column(
            "dateline_place_id",
            sa.Integer(),
            nullable=True,
            comment="Where the article was filed (its dateline); NULL when none.",
        ),
        sa.Column(
            "published_on", sa.Date(), nullable=True, comment="Publication day; NULL when unknown."
        ),
        sa.Column(
            "url", sa.Text(), nullable=True, comment="Address of the original; NULL if none."
        ),
        sa.Column(
            "language",
            sa.String(length=2),
            nullable=False,
            comment="ISO 639-1 language of the text, e.g. en.",
        ),
        sa.Column(
            "file_name",
            sa.Text(),
            nullable=True,
            comment="Name of the verbatim text file in seeds/; NULL for imported records.",
        ),
        sa.Column(
            "body",
            sa.Text(),
            nullable=False,
            comment="The full text, verbatim; evidence offsets point into it.",
        ),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 (hex) of the body's UTF-8 bytes.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "content_hash = encode(sha256(convert_to(body, 'UTF8')), 'hex')",
            name=op.f("ck_source_content_hash_matches_body"),
        ),
        sa.CheckConstraint(
            "content_hash ~ '^[0-9a-f]{64}$'", name=op.f("ck_source_content_hash_hex")
        ),
        sa.CheckConstraint("language ~ '^[a-z]{2}$'", name=op.f("ck_source_language_iso639_1")),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'", name=op.f("ck_source_slug_format")
        ),
        sa.ForeignKeyConstraint(
            ["dateline_place_id"],
            ["place.id"],
            name=op.f("fk_source_dateline_place_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["organisation.id"],
            name=op.f("fk_source_publisher_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_source_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("slug", name=op.f("uq_source_slug")),
        comment="Sources: each article (or dataset record) with its full text and hash.",
    )
    op.create_index(
        op.f("ix_source_dateline_place_id"), "source", ["dateline_place_id"], unique=False
    )
    op.create_index(op.f("ix_source_published_on"), "source", ["published_on"], unique=False)
    op.create_index(op.f("ix_source_publisher_id"), "source", ["publisher_id"], unique=False)
    op.create_index(op.f("ix_source_seed_file_id"), "source", ["seed_file_id"], unique=False)
    op.create_table(
        "casualty_report",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: incident slug/report slug."
        ),
        sa.Column(
            "incident_id", sa.Integer(), nullable=False, comment="The incident the figure is about."
        ),
        sa.Column(
            "category",
            sa.String(length=40),
            nullable=False,
            comment="What the figure counts (see casualty_category).",
        ),
        sa.Column(
            "population",
            sa.Text(),
            nullable=True,
            comment="Who was counted, e.g. civilians; NULL when the source does not say.",
        ),
        sa.Column(
            "figure", sa.Integer(), nullable=False, comment="The number as reported (people)."
        ),
        sa.Column(
            "qualifier",
            sa.String(length=40),
            nullable=False,
            comment="How the figure bounds the true count (see qualifier).",
        ),
        sa.Column(
            "count_low",
            sa.Integer(),
            nullable=True,
            comment="Lowest count the report allows (people): the figure if exact or 'at least', figure + 1 if 'more than', 0 if 'at most'/'fewer than'; NULL when it sets none.",
        ),
        sa.Column(
            "count_high",
            sa.Integer(),
            nullable=True,
            comment="Highest count the report allows (people): the figure if exact or 'at most', figure - 1 if 'fewer than'; NULL when unbounded ('at least', 'more than').",
        ),
        sa.Column(
            "reported_by_organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The organisation that reported the figure; NULL when a person did or unstated.",
        ),
        sa.Column(
            "reported_by_person_id",
            sa.Integer(),
            nullable=True,
            comment="The person who reported the figure; NULL when an organisation did or unstated.",
        ),
        sa.Column(
            "as_of",
            sa.Date(),
            nullable=True,
            comment="The day the figure was current; NULL when unknown.",
        ),
        sa.Column(
            "source_id", sa.Integer(), nullable=False, comment="The source that carries the figure."
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "(qualifier = 'exact' AND count_low = figure AND count_high = figure) OR (qualifier = 'at_least' AND count_low = figure AND count_high IS NULL) OR (qualifier = 'more_than' AND count_low = figure + 1 AND count_high IS NULL) OR (qualifier = 'at_most' AND count_low = 0 AND count_high = figure) OR (qualifier = 'fewer_than' AND figure > 0 AND count_low = 0 AND count_high = figure - 1) OR (qualifier = 'approximately' AND (count_low IS NULL OR count_low <= figure) AND (count_high IS NULL OR count_high >= figure))",
            name=op.f("ck_casualty_report_bounds_follow_qualifier"),
        ),
        sa.CheckConstraint(
            "count_high >= 0", name=op.f("ck_casualty_report_count_high_non_negative")
        ),
        sa.CheckConstraint(
            "count_low >= 0", name=op.f("ck_casualty_report_count_low_non_negative")
        ),
        sa.CheckConstraint(
            "count_low IS NULL OR count_high IS NULL OR count_low <= count_high",
            name=op.f("ck_casualty_report_low_le_high"),
        ),
        sa.CheckConstraint("figure >= 0", name=op.f("ck_casualty_report_figure_non_negative")),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_casualty_report_key_not_empty")),
        sa.CheckConstraint(
            "num_nonnulls(reported_by_organisation_id, reported_by_person_id) <= 1",
            name=op.f("ck_casualty_report_one_reporter"),
        ),
        sa.ForeignKeyConstraint(
            ["category"],
            ["casualty_category.code"],
            name=op.f("fk_casualty_report_category_casualty_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_casualty_report_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["qualifier"],
            ["qualifier.code"],
            name=op.f("fk_casualty_report_qualifier_qualifier"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_casualty_report_reported_by_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_person_id"],
            ["person.id"],
            name=op.f("fk_casualty_report_reported_by_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_casualty_report_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_casualty_report_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casualty_report")),
        sa.UniqueConstraint("key", name=op.f("uq_casualty_report_key")),
        comment="Casualty reports: one reported figure (killed, injured, ...) per row, with who reported it and the source. Conflicting reports are kept side by side.",
    )
    op.create_index(
        op.f("ix_casualty_report_category"), "casualty_report", ["category"], unique=False
    )
    op.create_index(
        op.f("ix_casualty_report_incident_id"), "casualty_report", ["incident_id"], unique=False
    )
    op.create_index(
        op.f("ix_casualty_report_reported_by_organisation_id"),
        "casualty_report",
        ["reported_by_organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_casualty_report_reported_by_person_id"),
        "casualty_report",
        ["reported_by_person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_casualty_report_seed_file_id"), "casualty_report", ["seed_file_id"], unique=False
    )
    op.create_index(
        op.f("ix_casualty_report_source_id"), "casualty_report", ["source_id"], unique=False
    )
    op.create_table(
        "mission_contributor",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: mission slug/contributor slug."
        ),
        sa.Column("mission_id", sa.Integer(), nullable=False, comment="The mission."),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The contributing organisation; NULL if only a country is known.",
        ),
        sa.Column(
            "country_id",
            sa.Integer(),
            nullable=True,
            comment="The contributing country; NULL if only an organisation is known.",
        ),
        sa.Column(
            "personnel",
            sa.Integer(),
            nullable=True,
            comment="Personnel contributed (people); NULL when unknown, never 0 for unknown.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_mission_contributor_key_not_empty")),
        sa.CheckConstraint(
            "num_nonnulls(organisation_id, country_id) >= 1",
            name=op.f("ck_mission_contributor_has_contributor"),
        ),
        sa.CheckConstraint(
            "personnel >= 0", name=op.f("ck_mission_contributor_personnel_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["place.id"],
            name=op.f("fk_mission_contributor_country_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_contributor_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mission_contributor_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_mission_contributor_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_contributor")),
        sa.UniqueConstraint("key", name=op.f("uq_mission_contributor_key")),
        comment="Who contributed to a mission, and with how many personnel.",
    )
    op.create_index(
        op.f("ix_mission_contributor_country_id"),
        "mission_contributor",
        ["country_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mission_contributor_mission_id"),
        "mission_contributor",
        ["mission_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mission_contributor_organisation_id"),
        "mission_contributor",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mission_contributor_seed_file_id"),
        "mission_contributor",
        ["seed_file_id"],
        unique=False,
    )
    op.create_table(
        "mission_incident",
        sa.Column("mission_id", sa.Integer(), nullable=False, comment="The mission."),
        sa.Column(
            "incident_id", sa.Integer(), nullable=False, comment="An incident it responded to."
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_mission_incident_incident_id_incident"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_incident_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mission_id", "incident_id", name=op.f("pk_mission_incident")),
        comment="The incidents a mission responded to.",
    )
    op.create_index(
        op.f("ix_mission_incident_incident_id"), "mission_incident", ["incident_id"], unique=False
    )
    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: source slug/statement slug."
        ),
        sa.Column(
            "speaker_person_id",
            sa.Integer(),
            nullable=True,
            comment="The person who spoke; NULL when only an organisation is named.",
        ),
        sa.Column(
            "speaker_organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The organisation that spoke, or that the speaker spoke for; NULL if none.",
        ),
        sa.Column(
            "said_from",
            sa.Date(),
            nullable=False,
            comment="Earliest day the statement may have been made.",
        ),
        sa.Column(
            "said_to",
            sa.Date(),
            nullable=False,
            comment="Latest day it may have been made; equal when known.",
        ),
        sa.Column(
            "place_id",
            sa.Integer(),
            nullable=True,
            comment="Where it was said; NULL when not stated.",
        ),
        sa.Column(
            "occasion",
            sa.Text(),
            nullable=True,
            comment="The occasion, e.g. a press conference; NULL when not stated.",
        ),
        sa.Column(
            "incident_id",
            sa.Integer(),
            nullable=True,
            comment="The incident it is about; NULL if none.",
        ),
        sa.Column(
            "mission_id",
            sa.Integer(),
            nullable=True,
            comment="The mission it is about; NULL if none.",
        ),
        sa.Column(
            "mode",
            sa.Text(),
            nullable=False,
            comment="direct (the speaker's words quoted) or reported (paraphrased by the source).",
        ),
        sa.Column(
            "summary", sa.Text(), nullable=False, comment="What was said, in the coder's words."
        ),
        sa.Column(
            "source_id",
            sa.Integer(),
            nullable=False,
            comment="The source that reports the statement.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint("mode IN ('direct', 'reported')", name=op.f("ck_statement_mode_known")),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_statement_key_not_empty")),
        sa.CheckConstraint(
            "num_nonnulls(speaker_person_id, speaker_organisation_id) >= 1",
            name=op.f("ck_statement_has_speaker"),
        ),
        sa.CheckConstraint(
            "said_from IS NULL OR said_to IS NULL OR said_from <= said_to",
            name=op.f("ck_statement_said_from_le_said_to"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_statement_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_statement_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["place.id"],
            name=op.f("fk_statement_place_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_statement_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_statement_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_statement_speaker_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_person_id"],
            ["person.id"],
            name=op.f("fk_statement_speaker_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("key", name=op.f("uq_statement_key")),
        comment="Statements: who said what, when and where, about which incident or mission.",
    )
    op.create_index(op.f("ix_statement_incident_id"), "statement", ["incident_id"], unique=False)
    op.create_index(op.f("ix_statement_mission_id"), "statement", ["mission_id"], unique=False)
    op.create_index(op.f("ix_statement_place_id"), "statement", ["place_id"], unique=False)
    op.create_index(op.f("ix_statement_seed_file_id"), "statement", ["seed_file_id"], unique=False)
    op.create_index(op.f("ix_statement_source_id"), "statement", ["source_id"], unique=False)
    op.create_index(
        op.f("ix_statement_speaker_organisation_id"),
        "statement",
        ["speaker_organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_statement_speaker_person_id"), "statement", ["speaker_person_id"], unique=False
    )
    op.create_table(
        "timeline_entry",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key",
            sa.Text(),
            nullable=False,
            comment="Stable key: incident or mission slug/entry slug.",
        ),
        sa.Column(
            "incident_id",
            sa.Integer(),
            nullable=True,
            comment="The incident this entry belongs to; NULL when it belongs to a mission.",
        ),
        sa.Column(
            "mission_id",
            sa.Integer(),
            nullable=True,
            comment="The mission this entry belongs to; NULL when it belongs to an incident.",
        ),
        sa.Column(
            "occurred_from", sa.Date(), nullable=False, comment="Earliest day it may have happened."
        ),
        sa.Column(
            "occurred_to",
            sa.Date(),
            nullable=False,
            comment="Latest day it may have happened; equal when the day is known.",
        ),
        sa.Column(
            "kind",
            sa.String(length=40),
            nullable=False,
            comment="What kind of development (see timeline_kind).",
        ),
        sa.Column(
            "description", sa.Text(), nullable=False, comment="What happened, in the coder's words."
        ),
        sa.Column(
            "place_id",
            sa.Integer(),
            nullable=True,
            comment="Where it happened; NULL when not stated.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_timeline_entry_key_not_empty")),
        sa.CheckConstraint(
            "num_nonnulls(incident_id, mission_id) = 1", name=op.f("ck_timeline_entry_one_subject")
        ),
        sa.CheckConstraint(
            "occurred_from IS NULL OR occurred_to IS NULL OR occurred_from <= occurred_to",
            name=op.f("ck_timeline_entry_occurred_from_le_occurred_to"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_timeline_entry_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kind"],
            ["timeline_kind.code"],
            name=op.f("fk_timeline_entry_kind_timeline_kind"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_timeline_entry_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["place.id"],
            name=op.f("fk_timeline_entry_place_id_place"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_timeline_entry_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_entry")),
        sa.UniqueConstraint("key", name=op.f("uq_timeline_entry_key")),
        comment="What happened when, within an incident or a mission.",
    )
    op.create_index(
        op.f("ix_timeline_entry_incident_id"), "timeline_entry", ["incident_id"], unique=False
    )
    op.create_index(
        op.f("ix_timeline_entry_mission_id"), "timeline_entry", ["mission_id"], unique=False
    )
    op.create_index(
        op.f("ix_timeline_entry_place_id"), "timeline_entry", ["place_id"], unique=False
    )
    op.create_index(
        op.f("ix_timeline_entry_seed_file_id"), "timeline_entry", ["seed_file_id"], unique=False
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False, comment="Internal id."),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="Stable key: fact key and quote offsets."
        ),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The source quoted."),
        sa.Column(
            "quote",
            sa.Text(),
            nullable=False,
            comment="The words, verbatim from the source's body.",
        ),
        sa.Column(
            "char_start",
            sa.Integer(),
            nullable=False,
            comment="Offset of the quote's first character in the body (0-based).",
        ),
        sa.Column(
            "char_end",
            sa.Integer(),
            nullable=False,
            comment="Offset just past the quote's last character.",
        ),
        sa.Column(
            "incident_id",
            sa.Integer(),
            nullable=True,
            comment="The incident this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "timeline_entry_id",
            sa.Integer(),
            nullable=True,
            comment="The timeline entry this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "casualty_report_id",
            sa.Integer(),
            nullable=True,
            comment="The casualty report this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "statement_id",
            sa.Integer(),
            nullable=True,
            comment="The statement this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "mission_id",
            sa.Integer(),
            nullable=True,
            comment="The mission this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "mission_contributor_id",
            sa.Integer(),
            nullable=True,
            comment="The contribution this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "person_role_id",
            sa.Integer(),
            nullable=True,
            comment="The person's role this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            nullable=True,
            comment="The organisation mention this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "person_id",
            sa.Integer(),
            nullable=True,
            comment="The person mention this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "place_id",
            sa.Integer(),
            nullable=True,
            comment="The place mention this quote backs; NULL when it backs another fact.",
        ),
        sa.Column(
            "seed_file_id",
            sa.Integer(),
            nullable=True,
            comment="The seed or import file that defines this row (see seed_file); NULL for rows written by hand.",
        ),
        sa.CheckConstraint(
            "char_end - char_start = char_length(quote)",
            name=op.f("ck_evidence_offsets_match_quote"),
        ),
        sa.CheckConstraint("char_start >= 0", name=op.f("ck_evidence_char_start_non_negative")),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_evidence_key_not_empty")),
        sa.CheckConstraint("length(quote) > 0", name=op.f("ck_evidence_quote_not_empty")),
        sa.CheckConstraint(
            "num_nonnulls(incident_id, timeline_entry_id, casualty_report_id, statement_id, mission_id, mission_contributor_id, person_role_id, organisation_id, person_id, place_id) = 1",
            name=op.f("ck_evidence_one_fact"),
        ),
        sa.ForeignKeyConstraint(
            ["casualty_report_id"],
            ["casualty_report.id"],
            name=op.f("fk_evidence_casualty_report_id_casualty_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_evidence_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_contributor_id"],
            ["mission_contributor.id"],
            name=op.f("fk_evidence_mission_contributor_id_mission_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_evidence_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_evidence_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_evidence_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_role_id"],
            ["person_role.id"],
            name=op.f("fk_evidence_person_role_id_person_role"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_evidence_place_id_place"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["seed_file_id"],
            ["seed_file.id"],
            name=op.f("fk_evidence_seed_file_id_seed_file"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_evidence_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
            name=op.f("fk_evidence_statement_id_statement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["timeline_entry_id"],
            ["timeline_entry.id"],
            name=op.f("fk_evidence_timeline_entry_id_timeline_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("key", name=op.f("uq_evidence_key")),
        comment="Evidence: a verbatim quote from a source, with character offsets into its body, backing exactly one fact.",
    )
    op.create_index(
        op.f("ix_evidence_casualty_report_id"), "evidence", ["casualty_report_id"], unique=False
    )
    op.create_index(op.f("ix_evidence_incident_id"), "evidence", ["incident_id"], unique=False)
    op.create_index(
        op.f("ix_evidence_mission_contributor_id"),
        "evidence",
        ["mission_contributor_id"],
        unique=False,
    )
    op.create_index(op.f("ix_evidence_mission_id"), "evidence", ["mission_id"], unique=False)
    op.create_index(
        op.f("ix_evidence_organisation_id"), "evidence", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_evidence_person_id"), "evidence", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_evidence_person_role_id"), "evidence", ["person_role_id"], unique=False
    )
    op.create_index(op.f("ix_evidence_place_id"), "evidence", ["place_id"], unique=False)
    op.create_index(op.f("ix_evidence_seed_file_id"), "evidence", ["seed_file_id"], unique=False)
    op.create_index(op.f("ix_evidence_source_id"), "evidence", ["source_id"], unique=False)
    op.create_index(op.f("ix_evidence_statement_id"), "evidence", ["statement_id"], unique=False)
    op.create_index(
        op.f("ix_evidence_timeline_entry_id"), "evidence", ["timeline_entry_id"], unique=False
    )
    _seed_vocabularies()


def downgrade() -> None:
    op.drop_table("evidence")
    op.drop_table("timeline_entry")
    op.drop_table("statement")
    op.drop_table("mission_incident")
    op.drop_table("mission_contributor")
    op.drop_table("casualty_report")
    op.drop_table("source")
    op.drop_table("person_role")
    op.drop_table("organisation_alias")
    op.drop_table("mission")
    op.drop_table("incident_place")
    op.drop_table("organisation")
    op.drop_table("incident")
    op.drop_table("place")
    op.drop_table("person")
    op.drop_table("timeline_kind")
    op.drop_table("seed_file")
    op.drop_table("qualifier")
    op.drop_table("place_kind")
    op.drop_table("organisation_kind")
    op.drop_table("mission_kind")
    op.drop_table("incident_type")
    op.drop_table("casualty_category")
