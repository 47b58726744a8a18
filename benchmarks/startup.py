"""How fast the CLI starts: medians of N runs (a subprocess's wall time) and their ratios.

    python benchmarks/startup.py [-n 20] [--database-url URL]

1. `incidentdb --help` against `python -c "import click"`. Target: at most 2x.
2. `incidentdb report casualties --format json` on a database holding seeds/, against a minimal
   script that imports SQLAlchemy, connects and runs one query. Target: at most 1.5x.

Without --database-url the report runs where it runs by default, on the embedded PostgreSQL:
a throwaway one in a temporary INCIDENTDB_HOME, migrated and loaded with seeds/, started once
and left running for the runs (as between a user's commands), and stopped at the end. With
--database-url, that database is migrated and loaded with seeds/ first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

CLICK = "python -c 'import click'"
HELP = "incidentdb --help"
QUERY = "SQLAlchemy: import, connect, one query"
REPORT = "incidentdb report casualties --format json"
MINIMAL_QUERY = """
import sys
import sqlalchemy
engine = sqlalchemy.create_engine(sys.argv[1])
with engine.connect() as conn:
    rows = conn.execute(sqlalchemy.text("SELECT * FROM reporting.casualty_reports")).all()
print(len(rows))
"""


def incidentdb() -> list[str]:
    """The console script next to this Python if installed, else `python -m incidentdb`."""
    script = Path(sys.executable).with_name("incidentdb")
    return [str(script)] if script.exists() else [sys.executable, "-m", "incidentdb"]


def median_ms(command: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time of `command` in milliseconds, after one warm-up run."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
        if i:
            times.append(elapsed * 1000)
    return statistics.median(times)


def prepare(env: dict[str, str]) -> None:
    """Migrate the database and load seeds/ (idempotent)."""
    for args in (["db", "upgrade"], ["seed", "load", str(SEEDS)]):
        done = subprocess.run([*incidentdb(), *args], env=env, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"incidentdb {' '.join(args)} failed:\n{done.stderr.decode()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed runs per command")
    parser.add_argument("--database-url", help="a PostgreSQL server instead of the embedded one")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="incidentdb-bench-"))
    env = dict(os.environ, INCIDENTDB_HOME=str(home), INCIDENTDB_DATABASE_URL="")
    try:
        if args.database_url:
            from incidentdb.db.settings import normalise_url

            url = normalise_url(args.database_url)
            env["INCIDENTDB_DATABASE_URL"] = url
        else:
            from incidentdb.db.embedded import ensure_server

            url = ensure_server(home)
        prepare(env)

        rows = [
            (CLICK, [sys.executable, "-c", "import click"]),
            (HELP, [*incidentdb(), "--help"]),
            (QUERY, [sys.executable, "-c", MINIMAL_QUERY, url]),
            (REPORT, [*incidentdb(), "report", "casualties", "--format", "json"]),
        ]
        medians = {label: median_ms(command, args.runs, env) for label, command in rows}
    finally:
        if not args.database_url:
            from incidentdb.db.embedded import stop_server

            stop_server(home)
        shutil.rmtree(home, ignore_errors=True)

    where = "a server URL" if args.database_url else "the embedded PostgreSQL, already running"
    print(f"Medians of {args.runs} runs (wall time of a subprocess); database: {where}.")
    for label, _ in rows:
        print(f"  {label:<45} {medians[label]:8.1f} ms")
    for label, baseline, target in [(HELP, CLICK, 2.0), (REPORT, QUERY, 1.5)]:
        ratio = medians[label] / medians[baseline]
        verdict = "ok" if ratio <= target else "over target"
        print(f"  {label} / {baseline}: {ratio:.2f}x (target <= {target}x: {verdict})")


if __name__ == "__main__":
    main()
