"""The user's options for orders (a payment method, their SKU catalogue, their coupons),
checked against the spec when a strategy is made, so a typo fails at once with a one-line
`InvalidArgument` naming the argument, not as an unsatisfiable strategy later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from hypothesis.errors import InvalidArgument

from ordercheck.spec import Profile
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.order_realism import OrderOptions
from ordercheck.strategies._internal.spec_model import SchemaModel

# Orders are built to the strictest profile: valid there means valid under every profile,
# and options are checked there too.
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
    *,
    payment_method: str | None = None,
    sku_ids: Iterable[str] | None = None,
    coupons: Iterable[str] | None = None,
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
