"""`OrderApi`: a client bound to one target, for QA engineers' own tests.

It sends through the same Schemathesis-backed `Client` the fuzzer uses, so a hand-written test
and a fuzzing run see the target the same way, and `check` runs the same contract checks.
"""

from __future__ import annotations

from typing import Any

from ordercheck.checks import ExchangeContext, Expectation
from ordercheck.runner._client import KEEP, Client, RuleBreak, Sent
from ordercheck.runner._config import FuzzConfig
from ordercheck.spec import OPERATION_PATH, Spec, check_profile, load_spec
from ordercheck.validators import RequestValidator


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
        merchant_id: str = "demo-merchant",
        access_key: str = "1mg_client_access_key",
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
        self._requests = RequestValidator(self.config.profile, self.spec)

    @property
    def base_url(self) -> str:
        return self._client.base_url

    def create_order(
        self, payload: Any, *, access_key: Any = KEEP, merchant_id: str | None = None
    ) -> Sent:
        """POST one payload; `access_key=None` sends none, a string sends that key."""
        return self._client.send(payload, key=access_key, merchant_id=merchant_id)

    def check(self, sent: Sent) -> list[RuleBreak]:
        """The exchange rules (C1 to C8, C13) this response breaks, as the fuzzer judges them."""
        payload = sent.exchange.body
        verdict = self._requests.check(payload)
        expectation = (
            Expectation("valid", payload)
            if verdict.valid
            else Expectation("invalid", payload, verdict.errors[0].rule)
        )
        return self._client.check(sent, ExchangeContext(expectation, self.config.profile))
