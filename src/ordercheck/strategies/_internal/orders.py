"""`orders()`: valid Create Order payloads that read like real Indian pharmacy orders.

The structure comes from the spec compiled to ``strict`` (every level), so an order is valid
under every profile; the `profile` argument is checked and the final safety net filters by
it.  The walk of `schema_walker` with `order_realism`'s providers draws each order; fields
the providers do not know get values from their schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from ordercheck.spec import Spec
from ordercheck.strategies._internal.order_options import BUILD_PROFILE, order_options
from ordercheck.strategies._internal.order_realism import (
    ORDER_PROVIDERS,
    OrderOptions,
    order_contexts,
    unique_order_id,
)
from ordercheck.strategies._internal.schema_walker import Choices, Walker
from ordercheck.strategies._internal.spec_model import SchemaModel, model_for, profile_argument


def build_orders(
    model: SchemaModel, options: OrderOptions, *, complete: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Orders from `model`'s strict shape with realism on top (`complete`: every optional
    field present and every array non-empty, the base rule breaking needs)."""
    walker = Walker(Choices(ORDER_PROVIDERS, complete=complete))
    shape = model.shape(BUILD_PROFILE)
    id_shape = shape.properties.get("merchant_order_id")

    def with_unique_id(order: dict[str, Any]) -> dict[str, Any]:
        unique = unique_order_id(order) if id_shape is not None else None
        if unique is None or id_shape is None or not id_shape.check(unique):
            return order
        return {**order, "merchant_order_id": unique}

    documents = walker.documents(shape, order_contexts(options))
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
    options = order_options(model, payment_method=payment_method, sku_ids=sku_ids, coupons=coupons)
    return build_orders(model, options)


def from_spec(spec: Spec, *, profile: str = "default") -> st.SearchStrategy[dict[str, Any]]:
    """`orders()` for a user's own spec: the strategy a spec infers, Hypothesis style."""
    return orders(profile=profile, spec=spec)
