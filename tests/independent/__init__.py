"""A second, independent implementation of the Create Order API, to judge ordercheck by.

Written from the documentation page and CONTRACT.md's decisions, not from ordercheck: the
standard library's `http.server` and `json`, and validation code of its own (`validation`),
with neither ordercheck's validators nor its spec.  Like a staging system it sells only the
SKUs in `skus.txt` and knows only the coupons in `coupons.txt`; anything else is a 400 with a
business message that `BUSINESS_REJECTIONS` matches.

    body        reading a request body: json's quirks handled (NaN, repeated keys, big
                integers, exact decimals, BOM, depth)
    validation  the documented and inferred request rules, by hand
    orders      the order book: idempotent replay, reuse refused, a per-id lock
    service     one request through its stages, HTTP aside
    wire        the service on a ThreadingHTTPServer in a thread (`serving`)
    variants    one broken service per defect class, with the rule each breaks
    client      posting to it by hand, for the tests that probe it directly

The tests: `test_independent_server.py` (it keeps the contract, probed by hand),
`test_independent_variants.py` (each variant has its defect), `test_independent_fuzz.py`
(ordercheck finds it conformant, and finds each variant's defect under its rule).
"""

from independent.service import (
    ACCESS_KEY,
    BUSINESS_REJECTIONS,
    COUPONS_FILE,
    LOCK_MESSAGE,
    MERCHANT_ID,
    SKUS_FILE,
    CreateOrder,
)
from independent.wire import serving

__all__ = [
    "ACCESS_KEY",
    "BUSINESS_REJECTIONS",
    "COUPONS_FILE",
    "LOCK_MESSAGE",
    "MERCHANT_ID",
    "SKUS_FILE",
    "CreateOrder",
    "serving",
]
