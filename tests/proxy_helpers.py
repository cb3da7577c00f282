"""Shared by the proxy tests: a proxy in front of a real upstream, writing its reports as the
CLI does, and a raw HTTP exchange that shows headers in order and bodies as bytes."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from ordercheck.proxy import Finding, Proxy, ProxyConfig
from ordercheck.reports import write_all
from ordercheck.results import RunResult
from server_helpers import KEY, MERCHANT

ORDERS = f"/merchants/{MERCHANT}/orders"
JSON_HEADERS = {"Content-Type": "application/json", "X-Access-Key": KEY}


@dataclass
class Running:
    """A proxy running for a test: its URL, the findings heard, the results written."""

    proxy: Proxy
    report_dir: Path
    findings: list[Finding] = field(default_factory=list)
    written: list[RunResult] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.proxy.url

    def heard(self, result: RunResult) -> None:
        self.written.append(result)
        write_all(result, self.report_dir)


@contextmanager
def proxy_in_front(upstream: str, report_dir: Path, **options: Any) -> Iterator[Running]:
    """A proxy on a free loopback port in front of `upstream`, reports into `report_dir`
    (flushed every 0.2 s unless told otherwise)."""
    options.setdefault("flush_interval_s", 0.2)
    config = ProxyConfig(upstream=upstream, port=0, **options)
    running: Running | None = None

    def on_finding(finding: Finding) -> None:
        assert running is not None
        running.findings.append(finding)

    def on_result(result: RunResult) -> None:
        assert running is not None
        running.heard(result)

    proxy = Proxy(config, on_finding=on_finding, on_result=on_result)
    running = Running(proxy, report_dir)
    with proxy:
        yield running
    assert proxy.result().settings["internal_errors"] == 0, "the judge hit a bug"


@dataclass(frozen=True)
class Raw:
    """A response as the wire carried it: status, headers in order, body bytes undecoded."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)

    def without(self, *names: str) -> list[tuple[str, str]]:
        """The headers (names lower-cased) less those named."""
        return [(n.lower(), v) for n, v in self.headers if n.lower() not in names]


def exchange(
    base_url: str,
    path: str = ORDERS,
    body: bytes | None = None,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Raw:
    """One request on a fresh connection, the response read raw (no decompression)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Raw(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def post_order(base_url: str, payload: Any, **headers: str) -> Raw:
    """POST a Create Order payload with the page's key (headers may add or replace)."""
    return exchange(base_url, body=orjson.dumps(payload), headers={**JSON_HEADERS, **headers})
