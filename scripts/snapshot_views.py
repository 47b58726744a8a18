"""Write incidentdb/views/NAME.sql for every view in the `reporting` schema of a database.

    createdb -h 127.0.0.1 -U postgres snapshot
    INCIDENTDB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/snapshot incidentdb db upgrade
    python scripts/snapshot_views.py postgresql://postgres@127.0.0.1:5432/snapshot

Each file gets the definition PostgreSQL holds (pg_get_viewdef, pretty-printed), the view's
comment and its columns' comments, in column order. Files of views the database does not have
are removed. After this, the files are the source; the script is for re-basing them on what a
migrated database holds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import psycopg

from incidentdb.views import FOLDER, SCHEMA, ViewFile

QUERY = """
SELECT c.relname, pg_get_viewdef(c.oid, true), obj_description(c.oid, 'pg_class'),
       a.attname, col_description(c.oid, a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = %s AND c.relkind = 'v'
ORDER BY c.relname, a.attnum
"""


def snapshot(url: str) -> list[ViewFile]:
    views: dict[str, ViewFile] = {}
    with psycopg.connect(url) as conn:
        for name, definition, comment, column, column_comment in conn.execute(QUERY, (SCHEMA,)):
            if name not in views:
                views[name] = ViewFile(name, definition.rstrip().rstrip(";"), comment or "", {})
            views[name].columns[column] = column_comment or ""
    return list(views.values())


def write(views: list[ViewFile], folder: Path) -> None:
    names = {v.name for v in views}
    for stale in folder.glob("*.sql"):
        if stale.stem not in names:
            stale.unlink()
    for view in views:
        (folder / f"{view.name}.sql").write_text(view.text(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("url", help="libpq URL of a database migrated to head")
    parser.add_argument("--folder", type=Path, default=FOLDER)
    args = parser.parse_args(argv)
    views = snapshot(args.url)
    if not views:
        print(f"no view in schema {SCHEMA}: is the database migrated?", file=sys.stderr)
        return 1
    write(views, args.folder)
    print(f"wrote {len(views)} view files to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
