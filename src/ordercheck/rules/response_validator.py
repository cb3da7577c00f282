"""`ResponseValidator`: a whole response judged as `ordercheck validate --kind response` does,
the envelope's constraints and every contract rule one exchange can show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordercheck.rules import c02_json_envelope
from ordercheck.rules._observation import Expectation, Judging, Observation
from ordercheck.rules._registry import exchange_rules
from ordercheck.spec import Profile, Spec, check_profile, load_spec
from ordercheck.validators import Verdict, Violation


class ResponseValidator:
    """Validates Create Order responses: the body's envelope and, when given, the status,
    headers and the request that produced it (C3, C4, C7, C8, C13 need those).

    The envelope's broken constraints are listed one by one (``data.order_id:required``):
    they are C2's evidence, so C2 adds only what they cannot say (a Content-Type that is not
    JSON).

    >>> v = ResponseValidator()
    >>> body = {"data": {"order_id": "PO1", "merchant_order_id": "m1"},
    ...         "partial_complete": False, "is_success": True, "status_code": 200}
    >>> v.check(body, status=200, request={"merchant_order_id": "m1"}).valid
    True
    >>> [f.id for f in v.check(body, status=200, request={"merchant_order_id": "m2"}).errors]
    ['C7']
    """

    def __init__(self, profile: Profile = "default", spec: Spec | None = None):
        self.profile = check_profile(profile)
        self.spec = spec or load_spec()
        self.judging = Judging(self.profile, None, self.spec)

    def check(
        self,
        body: Any,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        request: Any = None,
    ) -> Verdict[Violation]:
        """The verdict on one response (body, and optionally status, headers and request)."""
        observation = Observation(
            Expectation("unknown"),
            self.judging,
            request=request,
            status=status,
            headers={k.lower(): v for k, v in (headers or {}).items()},
            body=body,
        )
        found: list[Violation] = list(observation.envelope_violations)
        for rule in exchange_rules(self.spec):
            if rule.id == c02_json_envelope.ID:
                broken = c02_json_envelope.media_type_violation(observation)
            elif rule.applies(observation):
                broken = rule.check(observation)
            else:
                broken = None
            if broken is not None:
                found.append(broken)
        return Verdict(tuple(found))
