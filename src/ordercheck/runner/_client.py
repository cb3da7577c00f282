"""Sending requests to the target through Schemathesis, and recording them safely.

Schemathesis builds and sends each request (`Case.call`) and runs the checks on the response
(`Case.validate_response`); this module adds what a run against a shared system needs: a
rate limit, a thread-local session, redacted records of every exchange, and per-rule results.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any

import requests
import schemathesis
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup

from ordercheck.checks import (
    ALL_CHECKS,
    NOT_JSON,
    ExchangeContext,
    exchange_context,
    flat_headers,
    response_json,
    rule_of,
)
from ordercheck.errors import Failure, TargetError
from ordercheck.results import Exchange, redact
from ordercheck.runner._config import FuzzConfig
from ordercheck.spec import OPERATION_PATH, Spec

KEEP = object()  # "send the configured key" as opposed to None, "send no key"


@dataclass(frozen=True)
class RuleBreak:
    """One rule one exchange broke, in words."""

    rule: str
    title: str
    message: str


@dataclass(frozen=True)
class Sent:
    """A request that was sent: the record, the parsed body, or why nothing came back."""

    exchange: Exchange
    response: Any | None
    case: Any
    error: str | None = None

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def body(self) -> Any:
        return self.exchange.response_body


class RateLimiter:
    """At most `rate` requests a second across all threads (None: no limit)."""

    def __init__(self, rate: float | None):
        self.interval = 0.0 if rate is None else 1.0 / rate
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        time.sleep(max(0.0, slot - now))


def _operation_document(spec: Spec, config: FuzzConfig) -> dict[str, Any]:
    """The compiled spec, with the user's path template in place of the default one."""
    document = spec.openapi_for(config.profile)
    item = document["paths"].pop(OPERATION_PATH)
    if "{merchant_id}" not in config.path:
        for operation in item.values():
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name") != "merchant_id"
            ]
    document["paths"] = {config.path: item}
    return document


class Client:
    """Sends Create Order requests to one target and checks each response."""

    def __init__(self, spec: Spec, config: FuzzConfig, base_url: str):
        self.config = config
        self.base_url = base_url.rstrip("/")
        self.schema = schemathesis.openapi.from_dict(_operation_document(spec, config))
        self.schema.config.update(base_url=self.base_url)
        self.operation = self.schema[config.path]["POST"]
        self.limiter = RateLimiter(config.rate_limit)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def url_for(self, merchant_id: str) -> str:
        return self.base_url + self.config.path.replace("{merchant_id}", merchant_id)

    def _headers(self, key: Any) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if key is KEEP:
            headers["X-Access-Key"] = self.config.access_key
        elif key is not None:
            headers["X-Access-Key"] = key
        return headers

    def describe(
        self,
        body: Any = NOT_SET,
        *,
        raw: bytes | None = None,
        key: Any = KEEP,
        merchant_id: str | None = None,
    ) -> Exchange:
        """The record of a request as it would be sent (key redacted), without sending it."""
        return Exchange(
            method="POST",
            url=self.url_for(merchant_id or self.config.merchant_id),
            headers=redact(self._headers(key)),
            body=None if body is NOT_SET else body,
            raw_body=None if raw is None else raw.decode("utf-8", "replace"),
        )

    def send(
        self,
        body: Any = NOT_SET,
        *,
        raw: bytes | None = None,
        key: Any = KEEP,
        merchant_id: str | None = None,
    ) -> Sent:
        """Send one request; a connection problem is recorded, not raised."""
        merchant = merchant_id or self.config.merchant_id
        headers = self._headers(key)
        params = {"merchant_id": merchant} if "{merchant_id}" in self.config.path else {}
        case = self.operation.Case(body=body, path_parameters=params, headers=dict(headers))
        extra: dict[str, Any] = {"timeout": self.config.timeout_s}
        if raw is not None:
            extra["data"] = raw
        record = self.describe(body, raw=raw, key=key, merchant_id=merchant)
        self.limiter.wait()
        started = time.perf_counter()
        try:
            response = case.call(session=self._session(), headers=headers, **extra)
        except requests.RequestException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            reason = type(exc).__name__
            return Sent(_with(record, elapsed_ms=elapsed), None, case, reason)
        body_json = response_json(response)
        return Sent(
            _with(
                record,
                status=response.status_code,
                response_headers=flat_headers(response),
                response_body=None if body_json is NOT_JSON else body_json,
                response_text=None if body_json is not NOT_JSON else response.text_lossy()[:2000],
                elapsed_ms=response.elapsed * 1000,
            ),
            response,
            case,
        )

    def check(self, sent: Sent, context: ExchangeContext) -> list[RuleBreak]:
        """Run Schemathesis's checks and ordercheck's on one response."""
        if sent.response is None:
            return [
                RuleBreak(
                    "C1",
                    "connection failed",
                    f"no response: {sent.error} (a dropped connection breaks C1)",
                )
            ]
        breaks: list[RuleBreak] = []
        with exchange_context(context):
            try:
                sent.case.validate_response(sent.response, checks=ALL_CHECKS)
            except FailureGroup as group:
                for failure in group.exceptions:
                    rule = rule_of(failure)
                    ours = getattr(failure, "exception", None)
                    if isinstance(ours, Failure):
                        breaks.append(RuleBreak(rule, ours.title, ours.message))
                    else:
                        message = failure.message or f"HTTP {sent.status}: {failure.title}"
                        breaks.append(RuleBreak(rule, failure.title, message))
        return breaks

    def preflight(self) -> None:
        """Fail fast, with one line, when the target cannot be reached or refuses the key.

        An empty order with the configured key: a conformant server checks the key first, so
        401/403 here means every order of the run would be refused for the key, not judged.
        """
        try:
            response = requests.post(
                self.url_for(self.config.merchant_id),
                data=b"{}",
                headers=self._headers(KEEP),
                timeout=self.config.timeout_s,
            )
        except requests.RequestException as exc:
            raise TargetError(f"cannot reach {self.base_url}: {type(exc).__name__}") from None
        response.close()
        if response.status_code in (401, 403):
            raise TargetError(
                f"{self.base_url} refuses the access key for merchant "
                f"{self.config.merchant_id!r} (HTTP {response.status_code}); "
                "check --access-key (or ORDERCHECK_ACCESS_KEY) and --merchant-id"
            )


def _with(record: Exchange, **changes: Any) -> Exchange:
    return replace(record, **changes)
