"""`invalid_orders()`: payloads that break exactly one error-level rule of a profile.

The rules come from `RuleCatalogue(spec.request_schema)` filtered by the profile's levels,
and each is broken on a complete, realistic, strict-valid order (see `rule_breaking`).
Under ``documented`` no field is required, so no ``:required`` rule is an error there and
none is broken.  ``{}`` is never drawn under ``default`` or ``strict``: it breaks every
required rule at once, which no single label can honestly describe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ordercheck.spec import Level, Profile, Spec
from ordercheck.strategies._internal.order_options import order_options
from ordercheck.strategies._internal.order_realism import OrderOptions, catalogue_keys
from ordercheck.strategies._internal.orders import build_orders
from ordercheck.strategies._internal.rule_breaking import Breach, plans
from ordercheck.strategies._internal.spec_model import SchemaModel, model_for, profile_argument


@dataclass(frozen=True)
class InvalidOrder:
    """A payload and the one rule it breaks, where, and at which level.

    `also` is empty except where the spec makes it impossible to break `rule` alone (a
    ``payment_method`` that is not a string is never ``COD`` or ``ONLINE`` either): it then
    names the rules that necessarily break with it, at the same path.
    """

    payload: Any
    rule: str
    path: str
    level: Level
    also: tuple[str, ...] = ()


@cache
def _complete_orders(model: SchemaModel, options: OrderOptions) -> st.SearchStrategy[Any]:
    # Every optional field present and every array non-empty: each rule has a place to break.
    return build_orders(model, options, complete=True)


def breakable_rules(*, profile: str = "default", spec: Spec | None = None) -> tuple[str, ...]:
    """The ids of the rules `invalid_orders` breaks under `profile`, in catalogue order:
    every rule of the catalogue that is an error there (a rule the validators cannot fail,
    such as a ``format``, would be left out)."""
    return tuple(plans(model_for(spec).request, profile_argument(profile)))


def _invalid_order(breach: Breach) -> InvalidOrder:
    return InvalidOrder(
        breach.document, breach.rule.id, breach.path, breach.rule.level, breach.also
    )


def invalid_orders(
    *,
    profile: str = "default",
    spec: Spec | None = None,
    rule: str | None = None,
    sku_ids: Iterable[str] | None = None,
    coupons: Iterable[str] | None = None,
) -> st.SearchStrategy[InvalidOrder]:
    """Payloads that break exactly one rule that is an error under `profile`, each labelled
    with the rule id (as in `RuleCatalogue`), the JSON path the validator reports and the
    rule's level.  Over a run every such rule gets broken; `rule` picks one.

    With `sku_ids` and `coupons` (checked as `orders` checks them), payloads use only those
    SKU ids and coupon codes, so a real server refuses them for the broken rule and not for
    an unknown SKU; only a rule about the SKU ids or the coupon itself
    (``skus:numeric-keys``, ``coupon_code:pattern``...) puts its breaking value in place of
    a catalogue one, and ``skus:maxProperties`` makes up ids when the catalogue has too few
    to pass the bound.

    >>> from hypothesis import find
    >>> bad = find(invalid_orders(rule="skus.*:minimum"), lambda o: True)
    >>> bad.rule, bad.path.startswith("$.skus[")
    ('skus.*:minimum', True)
    """
    checked = profile_argument(profile)
    model = model_for(spec).request
    options = order_options(model, sku_ids=sku_ids, coupons=coupons)
    if rule is not None and rule not in plans(model, checked):
        raise InvalidArgument(
            f"rule={rule!r} is not an error-level rule under profile={profile!r}; "
            f"choose one of breakable_rules(profile={profile!r})"
        )
    return _breaching(model, checked, rule, options)


@cache
def _breaching(
    model: SchemaModel, profile: Profile, rule: str | None, options: OrderOptions
) -> st.SearchStrategy[InvalidOrder]:
    by_rule = plans(model, profile)
    bases = _complete_orders(model, options)
    pools = catalogue_keys(options)
    chosen = [by_rule[rule]] if rule is not None else list(by_rule.values())
    breaches = [plan.breaches(bases, pools.get(plan.rule.field, ())) for plan in chosen]
    return st.one_of(breaches).map(_invalid_order) if breaches else st.nothing()
