"""The read-only login for BI tools: creating a reader role (bi/roster.py lists and drops them).

BI tools (Metabase, Superset, Tableau, Power BI, Grafana) log in as a reader role that can
read the views in the `reporting` schema and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from incidentdb.bi.driver import driver_connection, scalar
from incidentdb.bi.privileges import CORE_SCHEMA as CORE_SCHEMA
from incidentdb.bi.privileges import REPORTING_SCHEMA as REPORTING_SCHEMA
from incidentdb.bi.privileges import (
    admin_sql,
    close_public_functions,
    close_public_grants,
    grant_reading,
    leaks,
)
from incidentdb.db.reader_limits import READER_COMMENT as READER_COMMENT
from incidentdb.errors import UPGRADE_HINT, IncidentdbError, SchemaError

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Connection

READER_PASSWORD_ENV = "INCIDENTDB_READER_PASSWORD"
# The data dictionary (bi/dictionary.py) takes it from here.
_driver_connection = driver_connection

# Lower-case identifiers only, so the name a BI tool is given is the name PostgreSQL stores.
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_RESERVED_ROLES = frozenset({"public", "none", "current_user", "session_user", "current_role"})
DEFAULT_STATEMENT_TIMEOUT = "5min"
DEFAULT_IDLE_TIMEOUT = "1min"
_DURATION = re.compile(r"^([0-9]{1,9})\s*(ms|s|min|h|d)?$")


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
    statement_timeout: str = DEFAULT_STATEMENT_TIMEOUT
    idle_timeout: str = DEFAULT_IDLE_TIMEOUT
    # Other databases of the server the role can connect to (PUBLIC's CONNECT right there).
    other_databases: list[str] = field(default_factory=list)


def validate_duration(value: str, setting: str) -> str:
    """A PostgreSQL duration such as 30s, 5min or 1h (no unit: milliseconds), above zero."""
    found = _DURATION.match(value.strip())
    if not found or int(found.group(1)) == 0:
        raise BiError(
            f"{setting}: expected a duration above zero such as 500ms, 30s, 5min or 1h, "
            f"got {value!r}"
        )
    return f"{int(found.group(1))}{found.group(2) or 'ms'}"


def create_reader(
    connection: Connection,
    name: str,
    password: str,
    statement_timeout: str = DEFAULT_STATEMENT_TIMEOUT,
    idle_timeout: str = DEFAULT_IDLE_TIMEOUT,
) -> Reader:
    """Create or update the LOGIN role `name` that can read the reporting views and nothing else.

    The password is hashed on the client (SCRAM-SHA-256, as psql's \\password does), so the
    server and its logs never see it. The role's queries end after statement_timeout and its
    sessions after idle_timeout idle in a transaction (defaults a client can lower, or raise
    with SET: PostgreSQL has no setting a role cannot change; while `db serve` serves, its
    watchdog enforces them, see incidentdb.db.reader_limits). In this database, PUBLIC loses
    TEMP and the large-object and advisory-lock functions (writers keep them by grant).
    The caller owns the transaction.
    """
    validate_role_name(name)
    statement_timeout = validate_duration(statement_timeout, "statement_timeout")
    idle_timeout = validate_duration(idle_timeout, "idle_in_transaction_session_timeout")
    if not password:
        raise BiError("the password is empty; a reader needs a password to log in over TCP")
    conn = driver_connection(connection)
    schema_owner = _reporting_schema_owner(conn)
    database = str(scalar(conn, "SELECT current_database()"))
    created = _login_role(conn, name)
    _set_password(conn, name, password)
    _mark_and_limit(conn, name, statement_timeout, idle_timeout)
    writers = grant_reading(conn, name, schema_owner)
    notes = close_public_grants(conn, name)
    notes += close_public_functions(conn, name, writers)
    _refuse_leaks(conn, name, database)
    return Reader(
        name=name,
        database=database,
        created=created,
        notes=notes,
        statement_timeout=statement_timeout,
        idle_timeout=idle_timeout,
        other_databases=_other_databases(conn, name),
    )


def _reporting_schema_owner(conn: psycopg.Connection[Any]) -> str:
    """The owner of the reporting schema; SchemaError when there is none yet."""
    owner = scalar(
        conn,
        "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s",
        (REPORTING_SCHEMA,),
    )
    if owner is None:
        raise SchemaError(f"the database has no reporting views yet; {UPGRADE_HINT}")
    return str(owner)


def _login_role(conn: psycopg.Connection[Any], name: str) -> bool:
    """Create the LOGIN role, or let an existing (safe) one log in; True if created."""
    from psycopg import sql

    role = sql.Identifier(name)
    if _check_existing_role(conn, name):
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(role))
        return False
    # A new role gets PostgreSQL's defaults: no superuser, CREATEDB, CREATEROLE,
    # REPLICATION or BYPASSRLS.
    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
    return True


def _set_password(conn: psycopg.Connection[Any], name: str, password: str) -> None:
    """Set the password as a SCRAM-SHA-256 verifier made here: the server never sees it."""
    from psycopg import sql

    verifier = conn.pgconn.encrypt_password(
        password.encode(), name.encode(), b"scram-sha-256"
    ).decode("ascii")
    conn.execute("SET LOCAL password_encryption = 'scram-sha-256'")
    conn.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(verifier))
    )


def _mark_and_limit(
    conn: psycopg.Connection[Any], name: str, statement_timeout: str, idle_timeout: str
) -> None:
    """Mark the role as a reader (its comment) and set its time limits on it."""
    from psycopg import sql

    role = sql.Identifier(name)
    conn.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(role, sql.Literal(READER_COMMENT)))
    for setting, value in (
        ("statement_timeout", statement_timeout),
        ("idle_in_transaction_session_timeout", idle_timeout),
    ):
        conn.execute(
            sql.SQL("ALTER ROLE {} SET {} = {}").format(
                role, sql.Identifier(setting), sql.Literal(value)
            )
        )


def _refuse_leaks(conn: psycopg.Connection[Any], name: str, database: str) -> None:
    """BiError, saying what an administrator must run, if the role could do more than read."""
    found = leaks(conn, name)
    if found:
        user = scalar(conn, "SELECT current_user")
        raise BiError(
            f"role {name!r} could still {'; '.join(found)}; those rights come from grants that "
            f"{user} cannot revoke (a superuser or the database owner can): ask them to run, in "
            f"database {database}: {'; '.join(admin_sql(conn, name, database))}; then run "
            "create-reader again. Nothing was changed"
        )


def _other_databases(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """The server's other databases the role may connect to (PUBLIC's CONNECT right there)."""
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database()"
        " AND has_database_privilege(%s, datname, 'CONNECT') ORDER BY 1",
        (name,),
    ).fetchall()
    return [row[0] for row in rows]


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
