"""`edge_case_orders()`: valid payloads at every boundary the profile allows.

Derived from the profile's `Shape`, field by field: the shortest and the longest string
(``maxLength`` where the profile has one, else `LONG_TEXT`), characters from every Unicode
plane where a string is unconstrained, the smallest and largest integer (and the same as an
integral float, which JSON Schema counts as an integer), the fewest and the most entries or
items, optional fields absent, unknown fields where the object is open.  Per-field boundary
values (``"0"``, ``"0.01"`` for an amount) are kept only where the field's schema takes them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from ordercheck.spec import Spec
from ordercheck.strategies._model import model_for, profile_argument
from ordercheck.strategies._realism import EDGE_CANDIDATES
from ordercheck.strategies._shape import Shape
from ordercheck.strategies._text import PLANES, plane_characters, stretched, strings
from ordercheck.strategies._values import SCALARS, guess_types

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


def _join(parent: str, name: str) -> str:
    return name if not parent else f"{parent}.{name}"


def _planar_text(low: int, high: int) -> st.SearchStrategy[str]:
    """Text of `low`..`high` characters, all from one Unicode plane drawn first."""
    return st.integers(0, PLANES - 1).flatmap(
        lambda plane: st.text(plane_characters(plane), min_size=low, max_size=high)
    )


def _edge_strings(shape: Shape, long: int) -> st.SearchStrategy[str]:
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


def _edge_integers(shape: Shape) -> st.SearchStrategy[Any]:
    low, high = shape.int_bounds()
    low = INT64[0] if low is None else low
    high = INT64[1] if high is None else high
    picks = {low, low + 1, high - 1, high, 0, 1, -1, 2**31 - 1, 2**53 + 1}
    ints = sorted(v for v in picks if low <= v <= high)
    floats = [float(v) for v in (low, high) if abs(v) <= 2**53]
    return st.sampled_from(ints) | st.sampled_from(floats) if floats else st.sampled_from(ints)


def _edge_array(shape: Shape, field: str) -> st.SearchStrategy[list[Any]]:
    low = shape.min_items
    high = shape.max_items if shape.max_items is not None else max(low, MANY_ITEMS)
    items = edges(shape.items, field + "[]") if shape.items is not None else SCALARS
    return st.sampled_from(sorted({low, high, min(low + 1, high)})).flatmap(
        lambda n: st.lists(items, min_size=n, max_size=n)
    )


def _entries(shape: Shape, field: str) -> st.SearchStrategy[dict[str, Any]]:
    """Map entries (SKUs): the fewest, one more, and the most the profile allows."""
    assert shape.values is not None
    low = shape.min_properties
    high = shape.max_properties if shape.max_properties is not None else MANY_ENTRIES
    keys = _edge_strings(shape.keys, LONG_KEY) if shape.keys is not None else st.text(max_size=8)
    if shape.keys is not None:
        keys = keys.filter(shape.keys.check)
    values = edges(shape.values, field + ".*")
    return st.sampled_from(sorted({low, min(low + 1, high), high})).flatmap(
        lambda n: st.dictionaries(keys, values, min_size=n, max_size=n)
    )


@st.composite
def _edge_object(draw: st.DrawFn, shape: Shape, field: str) -> dict[str, Any]:
    # Only required fields, every field, or each optional one by a coin: the first shrinks
    # to "optional fields absent".
    mode = draw(st.sampled_from(("required", "all", "some")))
    out: dict[str, Any] = {}
    for name, child in shape.properties.items():
        wanted = mode == "all" or (mode == "some" and draw(st.booleans()))
        if name in shape.required or wanted:
            out[name] = draw(edges(child, _join(field, name)))
    for name in sorted(shape.required - out.keys()):
        out[name] = draw(SCALARS)
    if shape.values is not None and not shape.closed:
        out.update({k: v for k, v in draw(_entries(shape, field)).items() if k not in out})
    elif not shape.closed and draw(st.integers(0, 3)) == 3:
        name = draw(st.sampled_from(_STRANGERS).filter(lambda n: n not in shape.properties))
        out[name] = draw(SCALARS)
    return out


def _for_type(shape: Shape, json_type: str, field: str) -> st.SearchStrategy[Any]:
    if json_type == "string":
        return _edge_strings(shape, LONG_TEXT)
    if json_type in ("integer", "number"):
        return _edge_integers(shape)
    if json_type == "boolean":
        return st.sampled_from((False, True))
    if json_type == "null":
        return st.none()
    if json_type == "array":
        return _edge_array(shape, field)
    return _edge_object(shape, field)


@cache
def edges(shape: Shape, field: str = "") -> st.SearchStrategy[Any]:
    """Boundary values of `shape` (at `field`, for the per-field boundary candidates)."""
    if shape.enum is not None:
        return st.sampled_from([v for v in shape.enum if shape.check(v)] or [None])
    known = [v for v in EDGE_CANDIDATES.get(field, ()) if shape.check(v)]
    by_type = [_for_type(shape, t, field) for t in guess_types(shape)]
    return st.one_of([*by_type, *([st.sampled_from(known)] if known else [])]).filter(shape.check)


def edge_case_orders(
    *, profile: str = "default", spec: Spec | None = None
) -> st.SearchStrategy[Any]:
    """Payloads valid under `profile` that sit on its boundaries.

    Shortest and longest strings, one SKU and the most the profile allows (50 under strict,
    `MANY_ENTRIES` where unbounded), quantity 1 and the maximum, amounts like ``"0"`` (not
    under strict, whose amounts are above zero), ``"0.01"`` and very large ones, optional
    fields absent, ``prescriptions`` empty, and, where a string is unconstrained, text from
    every Unicode plane (never a lone surrogate: payloads must encode as JSON).
    """
    checked = profile_argument(profile)
    model = model_for(spec).request
    return edges(model.shape(checked)).filter(model.oracle(checked).valid)
