"""`invalid_orders()`: payloads that break exactly one error-level rule of a profile, and say
which rule, where, and with which kind of value.

The rules come from `RuleCatalogue(spec.request_schema)` filtered by the profile's levels,
and each is broken on a complete, realistic, strict-valid order (see `rule_breaking`), in
every kind of violation that applies to it (see `violation_values` for the kinds).  Under
``documented`` no field is required, so no ``:required`` rule is an error there and none is
broken.  ``{}`` is never drawn under ``default`` or ``strict``: it breaks every required
rule at once, which no single label can honestly describe.
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
from ordercheck.strategies._internal.rule_breaking import Breach, Plan, mixed_breaches, plans
from ordercheck.strategies._internal.spec_model import SchemaModel, model_for, profile_argument


@dataclass(frozen=True)
class InvalidOrder:
    """A payload and the one rule it breaks, where, at which level and with which kind of
    value (``null``, ``number-for-string``, ``boundary``... see `violation_kinds`).

    `also` is empty except where the spec makes it impossible to break `rule` alone (a
    ``payment_method`` that is not a string is never ``COD`` or ``ONLINE`` either): it then
    names the rules that necessarily break with it, at the same path.
    """

    payload: Any
    rule: str
    path: str
    level: Level
    kind: str
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


def _plan(rule: str, profile: str, spec: Spec | None) -> Plan:
    found = plans(model_for(spec).request, profile_argument(profile)).get(rule)
    if found is None:
        raise InvalidArgument(
            f"rule={rule!r} is not an error-level rule under profile={profile!r}; "
            f"choose one of breakable_rules(profile={profile!r})"
        )
    return found


def violation_kinds(
    rule: str, *, profile: str = "default", spec: Spec | None = None
) -> tuple[str, ...]:
    """The kinds of violation `invalid_orders` draws for `rule` under `profile`: those that
    break exactly that rule, derived from its keyword and the types the spec expects.

    >>> violation_kinds("skus.*:minimum")
    ('boundary', 'negative', 'huge-integer')

    ``huge-integer`` (thousands of digits, beyond 64-bit JSON encoders) is drawn only when
    asked for with ``kind=``.
    """
    return _plan(rule, profile, spec).kinds


def _invalid_order(breach: Breach) -> InvalidOrder:
    rule = breach.rule
    return InvalidOrder(breach.document, rule.id, breach.path, rule.level, breach.kind, breach.also)


def invalid_orders(
    *,
    profile: str = "default",
    spec: Spec | None = None,
    rule: str | None = None,
    kind: str | None = None,
    sku_ids: Iterable[str] | None = None,
    coupons: Iterable[str] | None = None,
) -> st.SearchStrategy[InvalidOrder]:
    """Payloads that break exactly one rule that is an error under `profile`, each labelled
    with the rule id (as in `RuleCatalogue`), the JSON path the validator reports, the
    rule's level and the kind of violation.  Over a run every such rule gets broken; `rule`
    picks one, and `kind` (one of ``violation_kinds(rule)``) one way of breaking it.

    With `sku_ids` and `coupons` (checked as `orders` checks them), payloads use only those
    SKU ids and coupon codes, so a real server refuses them for the broken rule and not for
    an unknown SKU; only a rule about the SKU ids or the coupon itself
    (``skus:numeric-keys``, ``coupon_code:pattern``...) puts its breaking value in place of
    a catalogue one, and ``skus:maxProperties`` makes up ids when the catalogue has too few
    to pass the bound.

    >>> from hypothesis import find
    >>> bad = find(invalid_orders(rule="skus.*:minimum", kind="negative"), lambda o: True)
    >>> bad.rule, bad.kind, bad.path.startswith("$.skus[")
    ('skus.*:minimum', 'negative', True)
    """
    checked = profile_argument(profile)
    model = model_for(spec).request
    options = order_options(model, sku_ids=sku_ids, coupons=coupons)
    if kind is not None:
        if rule is None:
            raise InvalidArgument(f"kind={kind!r} needs a rule=: kinds are per rule")
        kinds = _plan(rule, profile, spec).kinds
        if kind not in kinds:
            raise InvalidArgument(
                f"kind={kind!r} does not break rule={rule!r} under profile={profile!r}; "
                f"choose one of {list(kinds)}"
            )
    elif rule is not None:
        _plan(rule, profile, spec)
    return _breaching(model, checked, rule, kind, options)


@cache
def _breaching(
    model: SchemaModel, profile: Profile, rule: str | None, kind: str | None, options: OrderOptions
) -> st.SearchStrategy[InvalidOrder]:
    by_rule = plans(model, profile)
    bases = _complete_orders(model, options)
    pools = catalogue_keys(options)
    if rule is not None and kind is not None:
        plan = by_rule[rule]
        return plan.breaches(bases, kind, pools.get(plan.rule.field, ())).map(_invalid_order)
    chosen = [by_rule[rule]] if rule is not None else list(by_rule.values())
    breaches = [mixed_breaches(p, bases, pools.get(p.rule.field, ())) for p in chosen]
    return st.one_of(breaches).map(_invalid_order) if breaches else st.nothing()
