"""Properties of the strategies: valid orders are valid, edge cases reach the profile's
boundaries, each invalid order breaks exactly its rule, and envelopes pass (or break exactly
one rule of) the response validator.  The validators are the oracle throughout."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import ordercheck.strategies
from ordercheck.rules import ResponseValidator
from ordercheck.spec import PROFILE_LEVELS, PROFILES, RuleCatalogue, load_spec
from ordercheck.strategies import (
    InvalidOrder,
    breakable_rules,
    broken_envelopes,
    edge_case_orders,
    error_envelopes,
    invalid_orders,
    orders,
    sample,
    success_envelopes,
)
from ordercheck.validators import ConstraintViolation, RequestValidator

SPEC = load_spec()
CATALOGUE = RuleCatalogue(SPEC.request_schema)
VALIDATORS = {profile: RequestValidator(profile) for profile in PROFILES}
STRICT = VALIDATORS["strict"]
SLOW_OK = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
CORE = settings(max_examples=200, deadline=None, suppress_health_check=SLOW_OK)
# Invalid orders and edge cases cost more to draw (a complete order, then a breach; long
# strings and fifty SKUs): fewer examples each, with the per-rule test adding ~600 more.
BREACHES = settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
EDGES = settings(max_examples=50, deadline=None, suppress_health_check=SLOW_OK)
PER_RULE = settings(max_examples=5, deadline=None, suppress_health_check=SLOW_OK)


def error_rules(profile: str) -> set[str]:
    """The catalogue's rules that are errors under `profile`, read off the catalogue."""
    return {r.id for r in CATALOGUE if r.level in PROFILE_LEVELS[profile]}


def errors_of(verdict: Any) -> set[tuple[str, str]]:
    return {(f.constraint, f.path) for f in verdict.errors}


def expected_errors(bad: InvalidOrder) -> set[tuple[str, str]]:
    return {(bad.rule, bad.path), *((also, bad.path) for also in bad.also)}


def strings_in(value: Any, *, keys: bool = True) -> Iterator[str]:
    """Every string in a JSON value, property names included unless `keys` is false."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield key
            yield from strings_in(item, keys=keys)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item, keys=keys)


# ---------------------------------------------------------------------------- valid orders


@pytest.mark.parametrize("profile", PROFILES)
@CORE
@given(data=orders())
def test_orders_are_valid_under_every_profile(profile: str, data: dict[str, Any]) -> None:
    """Every order is valid, without a single warning, under the profile, and encodes."""
    verdict = VALIDATORS[profile].check(data)
    assert verdict.valid, verdict.errors
    assert not verdict.findings
    assert orjson.loads(orjson.dumps(data)) == data


@CORE
@given(order=orders())
def test_orders_read_like_indian_pharmacy_orders(order: dict[str, Any]) -> None:
    """Mobiles, PINs, rupee amounts, SKU ids and quantities look like real Indian orders."""
    user, address = order["user"], order["user"]["address"]
    assert re.fullmatch(r"[6-9][0-9]{9}", user["mobile"])
    assert re.fullmatch(r"[1-9][0-9]{5}", address["pincode"])
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", order["payable_amount"])
    assert float(order["payable_amount"]) > 0
    assert all(re.fullmatch(r"[1-9][0-9]{5}", sku) for sku in order["skus"])
    assert all(1 <= quantity <= 10 for quantity in order["skus"].values())
    assert address["name"].startswith(user["first_name"])
    if "email" in user:
        assert re.fullmatch(r"[a-z.]+[0-9]*@[a-z.]+", user["email"])


def test_orders_vary_like_real_traffic() -> None:
    """150 orders mix scripts, optional fields, payment methods and never repeat an id."""
    drawn = sample(orders(), 150, seed=11)
    first_names = "".join(o["user"]["first_name"] for o in drawn)
    assert re.search("[A-Za-z]", first_names) and re.search("[\u0900-\u097f]", first_names)
    assert re.search("[\u0b80-\u0bff\u0980-\u09ff\u0a80-\u0aff\u0a00-\u0a7f]", first_names)
    for optional in ("coupon_code", "prescriptions"):
        assert 0 < sum(optional in o for o in drawn) < len(drawn)
    assert {o["payment_method"] for o in drawn} == {"COD", "ONLINE"}
    assert len({o["merchant_order_id"] for o in drawn}) == len(drawn)


@CORE
@given(
    order=orders(payment_method="ONLINE", sku_ids=["117004", "139559", "340278"], coupons=["X1"])
)
def test_orders_use_the_users_options(order: dict[str, Any]) -> None:
    """The payment method, SKU catalogue and coupon list given are the only ones used."""
    assert order["payment_method"] == "ONLINE"
    assert set(order["skus"]) <= {"117004", "139559", "340278"}
    assert order.get("coupon_code", "X1") == "X1"


@settings(max_examples=50, deadline=None)
@given(order=orders(coupons=[]))
def test_orders_without_coupons_never_send_one(order: dict[str, Any]) -> None:
    """``coupons=[]`` means the user has no coupon to offer: no order carries one."""
    assert "coupon_code" not in order


@pytest.mark.parametrize(
    "arguments",
    [
        {"profile": "lenient"},
        {"payment_method": "CASH"},
        {"sku_ids": ["SKU-1"]},
        {"sku_ids": []},
        {"sku_ids": "117004"},
        {"coupons": ["has space"]},
    ],
    ids=["profile", "payment_method", "sku_id", "empty_catalogue", "one_string", "coupon"],
)
def test_orders_reject_arguments_the_spec_does_not_allow(arguments: dict[str, Any]) -> None:
    """Options are checked against the spec when the strategy is made, naming the argument."""
    with pytest.raises(InvalidArgument, match=next(iter(arguments))):
        orders(**arguments)


def test_shrinking_gives_small_readable_orders() -> None:
    """The smallest order with 3 SKUs has 3, quantity 1, no optional field, short strings."""
    order = find(orders(), lambda o: len(o["skus"]) >= 3)
    assert len(order["skus"]) == 3
    assert set(order["skus"].values()) == {1}
    assert set(order) == {"merchant_order_id", "payable_amount", "payment_method", "user", "skus"}
    assert set(order["user"]) == {"first_name", "mobile", "address"}
    assert all(len(text) <= 16 for text in strings_in(order, keys=False))


def test_the_same_seed_gives_the_same_orders() -> None:
    """`sample` with one seed repeats its values; another seed gives others."""
    assert sample(orders(), 15, seed=7) == sample(orders(), 15, seed=7)
    assert sample(orders(), 15, seed=7) != sample(orders(), 15, seed=8)


# ---------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("profile", PROFILES)
@EDGES
@given(data=st.data())
def test_edge_case_orders_are_valid_under_their_profile(profile: str, data: Any) -> None:
    """Every edge case is valid under its profile and encodes as JSON (no lone surrogate)."""
    order = data.draw(edge_case_orders(profile=profile))
    assert VALIDATORS[profile].check(order).valid, VALIDATORS[profile].check(order).errors
    orjson.dumps(order)


def _rule_value(rule_id: str, profile: str, default: Any) -> Any:
    return CATALOGUE[rule_id].value if rule_id in error_rules(profile) else default


@pytest.mark.parametrize("profile", PROFILES)
def test_edge_case_orders_reach_the_profiles_boundaries(profile: str) -> None:
    """100 edge cases reach every SKU, quantity, length and amount bound, and astral text."""
    from ordercheck.strategies._internal.edge_values import INT64, LONG_TEXT, MANY_ENTRIES

    drawn = sample(edge_case_orders(profile=profile), 100, seed=3)
    skus = [o["skus"] for o in drawn if isinstance(o.get("skus"), dict)]
    quantities = {q for basket in skus for q in basket.values()}
    most = _rule_value("skus:maxProperties", profile, MANY_ENTRIES)
    fewest = _rule_value("skus:minProperties", profile, 0)
    assert {fewest, most} <= {len(basket) for basket in skus}
    assert _rule_value("skus.*:minimum", profile, INT64[0]) in quantities
    assert _rule_value("skus.*:maximum", profile, INT64[1]) in quantities
    longest = _rule_value("merchant_order_id:maxLength", profile, LONG_TEXT)
    assert longest in {len(o.get("merchant_order_id", "")) for o in drawn}
    amounts = {o.get("payable_amount") for o in drawn}
    assert "0.01" in amounts
    assert ("0" in amounts) is (profile != "strict")
    texts = "".join(t for o in drawn for t in strings_in(o))
    assert any(ord(c) > 0xFFFF for c in texts)


def test_edge_case_orders_leave_optional_fields_out() -> None:
    """Edge cases leave optional fields out, send [] prescriptions, and {} under documented."""
    default = sample(edge_case_orders(), 60, seed=5)
    required = {"merchant_order_id", "payable_amount", "payment_method", "user", "skus"}
    assert any(set(o) == required for o in default)
    assert any(o.get("prescriptions") == [] for o in default)
    assert {} in sample(edge_case_orders(profile="documented"), 30, seed=5)


# ---------------------------------------------------------------------------- invalid orders


@pytest.mark.parametrize("profile", PROFILES)
def test_breakable_rules_are_every_error_rule_of_the_catalogue(profile: str) -> None:
    """`breakable_rules` is exactly the catalogue's error-level rules for the profile."""
    assert set(breakable_rules(profile=profile)) == error_rules(profile)
    assert len(breakable_rules(profile=profile)) == len(error_rules(profile))


@pytest.mark.parametrize("profile", PROFILES)
@BREACHES
@given(data=st.data())
def test_invalid_orders_break_exactly_their_rule(profile: str, data: Any) -> None:
    """The validator finds exactly the labelled rule (and `also`) at the labelled path."""
    bad = data.draw(invalid_orders(profile=profile))
    assert errors_of(VALIDATORS[profile].check(bad.payload)) == expected_errors(bad)
    assert bad.level == CATALOGUE[bad.rule].level
    orjson.dumps(bad.payload)


@pytest.mark.parametrize(
    ("profile", "rule"),
    [(profile, rule) for profile in PROFILES for rule in sorted(error_rules(profile))],
)
@PER_RULE
@given(data=st.data())
def test_every_error_rule_is_broken_alone(profile: str, rule: str, data: Any) -> None:
    """Each error-level rule of each profile, asked for by name, is broken exactly."""
    bad = data.draw(invalid_orders(profile=profile, rule=rule))
    assert bad.rule == rule
    assert errors_of(VALIDATORS[profile].check(bad.payload)) == expected_errors(bad)


def test_also_names_only_the_unavoidable() -> None:
    """Only payment_method:type carries `also` (a non-string is never COD or ONLINE)."""
    drawn = sample(invalid_orders(profile="documented", rule="payment_method:type"), 5, seed=1)
    assert {bad.also for bad in drawn} == {("payment_method:enum",)}
    others = sample(invalid_orders(profile="strict"), 120, seed=2)
    assert {bad.rule for bad in others if bad.also} <= {"payment_method:type"}


@pytest.mark.parametrize("profile", PROFILES)
def test_invalid_orders_read_short_in_hypothesis_messages(profile: str) -> None:
    """A strategy's repr names each breach by rule and kind, not by its plan's schema, so
    Hypothesis shows it whole and never warns that it is too large (an error here)."""
    one = invalid_orders(profile=profile, rule="body:type", kind="null")
    assert "breaking('body:type', 'null')" in repr(one)
    assert len(repr(one)) < 200
    catalogue = [str(100000 + n) for n in range(500)]
    assert len(repr(invalid_orders(profile=profile, sku_ids=catalogue))) < 30_000


def test_invalid_orders_reject_unknown_rules() -> None:
    """Asking for a rule that is not an error under the profile is an argument error."""
    with pytest.raises(InvalidArgument, match=re.escape("user.mobile:required")):
        invalid_orders(profile="documented", rule="user.mobile:required")


# ---------------------------------------------------------------------------- envelopes

RESPONSES = {profile: ResponseValidator(profile) for profile in PROFILES}


@pytest.mark.parametrize("method", ["COD", "ONLINE"])
@CORE
@given(data=st.data())
def test_success_envelopes_pass_the_response_validator(method: str, data: Any) -> None:
    """Successes validate with HTTP 200 against the request they answer (C7, C8 included)."""
    body = data.draw(success_envelopes(payment_method=method, merchant_order_id="MO-1"))
    request = {"merchant_order_id": "MO-1", "payment_method": method}
    assert RESPONSES["strict"].check(body, status=200, request=request).findings == ()


@CORE
@given(body=error_envelopes())
def test_error_envelopes_pass_the_response_validator(body: dict[str, Any]) -> None:
    """Errors validate with the HTTP status they carry."""
    assert RESPONSES["strict"].check(body, status=body["status_code"]).findings == ()


def test_error_envelopes_carry_the_given_message() -> None:
    """A fixed message is the error's message and the first of its errors."""
    for body in sample(error_envelopes(message="Could not acquire lock"), 10, seed=1):
        assert body["error"]["message"] == body["error"]["errors"][0]["message"]
        assert body["error"]["message"] == "Could not acquire lock"


@pytest.mark.parametrize("profile", PROFILES)
@BREACHES
@given(data=st.data())
def test_broken_envelopes_break_exactly_one_envelope_rule(profile: str, data: Any) -> None:
    """Exactly the labelled envelope rule breaks; other errors are only C3/C8 consequences."""
    broken = data.draw(broken_envelopes(profile=profile))
    errors = RESPONSES[profile].check(broken.body, status=broken.status).errors
    schema = {(f.id, f.path) for f in errors if isinstance(f, ConstraintViolation)}
    assert schema == {(broken.rule, broken.path), *((a, broken.path) for a in broken.also)}
    assert {f.id for f in errors} - {f[0] for f in schema} <= {"C3", "C8"}


# ---------------------------------------------------------------------------- the package


def test_all_lists_every_public_member() -> None:
    """`ordercheck.strategies.__all__` is exactly its public names, each defined inside it."""
    public = {
        name
        for name, value in vars(ordercheck.strategies).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert set(ordercheck.strategies.__all__) == public
    for name in ordercheck.strategies.__all__:
        assert getattr(ordercheck.strategies, name).__module__.startswith("ordercheck.strategies")


def test_invalid_order_is_a_frozen_value() -> None:
    """`InvalidOrder` is immutable, so a drawn example cannot be changed by a test."""
    bad = InvalidOrder({}, "body:type", "$", "documented", "array-for-object")
    with pytest.raises(AttributeError):
        bad.rule = "other"  # type: ignore[misc]
