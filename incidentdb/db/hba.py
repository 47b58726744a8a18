"""The pg_hba.conf rules `db serve` adds for as long as it serves, and their removal."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from incidentdb.db.embedded import DATABASE_NAME

# The rules `db serve` puts ahead of initdb's for as long as it serves (the first matching line
# wins): over TCP, password logins (SCRAM-SHA-256) to the incidentdb database only, over TLS
# only when serving with --tls; everything else over TCP is rejected. The local socket keeps
# initdb's `trust`, as incidentdb itself uses it.
HBA_BEGIN = "# incidentdb db serve: begin (removed when serving stops)"
HBA_END = "# incidentdb db serve: end"
# Written by earlier versions, which left their rules in place: removed as well.
HBA_MARKER = "# incidentdb db serve: TCP logins need a password (SCRAM-SHA-256)."
LEGACY_RULES = (
    "host    all             all             127.0.0.1/32            scram-sha-256",
    "host    all             all             ::1/128                 scram-sha-256",
    "host    all             all             all                     scram-sha-256",
    "host    replication     all             all                     scram-sha-256",
)


def hba_rules(database: str = DATABASE_NAME, tls: bool = False) -> list[str]:
    kind = "hostssl" if tls else "host"
    return [
        f"{kind:<8}{database:<16}all             all                     scram-sha-256",
        "host    all             all             all                     reject",
        "host    replication     all             all                     reject",
    ]


def require_password_logins(pgdata: Path, tls: bool = False) -> bool:
    """Put the serving rules ahead of pg_hba.conf's others; True if the file changed.

    Takes effect at the next server start or reload; remove_serving_rules undoes it.
    """
    path = pgdata / "pg_hba.conf"
    text = _without_serving_rules(path.read_text())
    lines = text.splitlines(keepends=True)
    first_rule = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
        len(lines),
    )
    block = [HBA_BEGIN + "\n", *(rule + "\n" for rule in hba_rules(tls=tls)), HBA_END + "\n"]
    new = "".join(lines[:first_rule] + block + lines[first_rule:])
    if new == path.read_text():
        return False
    _rewrite(path, new)
    return True


def remove_serving_rules(pgdata: Path) -> bool:
    """Take the serving rules out of pg_hba.conf; True if the file changed."""
    path = pgdata / "pg_hba.conf"
    try:
        text = path.read_text()
    except FileNotFoundError:
        return False
    new = _without_serving_rules(text)
    if new == text:
        return False
    _rewrite(path, new)
    return True


def _rewrite(path: Path, text: str) -> None:
    """Replace the file at once, so a reader (the server reloading, `db status`) never sees it
    half-written; the new file keeps the old one's mode and owner (the server's system user)."""
    old = path.stat()
    temporary = path.with_name(path.name + ".incidentdb-new")
    temporary.write_text(text)
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        os.chown(temporary, old.st_uid, old.st_gid)
    os.replace(temporary, path)


def _without_serving_rules(text: str) -> str:
    out: list[str] = []
    skipping = False
    legacy = False
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if stripped == HBA_BEGIN:
            skipping = True
            continue
        if skipping:
            skipping = stripped != HBA_END
            continue
        if stripped == HBA_MARKER:
            legacy = True
            continue
        if legacy:
            if stripped in LEGACY_RULES:
                continue
            legacy = False
            if not stripped.strip():
                continue  # the blank line after the old block
        out.append(line)
    return "".join(out)
