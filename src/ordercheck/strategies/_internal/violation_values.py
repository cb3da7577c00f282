"""How to break one rule, read off its keyword and value: candidate values for the field.

Each breaker proposes values that fail the rule while keeping, as far as it can, the
field's other constraints (a too-long ``merchant_order_id`` still matches its pattern, a
zero amount still looks like an amount).  Proposals are not trusted: `rule_breaking` keeps only
those that break exactly the rule, so a breaker can be generous.

    type       a value of another JSON type, null included, and the same value retyped
    enum       a near miss of a member ("cod", "ONLINE "), or other text
    const      another value
    pattern    a near miss of a matching string (a dropped digit, a trailing newline...)
    minLength  shorter than the bound; maxLength  longer (both still matching patterns)
    minimum    below the bound; maximum  above it (exclusive bounds: the bound itself)
    min/maxItems, min/maxProperties   fewer / more items or entries than the bound
    uniqueItems                        a repeated item
    not        a value the inner schema accepts
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

import orjson
from hypothesis import strategies as st

from ordercheck.json_tools import conforms
from ordercheck.spec import Rule
from ordercheck.strategies._internal.constraints import Shape, shape_of
from ordercheck.strategies._internal.matching_strings import READABLE, near_misses, strings
from ordercheck.strategies._internal.schema_walker import schema_values as values
from ordercheck.strategies._internal.valid_values import SCALARS, SPREAD, keys_of

# A breaker is made once per rule (its static candidates built then) and returns, for the
# value currently at the rule's place and the property names to prefer for new map entries
# (the user's SKU ids), a strategy of candidates around it.
Around = Callable[[Any, tuple[str, ...]], "st.SearchStrategy[Any]"]
Breaker = Callable[[Rule, Shape], "Around | None"]

_SMALL_LISTS = st.lists(SCALARS, max_size=2)
_SMALL_DICTS = st.dictionaries(st.text(READABLE, max_size=6), SCALARS, max_size=2)


def _retyped(current: Any) -> list[Any]:
    """The same value with the wrong type: the bugs clients really have ("2", 499.0)."""
    out: list[Any] = []
    if isinstance(current, str):
        with contextlib.suppress(orjson.JSONDecodeError):
            out.append(orjson.loads(current))
    if isinstance(current, int | float) and not isinstance(current, bool):
        out.append(str(current))
    if isinstance(current, list):
        out.extend([current[0]] if current else [])
        out.append(",".join(map(str, current)))
    if isinstance(current, dict):
        out.extend([orjson.dumps(current).decode(), [current], list(current.values())])
    if current is not None:
        out.append([current])
    return [v for v in out if _encodable(v)]


def _encodable(value: Any) -> bool:
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return False
    return True


def _fixed(pool: st.SearchStrategy[Any]) -> Around:
    """Candidates that do not depend on the value there now."""
    return lambda current, key_pool: pool


def _other_types(expected: Any) -> st.SearchStrategy[Any]:
    """Values of every JSON type but `expected` (drawn directly, not filtered)."""
    allowed = {expected} if isinstance(expected, str) else set(expected)
    numeric = bool(allowed & {"integer", "number"})
    pools: list[st.SearchStrategy[Any]] = [
        pool
        for wanted, pool in (
            ("null" not in allowed, st.none()),
            ("boolean" not in allowed, st.booleans()),
            (not numeric, st.integers(-(10**6), 10**6)),
            # n + 0.5 is never integral, so it is a number but never an integer.
            ("number" not in allowed, st.integers(-(10**6), 10**6).map(lambda n: n + 0.5)),
            ("string" not in allowed, st.text(READABLE, max_size=12)),
            ("array" not in allowed, _SMALL_LISTS),
            ("object" not in allowed, _SMALL_DICTS),
        )
        if wanted
    ]
    return st.one_of(pools)


def _type(rule: Rule, shape: Shape) -> Around:
    pool = _other_types(rule.value)

    def around(current: Any, key_pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
        retyped = [v for v in _retyped(current) if not conforms(v, rule.value)]
        return st.sampled_from(retyped) | pool if retyped else pool

    return around


def _texts_near(shape: Shape, extra: st.SearchStrategy[Any]) -> Around:
    """Near misses of the current string (or of a valid one), and `extra` candidates."""
    fallback = values(shape).map(str).flatmap(near_misses) | extra

    def around(current: Any, key_pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
        return near_misses(current) | extra if isinstance(current, str) else fallback

    return around


def _enum(rule: Rule, shape: Shape) -> Around:
    members = list(rule.value)
    texts = [m for m in members if isinstance(m, str)]
    near: st.SearchStrategy[Any] = (
        st.sampled_from(texts).flatmap(near_misses) if texts else st.nothing()
    )
    pool = (near | st.text(READABLE, max_size=12) | st.integers(-100, 100)).filter(
        lambda v: v not in members
    )
    return _fixed(pool)


def _const(rule: Rule, shape: Shape) -> Around:
    value = rule.value
    pool: st.SearchStrategy[Any] = SCALARS
    if isinstance(value, bool):
        pool = st.just(not value) | pool
    elif isinstance(value, str):
        pool = near_misses(value) | pool
    elif isinstance(value, int | float):
        pool = st.sampled_from([value - 1, value + 1]) | pool
    return _fixed(pool.filter(lambda v: v != value or type(v) is not type(value)))


def _pattern(rule: Rule, shape: Shape) -> Around:
    return _texts_near(shape, st.text(READABLE, max_size=12))


def _min_length(rule: Rule, shape: Shape) -> Around | None:
    bound = int(rule.value)
    if bound <= 0:
        return None
    return _fixed(strings(shape.patterns, max_size=bound - 1) | st.just(""))


def _max_length(rule: Rule, shape: Shape) -> Around:
    bound = int(rule.value)
    return _fixed(strings(shape.patterns, min_size=bound + 1, max_size=bound + SPREAD + 8))


def _numbers(shape: Shape, low: float, high: float) -> st.SearchStrategy[Any]:
    ints = st.integers(math.ceil(low), math.floor(high))
    if shape.types and "integer" not in shape.types:
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    return ints


def _minimum(rule: Rule, shape: Shape) -> Around:
    bound = rule.value
    below = bound - 1 if rule.keyword == "minimum" else bound
    edge = st.sampled_from(sorted({below, bound - 1}))
    return _fixed(edge | _numbers(shape, below - 1000, below))


def _maximum(rule: Rule, shape: Shape) -> Around:
    bound = rule.value
    above = bound + 1 if rule.keyword == "maximum" else bound
    edge = st.sampled_from(sorted({above, bound + 1}))
    return _fixed(edge | _numbers(shape, above, above + 1000))


def _items(shape: Shape) -> st.SearchStrategy[Any]:
    return values(shape.items) if shape.items is not None else SCALARS


def _min_items(rule: Rule, shape: Shape) -> Around | None:
    bound = int(rule.value)
    return None if bound <= 0 else _fixed(st.lists(_items(shape), max_size=bound - 1))


def _max_items(rule: Rule, shape: Shape) -> Around:
    bound = int(rule.value)
    return _fixed(st.lists(_items(shape), min_size=bound + 1, max_size=bound + SPREAD))


def _unique_items(rule: Rule, shape: Shape) -> Around | None:
    if rule.value is not True:
        return None
    return _fixed(_items(shape).map(lambda item: [item, item]))


def _min_properties(rule: Rule, shape: Shape) -> Around | None:
    bound = int(rule.value)
    if bound <= 0:
        return None

    def around(current: Any, key_pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
        entries = list(current.items()) if isinstance(current, dict) else []
        return st.integers(0, min(bound - 1, len(entries))).map(lambda n: dict(entries[:n]))

    return around


def _max_properties(rule: Rule, shape: Shape) -> Around:
    bound = int(rule.value)
    entry_values = values(shape.values) if shape.values is not None else SCALARS
    # Made-up entries are drawn without looking at the current ones, so the strategy is
    # built once; merged with them, the result has more than `bound` entries whatever
    # collides.  Names from the pool (the user's catalogue) come first, and made-up ones
    # only when the pool is too small to pass the bound.
    more = st.dictionaries(keys_of(shape), entry_values, min_size=bound + 1, max_size=bound + 4)

    def around(current: Any, key_pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
        base = dict(current) if isinstance(current, dict) else {}
        fresh = [k for k in key_pool if k not in base][: max(0, bound + 1 - len(base))]
        known = st.lists(entry_values, min_size=len(fresh), max_size=len(fresh)).map(
            lambda drawn: {**base, **dict(zip(fresh, drawn, strict=True))}
        )
        if len(base) + len(fresh) > bound:
            return known
        return st.tuples(known, more).map(lambda pair: {**pair[1], **pair[0]})

    return around


def _not(rule: Rule, shape: Shape) -> Around:
    return _fixed(values(shape_of(rule.value)))


BREAKERS: dict[str, Breaker] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minimum": _minimum,
    "exclusiveMinimum": _minimum,
    "maximum": _maximum,
    "exclusiveMaximum": _maximum,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "minProperties": _min_properties,
    "maxProperties": _max_properties,
    "not": _not,
}


def breaker_for(rule: Rule, shape: Shape) -> Around | None:
    """How to break `rule` where `shape` applies: a function from the value there now to
    candidate values (None: not breakable, e.g. ``format``, which the validators annotate
    but do not assert)."""
    breaker = BREAKERS.get(rule.keyword)
    return None if breaker is None else breaker(rule, shape)
