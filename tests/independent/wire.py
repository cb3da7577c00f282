"""The service on a real socket: `http.server.ThreadingHTTPServer` in a background thread.

HTTP/1.1 with keep-alive (every reply has a Content-Length), one thread per connection.
What the standard library does not do, this module does: read a chunked body, answer its own
protocol errors (`send_error`) with the JSON error envelope and an X-Request-ID rather than
an HTML page, stay quiet when a client goes away, and close the connections still open when
the server stops, so no thread outlives the block that started it for long.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from independent.service import CreateOrder, Refusal, Reply, Request

MAX_BODY = 1_000_000
IDLE_TIMEOUT_S = 30.0
_LENGTH = re.compile(r"[0-9]{1,9}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,8})(;[^\r\n]*)?\r\n")


class BadFraming(ValueError):
    """The request's body cannot be read as HTTP frames it (length, chunks, size)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "independent-create-order/1.0"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold every response back by some 40 ms.
    disable_nagle_algorithm = True
    server: OrderServer

    def do_POST(self) -> None:
        try:
            body = self._body()
        except BadFraming as exc:
            self.close_connection = True
            reply = self.server.service.decorate(self.server.service.refuse(Refusal(400, str(exc))))
        else:
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Request(self.command, self.path, headers, body)
            reply = self.server.service.handle(request)
        self._write(reply)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST  # the service answers 405

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._chunks()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not _LENGTH.fullmatch(length.strip()):
            raise BadFraming(f"Content-Length {length[:20]!r} is not a length")
        if int(length) > MAX_BODY:
            raise BadFraming(f"the body is larger than {MAX_BODY} bytes")
        return self.rfile.read(int(length))

    def _chunks(self) -> bytes:
        parts, size = [], 0
        while True:
            line = self.rfile.readline(100)
            found = _CHUNK_SIZE.fullmatch(line)
            if found is None:
                raise BadFraming("a chunk size line is malformed")
            length = int(found.group(1), 16)
            size += length
            if size > MAX_BODY:
                raise BadFraming(f"the body is larger than {MAX_BODY} bytes")
            if length == 0:
                while self.rfile.readline(1000) not in (b"\r\n", b"\n", b""):
                    pass  # trailers, ignored
                return b"".join(parts)
            parts.append(self.rfile.read(length))
            if self.rfile.read(2) != b"\r\n":
                raise BadFraming("a chunk does not end with CRLF")

    def _write(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol errors (a bad request line, headers too long) as the error envelope."""
        self.close_connection = True
        problem = message or self.responses.get(code, ("error",))[0]
        service = self.server.service
        self._write(service.decorate(service.refuse(Refusal(code, problem))))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read replies, not access logs."""


class OrderServer(ThreadingHTTPServer):
    """A threading HTTP server for one `CreateOrder` service, on a loopback port."""

    daemon_threads = True
    request_queue_size = 64  # a burst of concurrent requests must not wait for a SYN retry

    def __init__(self, address: tuple[str, int], service: CreateOrder):
        super().__init__(address, _Handler)
        self.service = service
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self._open_lock:
            self._open.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Hang up on every client still connected (idle keep-alive connections)."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):  # already gone
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-request is not worth a traceback on stderr."""


@contextmanager
def serving(service: CreateOrder, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `service` on a free port of `host` for the duration of the block; its base URL.

    >>> with serving(CreateOrder()) as base_url:  # doctest: +SKIP
    ...     requests.post(base_url + "/merchants/demo-merchant/orders", ...)
    """
    server = OrderServer((host, 0), service)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
