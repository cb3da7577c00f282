"""Every rule broken every way: each (rule, kind) pair that `violation_kinds` lists is drawn
quickly, without failing a health check, labelled with its rule and kind, and rejected by
the real validator for exactly that rule at that path; and across the catalogue every class
of violation the issue names is produced for some rule."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ordercheck.spec import PROFILES, RuleCatalogue, load_spec
from ordercheck.strategies import (
    InvalidOrder,
    breakable_rules,
    invalid_orders,
    sample,
    violation_kinds,
)
from ordercheck.validators import RequestValidator

CATALOGUE = RuleCatalogue(load_spec().request_schema)
VALIDATORS = {profile: RequestValidator(profile) for profile in PROFILES}
PAIRS = [
    (profile, rule, kind)
    for profile in PROFILES
    for rule in breakable_rules(profile=profile)
    for kind in violation_kinds(rule, profile=profile)
]
REQUIRED_FIELDS = {r.field for r in CATALOGUE if r.keyword == "required"}
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def value_at(payload: Any, path: str) -> Any:
    """The value a JSON path such as ``$.skus['117004']`` or ``$.prescriptions[0]`` names."""
    for name, index, quoted in _STEP.findall(path[1:]):
        payload = payload[int(index)] if index else payload[name or quoted]
    return payload


def one(profile: str, rule: str, kind: str) -> InvalidOrder:
    """One payload of the pair, drawn the way `ordercheck generate` draws."""
    return sample(invalid_orders(profile=profile, rule=rule, kind=kind), 1, seed=5)[0]


def assert_rejected_exactly(profile: str, bad: InvalidOrder) -> None:
    """The validator names the labelled rule (and `also`) at the labelled path, nothing else."""
    errors = {(f.constraint, f.path) for f in VALIDATORS[profile].check(bad.payload).errors}
    assert errors == {(rule, bad.path) for rule in (bad.rule, *bad.also)}, bad
    json.dumps(bad.payload, allow_nan=False)  # JSON, if not always 64-bit JSON


@pytest.mark.parametrize(("profile", "rule", "kind"), PAIRS, ids=[":".join(p) for p in PAIRS])
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_every_listed_kind_breaks_exactly_its_rule(
    profile: str, rule: str, kind: str, data: Any
) -> None:
    """Each (rule, kind) draws under default health checks and breaks exactly its rule."""
    bad = data.draw(invalid_orders(profile=profile, rule=rule, kind=kind))
    assert (bad.rule, bad.kind) == (rule, kind)
    assert_rejected_exactly(profile, bad)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_mixed_draws_name_a_listed_kind(profile: str, data: Any) -> None:
    """Unfiltered draws carry a kind their rule lists, never an on-request huge integer."""
    bad = data.draw(invalid_orders(profile=profile))
    assert bad.kind in violation_kinds(bad.rule, profile=profile)
    assert bad.kind != "huge-integer"


def kinds_of(rule: str, profile: str = "strict") -> tuple[str, ...]:
    return violation_kinds(rule, profile=profile)


def test_type_rules_get_every_wrong_type_that_applies() -> None:
    """Booleans for integers, numbers for strings, strings for integers, containers for
    scalars, null in optional and required fields: derived from the expected type."""
    assert {"boolean-for-integer", "string-for-integer", "container-for-scalar"} <= set(
        kinds_of("skus.*:type")
    )
    assert {"number-for-string", "container-for-scalar", "null"} <= set(
        kinds_of("payable_amount:type")
    )
    null_fields = {r.field for p, r_id, k in PAIRS if k == "null" for r in [CATALOGUE[r_id]]}
    assert null_fields & REQUIRED_FIELDS and null_fields - REQUIRED_FIELDS
    assert "number-for-string" not in kinds_of("skus.*:type")
    assert "boolean-for-integer" not in kinds_of("payable_amount:type")


@pytest.mark.parametrize(
    ("rule", "kind", "looks_like"),
    [
        ("skus.*:type", "boolean-for-integer", lambda v: v is True or v is False),
        ("payable_amount:type", "number-for-string", lambda v: isinstance(v, int | float)),
        ("payable_amount:type", "null", lambda v: v is None),
        ("coupon_code:type", "null", lambda v: v is None),
        ("skus.*:type", "string-for-integer", lambda v: isinstance(v, str)),
        ("user.first_name:type", "container-for-scalar", lambda v: isinstance(v, list | dict)),
        ("payable_amount:pattern", "extra-decimal", lambda v: len(v.split(".")[1]) >= 3),
        ("user.address.pincode:pattern", "too-short", lambda v: re.fullmatch("[0-9]{5}", v)),
        ("user.address.pincode:pattern", "too-long", lambda v: re.fullmatch("[0-9]{7}", v)),
        ("user.address.pincode:pattern", "trailing-newline", lambda v: v.endswith("\n")),
        ("user.address.pincode:pattern", "leading-zero", lambda v: v.startswith("0")),
        ("user.mobile:pattern", "empty", lambda v: v == ""),
        ("user.mobile:pattern", "whitespace-only", lambda v: v and not v.strip()),
        ("skus.*:minimum", "boundary", lambda v: v == 0),
        ("skus.*:maximum", "boundary", lambda v: v == 101),
        ("merchant_order_id:maxLength", "too-long", lambda v: len(v) == 65),
        ("user.first_name:minLength", "empty", lambda v: v == ""),
        ("skus:minProperties", "empty", lambda v: v == {}),
        ("skus:maxProperties", "too-many", lambda v: len(v) == 51),
        ("payable_amount:type", "huge-integer", lambda v: len(str(abs(v))) >= 1000),
        ("skus.*:maximum", "huge-integer", lambda v: v > 10**999),
    ],
)
def test_each_class_of_violation_is_produced(rule: str, kind: str, looks_like: Any) -> None:
    """Every class the issue names comes out, on a rule it breaks, with the value it names."""
    assert kind in kinds_of(rule)
    bad = one("strict", rule, kind)
    assert looks_like(value_at(bad.payload, bad.path)), bad
    assert_rejected_exactly("strict", bad)


def test_whitespace_only_is_no_violation_of_min_length_one() -> None:
    """A blank name is non-empty: whitespace-only is not a kind of ``minLength: 1``."""
    assert "whitespace-only" not in kinds_of("user.first_name:minLength")
    assert "whitespace-only" in kinds_of("merchant_order_id:pattern")


def test_kinds_follow_the_profile() -> None:
    """An empty amount breaks only the pattern under default; under strict it is zero too."""
    assert "empty" in kinds_of("payable_amount:pattern", "default")
    assert "empty" not in kinds_of("payable_amount:pattern", "strict")


def test_the_catalogue_has_every_class() -> None:
    """Across the strict catalogue, every kind of the issue's list is listed for some rule."""
    listed = {kind for profile, _, kind in PAIRS if profile == "strict"}
    assert listed >= {
        "boolean-for-integer",
        "null",
        "number-for-string",
        "string-for-integer",
        "container-for-scalar",
        "extra-decimal",
        "too-short",
        "too-long",
        "trailing-newline",
        "leading-zero",
        "empty",
        "whitespace-only",
        "boundary",
        "too-many",
        "huge-integer",
        "missing",
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "null"}, "needs a rule"),
        ({"rule": "skus.*:minimum", "kind": "null"}, "does not break"),
        ({"rule": "user.mobile:required", "profile": "documented"}, "not an error-level"),
    ],
    ids=["kind_without_rule", "kind_not_for_rule", "rule_not_in_profile"],
)
def test_kind_arguments_are_checked(arguments: dict[str, Any], message: str) -> None:
    """A kind without a rule, or one that does not apply, is a one-line argument error."""
    with pytest.raises(InvalidArgument, match=message) as caught:
        invalid_orders(**arguments)
    assert "\n" not in str(caught.value)


def test_violation_kinds_rejects_unknown_rules() -> None:
    """`violation_kinds` of a rule that is not breakable under the profile is an error."""
    with pytest.raises(InvalidArgument, match=re.escape("user.mobile:pattern")):
        violation_kinds("user.mobile:pattern", profile="default")
