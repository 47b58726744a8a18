"""The BI side: a read-only login for BI tools, and the data dictionary from the catalog.

BI tools (Metabase, Superset, Tableau, Power BI, Grafana) log in as a reader role that can
read the views in the `reporting` schema and nothing else. The data dictionary is generated
from the comments PostgreSQL holds on every view, table and column, so it cannot drift from the
schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from incidentdb.errors import IncidentdbError, SchemaError

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Connection

REPORTING_SCHEMA = "reporting"
CORE_SCHEMA = "public"
READER_PASSWORD_ENV = "INCIDENTDB_READER_PASSWORD"

# Lower-case identifiers only, so the name a BI tool is given is the name PostgreSQL stores.
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_RESERVED_ROLES = frozenset({"public", "none", "current_user", "session_user", "current_role"})
_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


class BiError(IncidentdbError):
    """The reader role cannot be created or made read-only as asked."""


class InvalidRoleName(BiError):
    """The name is not one a reader role can have."""


def validate_role_name(name: str) -> str:
    """The name itself if a reader role can have it; InvalidRoleName otherwise."""
    if not _ROLE_NAME.match(name):
        raise InvalidRoleName(
            f"{name!r} is not a valid role name: use 1 to 63 lower-case letters, digits and "
            "underscores, starting with a letter or underscore (e.g. metabase_reader)"
        )
    if name.startswith("pg_") or name in _RESERVED_ROLES:
        raise InvalidRoleName(f"{name!r} is reserved by PostgreSQL; choose another role name")
    return name


@dataclass(frozen=True)
class Reader:
    """What create_reader did."""

    name: str
    database: str
    created: bool  # False when an existing role was updated
    notes: list[str] = field(default_factory=list)  # changes made beyond the reader itself


def create_reader(connection: Connection, name: str, password: str) -> Reader:
    """Create or update the LOGIN role `name` that can read the reporting views and nothing else.

    The password is hashed on the client (SCRAM-SHA-256, as psql's \\password does), so the
    server and its logs never see it. The caller owns the transaction.
    """
    from psycopg import sql

    validate_role_name(name)
    if not password:
        raise BiError("the password is empty; a reader needs a password to log in over TCP")
    conn = _driver_connection(connection)
    role = sql.Identifier(name)

    schema_owner = _scalar(
        conn,
        "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s",
        (REPORTING_SCHEMA,),
    )
    if schema_owner is None:
        raise SchemaError(
            "the database has no reporting views yet; run `incidentdb db upgrade` first"
        )
    database = str(_scalar(conn, "SELECT current_database()"))
    db = sql.Identifier(database)

    created = not _check_existing_role(conn, name)
    if created:
        # A new role gets PostgreSQL's defaults: no superuser, CREATEDB, CREATEROLE,
        # REPLICATION or BYPASSRLS.
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
    else:
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(role))

    verifier = conn.pgconn.encrypt_password(
        password.encode(), name.encode(), b"scram-sha-256"
    ).decode("ascii")
    conn.execute("SET LOCAL password_encryption = 'scram-sha-256'")
    conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(verifier)))

    reporting = sql.Identifier(REPORTING_SCHEMA)
    core = sql.Identifier(CORE_SCHEMA)
    for statement in (
        "GRANT CONNECT ON DATABASE {db} TO {role}",
        "GRANT USAGE ON SCHEMA {reporting} TO {role}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA {reporting} TO {role}",
        "REVOKE ALL ON ALL TABLES IN SCHEMA {core} FROM {role}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {core} FROM {role}",
        "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {core} FROM {role}",
        "REVOKE CREATE ON SCHEMA {core} FROM {role}",
        "REVOKE CREATE ON SCHEMA {reporting} FROM {role}",
        "REVOKE CREATE, TEMPORARY ON DATABASE {db} FROM {role}",
    ):
        conn.execute(sql.SQL(statement).format(db=db, role=role, reporting=reporting, core=core))

    # Views that later migrations create (as the schema's owner) are readable without
    # running create-reader again.
    creators = {str(_scalar(conn, "SELECT current_user"))}
    if _scalar(conn, "SELECT pg_has_role(%s, 'MEMBER')", (schema_owner,)):
        creators.add(schema_owner)
    for creator in sorted(creators):
        conn.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
            ).format(sql.Identifier(creator), reporting, role)
        )

    notes = _close_public_grants(conn, name)
    leaks = _leaks(conn, name)
    if leaks:
        raise BiError(
            f"role {name!r} could still {', '.join(leaks)}; those rights come from grants this "
            "user cannot revoke; ask the database owner to revoke them"
        )
    return Reader(name=name, database=database, created=created, notes=notes)


def _check_existing_role(conn: psycopg.Connection[Any], name: str) -> bool:
    """True if the role exists (and is safe to turn into a reader); BiError if it is not safe."""
    row = conn.execute(
        """
        SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
                   OR r.rolbypassrls,
               r.rolname = current_user,
               ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                     WHERE m.member = r.oid ORDER BY g.rolname),
               EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid)
                   OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspowner = r.oid)
                   OR EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)
        FROM pg_roles r WHERE r.rolname = %s
        """,
        (name,),
    ).fetchone()
    if row is None:
        return False
    privileged, is_current, member_of, owns = row
    if is_current:
        raise BiError(f"{name!r} is the role you are connected as; choose another name")
    if privileged:
        raise BiError(
            f"role {name!r} exists with superuser, CREATEDB, CREATEROLE, REPLICATION or "
            "BYPASSRLS rights; a reader must have none: choose another name"
        )
    if member_of:
        raise BiError(
            f"role {name!r} exists and is a member of {', '.join(member_of)}, whose rights it "
            "can use; choose another name"
        )
    if owns:
        raise BiError(f"role {name!r} owns databases, schemas or tables; choose another name")
    return True


def _close_public_grants(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """Revoke from PUBLIC what would let the reader write or see core tables anyway."""
    from psycopg import sql

    notes = []
    if _scalar(conn, "SELECT has_schema_privilege(%s, %s, 'CREATE')", (name, CORE_SCHEMA)):
        # PostgreSQL before 15 lets every role create tables in public.
        conn.execute(
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(sql.Identifier(CORE_SCHEMA))
        )
        notes.append(f"revoked CREATE on schema {CORE_SCHEMA} from PUBLIC")
    for (table,) in conn.execute(
        """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND has_table_privilege(%s, c.oid, %s)
        ORDER BY c.relname
        """,
        (CORE_SCHEMA, name, _TABLE_PRIVILEGES),
    ).fetchall():
        conn.execute(
            sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC").format(sql.Identifier(CORE_SCHEMA, table))
        )
        notes.append(f"revoked all privileges on {CORE_SCHEMA}.{table} from PUBLIC")
    return notes


def _leaks(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """What the reader can still do beyond reading the reporting views, in words."""
    leaks = [
        f"{privilege.lower()} on schema {schema}"
        for schema in (CORE_SCHEMA, REPORTING_SCHEMA)
        for privilege in ("CREATE",)
        if _scalar(conn, "SELECT has_schema_privilege(%s, %s, %s)", (name, schema, privilege))
    ]
    if _scalar(conn, "SELECT has_database_privilege(%s, current_database(), 'CREATE')", (name,)):
        leaks.append("create schemas in the database")
    for (relation,) in conn.execute(
        """
        SELECT n.nspname || '.' || c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN (%s, %s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(%s, c.oid, 'USAGE, UPDATE')
                   WHEN n.nspname = %s THEN has_table_privilege(%s, c.oid, %s)
                   ELSE has_table_privilege(%s, c.oid, %s) END
        ORDER BY 1
        """,
        (
            CORE_SCHEMA,
            REPORTING_SCHEMA,
            name,
            CORE_SCHEMA,
            name,
            _TABLE_PRIVILEGES,
            name,
            "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER",
        ),
    ).fetchall():
        leaks.append(f"use {relation}")
    return leaks


def reader_privileges(connection: Connection, name: str) -> list[str]:
    """What the role can do beyond reading the reporting views; [] for a proper reader."""
    return _leaks(_driver_connection(connection), validate_role_name(name))


@dataclass(frozen=True)
class Login:
    """How a BI tool reaches the database as the reader."""

    host: str
    port: int
    database: str
    user: str
    schema: str
    local_socket: bool  # the URL names a Unix socket: the embedded server, not yet served

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{_url_host(self.host)}:{self.port}/{self.database}"

    @property
    def libpq_url(self) -> str:
        return f"postgresql://{self.user}@{_url_host(self.host)}:{self.port}/{self.database}"


def login_details(url: str, user: str, tcp_host: str, tcp_port: int) -> Login:
    """The login for `user` on the database at `url`.

    A Unix-socket URL (the embedded server) is reached over TCP through `incidentdb db serve`,
    at tcp_host:tcp_port.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    query_host = parsed.query.get("host")
    host = parsed.host or (query_host if isinstance(query_host, str) else None) or "localhost"
    local_socket = host.startswith("/")
    port = parsed.port or 5432
    if local_socket:
        host, port = tcp_host, tcp_port
    return Login(
        host=host,
        port=port,
        database=parsed.database or "",
        user=user,
        schema=REPORTING_SCHEMA,
        local_socket=local_socket,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    comment: str | None


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    kind: str  # view, table, materialized view, partitioned table, foreign table
    comment: str | None
    columns: list[Column]


_KINDS = {
    "r": "table",
    "v": "view",
    "m": "materialized view",
    "p": "partitioned table",
    "f": "foreign table",
}


def data_dictionary(connection: Connection) -> list[Relation]:
    """Every reporting view, then every core table, with their columns and comments."""
    conn = _driver_connection(connection)
    rows = conn.execute(
        """
        SELECT n.nspname, c.relname, c.relkind::text, obj_description(c.oid, 'pg_class'),
               a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               col_description(c.oid, a.attnum)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname IN (%(reporting)s, %(core)s)
          AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND NOT (n.nspname = %(core)s AND c.relname = 'alembic_version')
        ORDER BY n.nspname <> %(reporting)s, n.nspname, c.relname, a.attnum
        """,
        {"reporting": REPORTING_SCHEMA, "core": CORE_SCHEMA},
    ).fetchall()
    relations: list[Relation] = []
    for schema, name, kind, comment, column, type_, nullable, column_comment in rows:
        if not relations or (relations[-1].schema, relations[-1].name) != (schema, name):
            relations.append(Relation(schema, name, _KINDS[kind], comment, []))
        relations[-1].columns.append(Column(column, type_, nullable, column_comment))
    return relations


def dictionary_json(relations: list[Relation]) -> str:
    return json.dumps([asdict(r) for r in relations], indent=2, ensure_ascii=False)


def dictionary_markdown(relations: list[Relation]) -> str:
    lines = [
        "# incidentdb data dictionary",
        "",
        f"Generated from the comments in the database. The views in `{REPORTING_SCHEMA}` are "
        f"for BI tools and analysts; the tables in `{CORE_SCHEMA}` hold the data they read.",
    ]
    for relation in relations:
        lines += [
            "",
            f"## {relation.schema}.{relation.name} ({relation.kind})",
            "",
            _cell(relation.comment) or "_No description._",
            "",
            "| Column | Type | Nullable | Description |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.name} | {c.type} | {'yes' if c.nullable else 'no'} | {_cell(c.comment)} |"
            for c in relation.columns
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _driver_connection(connection: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under a SQLAlchemy one, in the same transaction."""
    import psycopg

    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise TypeError(f"incidentdb needs a psycopg 3 connection, got {type(raw).__name__}")
    return raw


def _scalar(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]
