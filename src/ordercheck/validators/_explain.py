"""Turning jsonschema errors into findings: rule, level, severity, JSON path and hint."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from ordercheck.json_tools import PathStep, json_path
from ordercheck.results import Severity
from ordercheck.spec import PROFILE_LEVELS, Profile, Rule, RuleCatalogue
from ordercheck.validators._hints import explain
from ordercheck.validators.violations import ConstraintViolation


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Errors of `allOf` and friends carry their real causes in `context`; surface those."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _node_at(schema: Mapping[str, Any], pointer: Iterable[Any]) -> Any:
    node: Any = schema
    for step in pointer:
        node = node[step]
    return node


def _field_schema(schema: Mapping[str, Any], pointer: tuple[Any, ...]) -> Mapping[str, Any]:
    """The schema object of the field a rule is about (the owner of an `allOf` block)."""
    steps = list(pointer)
    while len(steps) >= 2 and steps[-2] in ("allOf", "anyOf", "oneOf"):
        steps = steps[:-2]
    node = _node_at(schema, steps)
    return node if isinstance(node, Mapping) else {}


class Explainer:
    """ConstraintViolations for one schema under one profile."""

    def __init__(self, schema: Mapping[str, Any], catalogue: RuleCatalogue, profile: Profile):
        self.schema = schema
        self.catalogue = catalogue
        self.levels = PROFILE_LEVELS[profile]

    def findings(self, errors: Iterable[ValidationError]) -> list[ConstraintViolation]:
        """One finding per broken rule and place, in document order, without repeats."""
        seen: set[tuple[str, str]] = set()
        out: list[ConstraintViolation] = []
        for error in _leaves(errors):
            for finding in self._from_error(error):
                key = (finding.constraint, finding.path)
                if key not in seen:
                    seen.add(key)
                    out.append(finding)
        return out

    def _from_error(self, error: ValidationError) -> Iterator[ConstraintViolation]:
        pointer = tuple(error.schema_path)
        steps: list[PathStep] = list(error.absolute_path)
        instance: Any = error.instance
        if error.validator == "required":
            name = ast.literal_eval(error.message.split(" is a required property")[0])
            rule = self.catalogue.at(pointer, name)
            owner = _field_schema(self.schema, pointer[:-1])
            field = owner.get("properties", {}).get(name, {})
            yield from self._finding(rule, [*steps, name], None, field)
        elif error.validator == "unevaluatedProperties":
            rule = self.catalogue.at(pointer)
            known = _node_at(self.schema, pointer[:-1]).get("properties", {})
            for key in instance:
                if key not in known:
                    yield from self._finding(rule, [*steps, key], instance[key], {})
        elif "propertyNames" in pointer:
            rule = self.catalogue.at(pointer)
            yield from self._finding(rule, [*steps, instance], instance, {})
        else:
            rule = self.catalogue.at(pointer)
            field = _field_schema(self.schema, pointer[:-1])
            yield from self._finding(rule, steps, error.instance, field)

    def _finding(
        self, rule: Rule | None, steps: list[PathStep], found: Any, field: Mapping[str, Any]
    ) -> Iterator[ConstraintViolation]:
        if rule is None:
            # Every assertion keyword is in the catalogue; reaching here means the catalogue
            # and the engine disagree about a keyword, which is a bug worth a loud failure.
            raise LookupError(f"no rule for a failure at {json_path(steps)}")
        path = json_path(steps)
        expected, found_words, hint = explain(rule, found, field, path)
        severity: Severity = "error" if rule.level in self.levels else "warning"
        yield ConstraintViolation(rule.id, rule.level, severity, path, expected, found_words, hint)
