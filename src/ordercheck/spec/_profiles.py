"""Provenance levels, profiles, and compiling a schema down to one profile.

A profile is a set of levels.  Compiling keeps the assertion keywords of every schema object
whose (inherited) ``x-provenance`` is in the profile and drops the others, so the three
validators of a profile come from the one spec with nothing written twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, get_args

Level = Literal["documented", "inferred", "recommended"]
Profile = Literal["documented", "default", "strict"]

LEVELS: Final[tuple[Level, ...]] = get_args(Level)
PROFILES: Final[tuple[Profile, ...]] = get_args(Profile)
PROFILE_LEVELS: Final[Mapping[Profile, frozenset[Level]]] = {
    "documented": frozenset({"documented"}),
    "default": frozenset({"documented", "inferred"}),
    "strict": frozenset({"documented", "inferred", "recommended"}),
}

# Keywords that constrain the instance at this schema object.  Everything else either
# descends (applicators) or annotates.  `not` counts as an assertion of its owner: the
# rule "not this" belongs to the schema object that says it.
ASSERTION_KEYWORDS: Final = frozenset(
    {
        "type",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "required",
        "dependentRequired",
        "not",
    }
)
SCHEMA_MAP_KEYWORDS: Final = frozenset({"properties", "patternProperties", "$defs"})
SCHEMA_KEYWORDS: Final = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "propertyNames",
        "contains",
        "unevaluatedItems",
        "if",
        "then",
        "else",
    }
)
SCHEMA_LIST_KEYWORDS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def envelope_profile(profile: Profile) -> Profile:
    """The profile a response envelope is held to: the envelope's shape binds in every
    profile (contract rule C2), and its required fields are inferred, so ``documented``
    checks envelopes as ``default`` does.

    >>> envelope_profile("documented"), envelope_profile("strict")
    ('default', 'strict')
    """
    return "default" if profile == "documented" else profile


def check_profile(profile: str) -> Profile:
    """Return `profile` typed, or raise ValueError naming the choices."""
    if profile not in PROFILES:
        raise ValueError(f"profile={profile!r} is not one of {', '.join(PROFILES)}")
    return profile


def level_of(node: Mapping[str, Any], inherited: Level) -> Level:
    """The provenance level of a schema object: its own ``x-provenance`` or its parent's."""
    level = node.get("x-provenance", inherited)
    if level not in LEVELS:
        raise ValueError(f"x-provenance={level!r} is not one of {', '.join(LEVELS)}")
    return level  # type: ignore[no-any-return]


def compile_for_levels(
    schema: Any, levels: frozenset[Level], inherited: Level = "documented"
) -> Any:
    """Copy `schema` keeping only the assertions whose level is in `levels`.

    >>> compile_for_levels({"type": "string", "allOf": [{"x-provenance": "inferred",
    ...     "minLength": 1}]}, frozenset({"documented"}))
    {'type': 'string', 'allOf': [{'x-provenance': 'inferred'}]}
    """
    if not isinstance(schema, Mapping):
        return schema
    level = level_of(schema, inherited)
    keep = level in levels
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ASSERTION_KEYWORDS and key != "not":
            if keep:
                out[key] = value
        elif key == "not":
            if keep:
                out[key] = compile_for_levels(value, levels, level)
        elif key in SCHEMA_MAP_KEYWORDS:
            out[key] = {k: compile_for_levels(v, levels, level) for k, v in value.items()}
        elif key in SCHEMA_KEYWORDS:
            out[key] = compile_for_levels(value, levels, level)
        elif key in SCHEMA_LIST_KEYWORDS:
            out[key] = [compile_for_levels(v, levels, level) for v in value]
        else:
            out[key] = value
    return out
