"""The rule catalogue: every constraint of a schema, with its id, level and location.

Rules are derived by walking the schema, never listed by hand, so a changed spec changes the
catalogue.  A rule's id is ``<field path>:<keyword>`` (``skus.*:minimum``,
``user.first_name:required``) unless the schema object names it with ``x-rule``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ordercheck.errors import SpecError
from ordercheck.spec._profiles import (
    ASSERTION_KEYWORDS,
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    Level,
    level_of,
)

SchemaPointer = tuple[str | int, ...]

# Sub-schemas that refine their owner's rule rather than describe a new field.  (`not` is
# not walked at all: its sub-schema never fails on its own, only the `not` of its owner.)
_SAME_RULE_KEYWORDS = frozenset({"propertyNames", "unevaluatedProperties", "contains"})


@dataclass(frozen=True)
class Rule:
    """One constraint of the spec.

    `field` is the field path template (``user.address.pincode``, ``skus.*``,
    ``prescriptions[]``; ``body`` for the root), `keyword` the JSON Schema keyword,
    `value` what the keyword asks for and `node` the schema object that says it.
    """

    id: str
    level: Level
    field: str
    keyword: str
    value: Any
    node: Mapping[str, Any]
    hint: str | None
    doc: str | None


def _child_field(field: str, step: str) -> str:
    if field == "body":
        return step.lstrip(".")
    return field + step


class RuleCatalogue:
    """All rules of one schema, indexed by where a validator reports them."""

    def __init__(self, schema: Mapping[str, Any]):
        self.schema = schema
        self.rules: dict[str, Rule] = {}
        self._by_pointer: dict[SchemaPointer, Rule] = {}
        self._walk(schema, (), "body", "documented", None)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def at(self, pointer: SchemaPointer, required_name: str | None = None) -> Rule | None:
        """The rule reported at schema `pointer` (``required`` errors also need the name)."""
        if required_name is not None:
            pointer = (*pointer, required_name)
        return self._by_pointer.get(pointer)

    def _add(self, rule: Rule, pointer: SchemaPointer) -> None:
        known = self.rules.setdefault(rule.id, rule)
        if known.node is not rule.node and known.level != rule.level:
            # Two constraints with one id at different levels would share a severity.
            raise SpecError(
                f"rule {rule.id!r} is declared at two levels ({known.level}, "
                f"{rule.level}); give one of them an x-rule id"
            )
        self._by_pointer[pointer] = known

    def _walk(
        self,
        node: Any,
        pointer: SchemaPointer,
        field: str,
        inherited: Level,
        rule_name: str | None,
        hint: str | None = None,
    ) -> None:
        if not isinstance(node, Mapping):
            return
        level = level_of(node, inherited)
        rule_name = node.get("x-rule", rule_name)
        hint = node.get("x-hint", hint)
        doc = node.get("x-doc")
        for keyword in sorted(ASSERTION_KEYWORDS & node.keys()):
            value = node[keyword]
            if keyword == "required":
                for name in value:
                    rule = Rule(
                        f"{_child_field(field, '.' + name)}:required",
                        level,
                        _child_field(field, "." + name),
                        keyword,
                        name,
                        node,
                        hint,
                        doc,
                    )
                    self._add(rule, (*pointer, keyword, name))
                continue
            rule = Rule(
                rule_name or f"{field}:{keyword}", level, field, keyword, value, node, hint, doc
            )
            self._add(rule, (*pointer, keyword))
            if pointer and pointer[-1] == "unevaluatedProperties":
                # jsonschema reports an unevaluated property at the applicator, not inside it.
                self._add(rule, pointer)
        for name, child in node.get("properties", {}).items():
            self._walk(
                child, (*pointer, "properties", name), _child_field(field, "." + name), level, None
            )
        for keyword in SCHEMA_KEYWORDS & node.keys():
            if keyword in _SAME_RULE_KEYWORDS:
                self._walk(node[keyword], (*pointer, keyword), field, level, rule_name, hint)
            elif keyword == "items":
                self._walk(node[keyword], (*pointer, keyword), field + "[]", level, None)
            elif keyword == "additionalProperties":
                self._walk(node[keyword], (*pointer, keyword), field + ".*", level, None)
        for keyword in SCHEMA_LIST_KEYWORDS & node.keys():
            for index, child in enumerate(node[keyword]):
                self._walk(child, (*pointer, keyword, index), field, level, None)
