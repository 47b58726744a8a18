"""Time to first row, total time and peak memory of big reports, in every format.

Imports a synthetic ACLED-format file (default 100,000 events) into a fresh embedded
database, then runs `incidentdb report incidents` and `report casualties` as a user would,
reading stdout through a pipe: when the first byte arrives, when the last does, and the
command's peak RSS. Medians of --repeat runs; one run, one machine, so the figures compare.

    python benchmarks/report_stream.py                 # 100,000 events, 3 runs each
    python benchmarks/report_stream.py --events 20000 --repeat 5
    python benchmarks/report_stream.py --case casualties:table --repeat 1
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_acled  # noqa: E402

CASES = [
    ("incidents", "csv"),
    ("incidents", "jsonl"),
    ("incidents", "json"),
    ("incidents", "table"),
    ("casualties", "csv"),
    ("casualties", "table"),
    ("timeline", "table"),
]


def run_once(env: dict[str, str], *args: str) -> tuple[float, float, float, int]:
    """(seconds to the first byte on stdout, seconds to the end, peak RSS in MB, bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "incidentdb", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    first_chunk = proc.stdout.read1(65536)  # type: ignore[attr-defined]
    first = time.perf_counter() - start
    size = len(first_chunk)
    while chunk := proc.stdout.read1(1 << 20):  # type: ignore[attr-defined]
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    total = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"incidentdb {' '.join(args)} failed")
    return first, total, usage.ru_maxrss / 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--case",
        action="append",
        metavar="REPORT:FORMAT",
        help="only this report and format (repeatable), e.g. casualties:table",
    )
    args = parser.parse_args()
    cases = [tuple(c.split(":", 1)) for c in args.case] if args.case else CASES

    work = Path(tempfile.mkdtemp(prefix="incidentdb-report-bench-"))
    env = {**os.environ, "INCIDENTDB_HOME": str(work / "home"), "COLUMNS": "120"}
    env.pop("INCIDENTDB_DATABASE_URL", None)
    try:
        subprocess.run([sys.executable, "-m", "incidentdb", "db", "upgrade"], env=env, check=True)
        path = work / "acled.csv"
        write_acled(path, args.events, seed=args.events)
        subprocess.run(
            [sys.executable, "-m", "incidentdb", "import", "acled", str(path), "-q"],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; {args.events:,} events; medians of {args.repeat}"
        )
        print(f"{'report':<28} {'first byte':>11} {'total':>9} {'peak RSS':>9} {'output':>10}")
        for report, fmt in cases:
            runs = [run_once(env, "report", report, "--format", fmt) for _ in range(args.repeat)]
            first = statistics.median(r[0] for r in runs)
            total = statistics.median(r[1] for r in runs)
            rss = statistics.median(r[2] for r in runs)
            size = runs[0][3]
            print(
                f"{report + ' --format ' + fmt:<28} {first:>9.2f} s {total:>7.2f} s "
                f"{rss:>6.0f} MB {size / 1e6:>7.1f} MB"
            )
    finally:
        subprocess.run(
            [sys.executable, "-m", "incidentdb", "db", "stop"], env=env, capture_output=True
        )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
