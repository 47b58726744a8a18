"""incidentdb benchmarks: one command, one table of figures measured in the same run.

    python benchmarks/run.py            # 100,000-row import and seed, reports at 10k / 100k
    python benchmarks/run.py --full     # adds the 1,000,000-row import, reports at ~1M

Runs on a fresh embedded PostgreSQL in a temporary INCIDENTDB_HOME (or, with --server-url,
in a fresh database created on that server and dropped afterwards). Every ratio compares two
figures taken in this run on this database; times are medians of --repeat runs where cheap
(reports), single runs where not (imports). Nothing here asserts: it prints.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import write_acled, write_seed  # noqa: E402


def cli(env: dict[str, str], *args: str) -> tuple[float, int]:
    """Run `python -m incidentdb ARGS`; (wall seconds, peak RSS of the child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "incidentdb", *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"incidentdb {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(before, after) // 1024


def psql_url(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "incidentdb", "db", "url", "--show-password"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return out.replace("postgresql+psycopg://", "postgresql://", 1)


def copy_baseline(url: str, path: Path) -> float:
    """COPY the file into an unlogged table of text columns: the physical floor."""
    import psycopg

    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    cols = ", ".join(f'"c{i}" text' for i in range(len(header)))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(f"CREATE UNLOGGED TABLE bench_raw ({cols})")
        start = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as f:
            with cur.copy("COPY bench_raw FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while data := f.read(1 << 20):
                    copy.write(data)
        wall = time.perf_counter() - start
        conn.execute("DROP TABLE bench_raw")
    return wall


def seed_rows_csv(folder: Path, out: Path) -> Path:
    """The synthetic seed's rows (incident, report, two quotes) as CSV, for its COPY floor."""
    import yaml

    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["slug", "title", "type", "occurred", "figure", "quote1", "quote2"])
        for path in sorted(folder.glob("synthetic-*.yaml")):
            doc = yaml.safe_load(path.read_text())
            reports = {r["incident"]: r for r in doc["casualty_reports"]}
            for inc in doc["incidents"]:
                r = reports[inc["slug"]]
                w.writerow(
                    [
                        inc["slug"],
                        inc["title"],
                        inc["type"],
                        inc["occurred"],
                        r["figure"],
                        inc["evidence"],
                        r["evidence"],
                    ]
                )
    return out


def median_cli(env: dict[str, str], repeat: int, *args: str) -> float:
    cli(env, *args)  # warm the server's caches once
    return statistics.median(cli(env, *args)[0] for _ in range(repeat))


REPORTS = [
    ("dossier", ("report", "incident", "{slug}", "--format", "json")),
    ("casualties --incident", ("report", "casualties", "--incident", "{slug}", "--format", "json")),
    ("timeline --incident", ("report", "timeline", "--incident", "{slug}", "--format", "json")),
]


def _scans(node: dict[str, object]) -> list[str]:
    kind = str(node["Node Type"])
    found = []
    if "Scan" in kind and "Subquery" not in kind and "Function" not in kind:
        target = node.get("Index Name") or node.get("Relation Name") or ""
        found.append(f"{kind} {target}".strip())
    for child in node.get("Plans", []):  # type: ignore[attr-defined]
        found += _scans(child)
    return found


def explain(url: str, slug: str) -> list[str]:
    """How PostgreSQL reads each reporting view filtered by one incident: its scans."""
    import psycopg

    views = ("incidents", "casualty_reports", "timeline")
    lines = []
    with psycopg.connect(url) as conn:
        for view in views:
            plan = conn.execute(
                f"EXPLAIN (FORMAT JSON) SELECT * FROM reporting.{view} WHERE incident_slug = %s",
                (slug,),
            ).fetchone()[0][0]["Plan"]
            scans = _scans(plan)
            seq = [s for s in scans if s.startswith("Seq Scan")]
            lines.append(
                f"reporting.{view}: {len(scans) - len(seq)} index scans, "
                f"{len(seq)} sequential ({', '.join(seq) or 'none'})"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="add the 1,000,000-row import")
    parser.add_argument("--repeat", type=int, default=5, help="runs per report median")
    parser.add_argument("--seed-incidents", type=int, default=100_000)
    parser.add_argument(
        "--events",
        type=int,
        nargs="+",
        help="ACLED file sizes to import in turn (default 10000 100000)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="incidentdb-bench-"))
    env = {**os.environ, "INCIDENTDB_HOME": str(work / "home")}
    env.pop("INCIDENTDB_DATABASE_URL", None)
    rows: list[tuple[str, str, str]] = []
    try:
        cli(env, "db", "upgrade")
        url = psql_url(env)

        sizes = [10_000, 100_000] + ([1_000_000] if args.full else [])
        if args.events:
            sizes = args.events
        report_times: dict[int, dict[str, float]] = {}
        first = 0
        for events in sizes:
            path = work / f"acled-{events}.csv"
            lines = write_acled(path, events, seed=events, first=first)
            first += events
            floor = copy_baseline(url, path)
            wall, rss = cli(env, "import", "acled", str(path), "--quiet")
            again, _ = cli(env, "import", "acled", str(path), "--quiet")
            rows += [
                (
                    f"import acled, {lines:,} rows ({events:,} events)",
                    f"{wall:.1f} s",
                    f"{wall / floor:.1f}× COPY of the file ({floor:.2f} s)",
                ),
                (
                    f"re-import unchanged, {events:,} events",
                    f"{again:.2f} s",
                    f"{again / wall:.1%} of the first import",
                ),
                (f"peak RSS of the import, {events:,} events", f"{rss} MB", ""),
            ]
            report_times[first] = {
                name: median_cli(env, args.repeat, *(a.format(slug="acled-kaz7") for a in argv))
                for name, argv in REPORTS
            }
        small, big = min(report_times), max(report_times)
        for name, _ in REPORTS:
            t_small, t_big = report_times[small][name], report_times[big][name]
            rows.append(
                (
                    f"report {name} (median of {args.repeat})",
                    f"{t_big * 1000:.0f} ms",
                    f"{t_big / t_small:.2f}× from {small:,} ({t_small * 1000:.0f} ms) "
                    f"to {big:,} incidents",
                )
            )

        seed_dir = write_seed(work / "seed", args.seed_incidents)
        floor = copy_baseline(url, seed_rows_csv(seed_dir, work / "seed-rows.csv"))
        wall, rss = cli(env, "seed", "load", str(seed_dir))
        again, _ = cli(env, "seed", "load", str(seed_dir))
        rows += [
            (
                f"seed load, {args.seed_incidents:,} incidents with reports and quotes",
                f"{wall:.1f} s",
                f"{wall / floor:.0f}× COPY of its rows ({floor:.2f} s)",
            ),
            ("seed re-load unchanged", f"{again:.2f} s", f"{again / wall:.1%} of the first load"),
            ("peak RSS of the seed load", f"{rss} MB", ""),
        ]
        plans = explain(url, "acled-kaz7")
    finally:
        subprocess.run(
            [sys.executable, "-m", "incidentdb", "db", "stop"], env=env, capture_output=True
        )
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'figure':>10}  ratio")
    for name, figure, ratio in rows:
        print(f"{name:<{width}}  {figure:>10}  {ratio}")
    print("\nEXPLAIN (reporting views, filtered by incident):")
    for line in plans:
        print(f"  {line}")


if __name__ == "__main__":
    main()
