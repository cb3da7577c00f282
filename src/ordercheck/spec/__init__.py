"""The spec: loading it, its profiles and the catalogue of rules it holds.

Everything else in ordercheck derives from a `Spec`; nothing holds a second copy of a schema.
"""

from ordercheck.spec._conformance import ConformanceRule, Scope
from ordercheck.spec._loader import OPERATION_PATH, Spec, bundled_spec_text, load_spec
from ordercheck.spec._profiles import (
    ASSERTION_KEYWORDS,
    LEVELS,
    PROFILE_LEVELS,
    PROFILES,
    Level,
    Profile,
    check_profile,
    compile_for_levels,
    envelope_profile,
)
from ordercheck.spec._rules import Rule, RuleCatalogue

__all__ = [
    "ASSERTION_KEYWORDS",
    "LEVELS",
    "OPERATION_PATH",
    "PROFILES",
    "PROFILE_LEVELS",
    "ConformanceRule",
    "Level",
    "Profile",
    "Rule",
    "RuleCatalogue",
    "Scope",
    "Spec",
    "bundled_spec_text",
    "check_profile",
    "compile_for_levels",
    "envelope_profile",
    "load_spec",
]
