"""Boundary choices for the walk: what `edge_case_orders()` picks at each field.

From the field's `Shape`: the shortest and the longest string (``maxLength`` where the
profile has one, else `LONG_TEXT`), characters from every Unicode plane where a string is
unconstrained, the smallest and largest integer (and the same as an integral float, which
JSON Schema counts as an integer), the fewest and the most entries or items, optional fields
all absent, all present or some, unknown fields where the object is open.  Per-field
boundary values (``"0"``, ``"0.01"`` for an amount, from `known`) are used only where the
field's schema takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Generic

from hypothesis import strategies as st

from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.matching_strings import (
    PLANES,
    plane_characters,
    stretched,
    strings,
)
from ordercheck.strategies._internal.schema_walker import C, Choices, Keys, Provider, Sized
from ordercheck.strategies._internal.valid_values import SCALARS

# "Something long" where the profile sets no maxLength (code points, as JSON Schema counts).
# Long strings repeat a short ASCII draw (`stretched`): Hypothesis budgets the bytes drawn
# per example, so the planes are exercised by the shorter strings instead.
LONG_TEXT = 1024
# Property names (SKU ids) where no bound is set: longer than any 64-bit integer's digits.
LONG_KEY = 24
# Entries of a map (SKUs) and items of an array where the profile sets no maximum.
MANY_ENTRIES = 100
MANY_ITEMS = 10
# Integers where the profile sets no bound: the signed 64-bit range (orjson's limit).
INT64 = (-(2**63), 2**63 - 1)
_ASCII = st.characters(min_codepoint=0, max_codepoint=127)
_STRANGERS = ("notes", "channel", "gift_wrap", "ग्राहक", "")
_MODES = st.sampled_from(("required", "all", "some"))


def _planar_text(low: int, high: int) -> st.SearchStrategy[str]:
    """Text of `low`..`high` characters, all from one Unicode plane drawn first."""
    return st.integers(0, PLANES - 1).flatmap(
        lambda plane: st.text(plane_characters(plane), min_size=low, max_size=high)
    )


@cache
def edge_strings(shape: Shape, long: int = LONG_TEXT) -> st.SearchStrategy[str]:
    """The shortest and longest strings the shape allows (`long` where it sets no bound)."""
    low, high = shape.min_length, shape.max_length
    longest = high if high is not None else max(low, long)
    if not shape.patterns:
        return st.one_of(
            _planar_text(low, low),
            stretched((), longest, _ASCII),
            _planar_text(low, min(longest, low + 16)),
        )
    pattern = strings(shape.patterns, min_size=low, max_size=high)
    shortest = strings(shape.patterns, min_size=low, max_size=low)
    # Fixed-shape patterns (a PIN code) cannot be stretched: there both are empty.
    bounds = [s for s in (shortest, stretched(shape.patterns, longest)) if not s.is_empty]
    return st.one_of([*bounds, pattern])


@cache
def edge_integers(shape: Shape) -> st.SearchStrategy[Any]:
    """The bounds, one inside each, and the usual suspects (0, ±1, 2**31-1, 2**53+1)."""
    low, high = shape.int_bounds()
    low = INT64[0] if low is None else low
    high = INT64[1] if high is None else high
    picks = {low, low + 1, high - 1, high, 0, 1, -1, 2**31 - 1, 2**53 + 1}
    ints = sorted(v for v in picks if low <= v <= high)
    floats = [float(v) for v in (low, high) if abs(v) <= 2**53]
    return st.sampled_from(ints) | st.sampled_from(floats) if floats else st.sampled_from(ints)


@cache
def _edge_leaf(shape: Shape, json_type: str, known: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    if json_type == "string":
        drawn: st.SearchStrategy[Any] = edge_strings(shape)
    elif json_type in ("integer", "number"):
        drawn = edge_integers(shape)
    elif json_type == "boolean":
        drawn = st.sampled_from((False, True))
    else:
        drawn = st.none()
    fitting = [v for v in known if shape.check(v)]
    return (drawn | st.sampled_from(fitting) if fitting else drawn).filter(shape.check)


@cache
def _edge_keys(shape: Shape) -> st.SearchStrategy[str]:
    if shape.keys is None:
        return st.text(max_size=8)
    return edge_strings(shape.keys, LONG_KEY).filter(shape.keys.check)


class EdgeChoices(Choices[C], Generic[C]):
    """Boundaries at every field: `known` boundary values per field template, `key_pools`
    fixing the property names of a map (a SKU catalogue), `providers` for fields whose
    values the user fixed (their coupons)."""

    def __init__(
        self,
        *,
        known: Mapping[str, tuple[Any, ...]] | None = None,
        key_pools: Mapping[str, tuple[str, ...]] | None = None,
        providers: Mapping[str, Provider[C]] | None = None,
    ):
        super().__init__(providers)
        self.known = known or {}
        self.key_pools = key_pools or {}

    def present(self, draw: st.DrawFn, shape: Shape, field: str) -> Callable[[str], bool]:
        # Only required fields, every field, or each optional one by a coin: the first
        # shrinks to "optional fields absent".
        mode = draw(_MODES)
        if mode != "some":
            return lambda name: mode == "all"
        return lambda name: draw(st.booleans())

    def size(self, draw: st.DrawFn, low: int, high: int | None, sized: Sized) -> int:
        if high is None:
            high = max(low, MANY_ITEMS if sized == "items" else MANY_ENTRIES)
        return draw(st.sampled_from(sorted({low, min(low + 1, high), high})))

    def leaf(self, shape: Shape, field: str, json_type: str) -> st.SearchStrategy[Any]:
        return _edge_leaf(shape, json_type, self.known.get(field, ()))

    def keys(self, shape: Shape, field: str, context: C) -> Keys:
        pool = self.key_pools.get(field)
        return pool if pool is not None else _edge_keys(shape)

    def unknown_field(self, draw: st.DrawFn, shape: Shape, field: str) -> tuple[str, Any] | None:
        if draw(st.integers(0, 3)) < 3:
            return None
        names = [n for n in _STRANGERS if n not in shape.properties]
        return (draw(st.sampled_from(names)), draw(SCALARS)) if names else None
