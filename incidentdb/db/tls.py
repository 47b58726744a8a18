"""TLS for `db serve --tls`: a self-signed certificate made on first use in INCIDENTDB_HOME,
or the user's own, installed into the embedded server's configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from incidentdb.db.embedded import RunningServer, pgdata_path, superuser_connection
from incidentdb.errors import ServeError

TLS_DIR = "tls"


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


def self_signed(home: Path, host: str = "localhost") -> Tls:
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


def has_tls_support(server: RunningServer) -> bool:
    """Whether the server's build has TLS (ssl_library is empty without it)."""
    with superuser_connection(server) as conn:
        row = conn.execute("SHOW ssl_library").fetchone()
    return bool(row and row[0])


def install_tls(home: Path, tls: Tls) -> list[str]:
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
