"""Response validation: the envelope schemas from the spec plus the exchange rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordercheck.json_tools import fast_answer, fast_validator, precise_validator
from ordercheck.spec import Profile, RuleCatalogue, Spec, check_profile, load_spec
from ordercheck.validators._exchange import ExchangeRules
from ordercheck.validators._explain import Explainer
from ordercheck.validators._findings import Verdict


class _Envelope:
    """Fast and precise validators for one envelope schema."""

    def __init__(self, spec: Spec, schema: Mapping[str, Any], profile: Profile):
        self.fast_all = fast_validator(spec.for_profile(schema, "strict"))
        self.precise = precise_validator(schema)
        self.explainer = Explainer(schema, RuleCatalogue(schema), profile)


class ResponseValidator:
    """Validates Create Order responses: the body's envelope and, when given, the status,
    headers and the request that produced it (C3, C4, C7, C8 need those).

    >>> v = ResponseValidator()
    >>> body = {"data": {"order_id": "PO1", "merchant_order_id": "m1"},
    ...         "partial_complete": False, "is_success": True, "status_code": 200}
    >>> v.check(body, status=200, request={"merchant_order_id": "m1"}).valid
    True
    >>> [f.rule for f in v.check(body, status=200, request={"merchant_order_id": "m2"}).errors]
    ['C7']
    """

    def __init__(self, profile: Profile = "default", spec: Spec | None = None):
        self.profile = check_profile(profile)
        self.spec = spec or load_spec()
        self._success = _Envelope(self.spec, self.spec.response_schema("200"), profile)
        self._error = _Envelope(self.spec, self.spec.response_schema("400"), profile)
        self._exchange = ExchangeRules(self.spec, profile)

    def _envelope_for(self, body: Any, status: int | None) -> _Envelope:
        if status is not None:
            return self._success if 200 <= status < 300 else self._error
        if isinstance(body, Mapping):
            if "is_success" in body:
                return self._success if body["is_success"] is True else self._error
            if "data" in body:
                return self._success
        return self._error

    def check(
        self,
        body: Any,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        request: Any = None,
    ) -> Verdict:
        """The verdict on one response (body, and optionally status, headers and request)."""
        envelope = self._envelope_for(body, status)
        findings = []
        if fast_answer(envelope.fast_all, body) is not True:
            findings.extend(envelope.explainer.findings(envelope.precise.iter_errors(body)))
        findings.extend(self._exchange.check(body, status=status, headers=headers, request=request))
        return Verdict(tuple(findings))
