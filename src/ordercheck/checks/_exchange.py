"""One check per contract rule that a single exchange can break (C2, C3, C5 to C8).

Each is an ordinary Schemathesis check, ``(ctx, response, case) -> None``, raising
`ordercheck.errors.Failure` (an AssertionError) that names its rule.  C1, C4 and the header
part of C13 are Schemathesis's own checks (`not_a_server_error`, `status_code_conformance`,
`response_headers_conformance`); `rule_of` maps their failures to our rule ids.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.core import NOT_SET
from schemathesis.core.transport import Response

from ordercheck.checks._context import current_context
from ordercheck.errors import Failure

NOT_JSON: Any = object()  # what `response_json` returns for a body that is not JSON


def response_json(response: Response) -> Any:
    """The parsed body, or `NOT_JSON` when it is not JSON."""
    try:
        return response.json()
    except Exception:  # any decoding problem means "not JSON" here
        return NOT_JSON


def flat_headers(response: Response) -> dict[str, str]:
    """Schemathesis keeps header values as lists; the validators want one string each."""
    return {name: ", ".join(values) for name, values in response.headers.items()}


def _request_body(case: Any) -> Any:
    # A raw (malformed) request has no JSON body; Schemathesis marks that with NOT_SET.
    return None if case.body is NOT_SET else case.body


def _error_message(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message", ""))
    return ""


@schemathesis.check
def ordercheck_json_envelope(ctx: Any, response: Response, case: Any) -> None:
    """C2: the body is JSON with the success or the error envelope."""
    body = response_json(response)
    if body is NOT_JSON:
        raise Failure(
            "C2",
            f"HTTP {response.status_code} body is not JSON: {response.content[:80]!r}",
            title="response is not JSON",
        )
    context = current_context(_request_body(case))
    verdict = context.responses.check(body, status=response.status_code)
    schema_errors = [f for f in verdict.errors if not f.rule.startswith("C")]
    if schema_errors:
        first = schema_errors[0]
        raise Failure(
            "C2",
            f"not the {'success' if 200 <= response.status_code < 300 else 'error'}"
            f" envelope: {first.hint} ({first.rule})",
            title="not the documented envelope",
        )


@schemathesis.check
def ordercheck_status_code_matches(ctx: Any, response: Response, case: Any) -> None:
    """C3: ``status_code`` equals the HTTP status and ``is_success`` is true exactly on 2xx."""
    body = response_json(response)
    if body is NOT_JSON:
        return
    context = current_context(_request_body(case))
    for finding in context.responses.check(body, status=response.status_code).errors:
        if finding.rule == "C3":
            raise Failure("C3", finding.hint, title="status_code and is_success disagree")


@schemathesis.check
def ordercheck_valid_payload_accepted(ctx: Any, response: Response, case: Any) -> None:
    """C5: a payload valid under the profile is accepted, unless the rejection is declared."""
    context = current_context(_request_body(case))
    if context.expectation.expect != "valid" or response.status_code == 200:
        return
    message = _error_message(response_json(response))
    allowed = context.allow_rejection
    if response.status_code == 400 and allowed is not None and allowed.search(message):
        return
    detail = f": {message}" if message else ""
    raise Failure(
        "C5",
        f"a payload valid under the {context.profile} profile got "
        f"HTTP {response.status_code}{detail}",
        title="valid payload rejected",
    )


@schemathesis.check
def ordercheck_invalid_payload_rejected(ctx: Any, response: Response, case: Any) -> None:
    """C6: a payload that breaks a documented or inferred rule gets a 400 error envelope."""
    context = current_context(_request_body(case))
    expectation = context.expectation
    if expectation.expect not in ("invalid", "malformed") or response.status_code == 400:
        return
    what = (
        f"a payload breaking {expectation.payload_rule}"
        if expectation.payload_rule
        else "a request body that is not a JSON payload"
    )
    raise Failure(
        "C6", f"{what} got HTTP {response.status_code}, not 400", title="invalid payload accepted"
    )


@schemathesis.check
def ordercheck_echo_merchant_order_id(ctx: Any, response: Response, case: Any) -> None:
    """C7: a success echoes the request's ``merchant_order_id``."""
    _exchange_rule("C7", response, case)


@schemathesis.check
def ordercheck_payment_fields_match_method(ctx: Any, response: Response, case: Any) -> None:
    """C8: ONLINE success carries the payment fields; COD success carries none of them."""
    _exchange_rule("C8", response, case)


_TITLES = {
    "C7": "merchant_order_id not echoed",
    "C8": "payment fields do not match the payment method",
}


def _exchange_rule(rule: str, response: Response, case: Any) -> None:
    body = response_json(response)
    if body is NOT_JSON or not 200 <= response.status_code < 300:
        return
    request = _request_body(case)
    context = current_context(request)
    verdict = context.responses.check(body, status=response.status_code, request=request)
    for finding in verdict.errors:
        if finding.rule == rule:
            raise Failure(
                rule,
                f"{finding.hint} ({finding.path}: expected {finding.expected}, "
                f"found {finding.found})",
                title=_TITLES[rule],
            )
