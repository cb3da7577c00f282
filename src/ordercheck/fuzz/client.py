"""Sending requests to the target through Schemathesis, and judging each response.

Schemathesis builds and sends each request (`Case.call`) and runs the contract rules'
checks on the response (`Case.validate_response`, with the checks made from the rule
registry); this module adds what a run against a shared system needs: a rate limit, a
thread-local `BoundedSession` (no redirects, a cap on bodies, one deadline per request), the
run's deadline (`out_of_time`), and the `Observation` every rule reads, built once per
exchange with its redacted `Exchange` record.

Secrets stop here: the response is scrubbed of the access key and the URL's credentials as
it becomes an `Observation`, and records carry the URL without its credentials, so the rules,
the reports and every message made from them never hold a secret.
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
from schemathesis.core.transport import Response

from ordercheck.errors import Failure, TargetError
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.transport import BoundedSession, Limits, describe, tls_reason, unreachable
from ordercheck.redaction import redact_url, scrubber_for
from ordercheck.results import Exchange, KeyForm, RuleViolation, compact_json, redact
from ordercheck.rules import (
    KEEP,
    NOT_JSON,
    Expectation,
    Judging,
    Observation,
    exchange_rules,
    fold_consequences,
    judge,
)
from ordercheck.rules.schemathesis_checks import CHECKS, flat_headers, observing, response_json
from ordercheck.spec import OPERATION_PATH, Spec


@dataclass(frozen=True)
class Judged:
    """One exchange and its judgement: the rules that judged it, the violations found."""

    observation: Observation
    applied: tuple[str, ...]
    violations: tuple[RuleViolation, ...]

    @property
    def record(self) -> Exchange:
        """The redacted record of the exchange (what a report shows; it has `curl()`)."""
        assert self.observation.record is not None
        return self.observation.record

    exchange = record

    @property
    def status(self) -> int | None:
        """The HTTP status, or None when no whole response came back."""
        return self.observation.status

    @property
    def body(self) -> Any:
        """The response body as parsed JSON, or None when it is not JSON."""
        return self.record.response_body


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


def key_form(key: Any, configured: str) -> tuple[KeyForm, int]:
    """How a request carries the key (see `Exchange.key_form`), worked out from the key it
    sends and the configured one, so a record can reproduce it without holding it."""
    if key is KEEP or key == configured:
        return "configured", 0
    if key is None:
        return "none", 0
    if key == "":
        return "empty", 0
    if configured.startswith(key):
        return "prefix", len(key)
    if key == configured.swapcase():
        return "swapcase", 0
    return "literal", 0


class Client:
    """Sends Create Order requests to one target and judges each response.

    `stop_at` (a `time.monotonic()` value, from ``--deadline``) is when the run must end:
    after it `out_of_time` is true and the callers send nothing new.
    """

    def __init__(
        self, spec: Spec, config: FuzzConfig, base_url: str, *, stop_at: float | None = None
    ):
        self.config = config
        self.base_url = base_url.rstrip("/")
        self.shown_url = redact_url(self.base_url)
        self.scrubber = scrubber_for(config.access_key, self.base_url)
        self.limits = Limits(config.timeout_s, config.max_response_bytes)
        self.stop_at = stop_at
        self.judging = Judging(config.profile, config.allow_rejection_pattern, spec)
        self.schema = schemathesis.openapi.from_dict(_operation_document(spec, config))
        self.schema.config.update(base_url=self.base_url)
        self.operation = self.schema[config.path]["POST"]
        self.limiter = RateLimiter(config.rate_limit)
        self._local = threading.local()

    @property
    def out_of_time(self) -> bool:
        """True once the run's deadline has passed: no request may start any more."""
        return self.stop_at is not None and time.monotonic() >= self.stop_at

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = BoundedSession(self.limits)
        return session

    def url_for(self, merchant_id: str) -> str:
        """The URL requests go to (with the credentials of `base_url`, if any)."""
        return self.base_url + self._path(merchant_id)

    def shown_url_for(self, merchant_id: str) -> str:
        """The URL records and messages show: without credentials."""
        return self.shown_url + self._path(merchant_id)

    def _path(self, merchant_id: str) -> str:
        return self.config.path.replace("{merchant_id}", merchant_id)

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
        form, prefix = key_form(key, self.config.access_key)
        headers = redact(self._headers(key))
        raw_body, raw_base64 = Exchange.raw_fields(raw)
        if form == "literal":
            headers["X-Access-Key"] = str(key)  # a made-up wrong key, not a secret
        return Exchange(
            method="POST",
            url=self.shown_url_for(merchant_id or self.config.merchant_id),
            headers=headers,
            body=None if body is NOT_SET else body,
            raw_body=raw_body,
            raw_base64=raw_base64,
            key_form=form,
            key_prefix=prefix,
        )

    def exchange(
        self,
        expectation: Expectation,
        body: Any = NOT_SET,
        *,
        raw: bytes | None = None,
        key: Any = KEEP,
        merchant_id: str | None = None,
    ) -> Judged:
        """Send one request and judge its response by every exchange rule that applies; an
        exchange with no whole response is judged too (it breaks C1), never raised."""
        merchant = merchant_id or self.config.merchant_id
        headers = self._headers(key)
        params = {"merchant_id": merchant} if "{merchant_id}" in self.config.path else {}
        case = self.operation.Case(body=body, path_parameters=params, headers=dict(headers))
        # The session enforces the deadline and never follows a redirect; saying so here too
        # keeps Schemathesis from following one should it ever bring its own session.
        extra: dict[str, Any] = {"timeout": self.config.timeout_s, "allow_redirects": False}
        # The bytes on the wire are exactly those a report's curl sends: compact JSON (or the
        # raw body), not the transport's own serialisation.
        wire = raw if raw is not None else (None if body is NOT_SET else compact_json(body))
        if wire is not None:
            extra["data"] = wire.encode() if isinstance(wire, str) else wire
        record = self.describe(body, raw=raw, key=key, merchant_id=merchant)
        request = None if body is NOT_SET else body
        self.limiter.wait()
        started = time.perf_counter()
        try:
            response = case.call(session=self._session(), headers=headers, **extra)
        except requests.RequestException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            observation = Observation(
                expectation,
                self.judging,
                request=request,
                raw_request=raw,
                error=self.scrubber.text(describe(exc)),
                record=replace(record, elapsed_ms=elapsed),
            )
            applied, found = judge(observation)
            return Judged(observation, tuple(applied), tuple(found))
        observation = self._observation(expectation, request, raw, record, response)
        return self._judged(observation, response, case)

    def _observation(
        self,
        expectation: Expectation,
        request: Any,
        raw: bytes | None,
        record: Exchange,
        response: Response,
    ) -> Observation:
        scrub = self.scrubber
        body = response_json(response)
        try:
            body = body if body is NOT_JSON else scrub.json(body)
        except ValueError:  # nested too deep to scrub as JSON: shown as scrubbed text
            body = NOT_JSON
        # Scrubbed whole, then cut: a cut first could leave a secret's first half behind.
        text = scrub.text(response.text_lossy())[:2000] if body is NOT_JSON else ""
        headers = scrub.headers(flat_headers(response))
        return Observation(
            expectation,
            self.judging,
            request=request,
            raw_request=raw,
            status=response.status_code,
            headers=headers,
            body=body,
            text=text,
            record=replace(
                record,
                status=response.status_code,
                response_headers=dict(headers),
                response_body=None if body is NOT_JSON else body,
                response_text=text or None,
                elapsed_ms=response.elapsed * 1000,
            ),
        )

    def _judged(self, observation: Observation, response: Response, case: Any) -> Judged:
        """Schemathesis runs the rules' checks; the rules that applied are counted."""
        found: list[RuleViolation] = []
        with observing(observation):
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                for failure in group.exceptions:
                    ours = getattr(failure, "exception", None)
                    if isinstance(ours, Failure):
                        found.append(ours.violation)
        applied = [
            rule.id for rule in exchange_rules(self.judging.spec) if rule.applies(observation)
        ]
        applied, found = fold_consequences(applied, found, self.judging.spec)
        return Judged(observation, tuple(applied), tuple(found))

    def preflight(self) -> None:
        """Fail fast, with one line, when the target cannot be reached or refuses the key.

        An empty order with the configured key: a conformant server checks the key first, so
        401/403 here means every order of the run would be refused for the key, not judged.
        Only a target that nothing answers at the TCP level "cannot be reached", and a TLS
        handshake that fails is a setup problem too; a reachable server that breaks the
        exchange (a reset, a cut body, bytes that are not HTTP) is left to the run, which
        judges every such exchange under C1.
        """
        try:
            response = self._session().post(
                self.url_for(self.config.merchant_id),
                data=b"{}",
                headers=self._headers(KEEP),
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise TargetError(
                f"{self.shown_url}: the TLS handshake failed ({tls_reason(exc)})"
            ) from None
        except requests.RequestException as exc:
            if unreachable(exc):
                raise TargetError(f"cannot reach {self.shown_url}: {type(exc).__name__}") from None
            return
        if response.status_code == 404:
            raise TargetError(
                f"{self.shown_url_for(self.config.merchant_id)} answers HTTP 404: check --path "
                "(the Create Order operation's path template) and --base-url"
            )
        if response.status_code in (401, 403):
            raise TargetError(
                f"{self.shown_url} refuses the access key for merchant "
                f"{self.config.merchant_id!r} (HTTP {response.status_code}); "
                "check --access-key (or ORDERCHECK_ACCESS_KEY) and --merchant-id"
            )
