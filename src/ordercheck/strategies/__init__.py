"""Hypothesis strategies for the Create Order API, derived from the spec.

Structure and constraints come from the spec compiled to a profile (field names, required
sets, patterns, bounds, enums); realistic Indian pharmacy data is layered on top per field,
and a field without a realism provider gets values from its schema.  So a changed spec
changes what is generated, with nothing written twice::

    from hypothesis import given
    from ordercheck.strategies import invalid_orders, orders

    @given(orders(payment_method="ONLINE"))
    def test_accepts_valid_orders(order): ...

    @given(invalid_orders(profile="strict"))
    def test_rejects(bad):  # bad.payload breaks exactly bad.rule, at bad.path
        ...

Private modules, lowest first: `_shape` (constraints of a field), `_regex` and `_text`
(strings), `_values` (from the schema alone), `_build` (realism on top), `_people` and
`_realism` (the data), `_model` (a spec prepared, and the exactness oracle), `_breakers` and
`_breaking` (breaking one rule), then the public modules' homes: `_orders`, `_edges`,
`_invalid`, `_responses`, `_sampling`, `_catalog`.
"""

from ordercheck.strategies._catalog import read_sku_catalog
from ordercheck.strategies._edges import edge_case_orders
from ordercheck.strategies._invalid import InvalidOrder, breakable_rules, invalid_orders
from ordercheck.strategies._orders import from_spec, orders
from ordercheck.strategies._responses import (
    InvalidResponse,
    broken_envelopes,
    error_envelopes,
    success_envelopes,
)
from ordercheck.strategies._sampling import sample

__all__ = [
    "InvalidOrder",
    "InvalidResponse",
    "breakable_rules",
    "broken_envelopes",
    "edge_case_orders",
    "error_envelopes",
    "from_spec",
    "invalid_orders",
    "orders",
    "read_sku_catalog",
    "sample",
    "success_envelopes",
]
