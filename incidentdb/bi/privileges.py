"""What a reader role may do: the grants it gets, what PUBLIC loses for it, what it could still do.

A reader reads the views in the `reporting` schema and nothing else: no core tables, no DDL,
no temporary tables, no large objects (they outlive the session) and no advisory locks (they
would hold the writers up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidentdb.bi.driver import scalar

if TYPE_CHECKING:
    import psycopg

REPORTING_SCHEMA = "reporting"
CORE_SCHEMA = "public"
_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"

# Functions PUBLIC may run that let a reader write (large objects persist after logout) or
# hold the writers up (advisory locks). pg_proc is per database: revoked in this one only.
_FUNCTIONS = """
    SELECT p.oid::regprocedure::text, p.proname LIKE '%%advisory%%'
    FROM pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND (p.proname LIKE 'lo\\_%%' OR p.proname IN ('loread', 'lowrite')
           OR p.proname LIKE 'pg\\_advisory%%' OR p.proname LIKE 'pg\\_try\\_advisory%%')
      AND has_function_privilege(%s, p.oid, 'EXECUTE')
    ORDER BY 1
"""

# What the reader gets and loses itself, in this database.
_READER_GRANTS = (
    "GRANT CONNECT ON DATABASE {db} TO {role}",
    "GRANT USAGE ON SCHEMA {reporting} TO {role}",
    "GRANT SELECT ON ALL TABLES IN SCHEMA {reporting} TO {role}",
    "REVOKE ALL ON ALL TABLES IN SCHEMA {core} FROM {role}",
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {core} FROM {role}",
    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {core} FROM {role}",
    "REVOKE CREATE ON SCHEMA {core} FROM {role}",
    "REVOKE CREATE ON SCHEMA {reporting} FROM {role}",
    "REVOKE CREATE, TEMPORARY ON DATABASE {db} FROM {role}",
)


def grant_reading(conn: psycopg.Connection[Any], name: str, schema_owner: str) -> list[str]:
    """Let the role `name` read the reporting views, and nothing else of its own rights.

    Views that later migrations create (as the schema's owner, or as the user running this)
    are readable without granting again. The writers: the roles that run migrations and
    loads (those creators and the database's owner).
    """
    from psycopg import sql

    role = sql.Identifier(name)
    db = sql.Identifier(str(scalar(conn, "SELECT current_database()")))
    reporting = sql.Identifier(REPORTING_SCHEMA)
    core = sql.Identifier(CORE_SCHEMA)
    for statement in _READER_GRANTS:
        conn.execute(sql.SQL(statement).format(db=db, role=role, reporting=reporting, core=core))
    creators = {str(scalar(conn, "SELECT current_user"))}
    if scalar(conn, "SELECT pg_has_role(%s, 'MEMBER')", (schema_owner,)):
        creators.add(schema_owner)
    for creator in sorted(creators):
        conn.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
            ).format(sql.Identifier(creator), reporting, role)
        )
    owner = scalar(
        conn, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
    )
    return sorted(creators | {str(owner)})


def _writers_need(conn: psycopg.Connection[Any], writers: list[str]) -> list[str]:
    """The writers that are not superusers (superusers need no grant)."""
    return [
        w
        for w in writers
        if not scalar(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = %s", (w,))
    ]


def close_public_functions(
    conn: psycopg.Connection[Any], name: str, writers: list[str]
) -> list[str]:
    """Revoke TEMP and the large-object and advisory-lock functions from PUBLIC, here only.

    The writers (who run migrations and loads: the schema's and the database's owners and the
    user creating the reader) keep them by a grant of their own: loads stage rows in temporary
    tables, and migrations take an advisory lock before the first one.
    """
    from psycopg import sql

    notes = []
    database = str(scalar(conn, "SELECT current_database()"))
    need = _writers_need(conn, writers)
    if scalar(conn, "SELECT has_database_privilege(%s, current_database(), 'TEMP')", (name,)):
        conn.execute(
            sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
        )
        for writer in need:
            conn.execute(
                sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
                    sql.Identifier(database), sql.Identifier(writer)
                )
            )
        if not scalar(
            conn, "SELECT has_database_privilege(%s, current_database(), 'TEMP')", (name,)
        ):
            notes.append(
                f"revoked TEMPORARY on database {database} from PUBLIC"
                + (f" (granted to {', '.join(need)}, who load data)" if need else "")
            )
    functions = conn.execute(_FUNCTIONS, (name,)).fetchall()
    for signature, advisory in functions:
        conn.execute(
            sql.SQL("REVOKE EXECUTE ON FUNCTION {} FROM PUBLIC").format(sql.SQL(signature))
        )
        if advisory:
            for writer in need:
                conn.execute(
                    sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
                        sql.SQL(signature), sql.Identifier(writer)
                    )
                )
    if functions and not conn.execute(_FUNCTIONS, (name,)).fetchall():
        notes.append(
            f"revoked EXECUTE on the large-object and advisory-lock functions from PUBLIC in "
            f"database {database}"
        )
    return notes


def admin_sql(conn: psycopg.Connection[Any], name: str, database: str) -> list[str]:
    """The statements that would take from PUBLIC what the reader still has through it."""
    from psycopg import sql

    statements = []
    if scalar(conn, "SELECT has_database_privilege(%s, current_database(), 'TEMP')", (name,)):
        statements.append(
            sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC")
            .format(sql.Identifier(database))
            .as_string(conn)
        )
    functions = [signature for signature, _ in conn.execute(_FUNCTIONS, (name,)).fetchall()]
    if functions:
        statements.append(f"REVOKE EXECUTE ON FUNCTION {', '.join(functions)} FROM PUBLIC")
    return statements or ["REVOKE ALL ON the objects named above FROM PUBLIC"]


def close_public_grants(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """Revoke from PUBLIC what would let the reader write or see core tables anyway."""
    from psycopg import sql

    notes = []
    if scalar(conn, "SELECT has_schema_privilege(%s, %s, 'CREATE')", (name, CORE_SCHEMA)):
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


def leaks(conn: psycopg.Connection[Any], name: str) -> list[str]:
    """What the reader can still do beyond reading the reporting views, in words."""
    found = [
        f"{privilege.lower()} on schema {schema}"
        for schema in (CORE_SCHEMA, REPORTING_SCHEMA)
        for privilege in ("CREATE",)
        if scalar(conn, "SELECT has_schema_privilege(%s, %s, %s)", (name, schema, privilege))
    ]
    if scalar(conn, "SELECT has_database_privilege(%s, current_database(), 'CREATE')", (name,)):
        found.append("create schemas in the database")
    if scalar(conn, "SELECT has_database_privilege(%s, current_database(), 'TEMP')", (name,)):
        found.append("create temporary tables in the database")
    functions = conn.execute(_FUNCTIONS, (name,)).fetchall()
    large = [f for f, advisory in functions if not advisory]
    if large:
        found.append(
            f"write large objects ({', '.join(large[:3])}{', …' if len(large) > 3 else ''})"
        )
    if any(advisory for _, advisory in functions):
        found.append("take advisory locks")
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
        found.append(f"use {relation}")
    return found
