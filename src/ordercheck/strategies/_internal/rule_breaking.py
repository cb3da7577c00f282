"""Breaking exactly one rule of a schema in an otherwise valid document.

The rules are the catalogue's (`RuleCatalogue`), filtered by the profile's levels; nothing
is listed by hand.  For each rule a `Plan` says where the rule applies in a document (its
field template, ``skus.*`` or ``prescriptions[]``, made concrete on the base document) and how
to break it, from the rule's keyword and its role:

    required         delete the property
    unknown field    add a property the schema does not declare (``unevaluatedProperties``)
    property names   rename an existing key to one that breaks the rule (``propertyNames``)
    anything else    replace the value with one from `violation_values`

Every candidate document goes through the `Oracle`: kept only if it breaks the rule and
nothing else at the profile's levels.  Where breaking a rule cannot help breaking another (a
non-string ``payment_method`` fails both ``type`` and ``enum``), the other is named in
``also`` up front, derived from the spec, and the oracle checks that too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from ordercheck.json_tools import conforms, json_path
from ordercheck.spec import Profile, Rule
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.field_paths import (
    DELETE,
    VALUE,
    PathStep,
    concrete,
    get,
    renamed,
    replaced,
    shape_at,
    template_steps,
)
from ordercheck.strategies._internal.matching_strings import READABLE
from ordercheck.strategies._internal.oracle import Oracle
from ordercheck.strategies._internal.spec_model import Role, SchemaModel
from ordercheck.strategies._internal.violation_values import Around, breaker_for

# Names a client might send by mistake: spellings of real fields are made from the schema's
# own property names (see `_misspellings`); these are fields it simply does not have.
_STRANGERS = ("notes", "channel", "gst_number", "delivery_slot", "gift_wrap")


def _misspellings(names: Sequence[str]) -> list[str]:
    """Field names a client could send by mistake: camelCase, capitals, stray plurals."""
    out: list[str] = []
    for name in names:
        head, *rest = name.split("_")
        out.append(head + "".join(part.title() for part in rest))
        out.extend([name.upper(), name + "s", name.replace("_", "")])
    return out


@dataclass(frozen=True)
class Breach:
    """A document that breaks `rule` (and the unavoidable `also`) at `path`, nothing else."""

    document: Any
    rule: Rule
    path: str
    also: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """How to break one rule: where it applies, with which shapes, checked by which oracle."""

    rule: Rule
    role: Role
    template: tuple[str, ...]
    shape: Shape
    owner: Shape | None
    around: Around | None
    also: tuple[str, ...]
    oracle: Oracle

    def exact(self, document: Any) -> bool:
        """True when `document` breaks this rule (and `also`) and nothing else."""
        return self.oracle.breaks_exactly(document, self.rule.id, self.also)

    def breaches(
        self, bases: st.SearchStrategy[Any], key_pool: tuple[str, ...] = ()
    ) -> st.SearchStrategy[Breach]:
        """Breaches of this rule, each made from one valid base document; property names
        added to a map come from `key_pool` first (the user's SKU ids)."""

        @st.composite
        def breach(draw: st.DrawFn) -> Breach:
            base = draw(bases)
            if self.rule.keyword == "required":
                return self._delete(draw, base)
            if self.role == "extra":
                return self._add(draw, base)
            if self.role == "keys":
                return self._rename(draw, base)
            return self._replace(draw, base, key_pool)

        return breach()

    def _candidates(self, current: Any, key_pool: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
        return st.nothing() if self.around is None else self.around(current, key_pool)

    def _found(self, document: Any, steps: Sequence[PathStep]) -> Breach:
        return Breach(document, self.rule, json_path(list(steps)), self.also)

    def _delete(self, draw: st.DrawFn, base: Any) -> Breach:
        steps = [*draw(concrete(base, self.template[:-1])), self.rule.value]
        document = replaced(base, steps, DELETE)
        if not self.exact(document):
            reject()
        return self._found(document, steps)

    def _add(self, draw: st.DrawFn, base: Any) -> Breach:
        owner = self.template[:-1] if self.template[-1:] == (VALUE,) else self.template
        steps = draw(concrete(base, owner))
        container = get(base, steps)
        if not isinstance(container, dict):
            reject()
        declared = list(self.owner.properties) if self.owner is not None else []
        names = st.sampled_from([*_misspellings(declared), *_STRANGERS]) | st.text(
            READABLE, min_size=1, max_size=12
        )
        name = draw(names.filter(lambda n: n not in container and n not in declared))
        candidates = self._candidates(None)
        value = draw(candidates.filter(lambda v: self.exact(replaced(base, [*steps, name], v))))
        return self._found(replaced(base, [*steps, name], value), [*steps, name])

    def _rename(self, draw: st.DrawFn, base: Any) -> Breach:
        steps = draw(concrete(base, self.template))
        container = get(base, steps)
        if not isinstance(container, dict) or not container:
            reject()
        old = draw(st.sampled_from(list(container)))
        candidates = self._candidates(old)

        def exact(new: Any) -> bool:
            fresh = isinstance(new, str) and new not in container
            return fresh and self.exact(replaced(base, steps, renamed(container, old, new)))

        new = draw(candidates.filter(exact))
        document = replaced(base, steps, renamed(container, old, new))
        return self._found(document, [*steps, new])

    def _replace(self, draw: st.DrawFn, base: Any, key_pool: tuple[str, ...]) -> Breach:
        steps = draw(concrete(base, self.template))
        try:
            current = get(base, steps)
        except (KeyError, IndexError, TypeError):
            current = None
        candidates = self._candidates(current, key_pool)
        value = draw(candidates.filter(lambda v: self.exact(replaced(base, steps, v))))
        return self._found(replaced(base, steps, value), steps)


def _also(rule: Rule, rules: Sequence[Rule], model: SchemaModel) -> tuple[str, ...]:
    """Rules that breaking `rule` breaks too, whatever the value: only an ``enum`` or
    ``const`` on the same field whose every member has the type a ``type`` rule wants."""
    if rule.keyword != "type":
        return ()
    out = []
    for other in rules:
        same_place = other.field == rule.field and model.role(other) == model.role(rule)
        if same_place and other.keyword in ("enum", "const"):
            members = other.value if other.keyword == "enum" else [other.value]
            if all(conforms(m, rule.value) for m in members):
                out.append(other.id)
    return tuple(out)


@cache
def plans(model: SchemaModel, profile: Profile) -> dict[str, Plan]:
    """A plan for every rule that is an error under `profile` and can be broken (made once
    per schema and profile: its strategies are reused, not rebuilt per draw)."""
    rules = model.error_rules(profile)
    root = model.shape(profile)
    out: dict[str, Plan] = {}
    for rule in rules:
        role = model.role(rule)
        template = template_steps(rule.field)
        owner = template[:-1] if rule.keyword == "required" else template
        if role == "extra" and owner[-1:] == (VALUE,):
            owner = owner[:-1]
        owner_shape = shape_at(root, owner)
        field_shape = shape_at(root, template)
        if role == "keys" and owner_shape is not None:
            field_shape = owner_shape.keys
        elif role == "extra" and owner_shape is not None:
            field_shape = owner_shape.extra or owner_shape.values
        if field_shape is None and rule.keyword != "required":
            continue
        shape = field_shape or root
        around = None if rule.keyword == "required" else breaker_for(rule, shape)
        if around is None and rule.keyword != "required":
            continue
        also = _also(rule, rules, model)
        out[rule.id] = Plan(
            rule, role, template, shape, owner_shape, around, also, model.oracle(profile)
        )
    return out
