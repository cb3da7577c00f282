"""Whether a document breaks exactly the rules it is meant to, and nothing else.

Every rule-breaking payload is checked here before it is used: the document must fail with
the rules in question put back, and pass with them lifted (on jsonschema-rs, the validators'
fast path, so the check costs microseconds).  Lifting a rule means deleting its keyword from
the schema object that states it (by object identity), then compiling for the profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ordercheck.json_tools import fast_validator
from ordercheck.spec import Level, Rule, RuleCatalogue, compile_for_levels


def without_rules(schema: Any, rules: Iterable[Rule]) -> Any:
    """A copy of `schema` in which `rules` are not asserted (by schema-object identity)."""
    keywords: dict[int, set[str]] = {}
    names: dict[int, set[str]] = {}
    for rule in rules:
        if rule.keyword == "required":
            names.setdefault(id(rule.node), set()).add(rule.value)
        else:
            keywords.setdefault(id(rule.node), set()).add(rule.keyword)

    def copy(node: Any) -> Any:
        if isinstance(node, Mapping):
            out = {}
            for key, value in node.items():
                if key in keywords.get(id(node), ()):
                    continue
                kept = value
                if key == "required" and id(node) in names:
                    kept = [n for n in value if n not in names[id(node)]]
                out[key] = copy(kept)
            return out
        if isinstance(node, list):
            return [copy(v) for v in node]
        return node

    return copy(schema)


class Oracle:
    """Exactness checks for one schema under one set of levels, on jsonschema-rs."""

    def __init__(self, schema: Any, catalogue: RuleCatalogue, levels: frozenset[Level]):
        self.schema = schema
        self.catalogue = catalogue
        self.levels = levels
        self._valid = fast_validator(compile_for_levels(schema, levels))
        self._without: dict[frozenset[str], Any] = {}

    def valid(self, document: Any) -> bool:
        """True when `document` breaks no rule at these levels."""
        return bool(self._valid.is_valid(document))

    def _valid_without(self, rule_ids: frozenset[str], document: Any) -> bool:
        if rule_ids not in self._without:
            rules = [self.catalogue[r] for r in rule_ids]
            schema = compile_for_levels(without_rules(self.schema, rules), self.levels)
            self._without[rule_ids] = fast_validator(schema)
        return bool(self._without[rule_ids].is_valid(document))

    def breaks_exactly(self, document: Any, rule_id: str, also: tuple[str, ...] = ()) -> bool:
        """True when `document` breaks `rule_id` and `also`, and no other rule at these levels.

        Valid once those rules are lifted means nothing else is broken; invalid once any one
        of them is put back means each of them really is.
        """
        every = frozenset((rule_id, *also))
        if not self._valid_without(every, document):
            return False
        return all(not self._valid_without(every - {one}, document) for one in every)
