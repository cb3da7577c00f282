"""Response envelopes: is this body the success or the error envelope of the spec, and if not,
which of the envelope's constraints does it break.

This is the schema half of checking a response (the evidence for contract rule C2); the
rules that need the request, the status or the headers live in `ordercheck.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordercheck.spec import Profile, RuleCatalogue, Spec, check_profile, load_spec
from ordercheck.validators._engines import NATIVE_REFUSALS, Engines
from ordercheck.validators.violations import ConstraintViolation


class _Envelope:
    """The schema engines for one envelope schema."""

    def __init__(self, spec: Spec, schema: Mapping[str, Any], profile: Profile):
        native = spec.for_profile(schema, "strict")
        self.engines = Engines(schema, native, RuleCatalogue(schema), profile)

    def _clean(self, body: Any) -> bool:
        try:
            return self.engines.clean_test(body)
        except NATIVE_REFUSALS:
            return False

    def violations(self, body: Any, *, precise: bool = False) -> list[ConstraintViolation]:
        if not precise and self._clean(body):
            return []
        return self.engines.findings(body, precise=precise)


class EnvelopeValidator:
    """Checks a response body against the success envelope (2xx) or the error envelope.

    >>> body = {"data": {"order_id": "PO1", "merchant_order_id": "m1"},
    ...         "partial_complete": False, "is_success": True, "status_code": 200}
    >>> EnvelopeValidator().violations(body, status=200)
    []
    >>> [v.constraint for v in EnvelopeValidator().violations({}, status=200)][:1]
    ['data:required']
    """

    def __init__(self, profile: Profile = "default", spec: Spec | None = None):
        self.profile = check_profile(profile)
        self.spec = spec or load_spec()
        self._success = _Envelope(self.spec, self.spec.response_schema("200"), profile)
        self._error = _Envelope(self.spec, self.spec.response_schema("400"), profile)

    def expected(self, body: Any, status: int | None) -> str:
        """``success`` or ``error``: the envelope `body` must be, by status or, without one,
        by what the body says it is."""
        if status is not None:
            return "success" if 200 <= status < 300 else "error"
        if isinstance(body, Mapping):
            if "is_success" in body:
                return "success" if body["is_success"] is True else "error"
            if "data" in body:
                return "success"
        return "error"

    def violations(
        self, body: Any, *, status: int | None = None, precise: bool = False
    ) -> list[ConstraintViolation]:
        """Every envelope constraint `body` breaks, errors and warnings, in document order
        then rule; explained by jsonschema (the oracle of the tests) when `precise`."""
        envelope = self._success if self.expected(body, status) == "success" else self._error
        return envelope.violations(body, precise=precise)
