"""The rules that need more than the body: C3, C4, C7, C8 and the required headers.

They look at one exchange (the request, the HTTP status, the headers, the body) and are pure
functions, so the `validate` command and the fuzzer's checks share them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ordercheck.json_tools import is_json_type
from ordercheck.spec import PROFILE_LEVELS, ConformanceRule, Level, Profile, Spec
from ordercheck.validators._findings import Finding, Severity, describe

ALLOWED_STATUSES = frozenset({200, 400, 401, 403})


class ExchangeRules:
    """Findings for C3, C4, C7 and C8 and required headers, severity set by the profile."""

    def __init__(self, spec: Spec, profile: Profile):
        self.spec = spec
        self.levels = PROFILE_LEVELS[profile]

    def _finding(
        self,
        rule: ConformanceRule | str,
        level: Level,
        path: str,
        expected: str,
        found: str,
        hint: str,
    ) -> Finding:
        rule_id = rule.id if isinstance(rule, ConformanceRule) else rule
        severity: Severity = "error" if level in self.levels else "warning"
        return Finding(rule_id, level, severity, path, expected, found, hint)

    def _contract(self, rule_id: str, path: str, expected: str, found: str, hint: str) -> Finding:
        rule = self.spec.conformance[rule_id]
        return self._finding(rule, rule.level, path, expected, found, hint)

    def check(
        self,
        body: Any,
        *,
        status: int | None,
        headers: Mapping[str, str] | None,
        request: Any,
    ) -> Iterator[Finding]:
        """Every exchange-level finding for one response."""
        if status is not None:
            yield from self._status(status)
        if headers is not None:
            yield from self._headers(status, headers)
        if not isinstance(body, Mapping):
            return
        yield from self._status_code(body, status)
        if body.get("is_success") is True and isinstance(body.get("data"), Mapping):
            yield from self._echo(body["data"], request)
            yield from self._payment_fields(body["data"], request)

    def _status(self, status: int) -> Iterator[Finding]:
        if status not in ALLOWED_STATUSES:
            yield self._contract(
                "C4",
                "$",
                "HTTP 200 or 400 (401/403 for auth failures)",
                f"HTTP {status}",
                f"HTTP {status} is not a status this API uses",
            )

    def _headers(self, status: int | None, headers: Mapping[str, str]) -> Iterator[Finding]:
        lowered = {k.lower(): v for k, v in headers.items()}
        content_type = lowered.get("content-type", "")
        if "json" not in content_type.split(";")[0]:
            yield self._contract(
                "C2",
                "headers.Content-Type",
                "application/json",
                repr(content_type) if content_type else "nothing",
                "responses must be JSON: Content-Type: application/json",
            )
        documented = "200" if status is None or 200 <= status < 300 else "400"
        for name in self.spec.required_headers(documented):
            if not lowered.get(name.lower(), "").strip():
                level = self.spec.response(documented)["headers"][name].get(
                    "x-provenance", "documented"
                )
                yield self._finding(
                    f"headers.{name}:required",
                    level,
                    f"headers.{name}",
                    "a non-empty value",
                    "nothing",
                    f"every response needs a non-empty {name} header",
                )

    def _status_code(self, body: Mapping[str, Any], status: int | None) -> Iterator[Finding]:
        code = body.get("status_code")
        if status is not None and isinstance(code, int) and code != status:
            yield self._contract(
                "C3",
                "$.status_code",
                f"{status}, the HTTP status",
                describe(code),
                f"status_code says {code} but HTTP says {status}",
            )
        effective = status if status is not None else code
        flag = body.get("is_success")
        if isinstance(effective, int) and isinstance(flag, bool):
            ok = 200 <= effective < 300
            if flag != ok:
                yield self._contract(
                    "C3",
                    "$.is_success",
                    str(ok).lower(),
                    describe(flag),
                    f"is_success must be {str(ok).lower()} for status {effective}",
                )

    def _echo(self, data: Mapping[str, Any], request: Any) -> Iterator[Finding]:
        if not isinstance(request, Mapping) or "merchant_order_id" not in request:
            return
        sent, got = request["merchant_order_id"], data.get("merchant_order_id")
        if got != sent:
            yield self._contract(
                "C7",
                "$.data.merchant_order_id",
                describe(sent),
                describe(got),
                "a success must echo the request's merchant_order_id",
            )

    def _payment_fields(self, data: Mapping[str, Any], request: Any) -> Iterator[Finding]:
        method = request.get("payment_method") if isinstance(request, Mapping) else None
        present = [k for k in ("action", "payment_id", "payment_aggregator") if k in data]
        if method is None:
            method = "ONLINE" if present else "COD"
        if method == "COD":
            for key in present:
                yield self._contract(
                    "C8",
                    f"$.data.{key}",
                    "nothing (COD order)",
                    describe(data[key]),
                    f"a COD success has no {key}",
                )
            return
        if method != "ONLINE":
            return
        checks = {
            "action": data.get("action") == "map_payment",
            "payment_id": is_json_type(data.get("payment_id"), "integer"),
            "payment_aggregator": isinstance(data.get("payment_aggregator"), str)
            and bool(data.get("payment_aggregator")),
        }
        expected = {
            "action": '"map_payment"',
            "payment_id": "a whole number",
            "payment_aggregator": "a non-empty string",
        }
        for key, ok in checks.items():
            if not ok:
                yield self._contract(
                    "C8",
                    f"$.data.{key}",
                    expected[key],
                    describe(data[key]) if key in data else "nothing",
                    f"an ONLINE success needs {key}: {expected[key]}",
                )
