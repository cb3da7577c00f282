"""A user's SKU catalogue and coupon list reach every strategy: valid orders, edge cases and
rule-breaking orders use only those SKU ids and coupon codes, so a real server refuses a
broken payload for its broken rule and never for an unknown SKU.  Only a rule about the SKU
ids or the coupon itself puts its breaking value in place of a catalogue one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ordercheck.json_tools import json_path
from ordercheck.spec import PROFILES
from ordercheck.strategies import (
    InvalidOrder,
    edge_case_orders,
    invalid_orders,
    orders,
    sample,
)
from ordercheck.validators import RequestValidator

# More ids than strict's 50-SKU bound, so even skus:maxProperties needs no made-up id.
CATALOGUE = tuple(str(117_000 + 7 * n) for n in range(60))
COUPONS = ("WELCOME25", "CARE12")
VALIDATORS = {profile: RequestValidator(profile) for profile in PROFILES}
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def foreign_skus(payload: Any) -> list[str]:
    """The SKU ids of the payload's ``skus`` map that are not in the catalogue."""
    skus = payload.get("skus") if isinstance(payload, dict) else None
    return [key for key in skus if key not in CATALOGUE] if isinstance(skus, dict) else []


def foreign_coupon(payload: Any, coupons: tuple[str, ...]) -> bool:
    """True when the payload carries a coupon code the user did not give."""
    return (
        isinstance(payload, dict)
        and "coupon_code" in payload
        and (payload["coupon_code"] not in coupons)
    )


def assert_only_catalogue(bad: InvalidOrder, coupons: tuple[str, ...]) -> None:
    """Catalogue SKUs and coupons only, save the one value that breaks a rule about them."""
    foreign = foreign_skus(bad.payload)
    if bad.rule == "skus:numeric-keys":
        assert [json_path(["skus", key]) for key in foreign] == [bad.path]
    else:
        assert foreign == [], bad
    if not bad.rule.startswith("coupon_code"):
        assert not foreign_coupon(bad.payload, coupons), bad


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_orders_use_only_the_catalogue(profile: str, data: Any) -> None:
    """Valid orders take every SKU id and coupon from the user's lists."""
    order = data.draw(orders(profile=profile, sku_ids=CATALOGUE, coupons=COUPONS))
    assert foreign_skus(order) == []
    assert not foreign_coupon(order, COUPONS)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_edge_cases_use_only_the_catalogue(profile: str, data: Any) -> None:
    """Edge cases take every SKU id and coupon from the user's lists, and stay valid."""
    order = data.draw(edge_case_orders(profile=profile, sku_ids=CATALOGUE, coupons=COUPONS))
    assert foreign_skus(order) == []
    assert not foreign_coupon(order, COUPONS)
    assert VALIDATORS[profile].check(order).valid


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_invalid_orders_use_only_the_catalogue(profile: str, data: Any) -> None:
    """Broken orders keep catalogue SKUs and coupons, save the value that breaks the rule."""
    bad = data.draw(invalid_orders(profile=profile, sku_ids=CATALOGUE, coupons=COUPONS))
    assert_only_catalogue(bad, COUPONS)
    errors = {(f.constraint, f.path) for f in VALIDATORS[profile].check(bad.payload).errors}
    assert errors == {(rule, bad.path) for rule in (bad.rule, *bad.also)}


def test_every_rule_is_broken_on_catalogue_orders() -> None:
    """Each strict rule, asked for by name, is broken on catalogue-only orders."""
    from ordercheck.strategies import breakable_rules

    for rule in breakable_rules(profile="strict"):
        strategy = invalid_orders(profile="strict", rule=rule, sku_ids=CATALOGUE, coupons=COUPONS)
        for bad in sample(strategy, 2, seed=3):
            assert bad.rule == rule
            assert_only_catalogue(bad, COUPONS)


def test_a_small_catalogue_still_breaks_the_sku_bound() -> None:
    """With 3 ids, skus:maxProperties still passes 50 SKUs: the ids it adds are made up."""
    small = CATALOGUE[:3]
    strategy = invalid_orders(profile="strict", rule="skus:maxProperties", sku_ids=small)
    for bad in sample(strategy, 3, seed=4):
        assert len(bad.payload["skus"]) > 50
        assert set(small) <= set(bad.payload["skus"])


def test_no_coupons_means_no_coupon_unless_the_coupon_rule_is_broken() -> None:
    """``coupons=[]``: edge and broken orders carry no coupon, except to break its rules."""
    assert all("coupon_code" not in o for o in sample(edge_case_orders(coupons=[]), 30, seed=1))
    for bad in sample(invalid_orders(profile="strict", coupons=[]), 120, seed=2):
        carries = isinstance(bad.payload, dict) and "coupon_code" in bad.payload
        assert carries <= bad.rule.startswith("coupon_code"), bad


@pytest.mark.parametrize("strategy", [edge_case_orders, invalid_orders], ids=lambda s: s.__name__)
@pytest.mark.parametrize(
    "arguments",
    [{"sku_ids": ["SKU-1"]}, {"sku_ids": []}, {"sku_ids": "117004"}, {"coupons": ["has space"]}],
    ids=["sku_id", "empty_catalogue", "one_string", "coupon"],
)
def test_catalogue_arguments_are_checked(strategy: Any, arguments: dict[str, Any]) -> None:
    """Edge and invalid strategies check `sku_ids` and `coupons` as `orders` does."""
    with pytest.raises(InvalidArgument, match=next(iter(arguments))):
        strategy(**arguments)
