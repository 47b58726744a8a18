"""Passwords are never printed or logged: not by `db url` or `db status` (unless asked), not in
any error about a server that cannot be reached or a URL that cannot be used, and a reader's
password neither on the terminal nor in the server's statement log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql
from sqlalchemy.engine import make_url

from incidentdb.cli import cli
from tests.reliability import SEEDS, cli_env, libpq, run_cli
from tests.shared_data import UCDP_SAMPLE, needs_ucdp, require

PASSWORD = "Zq8-sEcReT-91"
# A password with characters that a URL must encode: every form of it must stay hidden.
ODD_PASSWORD = "p@ss:w/rd?#%sEcReT"
FORMS = (PASSWORD, ODD_PASSWORD, quote(ODD_PASSWORD, safe=""), "sEcReT")


def invoke(url: str, *args: str, input: str | None = None, **env: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env={"INCIDENTDB_DATABASE_URL": url, **env}, input=input
    )


def assert_hidden(result: Result) -> None:
    for form in FORMS:
        assert form not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


def with_password(url: str, password: str = PASSWORD) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_db_url_and_status_mask_the_password_unless_asked(database_url: str) -> None:
    """On a server that answers (the test server: a password it does not need is ignored)."""
    url = with_password(database_url)
    shown = invoke(url, "db", "url")
    assert shown.exit_code == 0, shown.output
    assert ":***@" in shown.output
    assert_hidden(shown)
    status = invoke(url, "db", "status")
    assert status.exit_code == 0, status.output
    assert "reachable: yes" in status.output and ":***@" in status.output
    assert_hidden(status)

    for args in (("db", "url", "--show-password"), ("db", "status", "--show-password")):
        asked = invoke(url, *args)
        assert asked.exit_code == 0, asked.output
        assert f":{PASSWORD}@" in asked.output, asked.output


UNREACHABLE = f"postgresql://alice:{PASSWORD}@127.0.0.1:1/research"
ODD_UNREACHABLE = f"postgresql://alice:{quote(ODD_PASSWORD, safe='')}@127.0.0.1:1/research"

COMMANDS = [
    ("db", "upgrade"),
    ("db", "downgrade", "base"),
    ("db", "current"),
    ("db", "status"),
    ("seed", "load", str(SEEDS)),
    ("seed", "load", "--dry-run", str(SEEDS)),
    ("seed", "list"),
    ("import", "ucdp-ged", "-q", str(UCDP_SAMPLE)),
    ("report", "incidents"),
    ("report", "casualties", "--incident", "2022-kazakhstan-unrest"),
    ("report", "incident", "2022-kazakhstan-unrest"),
    ("bi", "create-reader", "metabase"),
    ("bi", "dictionary"),
]


@pytest.mark.parametrize("url", [UNREACHABLE, ODD_UNREACHABLE], ids=["plain", "url-encoded"])
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(c, id=" ".join(c[:2]), marks=[needs_ucdp] if str(UCDP_SAMPLE) in c else [])
        for c in COMMANDS
    ],
)
def test_an_unreachable_server_error_hides_the_password(
    url: str, args: tuple[str, ...], record_property: Any
) -> None:
    result = invoke(url, *args, INCIDENTDB_READER_PASSWORD=PASSWORD)
    assert result.exit_code == 1, result.output
    assert "cannot connect to PostgreSQL at 127.0.0.1:1" in result.output, result.output
    assert "alice:***@" in result.output, result.output
    assert_hidden(result)
    record_property("bad_inputs", 1)


def test_a_missing_database_error_hides_the_password(database_url: str) -> None:
    """The server answers, and refuses: the database does not exist."""
    url = with_password(
        make_url(database_url)
        .set(database="no_such_database")
        .render_as_string(hide_password=False)
    )
    for args in (("db", "status"), ("db", "upgrade"), ("seed", "list"), ("report", "incidents")):
        result = invoke(url, *args)
        assert result.exit_code == 1, result.output
        assert "no_such_database" in result.output, result.output
        assert_hidden(result)


BAD_URLS = [
    f"postgresql://alice:{PASSWORD}@db.example:notaport/research",
    f"postgresql://alice:{PASSWORD}@db.example:99999/research",
    f"postgresql://alice:{PASSWORD}@db.example:5432",
    f"postgresql://alice:{PASSWORD}@[::1/research",
    f"mysql://alice:{PASSWORD}@db.example/research",
    f"alice:{PASSWORD}@db.example/research",
    f"postgresql://alice:{PASSWORD}@127.0.0.1:1/research?sslmode=bogus",
    f"postgresql://alice:{PASSWORD}@127.0.0.1:1/research?connect_timeout=soon",
    f"postgresql://alice:{PASSWORD}@127.0.0.1:1/research?no_such_option=1",
    f"postgresql+asyncpg://alice:{PASSWORD}@db.example/research",
    f"postgresql://alice:{quote(ODD_PASSWORD, safe='')}@db.example:x/research",
    f"postgresql://alice:{ODD_PASSWORD}@db.example/research",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", [("db", "status"), ("db", "upgrade"), ("seed", "list")])
def test_a_bad_url_error_hides_the_password(
    url: str, command: tuple[str, ...], record_property: Any
) -> None:
    by_env = invoke(url, *command)
    by_option = CliRunner().invoke(cli, ["--database-url", url, *command])
    for result in (by_env, by_option):
        assert result.exit_code in (1, 2), result.output
        assert "Error" in result.output, result.output
        assert_hidden(result)
    record_property("bad_inputs", 1)


def test_errors_in_a_real_process_hide_the_password(tmp_path: Path) -> None:
    """The same through `python -m incidentdb`: nothing a library logs on its own (warnings,
    log records) shows the password either."""
    for n, (url, args) in enumerate(
        [
            (UNREACHABLE, ["seed", "load", SEEDS]),
            (ODD_UNREACHABLE, ["import", "ucdp-ged", "-q", require(UCDP_SAMPLE)]),
            (BAD_URLS[0], ["db", "status"]),
            (BAD_URLS[6], ["db", "upgrade"]),
        ]
    ):
        result = run_cli(args, name=f"secret-{n}", env=cli_env(url), workdir=tmp_path)
        assert result.returncode in (1, 2), result
        for form in FORMS:
            assert form not in result.output, result
        assert "Traceback" not in result.output, result


@pytest.fixture
def reader(db: psycopg.Connection[Any]) -> Iterator[str]:
    """A role name unique to this test (roles are cluster-wide), dropped afterwards."""
    name = f"reader_{uuid.uuid4().hex[:12]}"
    yield name
    if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def test_create_reader_never_echoes_the_password(database_url: str, reader: str) -> None:
    from_env = invoke(
        database_url, "bi", "create-reader", reader, INCIDENTDB_READER_PASSWORD=PASSWORD
    )
    assert from_env.exit_code == 0, from_env.output
    assert_hidden(from_env)
    prompted = invoke(
        database_url, "bi", "create-reader", reader, input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert prompted.exit_code == 0, prompted.output
    assert "Updated the read-only login" in prompted.output
    assert_hidden(prompted)
    mistyped = invoke(database_url, "bi", "create-reader", reader, input=f"{PASSWORD}\nother\n" * 3)
    assert_hidden(mistyped)


def _server_log(db: psycopg.Connection[Any], marker: str) -> Path | None:
    """The file the server writes its log to: the one that holds `marker`, logged just now."""
    db.execute("SET log_statement = 'all'")
    db.execute("SELECT %s::text", (marker,))
    data = Path(str(db.execute("SHOW data_directory").fetchone()[0]))  # type: ignore[index]
    current = db.execute("SELECT pg_current_logfile()").fetchone()
    candidates = [data / "log"]
    if current and current[0]:
        candidates.insert(0, data / current[0])
    candidates += sorted(Path("/var/log/postgresql").glob("*.log"))
    for path in candidates:
        try:
            if marker in path.read_text(encoding="utf-8", errors="replace")[-2_000_000:]:
                return path
        except OSError:
            continue
    return None


def test_create_reader_password_is_not_in_the_server_log(
    database_url: str, db: psycopg.Connection[Any], reader: str
) -> None:
    """With every statement logged, the log shows the role being made, never its password:
    it is hashed (SCRAM-SHA-256) before it is sent."""
    log = _server_log(db, f"marker-{uuid.uuid4()}")
    if log is None:
        pytest.skip("the server's log file is not readable here")
    database = make_url(database_url).database
    db.execute(
        sql.SQL("ALTER DATABASE {} SET log_statement = 'all'").format(sql.Identifier(database))
    )
    size = log.stat().st_size
    result = invoke(
        database_url, "bi", "create-reader", reader, INCIDENTDB_READER_PASSWORD=PASSWORD
    )
    assert result.exit_code == 0, result.output
    with psycopg.connect(libpq(database_url), autocommit=True) as fresh:
        fresh.execute("SELECT 1")  # the log is written by then
    with log.open("rb") as f:
        f.seek(size)
        logged = f.read().decode("utf-8", errors="replace")
    assert reader in logged  # the statements were logged
    assert "SCRAM-SHA-256$" in logged
    assert PASSWORD not in logged
