"""Building a document from a `Shape`, with realism providers layered on top per field.

The shape decides the structure (which fields exist, which are required, what each must
satisfy); a provider, looked up by the field's path template (``user.address.pincode``,
``skus``, ``error.errors[]``), proposes a realistic value.  A proposal that does not fit the
field's schema (the spec changed under the provider) is dropped for a value derived from the
schema, so realism never costs validity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hypothesis import strategies as st

from ordercheck.strategies._shape import Shape
from ordercheck.strategies._values import SCALARS, size_range, values

C = TypeVar("C")


class _Absent:
    """A provider's answer for "leave this optional field out"."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
# Drawn once per optional field; `> 0` (present) shrinks to 0 (absent), so a minimal
# example leaves optional fields out.
_SOMETIMES = st.integers(0, 3)


@dataclass(frozen=True)
class Always:
    """A provider's strategy for an optional field that this document must have (an ONLINE
    success's payment fields): the field is not left out at random."""

    strategy: st.SearchStrategy[Any]


# A provider gets the per-document context (a persona, the user's options) and the field's
# shape (for the spec's bounds) and returns a strategy, or None for "no realism here".
Provider = Callable[[C, Shape], "st.SearchStrategy[Any] | Always | None"]


@dataclass(frozen=True)
class Builder(Generic[C]):
    """Draws documents for one context type from shapes and a table of providers.

    With `complete`, optional fields are always present and arrays hold at least one item:
    the base that the invalid strategies break one rule of.
    """

    providers: Mapping[str, Provider[C]]
    complete: bool = False

    def proposal(
        self, shape: Shape, field: str, context: C
    ) -> st.SearchStrategy[Any] | Always | None:
        """The provider's strategy for `field`, if it has one."""
        provider = self.providers.get(field)
        return provider(context, shape) if provider is not None else None

    def value(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> Any:
        """A value for `field`: the provider's if it fits the schema, else the schema's."""
        proposal = self.proposal(shape, field, context)
        if isinstance(proposal, Always):
            proposal = proposal.strategy
        if proposal is not None:
            value = draw(proposal)
            if value is ABSENT:
                if not self.complete:
                    return value
            elif shape.check(value):
                return value
        if shape.properties and "object" in (shape.types or ("object",)):
            return self.object(draw, shape, field, context)
        if shape.items is not None and shape.types == ("array",):
            return self.array(draw, shape, field, context)
        return draw(values(shape, nonempty=self.complete))

    def object(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> dict[str, Any]:
        """The object's required fields, and its optional ones sometimes (or always)."""
        out: dict[str, Any] = {}
        for name, child in shape.properties.items():
            required = name in shape.required
            always = isinstance(self.proposal(child, _join(field, name), context), Always)
            if required or always or self.complete or draw(_SOMETIMES) > 0:
                value = self.value(draw, child, _join(field, name), context)
                if value is ABSENT and required:
                    value = draw(values(child, nonempty=self.complete))
                if value is not ABSENT:
                    out[name] = value
        missing = sorted(shape.required - out.keys())
        if missing:
            # Required by the spec but without a property schema: any value will do.
            out.update({name: draw(SCALARS) for name in missing})
        return out

    def array(self, draw: st.DrawFn, shape: Shape, field: str, context: C) -> list[Any]:
        """A short list of items, each built like a field of its own (``field[]``)."""
        assert shape.items is not None
        low, high = size_range(shape.min_items, shape.max_items, nonempty=self.complete)
        count = draw(st.integers(low, high))
        return [self.value(draw, shape.items, field + "[]", context) for _ in range(count)]

    def documents(
        self, shape: Shape, contexts: st.SearchStrategy[C], root: str = ""
    ) -> st.SearchStrategy[Any]:
        """A strategy of whole documents: a context first, then every field from it."""

        @st.composite
        def build(draw: st.DrawFn) -> Any:
            return self.value(draw, shape, root, draw(contexts))

        return build()


def _join(parent: str, name: str) -> str:
    return name if not parent else f"{parent}.{name}"
