"""A witness: one valid value of a shape, made without Hypothesis, the same every time.

Rule breaking needs to know, before drawing anything, which kinds of violation a rule can
suffer (`violation_kinds`): a kind applies where its value, made from a valid value of the
field, breaks exactly that rule.  The valid value is this witness: the spec's own
``examples`` first, then strings read off the field's pattern (`witness_strings`), the
bounds of numbers, every property of an object and one item of an array.  It must work
inside a running Hypothesis test, where `find` cannot be called, hence no drawing at all.
Every candidate is checked by `Shape.check`; `NO_WITNESS` where none fits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.regex_strings import witness_strings
from ordercheck.strategies._internal.valid_values import guess_types

NO_WITNESS: Any = object()


def _fit(text: str, low: int, high: int | None) -> str:
    """`text` padded (repeating its last character) or cut to the length bounds."""
    if len(text) < low:
        text += (text[-1:] or "a") * (low - len(text))
    return text if high is None else text[:high]


def string_candidates(shape: Shape) -> Iterator[str]:
    """Strings worth trying for `shape`: examples, pattern witnesses, plain letters."""
    yield from (e for e in shape.examples if isinstance(e, str))
    low, high = shape.min_length, shape.max_length
    for pattern in shape.patterns:
        for text in witness_strings(pattern):
            yield _fit(text, low, high)
    yield _fit("a", max(low, 1), high)


def _numbers(shape: Shape) -> Iterator[Any]:
    yield from (e for e in shape.examples if isinstance(e, int | float))
    low, high = shape.int_bounds()
    yield from (v for v in (low, high) if v is not None)
    yield from (1, 0)


def _entries(shape: Shape) -> dict[str, Any] | Any:
    assert shape.values is not None
    value = witness(shape.values)
    if value is NO_WITNESS:
        return NO_WITNESS
    names = made_up_keys(shape, max(1, shape.min_properties), avoid=shape.properties)
    return dict.fromkeys(names, value)


def made_up_keys(shape: Shape, count: int, avoid: Any = ()) -> list[str]:
    """`count` distinct property names that the map's ``propertyNames`` allows, made from
    its witness strings with a counter (``0``, ``01``, ``02``... for ``^[0-9]+$``)."""
    keys = shape.keys
    seeds = list(string_candidates(keys)) if keys is not None else ["key"]
    out: list[str] = []
    if count <= 0:
        return out
    for seed in seeds:
        for n in range(count * 4 + 1):
            name = seed if n == 0 else f"{seed}{n}"
            fits = keys is None or keys.check(name)
            if fits and name not in out and name not in avoid:
                out.append(name)
            if len(out) == count:
                return out
    return out


def _object(shape: Shape) -> dict[str, Any] | Any:
    out: dict[str, Any] = {}
    for name, child in shape.properties.items():
        value = witness(child)
        if value is NO_WITNESS:
            return NO_WITNESS
        out[name] = value
    out.update(dict.fromkeys(sorted(shape.required - out.keys())))
    if shape.values is not None and not shape.closed:
        entries = _entries(shape)
        if entries is NO_WITNESS:
            return NO_WITNESS
        out.update(entries)
    return out


def _of_type(shape: Shape, json_type: str) -> Iterator[Any]:
    if json_type == "string":
        yield from string_candidates(shape)
    elif json_type in ("integer", "number"):
        yield from _numbers(shape)
    elif json_type == "boolean":
        yield from (False, True)
    elif json_type == "null":
        yield None
    elif json_type == "object":
        yield _object(shape)
    elif shape.items is None:
        yield [None] * max(1, shape.min_items)
    else:
        item = witness(shape.items)
        if item is not NO_WITNESS:
            yield [item] * max(1, shape.min_items)


def witness(shape: Shape) -> Any:
    """A valid value of `shape`, complete (every property, at least one item or entry),
    or `NO_WITNESS`.

    >>> from ordercheck.strategies._internal.constraints import shape_of
    >>> witness(shape_of({"type": "string", "pattern": "^[1-9][0-9]{5}$"}))
    '100000'
    """
    if shape.enum is not None:
        return next((m for m in shape.enum if shape.check(m)), NO_WITNESS)
    for json_type in guess_types(shape):
        for value in _of_type(shape, json_type):
            if value is not NO_WITNESS and shape.check(value):
                return value
    return NO_WITNESS
