"""Fixtures for the whole suite: one reference server for the session.

Tests that only need *a* conformant server post to `reference_url`, with fresh
merchant_order_ids (`server_helpers.order()`), and compare order counts before and after
rather than from zero. A test that needs an empty store, another key or merchant, a profile,
a processing delay or a broken variant starts its own with `create_app(...)` and
`running_server`. Under xdist each worker process has its own session, so its own server.

The pytest plugin's own `reference_server` fixture is another server: it takes the key and
merchant of `--ordercheck-key` / `$ORDERCHECK_ACCESS_KEY`, which a developer's environment
may set, so the project's tests use `reference_url`, which always has the page's key.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from ordercheck.server import create_app, running_server
from server_helpers import LiveServer


@pytest.fixture(scope="session")
def reference_app() -> Starlette:
    """The app behind `reference_url` (the page's key, merchant `demo-merchant`); its
    `state.store` counts the orders created."""
    return create_app()


@pytest.fixture(scope="session")
def reference_url(reference_app: Starlette) -> Iterator[str]:
    """The session's reference server: a real uvicorn server on a loopback port; its URL."""
    with running_server(reference_app) as url:
        yield url


@pytest.fixture(scope="session")
def reference(reference_url: str, reference_app: Starlette) -> LiveServer:
    """The session's reference server as a `LiveServer` to post orders to."""
    return LiveServer(reference_url, reference_app)
