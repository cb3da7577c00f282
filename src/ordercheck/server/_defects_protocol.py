"""Broken variants of the HTTP surface: crashes, envelopes, statuses, auth and request ids.

Rules C1, C2, C3, C4, C12 and C13.  Each class overrides one stage of `Reference`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from starlette.responses import HTMLResponse, Response

from ordercheck.server._reference import OrjsonResponse, Reference, Rejection, ServerConfig
from ordercheck.server._registry import Registry
from ordercheck.validators import ConstraintViolation, RequestValidator

registry = Registry()


# -- C1: no server error -----------------------------------------------------------------
@registry.add(
    "crash_on_malformed_json",
    "C1",
    "parses the body with json.loads and no try/except, so malformed JSON is a 500 traceback",
)
class CrashOnMalformedJson(Reference):
    def decode(self, raw: bytes) -> Any:
        return json.loads(raw)


@registry.add(
    "crash_on_null_user",
    "C1",
    'reads user["mobile"] for the audit log before validating, so "user": null is a 500',
)
class CrashOnNullUser(Reference):
    def findings(self, payload: Any) -> Sequence[ConstraintViolation]:
        if isinstance(payload, dict) and "user" in payload:
            _audit_mobile = payload["user"].get("mobile")  # null user: AttributeError
        return super().findings(payload)


@registry.add(
    "crash_on_array_body",
    "C1",
    "calls payload.get() before checking the body is an object, so a JSON array is a 500",
)
class CrashOnArrayBody(Reference):
    def findings(self, payload: Any) -> Sequence[ConstraintViolation]:
        _request_key = payload.get("merchant_order_id")  # a list has no .get: AttributeError
        return super().findings(payload)


# -- C2: JSON envelope -------------------------------------------------------------------
@registry.add(
    "html_error_page",
    "C2",
    "errors come back as the web server's HTML error page instead of the JSON envelope",
    consequences=("C11",),  # the lock error's message cannot be read from the page
)
class HtmlErrorPage(Reference):
    def error_response(self, rejection: Rejection) -> Response:
        title = f"{rejection.status} {HTTPStatus(rejection.status).phrase}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        return HTMLResponse(page, status_code=rejection.status, headers=rejection.headers)


@registry.add(
    "bare_error_body",
    "C2",
    'errors use the web framework\'s default body {"detail": ...} instead of the envelope',
    consequences=("C11",),  # the lock error's message is not where the contract puts it
)
class BareErrorBody(Reference):
    def error_response(self, rejection: Rejection) -> Response:
        return OrjsonResponse(
            {"detail": rejection.summary}, status_code=rejection.status, headers=rejection.headers
        )


# -- C3: status_code and is_success agree with HTTP -----------------------------------------
@registry.add(
    "status_code_mismatch",
    "C3",
    "the error envelope's status_code is hard-coded to 200 whatever the HTTP status",
    consequences=("C2",),  # the error envelope's status_code is 400 to 499
)
class StatusCodeMismatch(Reference):
    def error_body(self, rejection: Rejection) -> dict[str, Any]:
        return {**super().error_body(rejection), "status_code": 200}


@registry.add(
    "is_success_true_on_error",
    "C3",
    "is_success means 'the request was processed', so error envelopes say is_success: true",
    consequences=("C2",),  # the error envelope's is_success is false
)
class IsSuccessTrueOnError(Reference):
    def error_body(self, rejection: Rejection) -> dict[str, Any]:
        return {**super().error_body(rejection), "is_success": True}


# -- C4: allowed statuses ----------------------------------------------------------------
@registry.add(
    "unprocessable_entity",
    "C4",
    "validation errors get the framework's HTTP 422 instead of the documented 400",
)
class UnprocessableEntity(Reference):
    validation_status = 422


@registry.add(
    "created_201",
    "C4",
    "a new order gets HTTP 201 Created instead of the documented 200",
)
class Created201(Reference):
    success_status = 201


# -- C12: auth ---------------------------------------------------------------------------
@registry.add(
    "no_auth",
    "C12",
    "a request without X-Access-Key skips the key check (left over from local testing)",
)
class NoAuth(Reference):
    def authorise(self, key: str | None, merchant_id: str) -> None:
        if key is None:
            return
        super().authorise(key, merchant_id)


@registry.add(
    "cross_merchant_key",
    "C12",
    "the key is checked but not against the path's merchant_id: one key works for any merchant",
)
class CrossMerchantKey(Reference):
    def authorise(self, key: str | None, merchant_id: str) -> None:
        super().authorise(key, self.config.merchant_id)


# -- C13: request ids --------------------------------------------------------------------
@registry.add(
    "missing_request_id",
    "C13",
    "no X-Request-ID on any response: the tracing middleware was never installed",
)
class MissingRequestId(Reference):
    def request_id(self) -> str | None:
        return None


@registry.add(
    "constant_request_id",
    "C13",
    "X-Request-ID is generated once at start-up, so every response carries the same id",
)
class ConstantRequestId(Reference):
    def __init__(self, config: ServerConfig, validator: RequestValidator):
        super().__init__(config, validator)
        self._request_id = uuid.uuid4().hex

    def request_id(self) -> str | None:
        return self._request_id
