"""Worked example: a QA engineer's own Create Order tests, written on ordercheck's fixtures.

Copy this file into your suite. Nothing here needs a conftest: the fixtures come from the
ordercheck pytest plugin, which pip registers with pytest when ordercheck is installed.

    order_api           a client bound to the target (create_order, check)
    order_validator     the request validator of the contract
    response_validator  the response validator of the contract
    order_strategies    the module ordercheck.strategies, for drawing inside a test
    reference_server    the URL of the embedded reference server (started on first use)

By default `order_api` talks to the embedded reference server, so this file runs anywhere
(it runs in `make test`). Point it at your implementation with

    pytest examples/qa --ordercheck-url https://staging.example.com --ordercheck-key "$KEY"
"""

from __future__ import annotations

import secrets
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordercheck.strategies import invalid_orders, orders

# Every example is a real HTTP request: a few of them per test is plenty, and a shared
# staging server should not decide whether a test passes by how fast it answered.
REQUESTS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PAYMENT_FIELDS = ("action", "payment_id", "payment_aggregator")
RUN = f"qa{secrets.token_hex(3)}-"  # prefixes every merchant_order_id this run sends


def tagged(order: dict[str, Any]) -> dict[str, Any]:
    """`order` under this run's lower-case prefix: the orders a run leaves on a shared system
    are easy to find, and a server that upper-cases the id it echoes is caught."""
    kept = order["merchant_order_id"][-(64 - len(RUN)) :]  # the id's tail is what varies
    return {**order, "merchant_order_id": RUN + kept}


@REQUESTS
@given(order=orders(payment_method="ONLINE"))
def test_valid_online_order_is_created(order_api: Any, order: dict[str, Any]) -> None:
    """A valid ONLINE order gets 200, echoes its merchant_order_id and breaks no rule."""
    order = tagged(order)
    sent = order_api.create_order(order)
    assert sent.status == 200, sent.exchange.curl()
    assert sent.body["data"]["merchant_order_id"] == order["merchant_order_id"]
    assert order_api.check(sent) == []


@REQUESTS
@given(bad=invalid_orders())
def test_invalid_order_gets_the_error_envelope(
    order_api: Any, order_validator: Any, response_validator: Any, bad: Any
) -> None:
    """An order that breaks one rule of the contract is refused with a 400 error envelope."""
    assert bad.rule in {finding.constraint for finding in order_validator.check(bad.payload).errors}
    sent = order_api.create_order(bad.payload)
    assert sent.status == 400, sent.exchange.curl()
    assert sent.body["is_success"] is False
    assert sent.body["status_code"] == 400
    verdict = response_validator.check(
        sent.body, status=sent.status, headers=sent.exchange.response_headers
    )
    assert verdict.errors == ()


@settings(REQUESTS, max_examples=5)
@given(order=orders())
def test_replay_returns_the_same_order(order_api: Any, order: dict[str, Any]) -> None:
    """Sending the same order twice (a client retry) returns the same order_id both times."""
    order = tagged(order)
    first = order_api.create_order(order)
    again = order_api.create_order(order)
    assert (first.status, again.status) == (200, 200), again.exchange.curl()
    assert again.body["data"]["order_id"] == first.body["data"]["order_id"]


@REQUESTS
@given(method=st.sampled_from(["COD", "ONLINE"]), data=st.data())
def test_payment_fields_follow_the_payment_method(
    order_api: Any, order_strategies: Any, method: str, data: st.DataObject
) -> None:
    """ONLINE successes carry action, an integer payment_id and an aggregator; COD none."""
    order = tagged(data.draw(order_strategies.orders(payment_method=method), label="order"))
    sent = order_api.create_order(order)
    assert sent.status == 200, sent.exchange.curl()
    created = sent.body["data"]
    if method == "ONLINE":
        assert created["action"] == "map_payment"
        assert isinstance(created["payment_id"], int)
        assert created["payment_aggregator"]
    else:
        assert not set(PAYMENT_FIELDS) & set(created)


@settings(REQUESTS, max_examples=3)
@given(order=orders())
def test_order_without_access_key_is_refused(order_api: Any, order: dict[str, Any]) -> None:
    """A request without X-Access-Key is refused with 401 or 403, never created."""
    sent = order_api.create_order(tagged(order), access_key=None)
    assert sent.status in (401, 403), sent.exchange.curl()
    assert sent.body["is_success"] is False


@REQUESTS
@given(order=orders())
def test_validator_points_at_a_bad_pincode(order_validator: Any, order: dict[str, Any]) -> None:
    """Before anything is sent: a 5-digit PIN code is invalid, found at its JSON path."""
    assert order_validator.check(order).valid
    order["user"]["address"]["pincode"] = "56000"
    paths = [finding.path for finding in order_validator.check(order).errors]
    assert paths == ["$.user.address.pincode"]
