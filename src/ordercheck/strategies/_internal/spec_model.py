"""One spec prepared for generation: per schema, its rule catalogue, the role of each schema
object, its shape per profile and its exactness oracle per profile (`oracle.Oracle`).

Built once per `Spec` (and once for the bundled spec) and shared by every strategy, since
compiling validators is the expensive part and strategies are created often.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from typing import Any, Literal

from hypothesis.errors import InvalidArgument

from ordercheck.spec import (
    PROFILE_LEVELS,
    Profile,
    Rule,
    RuleCatalogue,
    Spec,
    check_profile,
    load_spec,
)
from ordercheck.strategies._internal.constraints import Shape, shape_of
from ordercheck.strategies._internal.oracle import Oracle

# Where a rule's schema object sits relative to its field: on the value itself, on the
# object's property names (``propertyNames``), or on the properties it does not declare
# (``unevaluatedProperties``; breaking those means adding a field).
Role = Literal["value", "keys", "extra"]


def node_roles(schema: Any) -> dict[int, Role]:
    """The `Role` of every schema object in `schema`, by object identity."""
    roles: dict[int, Role] = {}

    def walk(node: Any, role: Role) -> None:
        if not isinstance(node, Mapping):
            return
        roles[id(node)] = role
        for child in node.get("properties", {}).values():
            walk(child, "value")
        if "items" in node:
            walk(node["items"], "value")
        if "additionalProperties" in node:
            walk(node["additionalProperties"], "extra" if "properties" in node else "value")
        if "propertyNames" in node:
            walk(node["propertyNames"], "keys")
        if "unevaluatedProperties" in node:
            walk(node["unevaluatedProperties"], "extra")
        for keyword in ("allOf", "anyOf", "oneOf"):
            for child in node.get(keyword, ()):
                walk(child, role)

    walk(schema, "value")
    return roles


class SchemaModel:
    """One schema of the spec (the request body or an envelope), ready for generation."""

    def __init__(self, spec: Spec, schema: Mapping[str, Any]):
        self.spec = spec
        self.schema = schema
        self.catalogue = RuleCatalogue(schema)
        self.roles = node_roles(schema)
        self._shapes: dict[Profile, Shape] = {}
        self._oracles: dict[Profile, Oracle] = {}

    def shape(self, profile: Profile) -> Shape:
        """The schema compiled down to `profile`, as a `Shape`."""
        if profile not in self._shapes:
            self._shapes[profile] = shape_of(self.spec.for_profile(self.schema, profile))
        return self._shapes[profile]

    def oracle(self, profile: Profile) -> Oracle:
        """The exactness oracle for `profile`'s error levels."""
        if profile not in self._oracles:
            levels = PROFILE_LEVELS[profile]
            self._oracles[profile] = Oracle(self.schema, self.catalogue, levels)
        return self._oracles[profile]

    def role(self, rule: Rule) -> Role:
        """Where `rule` applies: the field's value, its property names, or unknown fields."""
        return self.roles.get(id(rule.node), "value")

    def error_rules(self, profile: Profile) -> tuple[Rule, ...]:
        """The catalogue's rules that are errors under `profile`, in catalogue order."""
        return tuple(r for r in self.catalogue if r.level in PROFILE_LEVELS[profile])


class SpecModel:
    """The request and envelope schemas of one spec."""

    def __init__(self, spec: Spec):
        self.spec = spec

    @cached_property
    def request(self) -> SchemaModel:
        return SchemaModel(self.spec, self.spec.request_schema)

    @cached_property
    def success(self) -> SchemaModel:
        return SchemaModel(self.spec, self.spec.response_schema("200"))

    @cached_property
    def error(self) -> SchemaModel:
        return SchemaModel(self.spec, self.spec.response_schema("400"))


@cache
def _bundled() -> SpecModel:
    return SpecModel(load_spec())


# Keyed by identity: a `Spec` holds dicts and cannot be hashed.  The entry keeps the spec
# alive, so the id cannot be reused by another object.
_MODELS: dict[int, tuple[Spec, SpecModel]] = {}


def model_for(spec: Spec | None) -> SpecModel:
    """The shared `SpecModel` of `spec` (the bundled spec when None)."""
    if spec is None:
        return _bundled()
    if id(spec) not in _MODELS:
        _MODELS[id(spec)] = (spec, SpecModel(spec))
    return _MODELS[id(spec)][1]


def profile_argument(profile: str) -> Profile:
    """`profile` checked, failing the way Hypothesis argument checks fail."""
    try:
        return check_profile(profile)
    except ValueError as exc:
        raise InvalidArgument(str(exc)) from None
