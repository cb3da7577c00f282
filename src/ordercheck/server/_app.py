"""The reference server as a Starlette app: one route, the error envelope everywhere.

The route handler only sequences the stages of a `Reference` (or of a broken variant, which
is a `Reference` with one stage overridden).  Around it, `_ServerEnvelope` adds the response
headers to every response and turns an unexpected exception into the 500 a careless real
server sends (a traceback as text): the reference never raises one, the crash variants do.
"""

from __future__ import annotations

import traceback
from functools import cache
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ordercheck.defaults import DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID
from ordercheck.server._reference import CONFLICT_MESSAGE, Reference, Rejection, ServerConfig
from ordercheck.server._store import LockBusy, OrderStore, ReplayConflict
from ordercheck.server.variants import behaviour_for
from ordercheck.spec import Spec, check_profile, load_spec
from ordercheck.validators import RequestValidator


@cache
def _bundled_spec() -> Spec:
    # Loading and resolving the spec costs more than building the app; every app that is
    # not given a spec shares this read-only one.
    return load_spec()


async def create_order(request: Request) -> Response:
    """``POST /merchants/{merchant_id}/orders``: authorise, parse, validate, place, answer."""
    behaviour: Reference = request.app.state.behaviour
    store: OrderStore = request.app.state.store
    merchant_id = request.path_params.get("merchant_id", behaviour.config.merchant_id)
    try:
        behaviour.authorise(request.headers.get("x-access-key"), merchant_id)
        payload = behaviour.parse(request.headers.get("content-type"), await request.body())
        behaviour.validate(payload)
        placement = await store.place(payload)
    except Rejection as rejection:
        return behaviour.error_response(rejection)
    except LockBusy:
        return behaviour.error_response(Rejection.lock())
    except ReplayConflict:
        return behaviour.error_response(Rejection(400, [CONFLICT_MESSAGE]))
    return behaviour.success_response(placement.order)


async def _routing_error(request: Request, exc: Exception) -> Response:
    """404 and 405 from the router, in the error envelope like every other error."""
    behaviour: Reference = request.app.state.behaviour
    assert isinstance(exc, HTTPException)
    operation = f"POST {request.app.state.operation_path}"
    message = f"{request.method} {request.url.path}: {exc.detail}; this API is {operation}"
    rejection = Rejection(exc.status_code, [message], summary=message, headers=exc.headers)
    return behaviour.error_response(rejection)


def crash_response(exc: BaseException) -> Response:
    """What an unhandled exception looks like from outside: HTTP 500 and a traceback."""
    text = "Internal Server Error\n\n" + "".join(traceback.format_exception(exc))
    return PlainTextResponse(text, status_code=500)


class _ServerEnvelope:
    """ASGI middleware: the behaviour's headers on every response, a 500 for a crash."""

    def __init__(self, app: ASGIApp, behaviour: Reference):
        self.app = app
        self.behaviour = behaviour

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in self.behaviour.response_headers():
                    headers.append(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise
            await crash_response(exc)(scope, receive, send_with_headers)


def create_app(
    *,
    merchant_id: str = DEFAULT_MERCHANT_ID,
    access_key: str = DEFAULT_ACCESS_KEY,
    variant: str | None = None,
    profile: str = "default",
    spec: Spec | None = None,
    processing_delay_s: float = 0.05,
) -> Starlette:
    """The reference server, or with `variant` one of the deliberately broken ones.

    ``app.state.store`` holds the orders (``orders_created``, ``orders()``), so a test can
    check that a request created no order.  Serve it with `running_server`::

        with running_server(create_app()) as base_url:
            ...  # POST {base_url}/merchants/demo-merchant/orders
    """
    if not access_key:
        raise ValueError("access_key must not be empty: an empty key would admit anyone")
    behaviour_type = behaviour_for(variant)
    spec = spec if spec is not None else _bundled_spec()
    config = ServerConfig(merchant_id, access_key, check_profile(profile), processing_delay_s)
    behaviour = behaviour_type(config, RequestValidator(config.profile, spec))
    handlers: dict[Any, Any] = {HTTPException: _routing_error}
    app = Starlette(
        routes=[Route(spec.path, create_order, methods=["POST"])],
        middleware=[Middleware(_ServerEnvelope, behaviour=behaviour)],
        exception_handlers=handlers,
    )
    # A trailing slash would otherwise get a 307 redirect, a status this API never uses.
    app.router.redirect_slashes = False
    app.state.behaviour = behaviour
    app.state.store = behaviour.store_type(processing_delay_s)
    app.state.variant = variant
    app.state.merchant_id = merchant_id
    app.state.operation_path = spec.path
    return app
