"""Request validation: is this Create Order payload valid under a profile, and why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ordercheck.json_tools import fast_answer, fast_validator, precise_validator
from ordercheck.spec import Profile, RuleCatalogue, Spec, check_profile, load_spec
from ordercheck.validators._explain import Explainer
from ordercheck.validators.violations import ConstraintViolation, Verdict


class RequestValidator:
    """Validates request payloads against the spec under one profile.

    Two fast validators (jsonschema-rs) answer first: one for the profile, one for every level.
    Only a payload that breaks something, even a warning-level rule, reaches the precise
    path, so the common case (a clean payload) costs one native call.

    >>> v = RequestValidator("default")
    >>> v.is_valid({"merchant_order_id": "m1"})
    False
    >>> [f.constraint for f in v.check({"payable_amount": 499}).errors][:2]
    ['payable_amount:type', 'merchant_order_id:required']
    """

    def __init__(self, profile: Profile = "default", spec: Spec | None = None):
        self.profile = check_profile(profile)
        self.spec = spec or load_spec()
        full = self.spec.request_schema
        self.catalogue = RuleCatalogue(full)
        self._fast_profile = fast_validator(self.spec.for_profile(full, profile))
        self._fast_all = fast_validator(self.spec.for_profile(full, "strict"))
        self._precise = precise_validator(full)
        self._explainer = Explainer(full, self.catalogue, profile)

    def is_valid(self, payload: Any) -> bool:
        """True when `payload` breaks no rule of the profile (warnings allowed). Fast path."""
        answer = fast_answer(self._fast_profile, payload)
        return self.check(payload).valid if answer is None else answer

    def clean_test(self) -> Callable[[Any], bool]:
        """The native test "does a payload break no rule of any level, not even a warning?"
        (jsonschema-rs over the strict schema), for loops that ask it per payload.

        It raises what jsonschema-rs raises for a value it cannot take (`ValueError`,
        `OverflowError`, `UnicodeEncodeError`): `check` decides those.
        """
        test: Callable[[Any], bool] = self._fast_all.is_valid
        return test

    def findings(self, payload: Any) -> list[ConstraintViolation]:
        """Every broken rule of every level, errors and warnings, by the precise path."""
        return self._explainer.findings(self._precise.iter_errors(payload))

    def check(self, payload: Any) -> Verdict[ConstraintViolation]:
        """The verdict with its findings; skips the precise path for a clean payload."""
        if fast_answer(self._fast_all, payload) is True:
            return Verdict()
        return Verdict(tuple(self.findings(payload)))
