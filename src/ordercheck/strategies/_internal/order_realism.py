"""Realistic values per request field: a customer (persona) first, then fields that agree
with them: the address name is their name, the e-mail is made from it, the PIN code belongs to
their city, the contact number is often their mobile.

Providers only propose; the walk (`schema_walker`) keeps a proposal only if the field's
schema accepts it, and bounds taken from the spec (how many SKUs, which quantities, which
payment methods) come in through the field's `Shape`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import orjson
from hypothesis import strategies as st

from ordercheck.strategies._internal import indian_data as data
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.schema_walker import ABSENT, NEVER, Fixed, Provider

# A real basket holds a handful of lines even where the spec would allow fifty.
BASKET_LINES = 6
_NOT_EMAIL = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class OrderOptions:
    """What the user fixed: a payment method, their SKU catalogue, their coupons."""

    payment_method: str | None = None
    sku_ids: tuple[str, ...] | None = None
    coupons: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Persona:
    """One customer: names in their script (and in Latin), where they live, how to reach them."""

    script: str
    given: str
    family: str | None
    city: data.City
    pincode: str
    mobile: str
    email: str
    contact_number: str

    @property
    def full_name(self) -> str:
        return self.given if self.family is None else f"{self.given} {self.family}"


@dataclass(frozen=True)
class OrderContext:
    """Everything an order's providers share."""

    persona: Persona
    options: OrderOptions


@cache
def mobiles() -> st.SearchStrategy[str]:
    """Ten-digit Indian mobile numbers (they start with 6, 7, 8 or 9), one draw each."""
    return st.integers(6_000_000_000, 9_999_999_999).map(str)


class _Digits:
    """Several choices read off one drawn integer, one mixed-radix digit each.

    Each Hypothesis draw has a fixed cost, so a persona draws three small integers instead
    of ten choices.  Digit 0 is each choice's first option, so the integer shrinking to 0
    shrinks every choice to its simplest (Latin script, no family name, first city).
    """

    def __init__(self, number: int):
        self.rest = number

    def digit(self, radix: int) -> int:
        self.rest, found = divmod(self.rest, radix)
        return found

    def pick(self, options: Sequence[T], radix: int) -> T:
        return options[self.digit(radix) % len(options)]


T = TypeVar("T")
_MOST_NAMES = max(len(names) for s in data.SCRIPTS for names in (s.given, s.family))
_SUFFIXES = ("", "", "91", "07", "1990")
# Who the customer is: script, given name, whether there is a family name (five in six),
# which one.  Where they live: city and the last three digits of the PIN.  How they write:
# e-mail suffix and domain, and whether the address's contact is their own mobile.
_WHO = st.integers(0, len(data.SCRIPTS) * _MOST_NAMES * 6 * _MOST_NAMES - 1)
_WHERE = st.integers(0, len(data.CITIES) * 99 - 1)
_HOW = st.integers(0, len(_SUFFIXES) * len(data.EMAIL_DOMAINS) * 3 - 1)


@st.composite
def personas(draw: st.DrawFn) -> Persona:
    """A customer: a script, a given name, often a family name, a city, a PIN, a mobile."""
    who, where, how = _Digits(draw(_WHO)), _Digits(draw(_WHERE)), _Digits(draw(_HOW))
    script = who.pick(data.SCRIPTS, len(data.SCRIPTS))
    given = who.pick(script.given, _MOST_NAMES)
    has_family = who.digit(6) > 0
    family = who.pick(script.family, _MOST_NAMES) if has_family else None
    city = where.pick(data.CITIES, len(data.CITIES))
    latin = [given[0]] if family is None else [given[0], family[0]]
    local = ".".join(_NOT_EMAIL.sub("", part.lower()) for part in latin)
    suffix = how.pick(_SUFFIXES, len(_SUFFIXES))
    domain = how.pick(data.EMAIL_DOMAINS, len(data.EMAIL_DOMAINS))
    mobile = draw(mobiles())
    return Persona(
        script=script.name,
        given=given[1],
        family=None if family is None else family[1],
        city=city,
        pincode=f"{city.pin_prefix}{where.digit(99) + 1:03d}",
        mobile=mobile,
        email=f"{local}{suffix}@{domain}",
        # The address's contact number is most often the customer's own mobile.
        contact_number=mobile if how.digit(3) > 0 else draw(mobiles()),
    )


@cache
def merchant_order_ids() -> st.SearchStrategy[str]:
    """Merchant order ids as carts make them: a prefix and a ten-digit counter."""
    return st.builds(
        lambda prefix, n: f"{prefix}{n:010d}",
        st.sampled_from(data.ORDER_ID_PREFIXES),
        st.integers(0, 10**10 - 1),
    )


def unique_order_id(order: dict[str, Any]) -> str | None:
    """The order's ``merchant_order_id`` with its counter replaced by a digest of the rest of
    the order, so two different orders never share an id, and an order sent twice keeps it.

    A server that keeps CONTRACT.md's C10 answers a reused id with a different body with 400;
    Hypothesis often repeats small counters across examples, which would turn valid orders
    into false failures.
    """
    current = order.get("merchant_order_id")
    if not isinstance(current, str):
        return None
    rest = {k: v for k, v in order.items() if k != "merchant_order_id"}
    digest = hashlib.blake2b(orjson.dumps(rest, option=orjson.OPT_SORT_KEYS), digest_size=8)
    return f"{current.rstrip('0123456789')}{int(digest.hexdigest(), 16) % 10**10:010d}"


@cache
def order_id_stems() -> st.SearchStrategy[str]:
    """A cart's order-id prefix with a zero counter, which `unique_order_id` replaces by a
    digest of the order (one draw, where `merchant_order_ids` spends two)."""
    return st.sampled_from([f"{prefix}{0:010d}" for prefix in data.ORDER_ID_PREFIXES])


# Paise: round amounts most often, then .50 and .99, then anything (one draw, shrinking to 0).
_PAISE = (0, 0, 0, 50, 99, *range(100))


@cache
def amounts() -> st.SearchStrategy[str]:
    """Rupee amounts with paise, as strings: ``"499.00"``, ``"1249.50"``."""
    return st.tuples(st.integers(1, 25_000), st.sampled_from(_PAISE)).map(
        lambda pair: f"{pair[0]}.{pair[1]:02d}"
    )


# Each realistic text below is one `sampled_from` over every combination, built once: one
# draw per field instead of one per part.  Shortest parts first, so shrinking reads well.


@cache
def street_lines(script: str) -> st.SearchStrategy[str]:
    """A house and a road; now and then in Devanagari for a Devanagari-writing customer."""
    roads = data.ROADS + data.ROADS_DEVANAGARI if script == "devanagari" else data.ROADS
    return st.sampled_from([f"{h}, {r}" for h in data.HOUSES for r in roads])


@cache
def localities(city: data.City) -> st.SearchStrategy[str]:
    """A locality of the customer's city, sometimes with a landmark."""
    areas = [f"{a}, {city.name}" for a in city.localities]
    return st.sampled_from([*areas, *(f"Near {m}, {a}" for m in data.LANDMARKS for a in areas)])


@cache
def prescription_urls() -> st.SearchStrategy[str]:
    """Links to uploaded prescriptions."""
    places = [
        (host, ext) for host in data.PRESCRIPTION_HOSTS for ext in data.PRESCRIPTION_EXTENSIONS
    ]
    return st.tuples(st.sampled_from(places), st.integers(1000, 999_999)).map(
        lambda pair: f"https://{pair[0][0]}/rx/{pair[1]}.{pair[0][1]}"
    )


# Basket quantities, small ones most often (one draw per line).
_QUANTITIES = (1, 2, 1, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10)


def _clamp(value: int, low: int | None, high: int | None) -> int:
    return min(max(value, low if low is not None else value), high if high is not None else value)


@cache
def baskets(shape: Shape, catalogue: tuple[str, ...] | None) -> st.SearchStrategy[dict[str, int]]:
    """SKU id to quantity: a few lines from the catalogue (or made-up 6-digit ids), small
    quantities; the line count and quantity bounds come from the spec's ``skus`` schema."""
    ids = st.sampled_from(catalogue) if catalogue else st.integers(100_000, 999_999).map(str)
    most = min(BASKET_LINES, len(catalogue) if catalogue else BASKET_LINES)
    if shape.max_properties is not None:
        most = min(most, shape.max_properties)
    fewest = max(1, shape.min_properties)
    low, high = shape.values.int_bounds() if shape.values is not None else (None, None)
    quantities = st.sampled_from([_clamp(q, low, high) for q in _QUANTITIES])
    return st.dictionaries(ids, quantities, min_size=min(fewest, most), max_size=most)


@cache
def _one_of(choices: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(choices) if choices else st.just(ABSENT)


def _payment_method(ctx: OrderContext, shape: Shape) -> st.SearchStrategy[Any] | None:
    if ctx.options.payment_method is not None:
        return _one_of((ctx.options.payment_method,))
    return _one_of(shape.enum) if shape.enum else None


def _coupon(ctx: OrderContext, shape: Shape) -> st.SearchStrategy[Any]:
    users = _user_coupons(ctx.options.coupons)
    return _one_of(data.COUPONS) if users is None else users


@cache
def _user_coupons(coupons: tuple[str, ...] | None) -> st.SearchStrategy[Any] | None:
    """The user's coupons (None: they gave none; ``[]``: never send a coupon)."""
    if coupons is None:
        return None
    return _one_of(coupons) if coupons else st.just(NEVER)


def _person(attribute: str) -> Provider[OrderContext]:
    def provide(ctx: OrderContext, shape: Shape) -> Fixed:
        value = getattr(ctx.persona, attribute)
        return Fixed(ABSENT if value is None else value)

    return provide


ORDER_PROVIDERS: dict[str, Provider[OrderContext]] = {
    "merchant_order_id": lambda ctx, shape: order_id_stems(),
    "payable_amount": lambda ctx, shape: amounts(),
    "payment_method": _payment_method,
    "coupon_code": _coupon,
    "user.first_name": _person("given"),
    "user.last_name": _person("family"),
    "user.email": _person("email"),
    "user.mobile": _person("mobile"),
    "user.address.pincode": _person("pincode"),
    "user.address.name": _person("full_name"),
    "user.address.street1": lambda ctx, shape: street_lines(ctx.persona.script),
    "user.address.street2": lambda ctx, shape: localities(ctx.persona.city),
    "user.address.contact_number": _person("contact_number"),
    "user.address.type": lambda ctx, shape: _one_of(data.ADDRESS_TYPES),
    "prescriptions[]": lambda ctx, shape: prescription_urls(),
    "skus": lambda ctx, shape: baskets(shape, ctx.options.sku_ids),
}


def catalogue_keys(options: OrderOptions) -> dict[str, tuple[str, ...]]:
    """The maps whose property names the user fixed, by field template: their SKU ids."""
    return {"skus": options.sku_ids} if options.sku_ids else {}


def catalogue_providers(options: OrderOptions) -> dict[str, Provider[Any]]:
    """Providers for the fields whose values the user fixed, whatever else is drawn (edge
    cases, rule-breaking bases): their coupons."""
    coupons = _user_coupons(options.coupons)
    return {} if coupons is None else {"coupon_code": lambda ctx, shape: coupons}


def order_contexts(options: OrderOptions) -> st.SearchStrategy[OrderContext]:
    """A persona with the user's options: the context every order field is drawn in."""
    return personas().map(lambda persona: OrderContext(persona, options))


# Values at the edges of what a field can mean, whatever the profile: each is used only where
# the field's schema under the profile accepts it ("0" is an amount under default, not under
# strict, whose amounts are above zero).
# fmt: off
EDGE_CANDIDATES: dict[str, tuple[Any, ...]] = {
    "payable_amount": (
        "0", "0.0", "0.00", "0.01", "0.1", "1", "000499.00", "99999999.99",
        "99999999999999999999.99", "1" + "0" * 30,
    ),
    "user.mobile": ("6000000000", "9999999999"),
    "user.address.contact_number": ("6000000000", "9999999999"),
    "user.address.pincode": ("100000", "999999"),
    "user.email": ("a@b.c", "user+tag@example.co.in"),
    "coupon_code": ("0", "_", "-"),
}
# fmt: on
