"""Small real hostile servers for the tests: raw TCP on loopback, one thread per connection.

Each server runs `answer(connection, number)` for every connection it accepts (numbered from
0, so a test can answer the preflight like a normal server and misbehave afterwards).
Everything is bounded: a server lives only inside its ``with`` block, a connection at most
`LIFETIME_S`, and a request is read up to `MAX_REQUEST_BYTES`.  What each server received is
counted, so a test can prove that a server got nothing.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

LIFETIME_S = 60.0
MAX_REQUEST_BYTES = 1 << 20
LOCK = threading.Lock()

Answer = Callable[["Connection", int], None]


@dataclass
class Connection:
    """One accepted connection, with the request read from it (headers and body)."""

    sock: socket.socket
    server: HostileServer
    request: bytes = b""

    def read_request(self) -> bytes:
        """Read one HTTP request (headers, then a Content-Length body); return its head."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < MAX_REQUEST_BYTES:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip() or 0)
        while len(body) < min(length, MAX_REQUEST_BYTES):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            body += chunk
        self.request = head
        self.server.note_request(head)
        return head

    def header(self, name: str) -> str | None:
        """A header of the request read, by name, any case."""
        for line in self.request.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def respond(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        reason: str = "Whatever",
    ) -> None:
        """A whole HTTP/1.1 response with a Content-Length, then the connection closes."""
        fields = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
        head = f"HTTP/1.1 {status} {reason}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in fields.items())
        self.send(head.encode("latin-1") + b"\r\n" + body)

    def reset(self) -> None:
        """Close with a TCP reset (RST) instead of an orderly FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


@dataclass
class HostileServer:
    """A loopback TCP server that answers every connection with `answer`."""

    answer: Answer
    tls: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    bytes_sent: int = 0
    _listener: socket.socket | None = None
    stopped: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self._listener is not None
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"

    def note_request(self, head: bytes) -> None:
        with LOCK:
            self.requests.append(head)

    def __enter__(self) -> HostileServer:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.05)
        self._listener = listener
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for thread in list(self._threads):
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self.stopped.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with LOCK:
                number = self.connections
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(sock, number), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, sock: socket.socket, number: int) -> None:
        sock.settimeout(LIFETIME_S)
        with contextlib.suppress(OSError), sock:  # ssl.SSLError is an OSError
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            self.answer(Connection(sock, self), number)

    def stopping(self) -> bool:
        """True once the test left the ``with`` block: long answers end then."""
        return self.stopped.is_set()

    def wait_for_end(self) -> None:
        """Block until the test leaves the ``with`` block (or the connection's lifetime)."""
        self.stopped.wait(LIFETIME_S)


def envelope_400(message: str = "bad request") -> bytes:
    """The documented error envelope, as the body of a 400."""
    error = {"errors": [{"message": message}], "message": message}
    return orjson.dumps({"is_success": False, "status_code": 400, "error": error})


JSON = {"Content-Type": "application/json", "X-Request-ID": "req-1"}


def conformant_400(connection: Connection, number: int = 0) -> None:
    """Read the request and answer it with the documented 400 error envelope."""
    connection.read_request()
    connection.respond(400, envelope_400(), {**JSON, "X-Request-ID": f"r{time.monotonic_ns()}"})


def after_preflight(misbehave: Answer) -> Answer:
    """Answer the first connection (the preflight) like a server would, then misbehave."""

    def answer(connection: Connection, number: int) -> None:
        if number == 0:
            conformant_400(connection)
        else:
            misbehave(connection, number)

    return answer


def trickle(connection: Connection, data: bytes, every_s: float) -> None:
    """Send `data` a byte at a time, one every `every_s` seconds, until the test ends."""
    for byte in data:
        if connection.server.stopping():
            return
        connection.send(bytes([byte]))
        with LOCK:
            connection.server.bytes_sent += 1
        time.sleep(every_s)


def stream_body(connection: Connection, total: int, chunk: bytes) -> None:
    """A 200 announcing `total` bytes, sent chunk by chunk while the client keeps reading."""
    connection.read_request()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total}\r\n\r\n"
    connection.send(head.encode())
    sent = 0
    while sent < total and not connection.server.stopping():
        piece = chunk[: total - sent]
        connection.send(piece)
        sent += len(piece)
        with LOCK:
            connection.server.bytes_sent += len(piece)


def _zero_blocks(expanded: int) -> tuple[bytes, bytes, int]:
    """A raw deflate stream of `expanded` zero bytes, built from one compressed MiB repeated: a
    full flush makes each MiB's block independent of the ones before, so copies of it are a
    valid stream, and a 3 GiB bomb takes a second to build instead of ten."""
    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    count = expanded >> 20
    return block * count, packer.flush(), count


def gzip_bomb(expanded: int) -> bytes:
    """A gzip body (one member, a correct CRC) that unpacks to `expanded` zero bytes, rounded
    down to whole MiB."""
    blocks, end, count = _zero_blocks(expanded)
    crc = 0
    mib = bytes(1 << 20)
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + blocks + end + struct.pack("<II", crc, (count << 20) & 0xFFFFFFFF)


def deflate_bomb(expanded: int) -> bytes:
    """A zlib-wrapped deflate body that unpacks to `expanded` zero bytes (whole MiB)."""
    blocks, end, count = _zero_blocks(expanded)
    header = b"\x78\xda"
    checksum = 1
    mib = bytes(1 << 20)
    for _ in range(count):
        checksum = zlib.adler32(mib, checksum)
    return header + blocks + end + struct.pack(">I", checksum)


@contextlib.contextmanager
def serving(answer: Answer, tls: ssl.SSLContext | None = None) -> Iterator[HostileServer]:
    """`HostileServer(answer)` for the length of a block (over TLS with a `tls` context)."""
    with HostileServer(answer, tls) as server:
        yield server


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
    """An answer: read the request, send this response."""

    def answer(connection: Connection, number: int = 0) -> None:
        connection.read_request()
        connection.respond(status, body, {**JSON, **(headers or {})})

    return answer


def unused(*_: Any) -> None:
    """For a server that must never be contacted: any connection is counted, none answered."""
