"""The strategies follow the spec they are given: a changed copy of the bundled spec (a
tighter PIN pattern, a new required field, a new optional one with a pattern, fewer SKUs)
changes what is generated and what is broken, with no code changed."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordercheck.spec import PROFILES, Spec, load_spec
from ordercheck.strategies import (
    breakable_rules,
    edge_case_orders,
    from_spec,
    invalid_orders,
    orders,
    sample,
)
from ordercheck.validators import RequestValidator

BENGALURU_PIN = "^56[0-9]{4}$"
CHANNELS = ["web", "app", "whatsapp"]
LOYALTY_ID = "^L[0-9]{8}$"


def changed_spec() -> Spec:
    """The bundled spec with four changes a team might make."""
    document = copy.deepcopy(load_spec().document)
    schemas = document["components"]["schemas"]
    request = schemas["CreateOrderRequest"]
    schemas["Address"]["properties"]["pincode"]["allOf"][0]["pattern"] = BENGALURU_PIN
    request["properties"]["channel"] = {
        "type": "string",
        "x-provenance": "documented",
        "allOf": [{"x-provenance": "inferred", "enum": CHANNELS}],
    }
    request["allOf"][0]["required"].append("channel")
    request["properties"]["loyalty_id"] = {
        "type": "string",
        "x-provenance": "documented",
        "allOf": [{"x-provenance": "inferred", "pattern": LOYALTY_ID}],
    }
    skus = schemas["Skus"]["allOf"]
    next(block for block in skus if "maxProperties" in block)["maxProperties"] = 3
    return Spec(document)


CHANGED = changed_spec()
VALIDATORS = {profile: RequestValidator(profile, spec=CHANGED) for profile in PROFILES}
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
NEW_RULES = {
    "channel:required",
    "channel:enum",
    "channel:type",
    "loyalty_id:type",
    "loyalty_id:pattern",
}


@SETTINGS
@given(order=from_spec(CHANGED))
def test_orders_follow_the_changed_spec(order: dict[str, Any]) -> None:
    """Orders follow every change and pass the changed spec's validators, all profiles."""
    assert order["channel"] in CHANNELS
    assert re.fullmatch(BENGALURU_PIN, order["user"]["address"]["pincode"])
    assert re.fullmatch(LOYALTY_ID, order.get("loyalty_id", "L00000000"))
    assert len(order["skus"]) <= 3
    for validator in VALIDATORS.values():
        assert validator.check(order).findings == ()


def test_the_bundled_spec_gives_other_orders() -> None:
    """On the bundled spec there is no channel and PINs leave 56xxxx: the test can fail."""
    drawn = sample(orders(), 60, seed=4)
    assert all("channel" not in order for order in drawn)
    assert any(not order["user"]["address"]["pincode"].startswith("56") for order in drawn)


@pytest.mark.parametrize("profile", ["default", "strict"])
def test_new_rules_are_breakable(profile: str) -> None:
    """The new rules join the breakable set, next to every rule of the bundled spec."""
    rules = set(breakable_rules(profile=profile, spec=CHANGED))
    assert rules >= NEW_RULES
    assert rules - NEW_RULES == set(breakable_rules(profile=profile))


@pytest.mark.parametrize(
    "rule", sorted(NEW_RULES | {"user.address.pincode:pattern", "skus:maxProperties"})
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_invalid_orders_break_the_changed_rules(rule: str, data: Any) -> None:
    """Each new or changed rule is broken exactly, as the changed spec's validator sees it."""
    bad = data.draw(invalid_orders(profile="strict", spec=CHANGED, rule=rule))
    errors = {(f.constraint, f.path) for f in VALIDATORS["strict"].check(bad.payload).errors}
    assert errors == {(bad.rule, bad.path), *((also, bad.path) for also in bad.also)}


def test_a_broken_pin_can_be_valid_elsewhere_in_india() -> None:
    """Some PINs that break the tighter pattern are valid Indian PINs: the new rule broke."""
    drawn = sample(
        invalid_orders(profile="strict", spec=CHANGED, rule="user.address.pincode:pattern"),
        80,
        seed=9,
    )
    pins = [bad.payload["user"]["address"]["pincode"] for bad in drawn]
    assert any(isinstance(pin, str) and re.fullmatch("[1-9][0-9]{5}", pin) for pin in pins)


def test_edge_cases_reach_the_changed_bounds() -> None:
    """Under strict, edge cases of the changed spec reach three SKUs and never go past."""
    drawn = sample(edge_case_orders(profile="strict", spec=CHANGED), 40, seed=6)
    counts = {len(order["skus"]) for order in drawn}
    assert max(counts) == 3
    assert all(VALIDATORS["strict"].check(order).valid for order in drawn)
