"""The fast path (jsonschema-rs) and the precise path (jsonschema, the oracle) agree: on
validity, and on every finding, word for word and in the same order.

Payloads are a valid order mutated at random: fields deleted, replaced by arbitrary JSON, or
by the values where two engines are most likely to part ways (a trailing newline before
``$``, non-ASCII digits against ``[0-9]``, ``2.0`` and ``true`` against ``integer``, integers
beyond 64 bits, empty strings and containers, keys that read as numbers); the project's own
strategies (every rule broken in every profile, valid and edge-case orders, envelopes); and
arbitrary JSON.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordercheck.spec import PROFILES, Profile
from ordercheck.strategies import (
    breakable_rules,
    broken_envelopes,
    edge_case_orders,
    error_envelopes,
    invalid_orders,
    orders,
    success_envelopes,
)
from ordercheck.validators import EnvelopeValidator, RequestValidator

BASE: dict[str, Any] = {
    "merchant_order_id": "MO-1",
    "payable_amount": "499.00",
    "payment_method": "ONLINE",
    "coupon_code": "FIRST50",
    "user": {
        "first_name": "प्रिया",
        "last_name": "Verma",
        "email": "priya@example.in",
        "mobile": "8123456789",
        "address": {
            "pincode": "110001",
            "name": "Priya Verma",
            "street1": "45 Connaught Place",
            "street2": "Block B",
            "contact_number": "8123456789",
            "type": "office",
        },
    },
    "prescriptions": ["https://rx.example.com/1.jpg"],
    "skus": {"117004": 2, "139559": 1},
}

# Every place a value lives, plus a few that do not exist yet (unknown fields).
PLACES: list[tuple[str, ...]] = [
    (),
    ("merchant_order_id",),
    ("payable_amount",),
    ("payment_method",),
    ("coupon_code",),
    ("user",),
    ("user", "first_name"),
    ("user", "last_name"),
    ("user", "email"),
    ("user", "mobile"),
    ("user", "address"),
    ("user", "address", "pincode"),
    ("user", "address", "name"),
    ("user", "address", "street1"),
    ("user", "address", "street2"),
    ("user", "address", "contact_number"),
    ("user", "address", "type"),
    ("prescriptions",),
    ("prescriptions", "0"),
    ("skus",),
    ("skus", "117004"),
    ("skus", "१२३"),
    ("skus", "12\n"),
    ("skus", "01"),
    ("skus", "1"),
    ("skus", ""),
    ("gift_wrap",),
    ("user", "age"),
    ("user", "address", "landmark"),
]

TRICKY_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "COD",
        "ONLINE",
        "COD\n",
        "499.00",
        "499.00\n",
        "0.00",
        "499.999",
        "١٢٣٤٥٦",
        "५६०००१",
        "560001",
        "560001\n",
        "056001",
        "9876543210",
        "9876543210\n",
        "٩٨٧٦٥٤٣٢١٠",
        "a@b.c",
        "a@b.c\n",
        "x" * 256,
        "M" * 65,
        "FIRST-50_ok",
    ]
)
TRICKY_NUMBERS = st.sampled_from(
    [0, 1, 2, 100, 101, -1, 0.0, 1.0, 2.0, 2.5, 100.0, 101.0, 1e300, 2**63, 2**64, -(2**70)]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | TRICKY_STRINGS
    | TRICKY_NUMBERS
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6) | TRICKY_STRINGS, inner, max_size=3)
    ),
    max_leaves=6,
)
DELETE = object()
MUTATIONS = st.lists(
    st.tuples(st.sampled_from(PLACES), st.just(DELETE) | JSON_VALUES), min_size=1, max_size=3
)


def _node_at(payload: Any, steps: tuple[str, ...]) -> Any:
    """The value at `steps` (list indexes as digit strings), or None when it is gone."""
    node = payload
    for step in steps:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


def mutate(mutations: list[tuple[tuple[str, ...], Any]]) -> Any:
    """Apply (place, value) mutations to a copy of BASE; places that vanished are skipped."""
    payload: Any = copy.deepcopy(BASE)
    for place, value in mutations:
        if not place:
            payload = payload if value is DELETE else copy.deepcopy(value)
            continue
        parent, key = _node_at(payload, place[:-1]), place[-1]
        if isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
            if value is DELETE:
                del parent[int(key)]
            else:
                parent[int(key)] = copy.deepcopy(value)
        elif isinstance(parent, dict):
            if value is DELETE:
                parent.pop(key, None)
            else:
                parent[key] = copy.deepcopy(value)
    return payload


@cache
def validator(profile: Profile) -> RequestValidator:
    return RequestValidator(profile)


def clean_answer(v: RequestValidator, payload: Any) -> bool | None:
    """The validate command's clean test, or None for a value jsonschema-rs cannot take."""
    try:
        return v.clean_test()(payload)
    except (ValueError, OverflowError):  # UnicodeEncodeError is a ValueError
        return None


@pytest.mark.parametrize("profile", PROFILES)
@settings(
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutations=MUTATIONS)
def test_fast_and_precise_paths_agree(profile: Profile, mutations: Any) -> None:
    """For any mutated order, `is_valid` (fast, on the schema reshaped for speed) is True
    exactly when the precise path finds no error-severity finding, in each profile, and the
    clean test exactly when it finds nothing at all."""
    payload = mutate(mutations)
    v = validator(profile)
    findings = v.findings(payload, precise=True)
    errors = [f for f in findings if f.severity == "error"]
    assert v.is_valid(payload) == (not errors), errors
    assert v.check(payload).valid == (not errors)
    assert clean_answer(v, payload) in (None, not findings), findings


@pytest.mark.parametrize("profile", PROFILES)
def test_generator_reaches_both_outcomes(profile: Profile) -> None:
    """The mutations above produce valid and invalid payloads, so agreement means something."""
    v = validator(profile)
    assert v.is_valid(mutate([(("coupon_code",), DELETE)]))
    assert not v.is_valid(mutate([(("skus", "117004"), "2")]))
    assert v.is_valid(mutate([(("skus", "117004"), 2.0)]))
    assert not v.is_valid(mutate([(("skus", "117004"), True)]))


SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same_findings(v: RequestValidator, payload: Any) -> None:
    """The fast explanations are the precise ones: same rules, paths, levels, severities,
    words and order."""
    assert v.findings(payload) == v.findings(payload, precise=True)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(mutations=MUTATIONS)
def test_fast_explanations_equal_precise_ones_on_mutated_orders(
    profile: Profile, mutations: Any
) -> None:
    """For any mutated order, jsonschema-rs's findings equal jsonschema's, in order."""
    assert_same_findings(validator(profile), mutate(mutations))


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(payload=JSON_VALUES)
def test_fast_explanations_equal_precise_ones_on_any_json(profile: Profile, payload: Any) -> None:
    """For arbitrary JSON as a body, the two engines' findings are equal, and the clean test
    agrees with them."""
    v = validator(profile)
    assert_same_findings(v, payload)
    assert clean_answer(v, payload) in (None, not v.findings(payload, precise=True))


def _rules() -> list[Any]:
    return [
        pytest.param(profile, rule, id=f"{profile}-{rule}")
        for profile in PROFILES
        for rule in breakable_rules(profile=profile)
    ]


@pytest.mark.parametrize(("profile", "rule"), _rules())
@settings(SETTINGS, max_examples=8)
@given(data=st.data())
def test_fast_explanations_equal_precise_ones_for_every_rule(
    profile: Profile, rule: str, data: st.DataObject
) -> None:
    """Each rule of each profile, broken by `invalid_orders`, is explained alike by both
    engines, and the fast path explains it without asking jsonschema."""
    bad = data.draw(invalid_orders(profile=profile, rule=rule))
    v = validator(profile)
    fallbacks = v.precise_fallbacks
    assert rule in {f.constraint for f in v.findings(bad.payload)}
    assert v.precise_fallbacks == fallbacks
    assert_same_findings(v, bad.payload)


@pytest.mark.parametrize("profile", PROFILES)
@settings(SETTINGS, max_examples=30)
@given(data=st.data())
def test_fast_explanations_equal_precise_ones_on_valid_and_edge_orders(
    profile: Profile, data: st.DataObject
) -> None:
    """Valid and edge-case orders (clean under their profile, with warnings under a laxer
    one) get equal findings from both engines, under every profile."""
    payload = data.draw(orders(profile=profile) | edge_case_orders(profile=profile))
    for judge in PROFILES:
        assert_same_findings(validator(judge), payload)


@cache
def envelope_validator(profile: Profile) -> EnvelopeValidator:
    return EnvelopeValidator(profile)


@pytest.mark.parametrize("profile", PROFILES)
@settings(SETTINGS, max_examples=100)
@given(data=st.data())
def test_envelope_explanations_agree(profile: Profile, data: st.DataObject) -> None:
    """Response envelopes, valid, broken or arbitrary, get equal findings from both engines."""
    drawn = data.draw(
        success_envelopes().map(lambda body: (body, 200))
        | error_envelopes().map(lambda body: (body, 400))
        | broken_envelopes(profile=profile).map(lambda bad: (bad.body, bad.status))
        | st.tuples(JSON_VALUES, st.sampled_from([None, 200, 400]))
    )
    body, status = drawn
    v = envelope_validator(profile)
    assert v.violations(body, status=status) == v.violations(body, status=status, precise=True)


def test_findings_come_in_document_order_then_rule() -> None:
    """Findings follow the payload's own key order (a missing field after its object's
    keys), then the rule's place in the spec; moving a field moves its findings."""
    v = validator("strict")
    payload = mutate(
        [
            (("skus", "117004"), 0),
            (("payable_amount",), 499),
            (("user", "mobile"), "12"),
            (("user", "first_name"), DELETE),
            (("gift_wrap",), True),
        ]
    )
    paths = [f.path for f in v.findings(payload)]
    assert paths == [
        "$.payable_amount",
        "$.user.mobile",
        "$.user.first_name",
        "$.skus['117004']",
        "$.gift_wrap",
    ]
    moved = {"gift_wrap": payload.pop("gift_wrap"), **payload}
    assert v.findings(moved)[0].path == "$.gift_wrap"
    both = v.findings(mutate([(("payment_method",), ["COD"])]))
    assert [f.constraint for f in both] == ["payment_method:type", "payment_method:enum"]
