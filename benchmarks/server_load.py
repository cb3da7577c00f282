"""Server load: many concurrent clients against the reference server, and no order lost.

The reference server (`create_app()`, served on a loopback port by `running_server`, in this
process so its store can be read) takes `--clients` concurrent clients (default 100) for
`--duration` seconds (default 10; the earlier probe ran 30).  The clients run in
`--processes` worker processes (threads in each, one `requests.Session` per client), so the
server's event loop has this process's interpreter to itself.  Each client repeats:

- a new order (a valid body under a fresh ``merchant_order_id``, COD or ONLINE);
- one time in four, a replay of one of its earlier orders, same body: it must get the
  same ``order_id`` back;
- one time in twenty, a burst of 10 identical new orders released together: at most one
  order may come of it, every other answer the same ``order_id`` or the lock error.

At the end the figures are printed, and checked against the server's own store: no 5xx, no
dropped connection, every order a client saw exists under its ``merchant_order_id``, no
``merchant_order_id`` has two orders, and the orders created equal the new-order successes
plus one per burst that made one.  The exit code is 1 when a check fails.

    .venv/bin/python benchmarks/server_load.py                 # 100 clients, 10 s
    .venv/bin/python benchmarks/server_load.py --duration 30   # the earlier probe's length
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests

LOCK_MESSAGE = "create_merchant_order : Could not acquire lock"
MERCHANT = "demo-merchant"
BURST = 10
REQUEST_TIMEOUT_S = 10.0
# Worker processes take a moment to start; everyone begins at the same wall-clock instant.
START_GRACE_S = 3.0


def order_body(method: str) -> dict[str, Any]:
    """A valid order under a fresh merchant_order_id."""
    return {
        "merchant_order_id": f"load-{uuid.uuid4().hex[:20]}",
        "payable_amount": "499.00",
        "payment_method": method,
        "user": {
            "first_name": "Aarav",
            "mobile": "9876543210",
            "address": {"pincode": "560001", "name": "Aarav Sharma", "street1": "12 MG Road"},
        },
        "skus": {"117004": 2, "139559": 1},
    }


@dataclass
class Tally:
    """What one worker process's clients saw (merged across processes at the end)."""

    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    # merchant_order_id -> order_id, for every order a client saw created
    seen: dict[str, str] = field(default_factory=dict)
    new_successes: int = 0
    replays: int = 0
    replays_differing: int = 0
    bursts: int = 0
    bursts_with_an_order: int = 0
    bursts_with_several_orders: int = 0
    burst_answers_wrong: int = 0
    active_s: float = 0.0

    def merge(self, other: Tally) -> None:
        self.requests += other.requests
        self.statuses.update(other.statuses)
        self.latencies_ms += other.latencies_ms
        self.seen.update(other.seen)
        for name in (
            "new_successes",
            "replays",
            "replays_differing",
            "bursts",
            "bursts_with_an_order",
            "bursts_with_several_orders",
            "burst_answers_wrong",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.active_s = max(self.active_s, other.active_s)


class Client:
    """One client: a session of its own, and the orders it created."""

    def __init__(self, url: str, tally: Tally, lock: threading.Lock, seed: int):
        self.url = f"{url}/merchants/{MERCHANT}/orders"
        self.session = requests.Session()
        self.tally = tally
        self.lock = lock
        self.random = random.Random(seed)
        self.mine: list[tuple[dict[str, Any], str]] = []

    def post(self, body: dict[str, Any], session: requests.Session | None = None) -> Any:
        """Send one order; its status (or the error's name) and its order_id, if any."""
        headers = {"X-Access-Key": "1mg_client_access_key", "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            response = (session or self.session).post(
                self.url, data=orjson.dumps(body), headers=headers, timeout=REQUEST_TIMEOUT_S
            )
        except requests.RequestException as exc:
            status, answer = type(exc).__name__, None
        else:
            status = str(response.status_code)
            try:
                answer = response.json()
            except ValueError:
                status, answer = f"{status} not JSON", None
        with self.lock:
            self.tally.requests += 1
            self.tally.statuses[status] += 1
            self.tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        return status, answer

    def new_order(self) -> None:
        body = order_body(self.random.choice(["COD", "ONLINE"]))
        status, answer = self.post(body)
        if status == "200":
            order_id = answer["data"]["order_id"]
            self.mine.append((body, order_id))
            with self.lock:
                self.tally.new_successes += 1
                self.tally.seen[body["merchant_order_id"]] = order_id

    def replay(self) -> None:
        body, order_id = self.random.choice(self.mine)
        status, answer = self.post(body)
        again = answer["data"]["order_id"] if status == "200" else None
        with self.lock:
            self.tally.replays += 1
            self.tally.replays_differing += again != order_id

    def burst(self) -> None:
        body = order_body("COD")
        barrier = threading.Barrier(BURST)
        answers: list[Any] = []

        def fire() -> None:
            with requests.Session() as session:
                barrier.wait()
                answers.append(self.post(body, session))

        threads = [threading.Thread(target=fire) for _ in range(BURST)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        created = {a["data"]["order_id"] for s, a in answers if s == "200"}
        wrong = sum(
            1
            for s, a in answers
            if not (s == "200" or (s == "400" and a["error"]["message"] == LOCK_MESSAGE))
        )
        with self.lock:
            self.tally.bursts += 1
            self.tally.bursts_with_an_order += len(created) >= 1
            self.tally.bursts_with_several_orders += len(created) > 1
            self.tally.burst_answers_wrong += wrong
            if len(created) == 1:
                self.tally.seen[body["merchant_order_id"]] = created.pop()

    def run(self, end: float) -> None:
        while time.time() < end:
            roll = self.random.random()
            if roll < 0.05:
                self.burst()
            elif roll < 0.30 and self.mine:
                self.replay()
            else:
                self.new_order()


def worker(url: str, clients: int, start: float, end: float, seed: int) -> Tally:
    """One process: `clients` client threads from `start` to `end` (wall clock)."""
    tally, lock = Tally(), threading.Lock()
    pool = [Client(url, tally, lock, seed * 1000 + n) for n in range(clients)]
    time.sleep(max(0.0, start - time.time()))
    threads = [threading.Thread(target=c.run, args=(end,)) for c in pool]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.active_s = time.time() - start
    return tally


def checks(tally: Tally, store: Any) -> list[tuple[str, bool]]:
    """Each property the run must have, and whether it held."""
    orders = store.orders()
    per_id = Counter(order.merchant_order_id for order in orders)
    by_id = {order.merchant_order_id: order.order_id for order in orders}
    server_errors = sum(n for s, n in tally.statuses.items() if not s.isdigit() or int(s) >= 500)
    return [
        ("no 5xx and no dropped connection", server_errors == 0),
        (
            "no order lost (each one a client saw is in the store)",
            all(by_id.get(mid) == oid for mid, oid in tally.seen.items()),
        ),
        ("no merchant_order_id created twice", max(per_id.values(), default=0) <= 1),
        (
            "orders created = new-order successes + bursts that made one",
            store.orders_created == tally.new_successes + tally.bursts_with_an_order,
        ),
        ("every replay got the same order_id", tally.replays_differing == 0),
        ("every burst of 10 gave at most one order", tally.bursts_with_several_orders == 0),
        (
            "every other burst answer: same order_id or the lock error",
            not tally.burst_answers_wrong,
        ),
    ]


def report(tally: Tally, store: Any, args: argparse.Namespace, wall_s: float) -> bool:
    latencies = sorted(tally.latencies_ms)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    print(
        f"server_load: {args.clients} clients in {args.processes} processes for "
        f"{args.duration:g} s against the reference server on loopback; Python "
        f"{platform.python_version()}, {multiprocessing.cpu_count()} CPUs"
    )
    print(
        f"  requests        {tally.requests:,} in {tally.active_s:.1f} s = "
        f"{tally.requests / max(tally.active_s, 1e-9):,.0f}/s (whole run {wall_s:.1f} s)"
    )
    statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses.items()))
    print(f"  statuses        {statuses}")
    median = statistics.median(latencies) if latencies else 0.0
    print(f"  latency         median {median:.0f} ms, p95 {p95:.0f} ms")
    print(
        f"  orders          {store.orders_created:,} created; {tally.new_successes:,} new-order "
        f"successes + {tally.bursts_with_an_order:,} bursts that made one"
    )
    print(f"  replays         {tally.replays:,}, {tally.replays_differing} with another order_id")
    print(
        f"  bursts of {BURST}    {tally.bursts:,}, {tally.bursts_with_several_orders} with more "
        f"than one order, {tally.burst_answers_wrong} other answers wrong"
    )
    results = checks(tally, store)
    for name, held in results:
        print(f"  {'ok  ' if held else 'FAIL'}  {name}")
    return all(held for _, held in results)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (probe: 30)")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 1000 and 0 < args.duration <= 600 and args.processes >= 1):
        parser.error("--clients 1..1000, --duration 0..600 s, --processes at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    from ordercheck.server import create_app, running_server

    args = parse_args(argv)
    app = create_app()
    shares = [args.clients // args.processes] * args.processes
    for n in range(args.clients % args.processes):
        shares[n] += 1
    started = time.monotonic()
    tally = Tally()
    with running_server(app) as url:
        start = time.time() + START_GRACE_S
        end = start + args.duration
        context = multiprocessing.get_context("spawn")  # never fork a process with threads
        with ProcessPoolExecutor(len(shares), mp_context=context) as pool:
            jobs = [
                pool.submit(worker, url, share, start, end, args.seed + n)
                for n, share in enumerate(shares)
                if share
            ]
            for job in jobs:
                tally.merge(job.result(timeout=args.duration + START_GRACE_S + 60))
    ok = report(tally, app.state.store, args, time.monotonic() - started)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
