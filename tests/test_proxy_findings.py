"""In front of a broken server, `ordercheck proxy` finds the defect in the traffic that
passes, with the same rules and reports as `ordercheck fuzz`; in front of the reference
server it finds nothing, and says the run is inconclusive because C12 is never judged."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from ordercheck.reports import load_report
from ordercheck.results import RunResult
from ordercheck.server import VARIANTS, create_app, running_server
from proxy_helpers import Raw, Running, post_order, proxy_in_front
from server_helpers import order


@contextmanager
def proxied(tmp_path: Path, variant: str | None = None, **app: Any) -> Iterator[Running]:
    """A proxy in front of a fresh reference server or one of its broken variants."""
    with (
        running_server(create_app(variant=variant, **app)) as upstream,
        proxy_in_front(upstream, tmp_path) as proxy,
    ):
        yield proxy


def traffic(url: str) -> list[Raw]:
    """What a merchant's client might send in a morning: orders of both kinds, a retry of
    one, the same id again with another amount, and a double click (two at once)."""
    cod, online = order("COD"), order("ONLINE")
    sent = [post_order(url, cod), post_order(url, online), post_order(url, cod)]
    sent.append(post_order(url, {**online, "payable_amount": "500.00"}))
    sent += burst(url, order("COD"), 6)
    return sent


def burst(url: str, payload: dict[str, Any], count: int) -> list[Raw]:
    """`count` identical requests released together."""
    barrier = threading.Barrier(count)
    replies: list[Raw] = []

    def send() -> None:
        barrier.wait()
        replies.append(post_order(url, payload))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def rules_failed(result: RunResult) -> set[str]:
    return {rule.id for rule in result.rules if rule.status == "failed"}


def test_reference_traffic_has_no_findings_and_is_inconclusive(tmp_path: Path) -> None:
    """Clean traffic: no finding, C9, C10 and C11 judged and passed; C6 (no invalid payload
    came by) and C12 unjudged, each with its reason, so the verdict is inconclusive."""
    with proxied(tmp_path) as proxy:
        traffic(proxy.url)
    result = proxy.proxy.result()
    assert result.findings == [] and result.payload_findings == []
    status = {rule.id: rule.status for rule in result.rules}
    assert {status[r] for r in ("C1", "C5", "C7", "C8", "C9", "C10", "C11", "C13")} == {"passed"}
    c6, c12 = result.unexercised
    assert (c6.id, c12.id) == ("C6", "C12")
    assert "payload built to break" in c6.reason
    assert "cannot tell a right key" in c12.reason
    assert result.verdict == "inconclusive" and result.kind == "proxy"
    assert result.requests == 10


def test_a_wrong_echo_is_found_and_reported(tmp_path: Path) -> None:
    """wrong_echo (C7): the finding comes out as it happens and in all three reports."""
    with proxied(tmp_path, "wrong_echo") as proxy:
        post_order(proxy.url, order())
    result = proxy.proxy.result()
    assert rules_failed(result) == {"C7"}
    assert [f.id for f in proxy.findings] == ["C7"]
    on_disk = load_report(tmp_path / "latest" / "report.json")
    assert [f.rule for f in on_disk.findings] == ["C7"] and on_disk.kind == "proxy"
    junit = ET.parse(tmp_path / "latest" / "junit.xml").getroot()
    failed = [c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None]
    skipped = [c.get("name") for c in junit.iter("testcase") if c.find("skipped") is not None]
    assert failed == ["C7_echo_merchant_order_id"]
    assert "C12_auth_enforced" in skipped
    html = (tmp_path / "latest" / "report.html").read_text("utf-8")
    assert "ordercheck proxy report" in html and "merchant_order_id not echoed" in html


def test_cod_payment_fields_are_found(tmp_path: Path) -> None:
    """cod_has_payment_fields (C8) is found on the COD orders, not on the ONLINE one."""
    with proxied(tmp_path, "cod_has_payment_fields") as proxy:
        post_order(proxy.url, order("ONLINE"))
        post_order(proxy.url, order("COD"))
        post_order(proxy.url, order("COD"))
    result = proxy.proxy.result()
    assert rules_failed(result) == {"C8", *VARIANTS["cod_has_payment_fields"].consequences}
    [finding] = [f for f in result.findings if f.rule == "C8"]
    assert finding.count == 2 and finding.exchange is not None
    assert finding.exchange.body["payment_method"] == "COD"


def test_concurrent_duplicates_without_a_lock_are_found(tmp_path: Path) -> None:
    """no_lock (C11): identical requests in flight at once that create several orders are
    judged as one group, whose finding names the orders."""
    with proxied(tmp_path, "no_lock", processing_delay_s=0.2) as proxy:
        replies = burst(proxy.url, order(), 6)
    result = proxy.proxy.result()
    order_ids = {orjson.loads(r.body)["data"]["order_id"] for r in replies if r.status == 200}
    assert len(order_ids) > 1
    assert "C11" in rules_failed(result)
    [c11] = [f for f in result.findings if f.rule == "C11"]
    assert c11.title == "concurrent requests created several orders"


def test_a_replay_that_creates_a_second_order_is_found(tmp_path: Path) -> None:
    """replay_creates_new_order (C10): a retry after the first answer is a replay, and a
    second order for it is a C10 finding (not C11: they were not in flight together)."""
    with proxied(tmp_path, "replay_creates_new_order") as proxy:
        payload = order()
        post_order(proxy.url, payload)
        post_order(proxy.url, payload)
    result = proxy.proxy.result()
    assert rules_failed(result) == {"C10"}
    assert result.findings[0].title == "replay created a second order"
