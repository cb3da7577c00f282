"""A proxy run never ends, so what it remembers must stop growing: with small `Bounds`, a
long stream of distinct orders leaves every memory at its bound, and the memory the proxy
holds, judged idle, grows far less over the second half of the run than the traffic would
make it grow without bounds."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import requests

from console import environment
from ordercheck.fuzz.collector import Bounds
from ordercheck.proxy import Proxy, ProxyConfig
from ordercheck.reports import write_all
from proxy_helpers import JSON_HEADERS, ORDERS
from server_helpers import order

BOUND = 50
SMALL = Bounds(latencies=BOUND, request_ids=BOUND, order_ids=BOUND, messages=10)
# Generous: bounded, it grows ~150 KB here (allocator and connection noise); remembering
# every exchange, ~1 MB.
GROWTH_LIMIT_BYTES = 400_000
# The upstream runs in a process of its own, so that its store is not counted as ours.
UPSTREAM = """
import sys
from ordercheck.server import create_app, running_server
with running_server(create_app(processing_delay_s=0)) as url:
    print(url, flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def upstream() -> Iterator[str]:
    """A reference server without processing delay, in its own process; its URL."""
    process = subprocess.Popen(
        [sys.executable, "-c", UPSTREAM],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()  # the read ends, so does the server
        process.wait(timeout=30)
        process.stdout.close()


def send(session: requests.Session, url: str, count: int, start: int) -> None:
    """`count` distinct orders, one in ten invalid in its own way (a distinct message)."""
    for n in range(start, start + count):
        payload = order(payable_amount=f"x{n}") if n % 10 == 0 else order()
        reply = session.post(url + ORDERS, data=orjson.dumps(payload), headers=JSON_HEADERS)
        assert reply.status_code in (200, 400)


def idle_memory(proxy: Proxy) -> int:
    """The traced memory once the judge has judged everything sent so far."""
    deadline = time.monotonic() + 30
    while proxy.backlog.waiting and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the item taken last is judged
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.slow
def test_memory_stays_bounded_over_a_long_run(upstream: str, tmp_path: Path) -> None:
    """1,200 distinct orders with every bound at 50: each memory holds 50, and the memory
    held grows less than a generous bound over the last 800."""
    # A long flush interval: reports are written on news only, never mid-measurement.
    config = ProxyConfig(upstream=upstream, port=0, bounds=SMALL, flush_interval_s=60)
    proxy = Proxy(config, on_result=lambda result: write_all(result, tmp_path))
    with proxy, requests.Session() as session:
        send(session, proxy.url, 400, 0)
        tracemalloc.start()
        try:
            before = idle_memory(proxy)
            send(session, proxy.url, 800, 400)
            grown = idle_memory(proxy) - before
        finally:
            tracemalloc.stop()
    collector, cross = proxy.judge.collector, proxy.judge.cross
    sizes = {
        "latencies": len(collector.latencies_ms),
        "request ids": len(collector.request_ids),
        "order owners": len(collector.order_owners),
        "order ids (C9)": len(cross.owners),
        "used merchant_order_ids (C10)": len(cross.accepted),
        "request ids (C13)": len(cross.request_ids),
    }
    assert sizes == dict.fromkeys(sizes, BOUND)
    assert len(collector.error_messages) == 10
    assert cross.groups == {} and len(proxy.app.in_flight) == 0
    assert proxy.result().requests == 1_200
    assert grown < GROWTH_LIMIT_BYTES, f"grew by {grown:,} bytes over 800 exchanges"
