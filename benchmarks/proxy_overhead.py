"""What `ordercheck proxy` costs a merchant's client: added latency and lost throughput.

On loopback, against the reference server without processing delay (so the proxy's share
is as large as it can be), each in a process of its own:

``--delay-ms`` gives the upstream a processing time of its own (a real API takes tens of
milliseconds), which is where the proxy's share of each request becomes realistic.

(1) Latency at a fixed rate: N valid orders sent one at a time at R a second, alternating
    direct and through the proxy (so drift on a shared machine hits both alike); p50 and
    p99 of each, and the difference: the latency the proxy adds.
(2) Throughput: N valid orders from C client threads as fast as the target answers,
    direct and through the proxy, in requests per second.

The proxy is the real command (`ordercheck proxy --quiet`, writing its reports to a
temporary directory), judging every exchange on the side.  Targets (issue 12): p50 added
latency under 2 ms, throughput through the proxy at least half of direct.

    .venv/bin/python benchmarks/proxy_overhead.py                 # about 20 seconds
    .venv/bin/python benchmarks/proxy_overhead.py --delay-ms 10   # an upstream that works
    .venv/bin/python benchmarks/proxy_overhead.py --requests 500 --rate 100 --clients 4
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import orjson

ORDERS = "/merchants/demo-merchant/orders"
HEADERS = {"Content-Type": "application/json", "X-Access-Key": "1mg_client_access_key"}
ORDERCHECK = Path(sys.executable).with_name("ordercheck")
UPSTREAM = """
import sys
from ordercheck.server import create_app, running_server
with running_server(create_app(processing_delay_s=float(sys.argv[1]))) as url:
    print(url, flush=True)
    sys.stdin.read()
"""


def order() -> bytes:
    """A valid COD order with a fresh merchant_order_id, as bytes on the wire."""
    return orjson.dumps(
        {
            "merchant_order_id": f"bench-{uuid.uuid4().hex[:16]}",
            "payable_amount": "499.00",
            "payment_method": "COD",
            "user": {
                "first_name": "Aarav",
                "mobile": "9876543210",
                "address": {"pincode": "560001", "name": "Aarav Sharma", "street1": "12 MG Rd"},
            },
            "skus": {"117004": 2, "139559": 1},
        }
    )


@contextmanager
def serving(command: list[str], *, interrupt: bool) -> Iterator[str]:
    """A server process; the URL on its first line.  It is stopped by closing its input
    (the upstream) or with Ctrl-C's SIGINT (the proxy, as a user stops it)."""
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        first = process.stdout.readline()
        yield first[first.index("http://") :].split()[0]
    finally:
        if interrupt:
            process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)  # closes its input, reads the rest of its output


class Client:
    """One keep-alive connection to a server."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def post(self, body: bytes) -> float:
        """Send one order; the seconds until its whole response was read."""
        started = time.perf_counter()
        self.connection.request("POST", ORDERS, body=body, headers=HEADERS)
        response = self.connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        return time.perf_counter() - started


def latencies(direct: str, proxied: str, count: int, rate: float) -> tuple[list[float], ...]:
    """Alternating direct and proxied requests at `rate` a second; each side's latencies
    in milliseconds."""
    clients = {"direct": Client(direct), "proxied": Client(proxied)}
    for client in clients.values():  # warm-up: connections, caches, the judge's first run
        for _ in range(20):
            client.post(order())
    seen: dict[str, list[float]] = {"direct": [], "proxied": []}
    interval, next_at = 1.0 / rate, time.perf_counter()
    for n in range(count):
        side = "direct" if n % 2 == 0 else "proxied"
        time.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += interval
        seen[side].append(clients[side].post(order()) * 1000)
    return seen["direct"], seen["proxied"]


def throughput(base_url: str, count: int, clients: int) -> float:
    """Requests per second from `clients` threads sending `count` orders in all."""
    bodies = [order() for _ in range(count)]
    share = [bodies[i::clients] for i in range(clients)]
    connections = [Client(base_url) for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def run(client: Client, mine: list[bytes]) -> None:
        barrier.wait()
        for body in mine:
            client.post(body)

    threads = [
        threading.Thread(target=run, args=(c, s)) for c, s in zip(connections, share, strict=True)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return count / (time.perf_counter() - started)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2_000, help="per measurement")
    parser.add_argument("--rate", type=float, default=200.0, help="requests/s for latency")
    parser.add_argument("--clients", type=int, default=8, help="threads for throughput")
    parser.add_argument(
        "--delay-ms", type=float, default=0.0, help="the upstream's processing time per order"
    )
    args = parser.parse_args()
    upstream_command = [sys.executable, "-c", UPSTREAM, str(args.delay_ms / 1000)]
    with (
        tempfile.TemporaryDirectory() as reports,
        serving(upstream_command, interrupt=False) as upstream,
        serving(
            [
                str(ORDERCHECK),
                "proxy",
                "--upstream",
                upstream,
                "--listen",
                "127.0.0.1:0",
                "--report-dir",
                reports,
                "--quiet",
            ],
            interrupt=True,
        ) as proxy,
    ):
        direct_ms, proxied_ms = latencies(upstream, proxy, args.requests, args.rate)
        direct_rps = throughput(upstream, args.requests, args.clients)
        proxied_rps = throughput(proxy, args.requests, args.clients)
    print(
        f"proxy_overhead: upstream processing {args.delay_ms:g} ms; {args.requests:,} requests "
        f"at {args.rate:g}/s alternating (latency), {args.requests:,} from {args.clients} "
        f"clients (throughput); Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    p50 = [statistics.median(direct_ms), statistics.median(proxied_ms)]
    p99 = [percentile(direct_ms, 99), percentile(proxied_ms, 99)]
    print(f"  latency direct    p50 {p50[0]:6.2f} ms   p99 {p99[0]:6.2f} ms")
    print(f"  latency proxied   p50 {p50[1]:6.2f} ms   p99 {p99[1]:6.2f} ms")
    added = p50[1] - p50[0]
    met = "met" if added < 2.0 else "MISSED"
    print(
        f"  added             p50 {added:6.2f} ms   p99 {p99[1] - p99[0]:6.2f} ms"
        f"   (target p50 < 2 ms: {met})"
    )
    ratio = proxied_rps / direct_rps
    print(f"  throughput direct   {direct_rps:8,.0f} requests/s")
    print(
        f"  throughput proxied  {proxied_rps:8,.0f} requests/s   ratio {ratio:.2f} "
        f"(target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
