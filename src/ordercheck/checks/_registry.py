"""Which checks run on every exchange, and which contract rule each failure belongs to."""

from __future__ import annotations

from typing import Any

from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure as SchemathesisFailure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ordercheck.checks._exchange import (
    ordercheck_echo_merchant_order_id,
    ordercheck_invalid_payload_rejected,
    ordercheck_json_envelope,
    ordercheck_payment_fields_match_method,
    ordercheck_status_code_matches,
    ordercheck_valid_payload_accepted,
)
from ordercheck.errors import Failure

# Schemathesis's own checks, where they apply to this API, and the rule each one guards.
BUILTIN_CHECKS: dict[Any, str] = {
    not_a_server_error: "C1",
    content_type_conformance: "C2",
    response_schema_conformance: "C2",
    status_code_conformance: "C4",
    response_headers_conformance: "C13",
}
ORDERCHECK_CHECKS: dict[Any, str] = {
    ordercheck_json_envelope: "C2",
    ordercheck_status_code_matches: "C3",
    ordercheck_valid_payload_accepted: "C5",
    ordercheck_invalid_payload_rejected: "C6",
    ordercheck_echo_merchant_order_id: "C7",
    ordercheck_payment_fields_match_method: "C8",
}
ALL_CHECKS: list[Any] = [*BUILTIN_CHECKS, *ORDERCHECK_CHECKS]
EXCHANGE_RULES: frozenset[str] = frozenset({*BUILTIN_CHECKS.values(), *ORDERCHECK_CHECKS.values()})

_BY_CLASS = {
    "ServerError": "C1",
    "UndefinedStatusCode": "C4",
    "UndefinedContentType": "C2",
    "MalformedMediaType": "C2",
    "MissingContentType": "C2",
    "JsonSchemaError": "C2",
    "MalformedJson": "C2",
    "ContentDeserializationError": "C2",
    "MissingHeaders": "C13",
}


def rule_of(failure: SchemathesisFailure) -> str:
    """The contract rule a Schemathesis failure is evidence against."""
    exception = getattr(failure, "exception", None)
    if isinstance(exception, Failure):
        return exception.rule
    if "x-request-id" in f"{failure.title} {failure.message}".lower():
        return "C13"
    return _BY_CLASS.get(type(failure).__name__, "C2")
