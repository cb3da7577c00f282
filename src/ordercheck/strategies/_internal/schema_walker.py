"""The one walk from a `Shape` to a document, shared by every builder of the package.

The shape decides the structure: which fields exist, which are required, what each must
satisfy.  A `Choices` object decides what to pick at each field, looked up by the field's
path template (``user.address.pincode``, ``skus``, ``prescriptions[]``, ``error.errors[]``):

    proposal       a realistic value from a provider, drawn or `Fixed` (dropped if the
                   schema refuses it)
    present        which optional properties an object gets
    size           how many items an array, or entries a map, gets
    member / leaf  an enum member, or a scalar of one JSON type
    keys           the property names of a map (a strategy, or a fixed pool such as a
                   user's SKU catalogue)
    unknown_field  a property the schema does not declare, where the object is open

The base `Choices` picks any valid value, some optional fields, modest sizes (with
`complete`: every optional field and at least one item or entry: the base that rule
breaking needs); `edge_values.EdgeChoices` picks boundaries; providers add realism.  So
valid orders, edge cases, rule-breaking bases and envelopes are all one walk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, Literal, TypeVar

from hypothesis import strategies as st

from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.valid_values import (
    SCALARS,
    guess_types,
    keys_of,
    members,
    size_range,
    valid_leaf,
)

C = TypeVar("C")


class _Absent:
    """A provider's answer for "leave this optional field out"."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


class _Never:
    """A provider's answer for "the user rules this optional field out" (no coupons to
    offer): left out even of a `complete` document, which otherwise has every field."""

    def __repr__(self) -> str:
        return "NEVER"


NEVER: Any = _Never()
_UNASKED: Any = object()


@cache
def _optional_slots(shape: Shape) -> dict[str, int]:
    optional = [name for name in shape.properties if name not in shape.required]
    return {name: slot for slot, name in enumerate(optional)}


@cache
def _masks(slots: int) -> st.SearchStrategy[int]:
    return st.integers(0, 4**slots - 1)


@dataclass(frozen=True)
class Always:
    """A provider's strategy for an optional field that this document must have (an ONLINE
    success's payment fields): the field is not left out at random."""

    strategy: st.SearchStrategy[Any]


@dataclass(frozen=True)
class Fixed:
    """A provider's value that needs no drawing (the customer's own name): cheaper than a
    fresh `st.just` per document, which Hypothesis would validate and label every time."""

    value: Any


Proposal = st.SearchStrategy[Any] | Always | Fixed | None
# A provider gets the per-document context (a persona, the user's options) and the field's
# shape (for the spec's bounds) and returns a strategy, or None for "no realism here".
Provider = Callable[[C, Shape], Proposal]
# Property names of a map: drawn from a strategy, or taken from a fixed pool.
Keys = st.SearchStrategy[str] | tuple[str, ...]
Sized = Literal["items", "entries"]


class Choices(Generic[C]):
    """What the walk picks at each field: by default any valid value, from the schema and
    the `providers` (realism by field template)."""

    def __init__(
        self, providers: Mapping[str, Provider[C]] | None = None, *, complete: bool = False
    ):
        self.providers: Mapping[str, Provider[C]] = providers or {}
        self.complete = complete

    def proposal(self, shape: Shape, field: str, context: C) -> Proposal:
        """The provider's strategy for `field`, if it has one."""
        provider = self.providers.get(field)
        return provider(context, shape) if provider is not None else None

    def present(self, draw: st.DrawFn, shape: Shape, field: str) -> Callable[[str], bool]:
        """Which optional properties of the object at `field` to include: each three times
        in four, all read off one drawn integer (two bits a property), which shrinks to 0:
        every optional property left out."""
        if self.complete:
            return lambda name: True
        slots = _optional_slots(shape)
        if not slots:
            return lambda name: False
        mask = draw(_masks(len(slots)))
        return lambda name: (mask >> (2 * slots[name])) & 3 > 0

    def size(self, draw: st.DrawFn, low: int, high: int | None, sized: Sized) -> int:
        """How many items (or map entries) to make, within [low, high]."""
        low, high = size_range(low, high, complete=self.complete)
        return low if low == high else draw(st.integers(low, high))

    def member(self, shape: Shape, field: str) -> st.SearchStrategy[Any]:
        """Members of the field's enum."""
        return members(shape)

    def leaf(self, shape: Shape, field: str, json_type: str) -> st.SearchStrategy[Any]:
        """Scalars of `json_type` for the field."""
        return valid_leaf(shape, json_type)

    def keys(self, shape: Shape, field: str, context: C) -> Keys:
        """Property names for the map at `field`."""
        return keys_of(shape)

    def unknown_field(self, draw: st.DrawFn, shape: Shape, field: str) -> tuple[str, Any] | None:
        """A property the open object at `field` does not declare, or None (the default)."""
        return None


@dataclass(frozen=True, eq=False)
class Walker(Generic[C]):
    """Walks a shape into a document, asking `choices` at every field."""

    choices: Choices[C]

    def value(
        self,
        draw: st.DrawFn,
        shape: Shape,
        field: str,
        context: C,
        proposal: Proposal = _UNASKED,
        *,
        required: bool = True,
    ) -> Any:
        """A value for `field`: the provider's if it fits the schema, else the schema's.
        ABSENT only where the field may be left out and the provider says so."""
        if proposal is _UNASKED:
            proposal = self.choices.proposal(shape, field, context)
        if isinstance(proposal, Fixed):
            drawn = proposal.value
        elif isinstance(proposal, Always):
            drawn = draw(proposal.strategy)
        else:
            drawn = None if proposal is None else draw(proposal)
        if proposal is not None:
            if drawn is ABSENT or drawn is NEVER:
                if not required and (drawn is NEVER or not self.choices.complete):
                    return ABSENT
            elif shape.check(drawn):
                return drawn
        if shape.enum is not None:
            return draw(self.choices.member(shape, field))
        types = guess_types(shape)
        json_type = types[0] if len(types) == 1 else draw(st.sampled_from(types))
        if json_type == "object":
            return self.object(draw, shape, field, context)
        if json_type == "array":
            return self.array(draw, shape, field, context)
        return draw(self.choices.leaf(shape, field, json_type))

    def object(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> dict[str, Any]:
        """The object's required properties, the optional ones `choices` picks, map entries
        where the schema has them, and an unknown field where `choices` adds one."""
        include = self.choices.present(draw, shape, field)
        out: dict[str, Any] = {}
        for name, child in shape.properties.items():
            path = _join(field, name)
            proposal = self.choices.proposal(child, path, context)
            required = name in shape.required
            if required or isinstance(proposal, Always) or include(name):
                value = self.value(draw, child, path, context, proposal, required=required)
                if value is not ABSENT:
                    out[name] = value
        for name in sorted(shape.required - out.keys()):
            # Required by the spec but without a property schema: any value will do.
            out[name] = draw(SCALARS)
        if shape.closed:
            return out
        if shape.values is not None:
            entries = self.entries(draw, shape, field, context)
            out.update({k: v for k, v in entries.items() if k not in out})
        else:
            stranger = self.choices.unknown_field(draw, shape, field)
            if stranger is not None and stranger[0] not in shape.properties:
                out[stranger[0]] = stranger[1]
        return out

    def entries(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> dict[str, Any]:
        """Map entries: names from `choices.keys`, values from the shape's
        ``additionalProperties``, each walked like a field of its own (``field.*``)."""
        assert shape.values is not None
        keys = self.choices.keys(shape, field, context)
        count = self.choices.size(draw, shape.min_properties, shape.max_properties, "entries")
        if isinstance(keys, tuple):
            names = draw(st.permutations(keys))[:count]
        else:
            names = draw(st.lists(keys, min_size=count, max_size=count, unique=True))
        path = field + ".*"
        return {name: self.value(draw, shape.values, path, context) for name in names}

    def array(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> list[Any]:
        """Items, each walked like a field of its own (``field[]``)."""
        count = self.choices.size(draw, shape.min_items, shape.max_items, "items")
        if shape.items is None:
            return [draw(SCALARS) for _ in range(count)]
        return [self.value(draw, shape.items, field + "[]", context) for _ in range(count)]

    def documents(
        self, shape: Shape, contexts: st.SearchStrategy[C], field: str = ""
    ) -> st.SearchStrategy[Any]:
        """A strategy of whole documents: a context first, then every field from it."""

        @st.composite
        def walk(draw: st.DrawFn) -> Any:
            return self.value(draw, shape, field, draw(contexts))

        return walk()


def _join(parent: str, name: str) -> str:
    return name if not parent else f"{parent}.{name}"


_NO_CONTEXT: st.SearchStrategy[None] = st.none()


@cache
def schema_values(shape: Shape, *, complete: bool = False) -> st.SearchStrategy[Any]:
    """Values valid under `shape`, from the schema alone; with `complete`, optional
    properties and one array item or map entry are always there."""
    walker: Walker[None] = Walker(Choices(complete=complete))
    return walker.documents(shape, _NO_CONTEXT).filter(shape.check)
