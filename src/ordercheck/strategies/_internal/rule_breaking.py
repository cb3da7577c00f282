"""Breaking exactly one rule of a schema in an otherwise valid document, one kind at a time.

The rules are the catalogue's (`RuleCatalogue`), filtered by the profile's levels; nothing
is listed by hand.  For each rule a `Plan` says where the rule applies in a document (its
field template, ``skus.*`` or ``prescriptions[]``, made concrete on the base document) and how
to break it, from the rule's keyword and its role:

    required         delete the property                           kind: missing
    unknown field    add a property the schema does not declare    misspelling, unknown-field
    property names   rename an existing key to one that breaks it  kinds of `violation_values`
    anything else    replace the value                             kinds of `violation_values`

A plan's `kinds` are those whose value, made from the spec's own valid document (`witness`),
breaks exactly the rule: derived from the spec, checked by the oracle, before any drawing.
At draw time a breach tries a drawn value of the kind, then edits of the base's value, then
edits of the witness's value, which is known to work: so every listed kind is drawable with
no filtering loop.  Every candidate document goes through the `Oracle`: kept only if it
breaks the rule and nothing else at the profile's levels.  Where breaking a rule cannot help
breaking another (a non-string ``payment_method`` fails both ``type`` and ``enum``), the
other is named in ``also`` up front, derived from the spec, and the oracle checks that too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
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
    first_place,
    get,
    renamed,
    replaced,
    shape_at,
    template_steps,
)
from ordercheck.strategies._internal.matching_strings import READABLE
from ordercheck.strategies._internal.oracle import Oracle
from ordercheck.strategies._internal.spec_model import Role, SchemaModel
from ordercheck.strategies._internal.valid_values import SCALARS
from ordercheck.strategies._internal.violation_values import (
    ON_REQUEST,
    Violation,
    violations_for,
)
from ordercheck.strategies._internal.witness import NO_WITNESS, witness

# Names a client might send by mistake: spellings of real fields are made from the schema's
# own property names (see `_misspellings`); these are fields it simply does not have.
_STRANGERS = ("notes", "channel", "gst_number", "delivery_slot", "gift_wrap")
_OTHER_NAMES = st.sampled_from(_STRANGERS) | st.text(READABLE, min_size=1, max_size=12)
MISSING, MISSPELLING, UNKNOWN_FIELD = "missing", "misspelling", "unknown-field"


def _misspellings(names: Sequence[str]) -> list[str]:
    """Field names a client could send by mistake: camelCase, capitals, stray plurals."""
    out: list[str] = []
    for name in names:
        head, *rest = name.split("_")
        out.append(head + "".join(part.title() for part in rest))
        out.extend([name.upper(), name + "s", name.replace("_", "")])
    return [n for n in dict.fromkeys(out) if n not in names]


@dataclass(frozen=True)
class Breach:
    """A document that breaks `rule` (and the unavoidable `also`) at `path`, nothing else,
    with a value of violation `kind`."""

    document: Any
    rule: Rule
    path: str
    also: tuple[str, ...]
    kind: str


# One way to change the base at a concrete place: (document, path steps) for a candidate.
Change = Callable[[Any], tuple[Any, list[PathStep]]]


@dataclass(frozen=True)
class Plan:
    """How to break one rule: where it applies, with which kinds of value, checked by which
    oracle, and the spec's valid document (`witness`) its kinds are proven on."""

    rule: Rule
    role: Role
    template: tuple[str, ...]
    shape: Shape
    owner: Shape | None
    violations: dict[str, Violation]
    also: tuple[str, ...]
    oracle: Oracle
    witness: Any = field(compare=False)

    def exact(self, document: Any) -> bool:
        """True when `document` breaks this rule (and `also`) and nothing else."""
        return self.oracle.breaks_exactly(document, self.rule.id, self.also)

    @cached_property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of violation that break exactly this rule on the witness document
        (every candidate kind when the spec yields no valid witness)."""
        if self.rule.keyword == "required":
            return (MISSING,)
        if self.role == "extra":
            kinds = (MISSPELLING, UNKNOWN_FIELD) if self._declared else (UNKNOWN_FIELD,)
            return kinds
        if self.witness is NO_WITNESS:
            return tuple(self.violations)
        return tuple(kind for kind in self.violations if self._proven(kind))

    @cached_property
    def _declared(self) -> list[str]:
        return list(self.owner.properties) if self.owner is not None else []

    def _witness_place(self) -> tuple[list[PathStep], Any] | None:
        steps = first_place(self.witness, self.template)
        return None if steps is None else (steps, get(self.witness, steps))

    @cached_property
    def witness_value(self) -> Any:
        """The value (or, for property names, the key) at the rule's place in the witness."""
        place = self._witness_place()
        if place is None:
            return None
        value = place[1]
        if self.role == "keys":
            return next(iter(value), None) if isinstance(value, dict) else None
        return value

    def _proven(self, kind: str) -> bool:
        place = self._witness_place()
        if place is None:
            return False
        steps, current = place
        change = self._change(self.witness, steps, current)
        edits = self.violations[kind].edits(self.witness_value, ())
        return change is not None and any(self._try(change, c) is not None for c in edits)

    def breaches(
        self, bases: st.SearchStrategy[Any], kind: str, key_pool: tuple[str, ...] = ()
    ) -> st.SearchStrategy[Breach]:
        """Breaches of this rule with a value of `kind`, each made from one valid base
        document; property names added to a map come from `key_pool` first (SKU ids)."""
        return _breach(_Breaking(self, bases, kind, key_pool))

    def breach(
        self, draw: st.DrawFn, bases: st.SearchStrategy[Any], kind: str, key_pool: tuple[str, ...]
    ) -> Breach:
        """One breach of `breaches`, drawn with `draw`."""
        base = draw(bases)
        if self.rule.keyword == "required":
            return self._delete(draw, base)
        if self.role == "extra":
            return self._add(draw, base, kind)
        return self._swap(draw, base, kind, key_pool)

    def _found(self, document: Any, steps: Sequence[PathStep], kind: str) -> Breach:
        return Breach(document, self.rule, json_path(list(steps)), self.also, kind)

    def _try(self, change: Change, candidate: Any) -> tuple[Any, list[PathStep]] | None:
        try:
            document, steps = change(candidate)
        except ValueError:
            return None
        return (document, steps) if self.exact(document) else None

    def _change(
        self, base: Any, steps: list[PathStep], current: Any, old: Any = None
    ) -> Change | None:
        """How a candidate goes in at `steps`: as the value, or as the new name of the key
        `old` (the first one when None)."""
        if self.role != "keys":
            return lambda value: (replaced(base, steps, value), steps)
        if not isinstance(current, dict) or not current:
            return None
        old = next(iter(current)) if old is None else old

        def rename(new: Any) -> tuple[Any, list[PathStep]]:
            if not isinstance(new, str) or new in current:
                raise ValueError(new)
            return replaced(base, steps, renamed(current, old, new)), [*steps, new]

        return rename

    def _candidates(
        self, draw: st.DrawFn, violation: Violation, current: Any, pool: tuple[str, ...]
    ) -> Iterator[Any]:
        variety = st.nothing() if violation.variety is None else violation.variety(current, pool)
        drawn_first = not variety.is_empty and draw(st.booleans())
        if drawn_first:
            yield draw(variety)
        # Edits of the value there now come first in the simplest example (the telling
        # "499.00" -> 499), then a drawn value half the time, then the witness's edits.
        edits = violation.edits(current, pool)
        start = draw(st.integers(0, len(edits) - 1)) if len(edits) > 1 else 0
        yield from edits[start:] + edits[:start]
        if not variety.is_empty and not drawn_first:
            yield draw(variety)
        yield from violation.edits(self.witness_value, pool)

    def _swap(self, draw: st.DrawFn, base: Any, kind: str, pool: tuple[str, ...]) -> Breach:
        steps = draw(concrete(base, self.template))
        try:
            current = get(base, steps)
        except (KeyError, IndexError, TypeError):
            current = None
        target, old = current, None
        if self.role == "keys" and isinstance(current, dict) and current:
            target = old = draw(st.sampled_from(list(current)))
        change = self._change(base, steps, current, old)
        if change is not None:
            for candidate in self._candidates(draw, self.violations[kind], target, pool):
                found = self._try(change, candidate)
                if found is not None:
                    return self._found(found[0], found[1], kind)
        reject()

    def _delete(self, draw: st.DrawFn, base: Any) -> Breach:
        steps = [*draw(concrete(base, self.template[:-1])), self.rule.value]
        document = replaced(base, steps, DELETE)
        if not self.exact(document):
            reject()
        return self._found(document, steps, MISSING)

    def _add(self, draw: st.DrawFn, base: Any, kind: str) -> Breach:
        owner = self.template[:-1] if self.template[-1:] == (VALUE,) else self.template
        steps = draw(concrete(base, owner))
        container = get(base, steps)
        if not isinstance(container, dict):
            reject()
        taken = {*container, *self._declared}
        if kind == MISSPELLING:
            names = [n for n in _misspellings(self._declared) if n not in taken]
            name = draw(st.sampled_from(names)) if names else reject()
        else:
            name = draw(_OTHER_NAMES.filter(lambda n: n not in taken))
        document = replaced(base, [*steps, name], draw(SCALARS))
        if not self.exact(document):
            reject()
        return self._found(document, [*steps, name], kind)


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
def _witness(model: SchemaModel, profile: Profile) -> Any:
    found = witness(model.shape(profile))
    return found if found is not NO_WITNESS and model.oracle(profile).valid(found) else NO_WITNESS


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
        special = rule.keyword == "required" or role == "extra"
        violations = {} if special else {v.kind: v for v in violations_for(rule, shape)}
        if not violations and not special:
            continue
        plan = Plan(
            rule,
            role,
            template,
            shape,
            owner_shape,
            violations,
            _also(rule, rules, model),
            model.oracle(profile),
            _witness(model, profile),
        )
        if plan.kinds:
            out[rule.id] = plan
    return out


@dataclass(frozen=True)
class _Breaking:
    """What a breach strategy draws: breaches of `plan`'s rule with a value of `kind`."""

    plan: Plan
    bases: st.SearchStrategy[Any]
    kind: str
    key_pool: tuple[str, ...]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis shows it in the strategy's repr: by rule and kind, not in full
        (schema, witness, oracle, bases: some 60 kB, which Hypothesis warns about)."""
        printer.text(f"breaking({self.plan.rule.id!r}, {self.kind!r})")


# At module level: Hypothesis reads a composite's source (tokenizing its file) each time one is
# defined, which per (rule, kind) strategy cost more than drawing its first payload.
@st.composite
def _breach(draw: st.DrawFn, breaking: _Breaking) -> Breach:
    return breaking.plan.breach(draw, breaking.bases, breaking.kind, breaking.key_pool)


def mixed_breaches(
    plan: Plan, bases: st.SearchStrategy[Any], key_pool: tuple[str, ...] = ()
) -> st.SearchStrategy[Breach]:
    """Breaches of `plan`'s rule of any of its kinds, those drawn only on request aside
    (unless the rule has no other)."""
    kinds = [k for k in plan.kinds if k not in ON_REQUEST] or list(plan.kinds)
    return st.one_of([plan.breaches(bases, kind, key_pool) for kind in kinds])
