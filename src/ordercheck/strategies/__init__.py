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

This module is the curated public API; everything else lives in the private package
`_internal`, lowest layer first:

    constraints        a field's constraints merged into one `Shape`
    regex_strings      strings for the simple regular expressions specs use
    matching_strings   strings that match a field's patterns at a chosen length
    valid_values       valid leaf values (strings, integers, enum members, keys) of a shape
    schema_walker      the one walk from a shape to a document, asking `Choices` per field
    edge_values        the walk's boundary choices (shortest, longest, fewest, most)
    indian_data        reference data: names in several scripts, cities and PINs, coupons
    order_realism      realistic values per request field, around one customer
    order_options      the user's payment method, SKU catalogue and coupons, checked
    spec_model         one spec prepared: rule catalogue, roles, shapes per profile
    oracle             whether a document breaks exactly the rules it is meant to
    witness            one valid value of a shape, made without drawing (the spec's examples)
    field_paths        a field template made concrete on a document; copies with a change
    violation_values   the kinds of value that break one rule, read off its keyword
    rule_breaking      one rule broken in an otherwise valid document, kind by kind
    orders             public home of `orders`, `from_spec`
    edge_orders        public home of `edge_case_orders`
    invalid_orders     public home of `invalid_orders`, `breakable_rules`, `violation_kinds`,
                       `InvalidOrder`
    envelopes          public home of the response strategies and `InvalidResponse`
    sampling           public home of `sample`, `samples`
    user_catalogues    public home of `read_sku_catalog`, `read_coupons`
"""

from ordercheck.strategies._internal.edge_orders import edge_case_orders
from ordercheck.strategies._internal.envelopes import (
    InvalidResponse,
    broken_envelopes,
    error_envelopes,
    success_envelopes,
)
from ordercheck.strategies._internal.invalid_orders import (
    InvalidOrder,
    breakable_rules,
    invalid_orders,
    violation_kinds,
)
from ordercheck.strategies._internal.orders import from_spec, orders
from ordercheck.strategies._internal.sampling import sample, samples
from ordercheck.strategies._internal.user_catalogues import read_coupons, read_sku_catalog

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
    "read_coupons",
    "read_sku_catalog",
    "sample",
    "samples",
    "success_envelopes",
    "violation_kinds",
]
