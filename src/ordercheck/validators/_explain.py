"""Turning broken constraints into findings: rule, level, severity, JSON path and hint.

Both schema engines' errors are first reduced to `Break`s (which rule, where, what value was
found: `_native_errors` for jsonschema-rs, `_precise_errors` for jsonschema), then explained
here the one same way, so the two engines give equal findings in an equal order.

Order: document order of the paths, then the order the spec writes its rules in (``type``
before the ``enum`` beside it or in its ``allOf``), whichever engine found them and in
whatever order it did: stable across runs and processes.  A missing field sorts after the
fields its object has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ordercheck.json_tools import PathStep, json_path
from ordercheck.results import Severity
from ordercheck.spec import PROFILE_LEVELS, Profile, Rule, RuleCatalogue
from ordercheck.spec._rules import SchemaPointer
from ordercheck.validators._hints import explain
from ordercheck.validators.violations import ConstraintViolation

# Explanations are cached by (rule, place, what was found); a file of similar mistakes
# repeats them.  The cache is emptied when it reaches this size.
_CACHE_SIZE = 4096


class Break(NamedTuple):
    """One rule broken at one place: the path's steps and the value found there (None for
    a missing field); `field` is the schema of the field, for the hint's words."""

    rule: Rule
    steps: tuple[PathStep, ...]
    found: Any
    field: Mapping[str, Any]


def node_at(schema: Mapping[str, Any], pointer: Iterable[Any]) -> Any:
    node: Any = schema
    for step in pointer:
        node = node[step]
    return node


def field_schema(schema: Mapping[str, Any], pointer: SchemaPointer) -> Mapping[str, Any]:
    """The schema object of the field a rule is about (the owner of an `allOf` block)."""
    steps = list(pointer)
    while len(steps) >= 2 and steps[-2] in ("allOf", "anyOf", "oneOf"):
        steps = steps[:-2]
    node = node_at(schema, steps)
    return node if isinstance(node, Mapping) else {}


class Explainer:
    """ConstraintViolations for one schema under one profile."""

    def __init__(self, schema: Mapping[str, Any], catalogue: RuleCatalogue, profile: Profile):
        self.schema = schema
        self.catalogue = catalogue
        self.levels = PROFILE_LEVELS[profile]
        self._rank = _spec_order(schema, catalogue)
        self._said: dict[tuple[str, tuple[PathStep, ...], type, Any], ConstraintViolation] = {}
        self._rules: dict[SchemaPointer, tuple[Rule, Mapping[str, Any]]] = {}

    def rule_at(self, pointer: SchemaPointer, required_name: str | None = None) -> Rule:
        rule = self.catalogue.at(pointer, required_name)
        if rule is None:
            # Every assertion keyword is in the catalogue; reaching here means the catalogue
            # and the engine disagree about a keyword, which is a bug worth a loud failure.
            raise LookupError(f"no rule for a failure at schema {pointer}")
        return rule

    def breaks(
        self,
        pointer: SchemaPointer,
        steps: tuple[PathStep, ...],
        node: Any,
        *,
        missing: str | None = None,
        key: str | None = None,
    ) -> Iterator[Break]:
        """The breaks one engine error stands for: the rule at schema `pointer`, broken by
        `node`, found at `steps`; `missing` names a required field that is absent, `key` a
        property name that breaks `propertyNames`."""
        keyword = pointer[-1]
        if keyword == "required" and missing is not None:
            owner = field_schema(self.schema, pointer[:-1])
            field = owner.get("properties", {}).get(missing, {})
            yield Break(self.rule_at(pointer, missing), (*steps, missing), None, field)
        elif keyword == "unevaluatedProperties":
            rule = self.rule_at(pointer)
            known = node_at(self.schema, pointer[:-1]).get("properties", {})
            if isinstance(node, Mapping):
                for name in node:
                    if name not in known:
                        yield Break(rule, (*steps, name), node[name], {})
        elif "propertyNames" in pointer and key is not None:
            yield Break(self.rule_at(pointer), (*steps, key), key, {})
        else:
            rule, field = self.rule_and_field(pointer)
            yield Break(rule, steps, node, field)

    def rule_and_field(self, pointer: SchemaPointer) -> tuple[Rule, Mapping[str, Any]]:
        """The rule at `pointer` and its field's schema, looked up once per pointer."""
        known = self._rules.get(pointer)
        if known is None:
            known = self._rules[pointer] = (
                self.rule_at(pointer),
                field_schema(self.schema, pointer[:-1]),
            )
        return known

    def findings(self, breaks: Iterable[Break], instance: Any) -> list[ConstraintViolation]:
        """One finding per broken rule and place, without repeats, in document order."""
        if isinstance(breaks, list) and len(breaks) == 1:
            return [self._violation(breaks[0])]
        unique = {(b.rule.id, b.steps): b for b in breaks}
        ordered = list(unique.values())
        if len(ordered) > 1:
            last = len(self._rank)
            ordered.sort(
                key=lambda b: (_position(instance, b.steps), self._rank.get(b.rule.id, last))
            )
        return [self._violation(b) for b in ordered]

    def _violation(self, broken: Break) -> ConstraintViolation:
        key = (broken.rule.id, broken.steps, type(broken.found), _words_depend_on(broken.found))
        try:
            said = self._said.get(key)
        except TypeError:  # an unhashable value from a caller: explain it afresh
            return self._explained(broken)
        if said is None:
            if len(self._said) >= _CACHE_SIZE:
                self._said.clear()
            said = self._said[key] = self._explained(broken)
        return said

    def _explained(self, broken: Break) -> ConstraintViolation:
        rule = broken.rule
        path = json_path(broken.steps)
        expected, found_words, hint = explain(rule, broken.found, broken.field, path)
        severity: Severity = "error" if rule.level in self.levels else "warning"
        return ConstraintViolation(rule.id, rule.level, severity, path, expected, found_words, hint)


def _spec_order(schema: Mapping[str, Any], catalogue: RuleCatalogue) -> dict[str, int]:
    """Each rule's rank in the order the spec writes the schema (the catalogue's own order
    sorts a schema object's keywords by name, which would put ``enum`` before ``type``)."""
    rank: dict[str, int] = {}

    def walk(node: Any, pointer: SchemaPointer) -> None:
        items = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in items:
            here = (*pointer, key)
            names = value if key == "required" and isinstance(value, list) else [None]
            for name in names:
                rule = catalogue.at(here, name)
                if rule is not None:
                    rank.setdefault(rule.id, len(rank))
            if isinstance(value, Mapping | list):
                walk(value, here)

    walk(schema, ())
    return rank


def _words_depend_on(found: Any) -> Any:
    """What of a found value its explanation reads: a container's size, a float's spelling
    (``-0.0`` equals ``0.0`` but reads otherwise), any other value itself."""
    if isinstance(found, dict | list):
        return len(found)
    return repr(found) if isinstance(found, float) else found


def _position(instance: Any, steps: tuple[PathStep, ...]) -> tuple[int, ...]:
    """Where `steps` lead in the document: the index of each step among its siblings (an
    absent key comes after its object's keys)."""
    position: list[int] = []
    node = instance
    for step in steps:
        if isinstance(node, dict) and step in node:
            position.append(list(node).index(step))
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            position.append(step)
            node = node[step]
        else:
            position.append(len(node) if isinstance(node, dict | list) else 0)
            node = None
    return tuple(position)
