"""`edge_case_orders()`: valid payloads at every boundary the profile allows.

The walk of `schema_walker` with `edge_values.EdgeChoices` over the profile's own `Shape`
(not strict's: an edge case sits on the boundary of the profile it is drawn for), with the
realism layer's per-field boundary values (`EDGE_CANDIDATES`) where the schema takes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from ordercheck.spec import Profile, Spec
from ordercheck.strategies._internal.edge_values import EdgeChoices
from ordercheck.strategies._internal.order_options import order_options
from ordercheck.strategies._internal.order_realism import (
    EDGE_CANDIDATES,
    OrderOptions,
    catalogue_keys,
    catalogue_providers,
)
from ordercheck.strategies._internal.schema_walker import Walker
from ordercheck.strategies._internal.spec_model import SchemaModel, model_for, profile_argument

_NO_CONTEXT: st.SearchStrategy[None] = st.none()


def edge_case_orders(
    *,
    profile: str = "default",
    sku_ids: Iterable[str] | None = None,
    coupons: Iterable[str] | None = None,
    spec: Spec | None = None,
) -> st.SearchStrategy[Any]:
    """Payloads valid under `profile` that sit on its boundaries.

    Shortest and longest strings, one SKU and the most the profile allows (50 under strict,
    `MANY_ENTRIES` where unbounded), quantity 1 and the maximum, amounts like ``"0"`` (not
    under strict, whose amounts are above zero), ``"0.01"`` and very large ones, optional
    fields absent, ``prescriptions`` empty, and, where a string is unconstrained, text from
    every Unicode plane (never a lone surrogate: payloads must encode as JSON).

    With `sku_ids` and `coupons` (checked as `orders` checks them) every SKU id and coupon
    code comes from them, so a real server can accept the edge case: the most SKUs an
    order has is then at most the catalogue's size.
    """
    checked = profile_argument(profile)
    model = model_for(spec).request
    options = order_options(model, sku_ids=sku_ids, coupons=coupons)
    return _edges(model, checked, options)


@cache
def _edges(model: SchemaModel, profile: Profile, options: OrderOptions) -> st.SearchStrategy[Any]:
    choices: EdgeChoices[None] = EdgeChoices(
        known=EDGE_CANDIDATES,
        key_pools=catalogue_keys(options),
        providers=catalogue_providers(options),
    )
    walker = Walker(choices)
    documents = walker.documents(model.shape(profile), _NO_CONTEXT)
    return documents.filter(model.oracle(profile).valid)
