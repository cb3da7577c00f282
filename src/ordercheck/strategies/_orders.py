"""`orders()`: valid Create Order payloads that read like real Indian pharmacy orders.

The structure comes from the spec compiled to ``strict`` (every level), so an order is valid
under every profile; the `profile` argument is checked and the final safety net filters by
it.  Realism comes from `_realism`; fields it does not know get values from their schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ordercheck.spec import Profile, Spec
from ordercheck.strategies._build import Builder
from ordercheck.strategies._model import SchemaModel, model_for, profile_argument
from ordercheck.strategies._realism import (
    ORDER_PROVIDERS,
    OrderOptions,
    order_contexts,
    unique_order_id,
)
from ordercheck.strategies._shape import Shape

# Orders are built to the strictest profile: valid there means valid under every profile.
BUILD_PROFILE: Final[Profile] = "strict"


def _field(shape: Shape, *names: str) -> Shape | None:
    for name in names:
        child = shape.properties.get(name)
        if child is None:
            return None
        shape = child
    return shape


def _checked(name: str, values: Iterable[Any] | None, fits: Shape | None) -> tuple[str, ...] | None:
    """`values` as a tuple, each checked against the schema it will be used under."""
    if values is None:
        return None
    if isinstance(values, str):
        raise InvalidArgument(f"{name}={values!r} must be a list of strings, not one string")
    out = tuple(values)
    for value in out:
        if not isinstance(value, str) or (fits is not None and not fits.check(value)):
            raise InvalidArgument(f"{name}={list(out)!r}: {value!r} is not allowed by the spec")
    return out


def order_options(
    model: SchemaModel,
    payment_method: str | None,
    sku_ids: Iterable[str] | None,
    coupons: Iterable[str] | None,
) -> OrderOptions:
    """The user's options, each checked against the spec (strict) before any drawing."""
    shape = model.shape(BUILD_PROFILE)
    skus = _field(shape, "skus")
    methods = _field(shape, "payment_method")
    if payment_method is not None and methods is not None and not methods.check(payment_method):
        allowed = f" (one of {list(methods.enum)})" if methods.enum else ""
        raise InvalidArgument(f"payment_method={payment_method!r} is not allowed{allowed}")
    catalogue = _checked("sku_ids", sku_ids, skus.keys if skus is not None else None)
    if catalogue is not None and not catalogue:
        raise InvalidArgument("sku_ids=[] is empty: give at least one SKU id, or None")
    return OrderOptions(
        payment_method=payment_method,
        sku_ids=tuple(dict.fromkeys(catalogue)) if catalogue is not None else None,
        coupons=_checked("coupons", coupons, _field(shape, "coupon_code")),
    )


def build_orders(
    model: SchemaModel, options: OrderOptions, *, complete: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Orders from `model`'s strict shape with realism on top (`complete`: every field)."""
    builder = Builder(ORDER_PROVIDERS, complete=complete)
    shape = model.shape(BUILD_PROFILE)
    id_shape = shape.properties.get("merchant_order_id")

    def with_unique_id(order: dict[str, Any]) -> dict[str, Any]:
        unique = unique_order_id(order) if id_shape is not None else None
        if unique is None or id_shape is None or not id_shape.check(unique):
            return order
        return {**order, "merchant_order_id": unique}

    documents = builder.documents(shape, order_contexts(options))
    return documents.map(with_unique_id).filter(model.oracle(BUILD_PROFILE).valid)


def orders(
    *,
    profile: str = "default",
    payment_method: str | None = None,
    sku_ids: Iterable[str] | None = None,
    coupons: Iterable[str] | None = None,
    spec: Spec | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid Create Order payloads that read like real orders from Indian pharmacies.

    Customers have Indian names (Latin, Devanagari, Tamil, Bengali, Gujarati, Gurmukhi),
    their city's PIN code, a mobile starting with 6 to 9; amounts are rupee strings such as
    ``"499.00"``; SKUs come from `sku_ids` when given (your real catalogue) and quantities
    are small; the coupon comes from `coupons` when given (``[]``: never a coupon);
    prescriptions and other optional fields are there some of the time.  Every payload is
    valid under ``strict`` and so under `profile` too.

    >>> from ordercheck.validators import RequestValidator
    >>> from hypothesis import find
    >>> order = find(orders(payment_method="ONLINE"), lambda o: True)
    >>> RequestValidator("strict").check(order).valid, order["payment_method"]
    (True, 'ONLINE')
    """
    profile_argument(profile)
    model = model_for(spec).request
    options = order_options(model, payment_method, sku_ids, coupons)
    return build_orders(model, options)


def from_spec(spec: Spec, *, profile: str = "default") -> st.SearchStrategy[dict[str, Any]]:
    """`orders()` for a user's own spec: the strategy a spec infers, Hypothesis style."""
    return orders(profile=profile, spec=spec)
