"""Valid leaf values derived from a `Shape` alone: what the walk draws where no realism
provider has a value.

A field the realism layer knows nothing about (a user's spec added it) still gets values
that satisfy its schema: type, enum, pattern, lengths, bounds.  Objects and arrays are the
walk's business (`schema_walker`); this module only answers "a valid string / integer /
enum member / property name here".  Every leaf is filtered through `Shape.check`, so
constraints a shape does not model are still kept.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.matching_strings import READABLE, strings

# How far past a lower bound a generated size goes when the spec sets no upper bound.
SPREAD = 3

SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(READABLE, max_size=8)
)


def size_range(low: int, high: int | None, *, complete: bool = False) -> tuple[int, int]:
    """A modest size range inside [low, high]; at least 1 when `complete` and `high` allow."""
    if complete and (high is None or high >= 1):
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
def members(shape: Shape) -> st.SearchStrategy[Any]:
    """The enum's members that the rest of the shape allows (null if none does)."""
    allowed = [v for v in shape.enum or () if shape.check(v)]
    return st.sampled_from(allowed or [None]).filter(shape.check)


@cache
def valid_leaf(shape: Shape, json_type: str) -> st.SearchStrategy[Any]:
    """Valid scalar values of `json_type` under `shape`."""
    if json_type == "string":
        drawn: st.SearchStrategy[Any] = text_of(shape)
    elif json_type == "integer":
        drawn = integers_of(shape)
    elif json_type == "number":
        low, high = shape.minimum, shape.maximum
        drawn = integers_of(shape) | st.floats(low, high, allow_nan=False, allow_infinity=False)
    elif json_type == "boolean":
        drawn = st.booleans()
    else:
        drawn = st.none()
    return drawn.filter(shape.check)
