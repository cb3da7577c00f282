"""Valid values derived from a `Shape` alone: the fallback where no realism provider exists.

A field the realism layer knows nothing about (a user's spec added it) still gets values
that satisfy its schema: type, enum, pattern, lengths, bounds, properties.  Every value is
filtered through `Shape.check`, so constraints a shape does not model are still kept.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from ordercheck.strategies._shape import Shape
from ordercheck.strategies._text import READABLE, strings

# How far past a lower bound a generated size goes when the spec sets no upper bound.
SPREAD = 3

SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(READABLE, max_size=8)
)


def size_range(low: int, high: int | None, *, nonempty: bool = False) -> tuple[int, int]:
    """A modest size range inside [low, high]; at least 1 when `nonempty` allows it."""
    if nonempty and (high is None or high >= 1):
        low = max(low, 1)
    return low, low + SPREAD if high is None else min(high, low + SPREAD)


def text_of(shape: Shape, alphabet: st.SearchStrategy[str] = READABLE) -> st.SearchStrategy[str]:
    """Strings within the shape's pattern and length bounds."""
    return strings(
        shape.patterns, min_size=shape.min_length, max_size=shape.max_length, alphabet=alphabet
    )


def integers_of(shape: Shape) -> st.SearchStrategy[int]:
    """Integers within the shape's bounds."""
    low, high = shape.int_bounds()
    return st.integers(min_value=low, max_value=high)


@cache
def keys_of(shape: Shape) -> st.SearchStrategy[str]:
    """Property names allowed by ``propertyNames`` (any short text when unconstrained)."""
    if shape.keys is None:
        return st.text(READABLE, min_size=1, max_size=12)
    return text_of(shape.keys).filter(shape.keys.check)


@st.composite
def _objects(draw: st.DrawFn, shape: Shape, nonempty: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, child in shape.properties.items():
        if name in shape.required or nonempty or draw(st.integers(0, 3)) > 0:
            out[name] = draw(values(child, nonempty=nonempty))
    for name in sorted(shape.required - shape.properties.keys()):
        out[name] = draw(SCALARS)
    if shape.values is not None and not shape.closed:
        low, high = size_range(shape.min_properties, shape.max_properties, nonempty=nonempty)
        extra = draw(
            st.dictionaries(keys_of(shape), values(shape.values), min_size=low, max_size=high)
        )
        out.update({k: v for k, v in extra.items() if k not in out})
    return out


def _for_type(shape: Shape, json_type: str, nonempty: bool) -> st.SearchStrategy[Any]:
    if json_type == "string":
        return text_of(shape)
    if json_type == "integer":
        return integers_of(shape)
    if json_type == "number":
        low, high = shape.minimum, shape.maximum
        return integers_of(shape) | st.floats(low, high, allow_nan=False, allow_infinity=False)
    if json_type == "boolean":
        return st.booleans()
    if json_type == "null":
        return st.none()
    if json_type == "array":
        low, high = size_range(shape.min_items, shape.max_items, nonempty=nonempty)
        items = values(shape.items) if shape.items is not None else SCALARS
        return st.lists(items, min_size=low, max_size=high)
    return _objects(shape, nonempty)


def guess_types(shape: Shape) -> tuple[str, ...]:
    """The types worth generating: the declared ones, else what the keywords suggest."""
    if shape.types:
        return shape.types
    if shape.properties or shape.values is not None or shape.required:
        return ("object",)
    if shape.items is not None:
        return ("array",)
    if shape.patterns or shape.min_length or shape.max_length is not None:
        return ("string",)
    return ("null", "boolean", "integer", "string")


@cache
def values(shape: Shape, *, nonempty: bool = False) -> st.SearchStrategy[Any]:
    """Values valid under `shape`; with `nonempty`, optional properties and one array item
    or map entry are always there (a base for breaking the rules about them)."""
    if shape.enum is not None:
        return st.sampled_from([v for v in shape.enum if shape.check(v)] or [None]).filter(
            shape.check
        )
    choices = [_for_type(shape, t, nonempty) for t in guess_types(shape)]
    return st.one_of(choices).filter(shape.check)
