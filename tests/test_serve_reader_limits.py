"""While `db serve` serves, its watchdog holds BI readers to their roles' time limits.

A reader logged in over TCP turns its limits off (`SET statement_timeout = 0`), as PostgreSQL
lets any role do: its long query is cancelled all the same, and its session idle in a
transaction is ended, a moment after the role's limit. A role that is not a reader, with the
same settings, is left alone. Only the embedded database is served by `db serve`; against
another server only the role's settings apply, so the module skips there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql

from incidentdb.db import serve
from incidentdb.db.reader_limits import GRACE_MS, setting_ms
from tests.conftest import TEST_URL_ENV
from tests.reliability import wait_until
from tests.test_reader_hardening import ReaderLogin, served_reader

STATEMENT_TIMEOUT = "2s"
IDLE_TIMEOUT = "2s"
# A generous bound on behaviour, not a measure of speed: the watchdog acts about a second
# after the limit, and a busy machine may be slower.
CANCELLED_BEFORE = 30.0


@pytest.fixture(scope="module")
def login() -> Iterator[ReaderLogin]:
    if os.environ.get(TEST_URL_ENV):
        pytest.skip(
            "the watchdog runs with `db serve`, which serves the embedded database only; "
            "against another server only the role's settings apply"
        )
    with served_reader(
        "incidentdb-limits-",
        seeds=False,
        statement_timeout=STATEMENT_TIMEOUT,
        idle_timeout=IDLE_TIMEOUT,
    ) as reader:
        yield reader


def _log(login: ReaderLogin) -> str:
    assert login.home is not None
    return (login.home / serve.WATCHDOG_LOG).read_text()


def test_a_reader_query_with_its_timeout_switched_off_is_cancelled(
    login: ReaderLogin, record_property: Any
) -> None:
    with login.connect(autocommit=True) as conn:
        pid = conn.info.backend_pid
        # Under the limit: left to finish.
        conn.execute("SET statement_timeout = 0")
        assert conn.execute("SELECT pg_sleep(0.5), 'done'").fetchone() == ("", "done")
        started = time.monotonic()
        with pytest.raises(errors.QueryCanceled, match="due to user request"):
            conn.execute("SET statement_timeout = 0; SELECT pg_sleep(60)")
        elapsed = time.monotonic() - started
        assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)
        assert conn.execute("SELECT 'still connected'").fetchone() == ("still connected",)
    assert setting_ms(STATEMENT_TIMEOUT) is not None
    assert elapsed >= (setting_ms(STATEMENT_TIMEOUT) or 0) / 1000
    assert elapsed < CANCELLED_BEFORE
    record_property("seconds_to_cancel", round(elapsed, 2))
    line = wait_until(
        lambda: [
            line
            for line in _log(login).splitlines()
            if f"cancelled the query of reader bi_reader (process {pid})" in line
        ],
        "the cancellation in the watchdog's log",
        timeout=10,
    )
    assert f"its role's statement_timeout is {STATEMENT_TIMEOUT}" in line[0]


def test_a_reader_session_idle_in_a_transaction_is_ended(
    login: ReaderLogin, record_property: Any
) -> None:
    with login.admin() as admin, login.connect() as conn:
        conn.execute("SET idle_in_transaction_session_timeout = 0")
        conn.execute("SELECT count(*) FROM reporting.incidents").fetchone()  # opens a transaction
        pid = conn.info.backend_pid
        started = time.monotonic()
        wait_until(
            lambda: (
                admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
                is None
            ),
            "the idle session to be ended",
            timeout=CANCELLED_BEFORE,
            every=0.1,
        )
        elapsed = time.monotonic() - started
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1").fetchone()
    assert elapsed >= (setting_ms(IDLE_TIMEOUT) or 0) / 1000 - 0.5
    record_property("seconds_to_end", round(elapsed, 2))
    assert f"ended the session of reader bi_reader (process {pid})" in _log(login)


def test_a_writer_query_is_not_touched(login: ReaderLogin) -> None:
    """A role that is not a reader, with the reader's settings on it and turned off in its
    session, runs past the point where a reader's query is cancelled; so does a superuser."""
    longer_than_a_reader_may = (setting_ms(STATEMENT_TIMEOUT) or 0) / 1000 + GRACE_MS / 1000 + 3
    with login.admin() as admin:
        admin.execute("CREATE ROLE not_a_reader LOGIN")
        try:
            admin.execute(
                sql.SQL("ALTER ROLE not_a_reader SET statement_timeout = {}").format(
                    sql.Literal(STATEMENT_TIMEOUT)
                )
            )
            server = admin.info
            results: dict[str, Any] = {}

            def sleep_as(user: str) -> None:
                with psycopg.connect(
                    host=server.host, port=server.port, user=user, dbname="incidentdb"
                ) as conn:
                    conn.execute("SET statement_timeout = 0")
                    results[user] = conn.execute(
                        "SELECT pg_sleep(%s), 'finished'", (longer_than_a_reader_may,)
                    ).fetchone()

            threads = [
                threading.Thread(target=sleep_as, args=(user,))
                for user in ("not_a_reader", "postgres")
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert results == {"not_a_reader": ("", "finished"), "postgres": ("", "finished")}
        finally:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier("not_a_reader")))
    assert "not_a_reader" not in _log(login)


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("2s", 2000.0),
        ("500ms", 500.0),
        ("5min", 300_000.0),
        ("1h", 3_600_000.0),
        ("1d", 86_400_000.0),
        ("1500", 1500.0),  # no unit: milliseconds, as PostgreSQL reads it
        ("0", None),  # no limit
        (None, None),
        ("forever", None),
    ],
)
def test_time_settings_are_read_as_postgresql_reads_them(
    value: str | None, ms: float | None
) -> None:
    assert setting_ms(value) == ms
