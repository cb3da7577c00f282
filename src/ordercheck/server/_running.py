"""Run an ASGI app on a real loopback socket in a background thread, for as long as a block.

The pattern of httpx's own test suite: a `uvicorn.Server` runs in a daemon thread, the
caller waits for ``server.started``, and leaving the block sets ``should_exit`` and joins
the thread, so the listening socket is closed before the block returns.  Real sockets
matter: the lock and idempotency rules (C10, C11) are about concurrent HTTP requests, which
an in-process transport would serialise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from ordercheck.errors import OrdercheckError

STARTUP_TIMEOUT_S = 10.0
GRACEFUL_SHUTDOWN_S = 5


def _base_url(host: str, server: uvicorn.Server) -> str:
    port = server.servers[0].sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _wait_started(server: uvicorn.Server, thread: threading.Thread, where: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive():
            # uvicorn logs the reason (e.g. "address already in use") and exits its thread.
            raise OrdercheckError(f"{where}: the server could not start; is the port in use?")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise OrdercheckError(f"{where}: the server did not start in {STARTUP_TIMEOUT_S} s")
        time.sleep(0.005)


@contextmanager
def running_server(
    app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> Iterator[str]:
    """Serve `app` on `host`:`port` (0 picks a free port) and yield its base URL.

    `options` override the `uvicorn.Config` settings below (the proxy turns uvicorn's own
    Date header off, and its lifespan on).

    >>> from ordercheck.server import create_app
    >>> with running_server(create_app()) as base_url:  # doctest: +SKIP
    ...     base_url
    'http://127.0.0.1:54321'
    """
    settings: dict[str, Any] = {
        "log_config": None,  # leave the host application's logging configuration alone
        "log_level": "warning",
        "access_log": False,
        "lifespan": "off",
        "server_header": False,  # the app sends its own Server header
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S,
    }
    config = uvicorn.Config(app, host=host, port=port, **(settings | options))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="ordercheck-server", daemon=True)
    thread.start()
    try:
        _wait_started(server, thread, f"{host}:{port}")
        yield _base_url(host, server)
    finally:
        server.should_exit = True
        thread.join()
