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
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from hypothesis import strategies as st

from ordercheck.strategies._internal import indian_data as data
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.schema_walker import ABSENT, NEVER, Provider

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
    """Ten-digit Indian mobile numbers (they start with 6, 7, 8 or 9)."""
    return st.builds(
        lambda first, rest: f"{first}{rest:09d}", st.sampled_from("9876"), st.integers(0, 10**9 - 1)
    )


@st.composite
def personas(draw: st.DrawFn) -> Persona:
    """A customer: a script, a given name, often a family name, a city, a PIN, a mobile."""
    script = draw(st.sampled_from(data.SCRIPTS))
    given = draw(st.sampled_from(script.given))
    family = draw(st.sampled_from(script.family)) if draw(st.integers(0, 5)) > 0 else None
    city = draw(st.sampled_from(data.CITIES))
    latin = [given[0]] if family is None else [given[0], family[0]]
    local = ".".join(_NOT_EMAIL.sub("", part.lower()) for part in latin)
    suffix = draw(st.sampled_from(("", "", "91", "07", "1990")))
    return Persona(
        script=script.name,
        given=given[1],
        family=None if family is None else family[1],
        city=city,
        pincode=f"{city.pin_prefix}{draw(st.integers(1, 99)):03d}",
        mobile=draw(mobiles()),
        email=f"{local}{suffix}@{draw(st.sampled_from(data.EMAIL_DOMAINS))}",
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
def amounts() -> st.SearchStrategy[str]:
    """Rupee amounts with paise, as strings: ``"499.00"``, ``"1249.50"``."""
    paise = st.sampled_from((0, 0, 50, 99)) | st.integers(0, 99)
    return st.builds(lambda r, p: f"{r}.{p:02d}", st.integers(1, 25_000), paise)


@cache
def street_lines(script: str) -> st.SearchStrategy[str]:
    """A house and a road; now and then in Devanagari for a Devanagari-writing customer."""
    roads = data.ROADS + data.ROADS_DEVANAGARI if script == "devanagari" else data.ROADS
    return st.builds(lambda h, r: f"{h}, {r}", st.sampled_from(data.HOUSES), st.sampled_from(roads))


@cache
def localities(city: data.City) -> st.SearchStrategy[str]:
    """A locality of the customer's city, sometimes with a landmark."""
    area = st.sampled_from(city.localities).map(lambda a: f"{a}, {city.name}")
    landmark = st.builds(
        lambda mark, place: f"Near {mark}, {place}", st.sampled_from(data.LANDMARKS), area
    )
    return area | landmark


@cache
def prescription_urls() -> st.SearchStrategy[str]:
    """Links to uploaded prescriptions."""
    return st.builds(
        lambda host, n, ext: f"https://{host}/rx/{n}.{ext}",
        st.sampled_from(data.PRESCRIPTION_HOSTS),
        st.integers(1000, 999_999),
        st.sampled_from(data.PRESCRIPTION_EXTENSIONS),
    )


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
    quantities = (st.integers(1, 3) | st.integers(1, 10)).map(lambda q: _clamp(q, low, high))
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


def _contact_number(ctx: OrderContext, shape: Shape) -> st.SearchStrategy[Any]:
    return st.just(ctx.persona.mobile) | mobiles()


def _person(attribute: str) -> Provider[OrderContext]:
    def provide(ctx: OrderContext, shape: Shape) -> st.SearchStrategy[Any]:
        value = getattr(ctx.persona, attribute)
        return st.just(ABSENT if value is None else value)

    return provide


ORDER_PROVIDERS: dict[str, Provider[OrderContext]] = {
    "merchant_order_id": lambda ctx, shape: merchant_order_ids(),
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
    "user.address.contact_number": _contact_number,
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
    return st.builds(OrderContext, personas(), st.just(options))


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
