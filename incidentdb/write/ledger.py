"""The ledger of loaded files (seed_file): what is loaded, under which identity, from where,
with which content hash; registering files before a load, and withdrawing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidentdb.write.bulk import BulkLoader, Changes

if TYPE_CHECKING:
    import psycopg


def ledger_state(conn: psycopg.Connection[Any], identities: list[str]) -> dict[str, str]:
    """The content hash the ledger holds for each of these file identities."""
    return dict(
        conn.execute(
            "SELECT identity, content_hash FROM seed_file WHERE identity = ANY(%s)",
            (identities,),
        ).fetchall()
    )


def held_locations(conn: psycopg.Connection[Any], locations: list[str]) -> dict[str, str]:
    """The content hash the ledger holds for each of these absolute paths."""
    return dict(
        conn.execute(
            "SELECT location, content_hash FROM seed_file WHERE location = ANY(%s)",
            (locations,),
        ).fetchall()
    )


@dataclass(frozen=True)
class LedgerFile:
    identity: str
    kind: str
    content_hash: str
    location: str | None = None
    legacy: str | None = None  # the name it had in the ledger before identities


def register_files(conn: psycopg.Connection[Any], files: list[LedgerFile]) -> dict[str, int]:
    """Upsert ledger rows; their ids by identity. A file loaded before identities existed
    (ledger name legacy:PATH) is re-keyed to its identity, keeping its rows."""
    ids: dict[str, int] = {}
    for f in files:
        if f.legacy is not None:
            conn.execute(
                "UPDATE seed_file SET identity = %s WHERE identity = %s AND kind = %s "
                "AND NOT EXISTS (SELECT 1 FROM seed_file WHERE identity = %s)",
                (f.identity, f"legacy:{f.legacy}", f.kind, f.identity),
            )
        row = conn.execute(
            """
            INSERT INTO seed_file (identity, kind, content_hash, location, row_count)
            VALUES (%s, %s, %s, %s, 0)
            ON CONFLICT (identity) DO UPDATE SET kind = excluded.kind,
                content_hash = excluded.content_hash,
                location = coalesce(excluded.location, seed_file.location), loaded_at = now()
            RETURNING id
            """,
            (f.identity, f.kind, f.content_hash, f.location),
        ).fetchone()
        assert row is not None
        ids[f.identity] = row[0]
    return ids


def forget(conn: psycopg.Connection[Any], file_ids: list[int]) -> list[str]:
    """Delete ledger rows (their claims go with them); what they were, for the report."""
    rows = conn.execute(
        "DELETE FROM seed_file WHERE id = ANY(%s) RETURNING coalesce(location, identity)",
        (file_ids,),
    ).fetchall()
    return sorted(r[0] for r in rows)


def withdraw(conn: psycopg.Connection[Any], identities: list[str]) -> dict[str, Changes]:
    """Remove these files from the ledger and every row no other loaded file still defines;
    the caller holds the lock and owns the transaction."""
    file_ids = dict(
        conn.execute(
            "SELECT identity, id FROM seed_file WHERE identity = ANY(%s)", (identities,)
        ).fetchall()
    )
    tables = BulkLoader(conn, file_ids).apply()
    forget(conn, list(file_ids.values()))
    return tables
