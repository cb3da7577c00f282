"""What the checks need to know about an exchange besides the response: what was expected.

The runner sets an `ExchangeContext` (in a context variable) before it asks Schemathesis to
validate a response, so the checks registered with Schemathesis know whether the payload was
valid, which rule an invalid one broke, and which rejections the user declared acceptable.
Outside the runner (a user's own Schemathesis test), the checks work out the expectation by
validating the request body themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from ordercheck.spec import Profile
from ordercheck.validators import RequestValidator, ResponseValidator

# valid/invalid/malformed: judged by C5/C6. sequence: part of a multi-request check (a replay,
# a burst), judged by the sequence, not by C5/C6. unauthorized: judged by C12 alone.
Expect = Literal["valid", "invalid", "malformed", "sequence", "unauthorized"]


@dataclass(frozen=True)
class Expectation:
    """What a conformant server does with this request, and why."""

    expect: Expect
    payload: Any = None
    payload_rule: str | None = None


@dataclass(frozen=True)
class ExchangeContext:
    """Everything the per-exchange checks read besides the response."""

    expectation: Expectation
    profile: Profile = "default"
    allow_rejection: re.Pattern[str] | None = None

    @property
    def responses(self) -> ResponseValidator:
        return _response_validator(self.profile)


@lru_cache(maxsize=3)
def _response_validator(profile: Profile) -> ResponseValidator:
    return ResponseValidator(profile)


@lru_cache(maxsize=3)
def _request_validator(profile: Profile) -> RequestValidator:
    return RequestValidator(profile)


_CURRENT: ContextVar[ExchangeContext | None] = ContextVar("ordercheck_exchange", default=None)


@contextmanager
def exchange_context(context: ExchangeContext) -> Iterator[ExchangeContext]:
    """Make `context` the one the checks see while validating one response."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def current_context(body: Any, profile: Profile = "default") -> ExchangeContext:
    """The runner's context, or one inferred from the request body for standalone use."""
    context = _CURRENT.get()
    if context is not None:
        return context
    verdict = _request_validator(profile).check(body)
    if verdict.valid:
        return ExchangeContext(Expectation("valid", body), profile)
    return ExchangeContext(Expectation("invalid", body, verdict.errors[0].rule), profile)
