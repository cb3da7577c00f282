"""`ordercheck proxy`: judge a merchant's live staging traffic without changing their code.

The merchant points their client at the proxy instead of the Create Order API; the proxy
forwards every request unchanged and returns every response unchanged, and on the side (the
client never waits for it) judges each exchange by the same rules as `ordercheck fuzz` and
each request body by the spec, into the same reports::

    from ordercheck.proxy import Proxy, ProxyConfig

    with Proxy(ProxyConfig(upstream="https://staging.example.com", port=8080)) as proxy:
        ...  # the merchant's traffic flows through proxy.url
    print(proxy.result().verdict)

What the three verdicts mean for a proxy: **non-conformant**, the upstream broke a rule on
the traffic seen; **inconclusive**, nothing broke, but the traffic left rules unjudged,
always C12 at least (a proxy cannot tell a right key from a wrong one and sends nothing of
its own), so a clean proxy run is evidence, never proof; **conformant** cannot happen for
that reason: `ordercheck fuzz` gives that verdict.  The merchant's own requests that break a
constraint are findings of their own kind (`PayloadFinding`) that never colour the verdict.

Modules, along the way an exchange travels: `config`, `forward` (the ASGI app; `headers`,
`envelope`, `concurrency`), `capture` (what it hands over, the bounded backlog), `judge`
(off the response path; `observe`, `cross_request`, `payloads`, `scrub`), `run`.

Names are imported on first use, so the command's options (`config`) cost no httpx.
"""

from __future__ import annotations

import typing

from ordercheck import _lazy

if typing.TYPE_CHECKING:
    from ordercheck.proxy.config import ProxyConfig, parse_listen
    from ordercheck.proxy.judge import Finding
    from ordercheck.proxy.run import Proxy

__getattr__ = _lazy.lazy_exports(
    __name__,
    {
        "Finding": "ordercheck.proxy.judge",
        "Proxy": "ordercheck.proxy.run",
        "ProxyConfig": "ordercheck.proxy.config",
        "parse_listen": "ordercheck.proxy.config",
    },
)

__all__ = ["Finding", "Proxy", "ProxyConfig", "parse_listen"]
