"""The merchant's own requests through `ordercheck proxy`: each one that breaks a constraint
is reported under that constraint, as `ordercheck validate` would report it, and the access
key never reaches a report or the console, wherever the traffic carries it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import orjson
import pytest

from ordercheck.proxy.scrub import Scrubber
from ordercheck.results import Exchange
from ordercheck.server import create_app, running_server
from ordercheck.validators import RequestValidator
from proxy_helpers import JSON_HEADERS, exchange, post_order, proxy_in_front
from server_helpers import order

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))


def test_invalid_payloads_are_reported_under_the_constraint_they_break(tmp_path: Path) -> None:
    """The shipped invalid samples sent through the proxy: every constraint the validator
    finds is a payload finding with its level, severity and count, and the server's 400s
    judge C6; nothing is blamed on the (conformant) upstream."""
    lines = (SAMPLES / "invalid-orders.jsonl").read_bytes().splitlines()
    expected: dict[str, int] = {}
    for line in lines:
        for constraint in {
            v.constraint for v in RequestValidator().check(orjson.loads(line)).findings
        }:
            expected[constraint] = expected.get(constraint, 0) + 1
    with (
        running_server(create_app(processing_delay_s=0)) as url,
        proxy_in_front(url, tmp_path) as proxy,
    ):
        for line in lines:
            exchange(proxy.url, body=line, headers=JSON_HEADERS)
    result = proxy.proxy.result()
    found = {f.constraint: f for f in result.payload_findings}
    assert {c: f.count for c, f in found.items()} == expected
    assert found["payment_method:enum"].severity == "error"
    assert found["payment_method:enum"].level == "documented"
    assert found["user.mobile:pattern"].severity == "warning"
    assert found["user.address.pincode:pattern"].path == "$.user.address.pincode"
    assert result.findings == []
    assert {r.id: r.status for r in result.rules}["C6"] == "passed"
    heard = {f.id for f in proxy.findings}
    assert heard == set(expected)


def test_a_body_that_is_not_json_is_the_merchants_finding(tmp_path: Path) -> None:
    """A form-encoded body is reported twice over (its Content-Type and its body), with the
    raw body kept for its curl, and no rule blames the server's refusal on the server."""
    with (
        running_server(create_app(processing_delay_s=0)) as url,
        proxy_in_front(url, tmp_path) as proxy,
    ):
        form = {"X-Access-Key": "k", "Content-Type": "application/x-www-form-urlencoded"}
        exchange(proxy.url, body=b"merchant_order_id=1", headers=form)
    result = proxy.proxy.result()
    found = {f.constraint: f for f in result.payload_findings}
    assert set(found) == {"headers.Content-Type:json", "body:not-json"}
    content_type, body = found["headers.Content-Type:json"], found["body:not-json"]
    assert "'application/x-www-form-urlencoded'" in content_type.hint
    assert body.exchange is not None and body.exchange.raw_body == "merchant_order_id=1"
    assert result.findings == []


def test_valid_json_without_its_content_type_is_not_blamed_on_the_server(tmp_path: Path) -> None:
    """A valid order sent without Content-Type is refused by the reference: the merchant
    hears of the header, and C5 does not count the refusal against the server."""
    with (
        running_server(create_app(processing_delay_s=0)) as url,
        proxy_in_front(url, tmp_path) as proxy,
    ):
        reply = exchange(proxy.url, body=orjson.dumps(order()), headers={"X-Access-Key": "k"})
    result = proxy.proxy.result()
    assert reply.status == 401  # "k" is not the key: refused first for that
    assert [f.constraint for f in result.payload_findings] == ["headers.Content-Type:json"]
    assert result.findings == []


SECRET = "s3cret-Key-0f-merchant-9d2e"


def test_the_key_never_reaches_a_report_or_the_console(tmp_path: Path) -> None:
    """The key is in the header, in the payload (the merchant put it in a field) and in the
    response (the upstream echoes merchant_order_id): it is in no report file and in no
    finding the console hears; the findings are still there."""
    app = create_app(access_key=SECRET, processing_delay_s=0, variant="cod_has_payment_fields")
    leaky = order(merchant_order_id=f"id-{SECRET}")
    leaky["user"]["first_name"] = SECRET
    leaky["user"]["mobile"] = "12345"  # a warning: the finding's record carries the body
    with running_server(app) as url, proxy_in_front(url, tmp_path) as proxy:
        reply = post_order(proxy.url, leaky, **{"X-Access-Key": SECRET})
        exchange(proxy.url, body=b"", headers={"X-Access-Key": SECRET})
        raw = f"raw {SECRET} \xff".encode("latin-1")
        exchange(proxy.url, body=raw, headers={"X-Access-Key": SECRET})
    assert SECRET in reply.body.decode()  # the upstream did echo it; the client sees that
    result = proxy.proxy.result()
    assert {f.rule for f in result.findings} >= {"C8"}
    assert {f.constraint for f in result.payload_findings} >= {"user.mobile:pattern"}
    written = list((tmp_path / "latest").iterdir())
    assert {p.name for p in written} == {"report.json", "junit.xml", "report.html"}
    for path in written:
        assert SECRET not in path.read_text("utf-8", "replace"), path.name
    assert "id-[REDACTED]" in (tmp_path / "latest" / "report.json").read_text("utf-8")
    assert SECRET not in repr(proxy.findings)
    assert all(SECRET not in repr(r) for r in proxy.written)


@pytest.mark.parametrize("key", ['quote"in-key', "back\\slash-key", "plain-key-42"])
def test_the_scrubber_finds_keys_json_would_escape(key: str) -> None:
    """A key with characters JSON escapes is still removed from every string of a record,
    JSON keys included; a key under six characters is left to header redaction."""
    scrubber = Scrubber()
    scrubber.learn(key)
    scrubber.learn("short")
    record = Exchange("POST", f"http://h/o?k={key}", {"X-Echo": key}, body={key: [f"a{key}b"]})
    clean = scrubber.exchange(record)
    assert key not in repr(clean) and clean.body == {"[REDACTED]": ["a[REDACTED]b"]}
    assert clean.url == "http://h/o?k=[REDACTED]"
    assert scrubber.text("short and sweet") == "short and sweet"
