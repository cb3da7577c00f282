"""`OrderApi`: a client bound to one target, for QA engineers' own tests.

It sends through the same Schemathesis-backed `Client` the fuzzer uses, so a hand-written test
and a fuzzing run see the target the same way, and `check` applies the same contract rules.
"""

from __future__ import annotations

from typing import Any

from schemathesis.core import NOT_SET

from ordercheck.defaults import DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID
from ordercheck.fuzz.client import Client, Judged
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.results import RuleViolation
from ordercheck.rules import KEEP, Expectation
from ordercheck.spec import OPERATION_PATH, Spec, check_profile, load_spec


class OrderApi:
    """Create orders on one target and check the answers against the contract.

    >>> api = OrderApi("http://127.0.0.1:8000")  # doctest: +SKIP
    >>> sent = api.create_order(payload)  # doctest: +SKIP
    >>> sent.status, api.check(sent)  # doctest: +SKIP
    (200, [])
    """

    def __init__(
        self,
        base_url: str,
        *,
        merchant_id: str = DEFAULT_MERCHANT_ID,
        access_key: str = DEFAULT_ACCESS_KEY,
        profile: str = "default",
        path: str = OPERATION_PATH,
        spec: Spec | None = None,
    ):
        self.config = FuzzConfig(
            base_url=base_url,
            merchant_id=merchant_id,
            access_key=access_key,
            profile=check_profile(profile),
            path=path,
        )
        self.spec = spec or load_spec()
        self._client = Client(self.spec, self.config, base_url)

    @property
    def base_url(self) -> str:
        return self._client.base_url

    def create_order(
        self, payload: Any = NOT_SET, *, access_key: Any = KEEP, merchant_id: str | None = None
    ) -> Judged:
        """POST one payload; `access_key=None` sends none, a string sends that key.

        The response is judged by the contract rules as the fuzzer judges it, with the
        payload's expectation worked out by validating it under the profile."""
        expectation = (
            Expectation("unauthorized")
            if access_key is not KEEP or merchant_id is not None
            else self._client.judging.expectation_for(payload)
        )
        return self._client.exchange(expectation, payload, key=access_key, merchant_id=merchant_id)

    def check(self, sent: Judged) -> list[RuleViolation]:
        """The contract rules this response broke (C1 to C8, C13), as the fuzzer judges them."""
        return list(sent.violations)
