"""Each broken variant of the independent implementation really has its defect: a request
made by hand shows it on the variant and not on the conformant server.  (Whether ordercheck
finds it is `test_independent_fuzz.py`'s question; this file makes sure there is a defect
to find.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from independent import ACCESS_KEY, LOCK_MESSAGE, CreateOrder, serving
from independent.client import SOLD, burst, order, post
from independent.variants import VARIANTS

# A probe sends its request(s) to a base URL and says whether the defect showed.
Probe = Callable[[str], bool]


def accepts(**change: Any) -> Probe:
    """The defect: an order with `change` (which breaks a rule) is accepted."""
    return lambda url: post(url, order(**change)).status_code == 200


def crashes(**change: Any) -> Probe:
    """The defect: an order with `change` gets a 5xx."""
    return lambda url: post(url, order(**change)).status_code >= 500


def pin(value: Any) -> dict[str, Any]:
    """The change that gives an order this PIN code."""
    return {"address_changes": {"pincode": value}}


def echo_differs(merchant_order_id: str) -> Probe:
    """The defect: the success does not echo this merchant_order_id exactly."""

    def probe(url: str) -> bool:
        reply = post(url, order(merchant_order_id=merchant_order_id))
        return bool(reply.json()["data"]["merchant_order_id"] != merchant_order_id)

    return probe


def key_accepted(key: str | None) -> Probe:
    """The defect: an order sent with this wrong key is accepted."""
    return lambda url: post(url, order(), key=key).status_code == 200


def huge_pincode(url: str) -> bool:
    """A PIN code of 3,001 digits, as a number: the defect is a 5xx."""
    text = json.dumps(order(**pin("HUGE"))).replace('"HUGE"', str(10**3000))
    return post(url, raw=text.encode()).status_code >= 500


def status_code_float(url: str) -> bool:
    """The defect: a success says a status_code that is a float."""
    return isinstance(post(url, order()).json()["status_code"], float)


def auth_plain_text(url: str) -> bool:
    """The defect: a 401 that is not JSON."""
    reply = post(url, order(), key="wrong")
    return reply.status_code == 401 and not reply.headers["Content-Type"].startswith(
        "application/json"
    )


def auth_without_request_id(url: str) -> bool:
    """The defect: a 401 without an X-Request-ID."""
    reply = post(url, order(), key="wrong")
    return reply.status_code == 401 and not reply.headers.get("X-Request-ID")


def lock_other_message(url: str) -> bool:
    """The defect: a burst's losers get a 400 that is not the page's lock error."""
    refused = [r for r in burst(url, order()) if r.status_code == 400]
    return any(r.json()["error"]["message"] != LOCK_MESSAGE for r in refused)


def burst_no_winner(url: str) -> bool:
    """The defect: no request of a burst creates the order."""
    return all(r.status_code != 200 for r in burst(url, order()))


PROBES: dict[str, Probe] = {
    "numeric_amount": accepts(payable_amount=499),
    "boolean_quantity": accepts(skus={SOLD[0]: True}),
    "number_for_string": accepts(**pin(560001)),
    "amount_three_decimals": accepts(payable_amount="499.001"),
    "pin_length_off_by_one": accepts(**pin("56001")),
    "pin_leading_zero": accepts(**pin("060001")),
    "dollar_before_newline": accepts(**pin("560001\n")),
    "unicode_digits": accepts(payable_amount="४९९.००"),
    "empty_required_string": accepts(user_changes={"first_name": ""}),
    "blank_skips_pattern": accepts(**pin("      ")),
    "null_coupon_crashes": crashes(coupon_code=None),
    "null_required_crashes": crashes(user_changes={"first_name": None}),
    "huge_integer_crashes": huge_pincode,
    "missing_key_crashes": lambda url: post(url, order(), key=None).status_code >= 500,
    "echo_truncated": echo_differs("m" * 100),
    "echo_trimmed": echo_differs(" spaced "),
    "echo_nfc": echo_differs("cafe\u0301"),
    "echo_nfkc": echo_differs("ＡＢＣ１２３"),
    "status_code_float": status_code_float,
    "empty_key_accepted": key_accepted(""),
    "key_prefix_accepted": key_accepted(ACCESS_KEY[:6]),
    "key_case_insensitive": key_accepted(ACCESS_KEY.upper()),
    "auth_plain_text": auth_plain_text,
    "auth_without_request_id": auth_without_request_id,
    "lock_other_message": lock_other_message,
    "burst_no_winner": burst_no_winner,
}


def test_every_variant_has_a_probe_and_a_contract_rule() -> None:
    """The probes cover the registry exactly, and each variant names a rule C1 to C13."""
    assert set(PROBES) == set(VARIANTS)
    rules = {f"C{n}" for n in range(1, 14)}
    for variant in VARIANTS.values():
        assert variant.rule in rules and set(variant.consequences) <= rules
        assert variant.description and variant.rule not in variant.consequences


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_variant_has_its_defect(name: str) -> None:
    """The probe shows the defect on the variant, and not on the conformant server."""
    probe = PROBES[name]
    with serving(VARIANTS[name].build()) as url:
        assert probe(url), f"{name}: {VARIANTS[name].description}: not seen"
    with serving(CreateOrder(processing_s=VARIANTS[name].processing_s or 0.03)) as url:
        assert not probe(url), f"{name}: the conformant server shows it too"
