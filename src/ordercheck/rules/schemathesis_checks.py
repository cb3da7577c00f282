"""The exchange rules as Schemathesis checks, made from the registry.

Importing this module registers one check per exchange rule with Schemathesis
(``ordercheck_c07_echo_merchant_order_id`` ...), so the rules also work in a user's own
Schemathesis tests::

    from ordercheck.rules.schemathesis_checks import CHECKS
    case.call_and_validate(checks=CHECKS)

A check raises `ordercheck.errors.Failure` carrying the rule's violation.  Inside a fuzzing
run the fuzzer has already built the exchange's `Observation` and shares it through
`observing`, so the response is parsed and validated once for all the checks; outside a run
each check builds one from Schemathesis's response and case, working out what a conformant
server does with the request by validating it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import schemathesis
from schemathesis.core import NOT_SET
from schemathesis.core.transport import Response

from ordercheck.errors import Failure
from ordercheck.rules._observation import NOT_JSON, Observation, judging
from ordercheck.rules._registry import exchange_rules
from ordercheck.rules._rule import ContractRule

_CURRENT: ContextVar[Observation | None] = ContextVar("ordercheck_observation", default=None)


@contextmanager
def observing(observation: Observation) -> Iterator[Observation]:
    """Make `observation` the exchange the checks judge while Schemathesis runs them."""
    token = _CURRENT.set(observation)
    try:
        yield observation
    finally:
        _CURRENT.reset(token)


def response_json(response: Response) -> Any:
    """The parsed body, or `NOT_JSON` when it is not JSON."""
    try:
        return response.json()
    except Exception:  # any decoding problem means "not JSON" here
        return NOT_JSON


def flat_headers(response: Response) -> dict[str, str]:
    """Schemathesis keeps header values as lists; the rules want one lower-case name each."""
    return {name.lower(): ", ".join(values) for name, values in response.headers.items()}


def _standalone(response: Response, case: Any) -> Observation:
    body = None if case.body is NOT_SET else case.body
    shared = judging()
    return Observation(
        shared.expectation_for(body),
        shared,
        request=body,
        status=response.status_code,
        headers=flat_headers(response),
        body=response_json(response),
        text=response.text_lossy()[:2000],
    )


def _as_check(rule: ContractRule) -> Callable[[Any, Response, Any], None]:
    def check(ctx: Any, response: Response, case: Any) -> None:
        observation = _CURRENT.get() or _standalone(response, case)
        if rule.applies(observation):
            broken = rule.check(observation)
            if broken is not None:
                raise Failure(broken)

    check.__name__ = check.__qualname__ = f"ordercheck_{rule.slug.lower()}"
    check.__doc__ = rule.title
    return check


CHECKS: list[Any] = [schemathesis.check(_as_check(rule)) for rule in exchange_rules()]
