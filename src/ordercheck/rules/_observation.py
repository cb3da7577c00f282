"""One exchange as the contract rules see it: what was sent, why, and what came back.

An `Observation` is built once per exchange (by the fuzzer from the wire, by `validate
--kind response` from a file, by a Schemathesis check from its response) and every rule reads
the same one, so the response is parsed and its envelope validated once, however many rules
look at it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from ordercheck.results import Exchange
from ordercheck.spec import Profile, Spec, envelope_profile, load_spec
from ordercheck.validators import ConstraintViolation, EnvelopeValidator, RequestValidator

# Why a request was sent, which decides the rules that judge its response:
# valid / invalid / malformed: C5 and C6; sequence: part of a replay or a burst, judged by its
# sequence rule instead; unauthorized: an auth test (C12), where 401/403 are the right answers;
# unknown: a response read from a file, whose request's purpose nobody declared.
Expect = Literal["valid", "invalid", "malformed", "sequence", "unauthorized", "unknown"]


class _NotJson:
    """The type of `NOT_JSON`."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()  # the body of a response that is not JSON


@dataclass(frozen=True)
class Expectation:
    """What a conformant server does with a request, and why: `expect`, and for a payload
    built to break a constraint of the spec, which (`constraint`)."""

    expect: Expect
    constraint: str | None = None


@dataclass(frozen=True, eq=False)
class Judging:
    """What every judgement of one run shares: the profile, the declared business rejections
    and the validators (built once)."""

    profile: Profile = "default"
    allow_rejection: re.Pattern[str] | None = None
    spec: Spec = field(default_factory=load_spec)

    @cached_property
    def envelopes(self) -> EnvelopeValidator:
        """The envelope's shape binds in every profile (C2): its required fields are
        inferred, so under ``documented`` the envelope is still checked as ``default``."""
        return EnvelopeValidator(envelope_profile(self.profile), self.spec)

    @cached_property
    def requests(self) -> RequestValidator:
        return RequestValidator(self.profile, self.spec)

    def expectation_for(self, payload: Any) -> Expectation:
        """What a conformant server does with `payload`, worked out by validating it: for a
        request whose purpose nobody declared (a user's own Schemathesis test)."""
        verdict = self.requests.check(payload)
        if verdict.valid:
            return Expectation("valid")
        first = verdict.errors[0]
        return Expectation("invalid", first.id)


@lru_cache(maxsize=8)
def judging(profile: Profile = "default", allow_rejection: str | None = None) -> Judging:
    """The shared `Judging` for the bundled spec, a profile and a rejection pattern."""
    pattern = None if allow_rejection is None else re.compile(allow_rejection)
    return Judging(profile, pattern)


@dataclass(frozen=True, eq=False)
class Observation:
    """What was sent (`request`, or `raw_request` for a body that is not JSON), why
    (`expectation`), and what came back: `status`, `headers` (lower-case names), `body`
    (parsed JSON, or `NOT_JSON` with the `text`), or the transport `error` when nothing (or
    nothing whole) came back.  `record` is the redacted exchange a report shows.

    `sent_at` and `done_at` (``time.monotonic()``: the request leaving, its answer whole) are
    set where the order of exchanges matters, in a burst of concurrent requests; None
    elsewhere."""

    expectation: Expectation
    judging: Judging
    request: Any = None
    raw_request: bytes | None = None
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = NOT_JSON
    text: str = ""
    error: str | None = None
    record: Exchange | None = None
    sent_at: float | None = None
    done_at: float | None = None

    @property
    def answered(self) -> bool:
        """True when a whole response came back (any status)."""
        return self.status is not None and self.error is None

    @property
    def succeeded(self) -> bool:
        """A 2xx answer."""
        return self.answered and self.status is not None and 200 <= self.status < 300

    @property
    def json_object(self) -> Mapping[str, Any] | None:
        """The body when it is a JSON object, else None."""
        return self.body if isinstance(self.body, Mapping) else None

    @property
    def data(self) -> Mapping[str, Any] | None:
        """The success envelope's ``data`` object, when there is one."""
        body = self.json_object
        data = None if body is None else body.get("data")
        return data if isinstance(data, Mapping) else None

    @property
    def order_id(self) -> str | None:
        """The ``order_id`` a success answered with, when it is a string."""
        data = self.data if self.succeeded else None
        order_id = None if data is None else data.get("order_id")
        return order_id if isinstance(order_id, str) else None

    @property
    def error_message(self) -> str | None:
        """``error.message`` of an error envelope, when it is a string."""
        body = self.json_object
        error = None if body is None else body.get("error")
        message = error.get("message") if isinstance(error, Mapping) else None
        return message if isinstance(message, str) else None

    @property
    def is_error_envelope(self) -> bool:
        """A 400 answered with the error envelope (``is_success: false`` and an ``error``)."""
        body = self.json_object
        return (
            self.status == 400
            and body is not None
            and body.get("is_success") is False
            and isinstance(body.get("error"), Mapping)
        )

    @cached_property
    def envelope_violations(self) -> tuple[ConstraintViolation, ...]:
        """The envelope constraints the body breaks: validated once, however many rules ask."""
        if self.body is NOT_JSON:
            return ()
        found = self.judging.envelopes.violations(self.body, status=self.status)
        return tuple(found)

    @property
    def declared_rejection(self) -> bool:
        """A 400 whose message the user declared a business rule (unknown SKU, expired
        coupon, ``--allow-rejection``): it says why the order was refused, so it cannot say
        whether the payload was valid (C5) or its invalidity noticed (C6)."""
        allowed = self.judging.allow_rejection
        message = self.error_message or ""
        return self.status == 400 and allowed is not None and bool(allowed.search(message))

    def header(self, name: str) -> str | None:
        """A response header by name, any case."""
        return self.headers.get(name.lower())
