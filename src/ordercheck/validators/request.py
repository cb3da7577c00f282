"""Request validation: is this Create Order payload valid under a profile, and why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ordercheck.json_tools import fast_answer, fast_validator
from ordercheck.spec import Profile, RuleCatalogue, Spec, check_profile, load_spec
from ordercheck.validators._engines import NATIVE_REFUSALS, Engines
from ordercheck.validators._fast_shape import shaped_for_speed
from ordercheck.validators.violations import ConstraintViolation, Verdict


class RequestValidator:
    """Validates request payloads against the spec under one profile.

    Two fast validators (jsonschema-rs) answer first: one for the profile, one for every level.
    Only a payload that breaks something, even a warning-level rule, is explained, from
    jsonschema-rs's own errors; jsonschema, slower but exact, explains what those cannot
    place for sure, and anything when asked with ``precise=True``.  So the common case (a
    clean payload) costs one native call, and a broken one a few more.

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
        self._fast_profile = fast_validator(shaped_for_speed(self.spec.for_profile(full, profile)))
        self._engines = Engines(
            full, self.spec.for_profile(full, "strict"), self.catalogue, profile
        )

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
        return self._engines.clean_test

    @property
    def precise_fallbacks(self) -> int:
        """How many payloads so far jsonschema-rs could not explain (an empty key, a value
        it cannot take), so jsonschema did: for tests and benchmarks."""
        return self._engines.fallbacks

    def findings(self, payload: Any, *, precise: bool = False) -> list[ConstraintViolation]:
        """Every broken rule of every level, errors and warnings, in document order then
        rule; explained by jsonschema (the oracle of the tests) when `precise`."""
        return self._engines.findings(payload, precise=precise)

    def check(self, payload: Any, *, precise: bool = False) -> Verdict[ConstraintViolation]:
        """The verdict with its findings; skips the explaining for a clean payload."""
        if not precise and _answer(self._engines.clean_test, payload) is True:
            return Verdict()
        return Verdict(tuple(self.findings(payload, precise=precise)))


def _answer(test: Callable[[Any], bool], payload: Any) -> bool | None:
    try:
        return test(payload)
    except NATIVE_REFUSALS:
        return None
