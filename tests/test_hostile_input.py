"""Hostile input: SQL in every argument that reaches the database, YAML built to exhaust
memory, and files far larger than any real one. Each is refused with a message or handled as
plain data; the database is unchanged and every table is still there; memory stays bounded.

Memory is the peak resident memory of the CLI process, measured by the kernel; the bounds are
generous (several times what is used) and are not timings.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import psycopg
import pytest
from psycopg import sql

from benchmarks.synthetic import write_acled
from incidentdb.cli import cli
from tests.conftest import Invoker, _fresh_database
from tests.reliability import (
    SEEDS,
    cli_env,
    libpq,
    run_cli,
    tables_present,
)
from tests.snapshots import row_counts, snapshot

if TYPE_CHECKING:
    from click.testing import Result

    from tests.conftest import TestServer

MB = 1024 * 1024

# Strings that would change a query if they were pasted into its text.
INJECTIONS = [
    "x'; DROP TABLE incident; --",
    'x"; DROP TABLE incident; --',
    "' OR '1'='1",
    "2022-kazakhstan-unrest' --",
    "kz' UNION SELECT rolname, rolpassword FROM pg_authid --",
    "$$; DROP TABLE place; $$",
    "\\'; DROP TABLE source; --",
    "1); SELECT pg_sleep(30); --",
    "%",
    "2022-kazakhstan%",
    "_z",
    "csto' AND 1=(SELECT 1 FROM pg_sleep(30)) --",
]


@pytest.fixture(scope="module")
def loaded_url(test_server: TestServer, template_db: str) -> Iterator[str]:
    """One database for the module with the TASS seed loaded; tests only read it (or are
    refused)."""
    for url in _fresh_database(test_server, template_db):
        result = Invoker(url, {})("seed", "load", str(SEEDS))
        assert result.exit_code == 0, result.output
        yield url


@pytest.fixture
def loaded(loaded_url: str) -> Iterator[tuple[Invoker, psycopg.Connection[Any]]]:
    """The CLI and a connection on the loaded database; afterwards, it must be unchanged."""
    with psycopg.connect(libpq(loaded_url), autocommit=True) as conn:
        before, tables = snapshot(conn), tables_present(conn)
        yield Invoker(loaded_url, {}), conn
        assert tables_present(conn) == tables
        assert snapshot(conn) == before


def refused(result: Result, code: int = 1) -> None:
    """Refused with a message and an exit code, not a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Error" in result.output, result.output


def _report_filters() -> list[tuple[str, str | None]]:
    """Every report argument and option that names a thing in the database: (command,
    option), option None for the argument."""
    group = cli.commands["report"]
    assert isinstance(group, click.Group)
    found: list[tuple[str, str | None]] = []
    for name, command in sorted(group.commands.items()):
        for param in command.params:
            if isinstance(param, click.Argument):
                found.append((name, None))
            elif isinstance(param, click.Option) and (
                param.metavar in ("SLUG", "COUNTRY") or param.opts[0] in FIXED_LISTS
            ):
                found.append((name, param.opts[0]))
    return found


# Options whose values come from a fixed list: a wrong value is a usage error (exit 2).
FIXED_LISTS = ("--country", "--category")
REPORT_FILTERS = _report_filters()


def test_every_report_filter_is_covered() -> None:
    assert len(REPORT_FILTERS) >= 20
    assert ("incident", None) in REPORT_FILTERS
    assert ("casualties", "--category") in REPORT_FILTERS


@pytest.mark.parametrize(
    ("command", "option"), REPORT_FILTERS, ids=[f"{c}{o or ''}" for c, o in REPORT_FILTERS]
)
def test_sql_in_a_report_filter_is_only_a_value(
    command: str,
    option: str | None,
    loaded: tuple[Invoker, psycopg.Connection[Any]],
    record_property: Any,
) -> None:
    """Each is looked up as a value: no such thing, exit 1 (2 for a fixed list); nothing
    runs, nothing matches by wildcard."""
    run, _ = loaded
    fixed = option in FIXED_LISTS
    for payload in INJECTIONS:
        args = ["report", command, *((option, payload) if option else (payload,))]
        result = run(*args, "--format", "json")
        refused(result, code=2 if fixed else 1)
        expected = f"Invalid value for '{option}'" if fixed else "no "
        assert expected in result.output, (payload, result.output)
    record_property("bad_inputs", len(INJECTIONS))


# "_z" is a valid role name (roles are cluster-wide: it is not created here).
@pytest.mark.parametrize(
    "name", [p for p in INJECTIONS if p != "_z"] + ["Robert'); DROP ROLE postgres;--", "a b"]
)
def test_sql_in_a_reader_name_is_refused(
    name: str, loaded: tuple[Invoker, psycopg.Connection[Any]], record_property: Any
) -> None:
    run, conn = loaded
    roles = conn.execute("SELECT rolname FROM pg_roles ORDER BY 1").fetchall()
    result = Invoker(run.database_url, {"INCIDENTDB_READER_PASSWORD": "pw"})(
        "bi", "create-reader", name
    )
    refused(result, code=2)
    assert "is not a valid role name" in result.output
    assert conn.execute("SELECT rolname FROM pg_roles ORDER BY 1").fetchall() == roles
    record_property("bad_inputs", 1)


def test_sql_in_a_reader_password_is_only_a_password(
    run: Invoker, db: psycopg.Connection[Any], record_property: Any
) -> None:
    name = f"reader_{uuid.uuid4().hex[:12]}"
    password = "x'; DROP TABLE incident; ALTER ROLE postgres PASSWORD 'owned'; --"
    tables = tables_present(db)
    try:
        result = Invoker(run.database_url, {"INCIDENTDB_READER_PASSWORD": password})(
            "bi", "create-reader", name
        )
        assert result.exit_code == 0, result.output
        assert password not in result.output
        assert tables_present(db) == tables
        stored = db.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,))
        assert stored.fetchone()[0].startswith("SCRAM-SHA-256$")  # type: ignore[index]
    finally:
        role = sql.Identifier(name)
        if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            db.execute(sql.SQL("DROP OWNED BY {}").format(role))
            db.execute(sql.SQL("DROP ROLE {}").format(role))
    record_property("bad_inputs", 1)


def test_sql_as_a_seed_path_is_only_a_missing_file(
    loaded: tuple[Invoker, psycopg.Connection[Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Any,
) -> None:
    run, _ = loaded
    monkeypatch.chdir(tmp_path)
    for payload in INJECTIONS:
        result = run("seed", "load", payload)
        refused(result)
        assert "no such file or folder" in result.output, result.output
    record_property("bad_inputs", len(INJECTIONS))


def test_a_seed_file_named_like_sql_loads_under_that_name(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path, record_property: Any
) -> None:
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    name = "x'; DROP TABLE seed_file; --.yaml"
    (folder / "registry.yaml").rename(folder / name)
    result = run("seed", "load", str(folder))
    assert result.exit_code == 0, result.output
    ledger = {r[0] for r in db.execute("SELECT location FROM seed_file")}
    assert ledger == {
        str((folder / name).resolve()),
        str((folder / "tass-2022-01-25-csto-mission-kazakhstan.yaml").resolve()),
    }
    assert row_counts(db)["incident"] == 1
    record_property("bad_inputs", 1)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "field"),
    [
        ("registry.yaml", "slug: csto\n", "slug"),
        ("tass-2022-01-25-csto-mission-kazakhstan.yaml", "country: kz", "country"),
        ("tass-2022-01-25-csto-mission-kazakhstan.yaml", "slug: 2022-kazakhstan-unrest", "slug"),
    ],
    ids=["a-slug", "a-reference", "an-incident-slug"],
)
def test_sql_in_a_seed_slug_is_refused_as_not_a_slug(
    file: str,
    old: str,
    field: str,
    loaded: tuple[Invoker, psycopg.Connection[Any]],
    tmp_path: Path,
    record_property: Any,
) -> None:
    run, _ = loaded
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    key = old.split(":")[0]
    _edit(folder / file, old, f'{key}: "x\'; DROP TABLE incident; --"' + old[len(old.rstrip()) :])
    result = run("seed", "load", str(folder))
    refused(result)
    assert f"{folder / file}:" in result.output, result.output
    assert f".{field}: " in result.output or f"{field}: " in result.output, result.output
    record_property("bad_inputs", 1)


ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "country",
    "admin1",
    "location",
    "actor1",
    "actor2",
    "notes",
    "fatalities",
]


def test_sql_in_an_import_file_is_stored_as_text(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path, record_property: Any
) -> None:
    """Names, notes and ids with SQL in them are data: stored verbatim, never run."""
    path = tmp_path / "acled-hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(ACLED_HEADER)
        for n, payload in enumerate(INJECTIONS, start=1):
            writer.writerow(
                [
                    f"KAZ{n}{payload}",
                    "2022-01-05",
                    "Protests",
                    "Kazakhstan",
                    payload,
                    payload,
                    payload,
                    f"Police of {payload}",
                    payload,
                    "0",
                ]
            )
    tables = tables_present(db)
    result = run("import", "acled", "-q", str(path))
    assert result.exit_code == 0, result.output
    assert tables_present(db) == tables
    # (Actor columns hold several actors separated by ';', so places carry the payloads whole.)
    names = {r[0] for r in db.execute("SELECT name FROM place")}
    assert set(INJECTIONS) <= names
    assert row_counts(db)["incident"] == len(INJECTIONS)
    notes = db.execute("SELECT body FROM source WHERE slug LIKE 'acled-%'").fetchall()
    assert all(any(f"notes: {p}" in body for (body,) in notes) for p in INJECTIONS if p.strip())
    record_property("bad_inputs", len(INJECTIONS))


# -- YAML built to exhaust memory or time, in a process of its own ----------------------------


def _billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


YAML_BOMBS = {
    # 9 levels of 9 aliases: a billion strings once expanded.
    "billion-laughs": (_billion_laughs(), "YAML aliases (*a) are not allowed"),
    # One anchor, aliased a million times on one line (about 3 MB).
    "wide-aliases": ("a: &a [x]\nb: [" + ", ".join(["*a"] * 1_000_000) + "]\n", "YAML aliases"),
    # 100,000 nested lists: a recursion bomb for a naive reader.
    "deep-nesting": ("places: " + "[" * 100_000 + "]" * 100_000 + "\n", "levels deep"),
    # A merge key that pulls an anchored mapping in.
    "merge-key": ("base: &b {kind: city}\nplaces:\n  - <<: *b\n    slug: x\n", "not allowed"),
    # Python object tags, which an unsafe loader would run.
    "python-tag": (
        'places:\n  - !!python/object/apply:os.system ["touch {marker}"]\n',
        "YAML tags",
    ),
    # A key a million characters long (YAML allows 1024 for a plain key).
    "huge-key": ("places:\n  - " + "k" * 1_000_000 + ": 1\n", "mapping values are not allowed"),
    # 200,000 unknown fields in a 2.4 MB file: refused at the 101st key of the mapping.
    "many-keys": (
        "{" + ", ".join(f"k{i}: {i}" for i in range(200_000)) + "}\n",
        "k100: more than 100 keys in one mapping",
    ),
}


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(b, marks=pytest.mark.slow) if b == "many-keys" else b
        for b in sorted(YAML_BOMBS)
    ],
)
def test_yaml_bomb_is_refused_in_bounded_memory(
    bomb: str, tmp_path: Path, record_property: Any
) -> None:
    text, expected = YAML_BOMBS[bomb]
    marker = tmp_path / "executed"
    path = tmp_path / f"{bomb}.yaml"
    path.write_text(text.replace("{marker}", str(marker)), encoding="utf-8")
    # seed validate: no database involved, so memory is the reader's alone.
    env = cli_env("postgresql://nobody@127.0.0.1:1/none")
    result = run_cli(["seed", "validate", path], name=bomb, env=env, workdir=tmp_path)
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    assert expected in result.stderr, result
    assert not marker.exists()
    assert result.peak_memory < 300 * MB, f"peak {result.peak_memory / MB:.0f} MB"
    record_property("bad_inputs", 1)
    record_property("peak_memory_mb", round(result.peak_memory / MB))


def test_a_100_mb_seed_file_is_refused_unread(
    loaded_url: str, tmp_path: Path, record_property: Any
) -> None:
    """Refused by its size before it is read: the process never holds the file."""
    path = tmp_path / "huge.yaml"
    entry = b"  - slug: p\n    name: A place\n    kind: city\n"
    with path.open("wb") as f:
        f.write(b"places:\n")
        f.write(entry * (100 * MB // len(entry) + 1))
    size = path.stat().st_size
    with psycopg.connect(libpq(loaded_url), autocommit=True) as conn:
        before = snapshot(conn)
        result = run_cli(
            ["seed", "load", path], name="huge-seed", env=cli_env(loaded_url), workdir=tmp_path
        )
        assert snapshot(conn) == before
    assert result.returncode == 1, result
    assert f"file is {size:,} bytes, more than the" in result.stderr, result
    assert result.peak_memory < size, f"peak {result.peak_memory / MB:.0f} MB"
    record_property("bad_inputs", 1)
    record_property("peak_memory_mb", round(result.peak_memory / MB))


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        # One field of 20 MB: over the CSV reader's field limit.
        ("huge-field", '"' + "x" * (20 * MB) + '"\n', "malformed CSV"),
        # A quote that never closes: the rest of a 6 MB file would be one field.
        ("unclosed-quote", '"' + "x,\n" * (2 * MB), "malformed CSV"),
    ],
)
def test_a_malformed_import_is_refused_in_bounded_memory(
    name: str,
    body: str,
    expected: str,
    loaded: tuple[Invoker, psycopg.Connection[Any]],
    tmp_path: Path,
    record_property: Any,
) -> None:
    run, _ = loaded
    path = tmp_path / f"{name}.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,country,notes\n"
        f"KAZ1,2022-01-05,Protests,Kazakhstan,{body}",
        encoding="utf-8",
    )
    result = run_cli(
        ["import", "acled", "-q", path],
        name=name,
        env=cli_env(run.database_url),
        workdir=tmp_path,
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    assert f"{path}: row 2: {expected}" in result.stderr, result
    assert result.peak_memory < 300 * MB, f"peak {result.peak_memory / MB:.0f} MB"
    record_property("bad_inputs", 1)


@pytest.mark.parametrize(
    "where",
    [
        "seed",
        "article",
        "import",
    ],
)
def test_a_nul_character_is_refused_with_a_message(
    where: str, loaded: tuple[Invoker, psycopg.Connection[Any]], tmp_path: Path
) -> None:
    run, db = loaded
    if where in ("seed", "article"):
        folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
        if where == "seed":
            _edit(folder / "registry.yaml", "name: Russia", 'name: "Rus\\0sia"')
        else:
            article = folder / "tass-2022-01-25-csto-mission-kazakhstan.txt"
            data = article.read_bytes().replace(b"MOSCOW", b"MOS\x00COW", 1)
            article.write_bytes(data)
            _edit(
                folder / "tass-2022-01-25-csto-mission-kazakhstan.yaml",
                "7efaedceec7ff8aced121f5734af28dc50bdfd4c0acb7c7faf163cd713d287b1",
                hashlib.sha256(data).hexdigest(),
            )
        before = snapshot(db)
        args = ["seed", "load", folder]
    else:
        path = tmp_path / "nul.csv"
        path.write_text(
            "event_id_cnty,event_date,event_type,country,notes\n"
            'KAZ1,2022-01-05,Protests,Kazakhstan,"a \x00 b"\n',
            encoding="utf-8",
        )
        args = ["import", "acled", "-q", path]
    result = run_cli(args, name="nul", env=cli_env(run.database_url), workdir=tmp_path)
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    if where == "import":
        assert f"{path}: row 2, column notes: a NUL character" in result.stderr, result
    elif where == "seed":
        line = next(
            i
            for i, text in enumerate((folder / "registry.yaml").read_text().splitlines(), 1)
            if "Rus" in text
        )
        assert f"registry.yaml:{line}:11: places[1].name: a NUL character" in result.stderr
        assert snapshot(db) == before
    else:
        assert "source.file: the article" in result.stderr and "NUL character" in result.stderr
        assert snapshot(db) == before


@pytest.mark.slow
def test_a_100_mb_import_runs_in_bounded_memory(
    database_url: str, db: psycopg.Connection[Any], tmp_path: Path, record_property: Any
) -> None:
    """About 290,000 ACLED events (2.3 million rows) stream through in flat memory."""
    path = tmp_path / "acled-100mb.csv"
    rows = write_acled(path, 290_000)
    assert path.stat().st_size > 100 * 1000 * 1000
    result = run_cli(
        ["import", "acled", "-q", path],
        name="import-100mb",
        env=cli_env(database_url),
        workdir=tmp_path,
        timeout=1200,
    )
    assert result.returncode == 0, result
    assert result.peak_memory < 600 * MB, f"peak {result.peak_memory / MB:.0f} MB"
    assert row_counts(db)["incident"] == 290_000
    assert rows > 290_000  # some events span two rows of the export
    record_property("bad_inputs", 1)
    record_property("peak_memory_mb", round(result.peak_memory / MB))


@pytest.mark.slow
def test_a_10_mb_seed_file_of_unknown_fields_is_refused_in_bounded_memory(
    tmp_path: Path, record_property: Any
) -> None:
    """Records of 99 unknown fields each, up to the size limit: 1.2 million problems, every
    one counted, the first 50 shown."""
    from incidentdb.seeds.yamlfile import MAX_BYTES

    record = "  - {" + ", ".join(f"k{i}: {i}" for i in range(99)) + "}\n"
    records = (MAX_BYTES - len("places:\n")) // len(record)
    path = tmp_path / "unknown-fields.yaml"
    path.write_text("places:\n" + record * records, encoding="utf-8")
    env = cli_env("postgresql://nobody@127.0.0.1:1/none")
    result = run_cli(["seed", "validate", path], name="unknown-fields", env=env, workdir=tmp_path)
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    problems = records * (99 + 3)  # and slug, name and kind are missing
    assert f"Error: {problems} problems in seed files:" in result.stderr, result
    assert f"{path}:2:6: places[0].k0: unknown field 'k0'; expected one of: " in result.stderr
    assert result.stderr.rstrip().endswith(f"... and {problems - 50} more problems"), result
    record_property("bad_inputs", 1)
    record_property("peak_memory_mb", round(result.peak_memory / MB))
    assert result.peak_memory < 300 * MB, f"peak {result.peak_memory / MB:.0f} MB"


def _largest_seed_file(folder: Path) -> tuple[Path, int]:
    """A registry of places just under the size limit (about 175,000 of them), and how many."""
    from incidentdb.seeds.yamlfile import MAX_BYTES

    path = folder / "largest.yaml"
    entries = ["places:"]
    size = len(entries[0]) + 1
    n = 0
    while True:
        entry = f"  - slug: place-{n}\n    name: Place {n}\n    kind: city"
        if size + len(entry) + 1 > MAX_BYTES:
            break
        entries.append(entry)
        size += len(entry) + 1
        n += 1
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return path, n


@pytest.mark.slow
def test_the_largest_seed_file_allowed_validates_in_bounded_memory(
    tmp_path: Path, record_property: Any
) -> None:
    path, places = _largest_seed_file(tmp_path)
    env = cli_env("postgresql://nobody@127.0.0.1:1/none")
    result = run_cli(["seed", "validate", path], name="largest", env=env, workdir=tmp_path)
    assert result.returncode == 0, result
    assert f"1 file valid: {places} facts and entities" in result.stderr, result
    record_property("peak_memory_mb", round(result.peak_memory / MB))
    assert result.peak_memory < 300 * MB, f"peak {result.peak_memory / MB:.0f} MB"


@pytest.mark.slow
def test_the_largest_seed_file_allowed_loads_in_bounded_memory(
    database_url: str, db: psycopg.Connection[Any], tmp_path: Path, record_property: Any
) -> None:
    path, places = _largest_seed_file(tmp_path)
    result = run_cli(
        ["seed", "load", path],
        name="largest-load",
        env=cli_env(database_url),
        workdir=tmp_path,
        timeout=1200,
    )
    assert result.returncode == 0, result
    assert row_counts(db)["place"] == places
    record_property("peak_memory_mb", round(result.peak_memory / MB))
    assert result.peak_memory < 350 * MB, f"peak {result.peak_memory / MB:.0f} MB"
