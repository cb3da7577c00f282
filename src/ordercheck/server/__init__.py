"""The embedded reference server and its deliberately broken variants.

`create_app()` is an in-memory Create Order API that keeps every rule of CONTRACT.md: what
fuzzing runs against when no URL is given.  `create_app(variant=name)` breaks exactly one
rule, the one `VARIANTS[name].rule` names.  `running_server(app)` serves either on a real
loopback port::

    from ordercheck.server import create_app, running_server

    with running_server(create_app()) as base_url:
        ...  # POST {base_url}/merchants/demo-merchant/orders with X-Access-Key

Layers: the server uses `spec` and `validators` and nothing above them.
"""

from ordercheck.server._app import create_app
from ordercheck.server._running import running_server
from ordercheck.server._store import Order, OrderStore
from ordercheck.server.variants import VARIANTS, UnknownVariantError, Variant

__all__ = [
    "VARIANTS",
    "Order",
    "OrderStore",
    "UnknownVariantError",
    "Variant",
    "create_app",
    "running_server",
]
