"""The contract rules as checks, registered with Schemathesis.

Importing this package registers ordercheck's per-exchange checks (C2, C3, C5 to C8) with
Schemathesis, so they also work in a user's own Schemathesis tests::

    from ordercheck.checks import ALL_CHECKS
    case.call_and_validate(checks=ALL_CHECKS)
"""

from ordercheck.checks._context import (
    ExchangeContext,
    Expect,
    Expectation,
    current_context,
    exchange_context,
)
from ordercheck.checks._exchange import NOT_JSON, flat_headers, response_json
from ordercheck.checks._registry import (
    ALL_CHECKS,
    BUILTIN_CHECKS,
    EXCHANGE_RULES,
    ORDERCHECK_CHECKS,
    rule_of,
)

__all__ = [
    "ALL_CHECKS",
    "BUILTIN_CHECKS",
    "EXCHANGE_RULES",
    "NOT_JSON",
    "ORDERCHECK_CHECKS",
    "ExchangeContext",
    "Expect",
    "Expectation",
    "current_context",
    "exchange_context",
    "flat_headers",
    "response_json",
    "rule_of",
]
