"""The two schema engines over one schema, and which one explains what.

jsonschema-rs (fast) answers "clean?" and explains through its own errors; jsonschema
(precise) explains what jsonschema-rs cannot place for sure, or takes (a string that is not
Unicode text, an integer beyond 64 bits), and everything when asked: it is the oracle the
fast explanations are tested against.  It is built on first use, since most runs never
need it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ordercheck.json_tools import fast_validator, precise_validator
from ordercheck.spec import Profile, RuleCatalogue
from ordercheck.validators._explain import Explainer
from ordercheck.validators._fast_shape import shaped_for_speed
from ordercheck.validators._native_errors import NativeErrors, Unexplained
from ordercheck.validators._precise_errors import precise_breaks
from ordercheck.validators.violations import ConstraintViolation

# What jsonschema-rs raises for a value it cannot take.
NATIVE_REFUSALS = (UnicodeEncodeError, ValueError, OverflowError)


class Engines:
    """Findings for one schema under one profile.

    `schema` is the full schema (every level: the findings name warnings too); `native` the
    same compiled for the jsonschema-rs validators (the strict profile, which keeps every
    level): one reads errors from it as it is, one answers "clean?" from it reshaped for
    speed.
    """

    def __init__(
        self,
        schema: Mapping[str, Any],
        native: Any,
        catalogue: RuleCatalogue,
        profile: Profile,
    ):
        self.schema = schema
        self.fast = fast_validator(native)
        self.clean_test: Callable[[Any], bool] = fast_validator(shaped_for_speed(native)).is_valid
        self.explainer = Explainer(schema, catalogue, profile)
        self._native = NativeErrors(schema, self.explainer)
        self._precise: Any = None
        # How many instances jsonschema-rs could not explain, so jsonschema did.
        self.fallbacks = 0

    def findings(self, instance: Any, *, precise: bool = False) -> list[ConstraintViolation]:
        """Every broken rule, in document order then rule."""
        if not precise:
            try:
                breaks = self._native.breaks(self.fast.iter_errors(instance), instance)
            except (Unexplained, LookupError, *NATIVE_REFUSALS):
                # The precise path decides, and fails loudly if the catalogue is wrong.
                self.fallbacks += 1
            else:
                return self.explainer.findings(breaks, instance)
        if self._precise is None:
            self._precise = precise_validator(self.schema)
        errors = self._precise.iter_errors(instance)
        return self.explainer.findings(precise_breaks(self.explainer, errors), instance)
