"""Values that break one rule, by kind of violation, read off the rule's keyword and value.

A `Violation` is one kind of breaking value for one rule: deterministic `edits` of the value
at the rule's place (``"560001"`` -> ``"560001\\n"``), and for some kinds a `variety` of
drawn ones (other text, other numbers).  Which kinds a rule gets is derived from its keyword
and the types the spec expects, never listed per field; `rule_breaking` then keeps a kind
only where its value, made from a valid value of the field, breaks exactly that rule.

Kinds, by the keyword they break:

    type              null                  null where null is not a type (optional and
                                            required fields alike: it breaks ``type``)
                      boolean-for-integer   true/false where an integer or number is expected
                      boolean-for-string    true/false where a string is expected
                      number-for-string     a number where a string is (payable_amount: 499)
                      string-for-integer    a numeric string where an integer is ("2")
                      fraction-for-integer  2.5 where an integer is expected
                      container-for-scalar  an array or object where a scalar is expected
                      scalar-for-container  text, a number or a boolean for an array/object
                      array-for-object      an array where an object is expected
                      object-for-array      an object where an array is expected
                      huge-integer          an integer of thousands of digits for a string
    pattern, enum,    empty, whitespace-only, trailing-newline, padded (a space before or
    const, and        after), wrong-case, leading-zero, extra-decimal (499.123), non-ascii-
    property names    digits, stray-character (a separator or look-alike inside), wrong-digit
                      (one digit changed: a mobile starting with 5), too-short / too-long
                      (one character fewer / more: a 5- or 7-digit PIN), other
    minLength         empty, too-short (one fewer), whitespace-only (where shorter)
    maxLength         too-long (one more)
    minimum           boundary (one below; the bound itself if exclusive), negative,
                      huge-integer (thousands of digits below)
    maximum           boundary (one above), huge-integer (thousands of digits above)
    min/maxItems,     empty (where one fewer is none), too-few, too-many
    min/maxProperties
    uniqueItems       duplicate
    not               excluded (a value the inner schema describes)
    required          missing                     (`rule_breaking`)
    unknown fields    misspelling, unknown-field  (`rule_breaking`)

``huge-integer`` values are drawn only when asked for by kind: they cannot be encoded by
JSON libraries limited to 64-bit integers (orjson, ujson), which mixed draws should not
surprise a caller with.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from hypothesis import strategies as st

from ordercheck.spec import Rule
from ordercheck.strategies._internal.constraints import Shape, shape_of
from ordercheck.strategies._internal.matching_strings import READABLE, strings
from ordercheck.strategies._internal.schema_walker import schema_values
from ordercheck.strategies._internal.valid_values import SCALARS, keys_of
from ordercheck.strategies._internal.witness import (
    NO_WITNESS,
    made_up_keys,
    string_candidates,
    witness,
)

# Deterministic candidates made from the value at the rule's place, given the names to
# prefer for new map entries (the user's SKU ids); a variety draws more, given the same.
Edits = Callable[[Any, tuple[str, ...]], list[Any]]
# Kinds a caller gets only by asking for them (see the module docstring).
ON_REQUEST = frozenset({"huge-integer"})
# Thousands of digits, under the 4,300 that Python's int/str conversion allows by default.
HUGE_DIGITS = (1000, 4000)
HUGE = 10**3000 + 7
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
_CONTAINERS = frozenset({"array", "object"})
_DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
_STRAYS = (" ", "-", "/", "O", "\u200b", ".")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?")


@dataclass(frozen=True)
class Violation:
    """One kind of breaking value for one rule."""

    kind: str
    edits: Edits
    variety: Callable[[Any, tuple[str, ...]], st.SearchStrategy[Any]] | None = None


def _fixed(*values: Any) -> Edits:
    return lambda current, pool: list(values)


def _text(edit: Callable[[str], list[Any]]) -> Edits:
    """Edits of a string value (nothing for a value that is not a string)."""
    return lambda current, pool: edit(current) if isinstance(current, str) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------- type


def _as_number(current: Any, pool: tuple[str, ...]) -> list[Any]:
    """The string read as the number it spells ("499.00" -> 499 and 499.0), else 0."""
    out: list[Any] = []
    if isinstance(current, str) and _DECIMAL.fullmatch(current) and len(current) < 16:
        number = float(current)
        out.extend([int(number), number] if number.is_integer() else [number])
    return [*out, 0, 1.5]


def _as_string(current: Any, pool: tuple[str, ...]) -> list[Any]:
    return [str(current) if _is_number(current) else "1", "2"]


def _as_text(current: Any, pool: tuple[str, ...]) -> list[Any]:
    """A container written as text (its JSON, or its items joined), or plain scalars."""
    out: list[Any] = []
    if isinstance(current, dict | list):
        out.append(orjson.dumps(current).decode())
    if isinstance(current, list):
        out.append(",".join(map(str, current)))
    return [*out, "", 0, True]


def _type_violations(rule: Rule, shape: Shape) -> list[Violation]:
    """Values of another JSON type, the same value retyped first ("499.00" -> 499, 2 ->
    "2"): the bugs clients really have, and a mixed draw's simplest example."""
    expected = {rule.value} if isinstance(rule.value, str) else set(rule.value)
    numeric = bool(expected & {"integer", "number"})
    strings_ok = "string" in expected
    scalar_only = not expected & _CONTAINERS
    containers_only = not expected & _SCALAR_TYPES
    small_lists = st.lists(SCALARS, max_size=2)
    table: list[tuple[bool, Violation]] = [
        (
            strings_ok and not numeric,
            Violation(
                "number-for-string", _as_number, lambda c, pool: st.integers(-(10**6), 10**6)
            ),
        ),
        (
            numeric and not strings_ok,
            Violation(
                "string-for-integer", _as_string, lambda c, pool: st.integers(0, 999).map(str)
            ),
        ),
        ("null" not in expected, Violation("null", _fixed(None))),
        (
            numeric and "boolean" not in expected,
            Violation("boolean-for-integer", _fixed(True, False)),
        ),
        (
            strings_ok and "boolean" not in expected,
            Violation("boolean-for-string", _fixed(False, True)),
        ),
        (
            "integer" in expected and "number" not in expected,
            Violation(
                "fraction-for-integer",
                lambda c, pool: [c + 0.5 if _is_number(c) else 1.5, 0.5],
                lambda c, pool: st.integers(-1000, 1000).map(lambda n: n + 0.5),
            ),
        ),
        (
            scalar_only,
            Violation(
                "container-for-scalar",
                lambda c, pool: [[c], {"value": c}, [], {}],
                lambda c, pool: small_lists,
            ),
        ),
        (containers_only, Violation("scalar-for-container", _as_text)),
        (
            "object" in expected and "array" not in expected,
            Violation(
                "array-for-object",
                lambda c, pool: [[c], list(c.values()) if isinstance(c, dict) else [], []],
            ),
        ),
        (
            "array" in expected and "object" not in expected,
            Violation(
                "object-for-array",
                lambda c, pool: [
                    {str(i): v for i, v in enumerate(c)} if isinstance(c, list) else {},
                    {},
                ],
            ),
        ),
        (strings_ok and not numeric, _huge(1)),
    ]
    return [violation for applies, violation in table if applies]


def _huge(sign: int) -> Violation:
    low, high = HUGE_DIGITS
    return Violation(
        "huge-integer",
        _fixed(sign * HUGE),
        lambda c, pool: st.integers(low, high).map(lambda digits: sign * (10**digits - 1)),
    )


# ---------------------------------------------------------------------------- text


def _padded(text: str) -> list[Any]:
    return [" " + text, text + " "] if text else []


def _wrong_case(text: str) -> list[Any]:
    return [t for t in dict.fromkeys((text.swapcase(), text.lower(), text.upper())) if t != text]


def _leading_zero(text: str) -> list[Any]:
    return ["0" + text, "0" + text[1:]] if text[:1].isdigit() else []


def _wrong_digits(text: str) -> list[Any]:
    """One digit changed, the first digits first (a PIN or mobile one digit off)."""
    at = [i for i, c in enumerate(text) if c.isdigit()][:3]
    return [text[:i] + d + text[i + 1 :] for i in at for d in "0123456789" if d != text[i]]


def _some_digit_changed(current: Any, pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
    at = [i for i, c in enumerate(current) if c.isdigit()] if isinstance(current, str) else []
    if not at:
        return st.nothing()
    changes = st.tuples(st.sampled_from(at), st.sampled_from("0123456789"))
    return changes.map(lambda c: current[: c[0]] + c[1] + current[c[0] + 1 :])


def _strays(text: str) -> list[Any]:
    middle = len(text) // 2
    if not text:
        return []
    inserted = [text[:middle] + c + text[middle:] for c in _STRAYS]
    return [*inserted, *(text[:middle] + c + text[middle + 1 :] for c in _STRAYS)]


def _extra_decimal(shape: Shape) -> Edits:
    """More decimals than the field takes ("499.00" -> "499.001"), where it takes some."""

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        if not isinstance(current, str) or not _DECIMAL.fullmatch(current):
            return []
        whole, _, fraction = current.partition(".")
        if not shape.check(f"{whole}.5"):
            return []  # no decimals at all here (a PIN code): not this kind
        digits = fraction + "1234567"
        return [f"{whole}.{digits[:n]}" for n in range(len(fraction) + 1, 8)]

    return edits


def _text_violations(shape: Shape) -> list[Violation]:
    """Near misses of a string: every kind is tried on the field's witness, so a kind the
    rule does not mind (a trailing space where any text goes) is dropped there.  The
    telling ones come first: a mixed draw's simplest example (Hypothesis's first, and what
    it shrinks to) is the first kind, a trailing newline (Python's ``$`` takes it, ECMA's
    does not), then other scripts' digits and a digit off."""
    blank = " " * max(1, shape.min_length)
    other = st.text(READABLE, min_size=1, max_size=12)
    return [
        Violation("trailing-newline", _text(lambda t: [t + "\n"])),
        Violation(
            "non-ascii-digits",
            _text(lambda t: [t.translate(_DEVANAGARI_DIGITS)] if re.search("[0-9]", t) else []),
        ),
        Violation("wrong-digit", _text(_wrong_digits), _some_digit_changed),
        Violation("too-short", _text(lambda t: [t[:-1]] if len(t) >= 2 else [])),
        Violation("stray-character", _text(_strays)),
        Violation("padded", _text(_padded)),
        Violation("wrong-case", _text(_wrong_case)),
        Violation("too-long", _text(lambda t: [t + t[-1], t + "0"] if t else [])),
        Violation("leading-zero", _text(_leading_zero)),
        Violation("extra-decimal", _extra_decimal(shape)),
        Violation("empty", _fixed("")),
        Violation("whitespace-only", _fixed(blank, blank + "  ", "\t")),
        Violation("other", _fixed("UNKNOWN", "?", "n/a"), lambda c, pool: other),
    ]


def _enum(rule: Rule, shape: Shape) -> list[Violation]:
    members = list(rule.value) if rule.keyword == "enum" else [rule.value]
    if any(isinstance(m, str) for m in members):
        return _text_violations(shape)
    numbers = [m for m in members if _is_number(m)]
    fallback = [max(numbers) + 1, min(numbers) - 1] if numbers else [not members[0]]
    return [Violation("other", _fixed(*fallback), lambda c, pool: SCALARS)]


def _pattern(rule: Rule, shape: Shape) -> list[Violation]:
    return _text_violations(shape)


# ---------------------------------------------------------------------------- bounds


def _min_length(rule: Rule, shape: Shape) -> list[Violation]:
    bound = int(rule.value)
    if bound <= 0:
        return []
    short = strings(shape.patterns, min_size=bound - 1, max_size=bound - 1)
    out = [Violation("empty", _fixed(""))]
    if bound >= 2:
        out.append(
            Violation(
                "too-short",
                _text(lambda t: [t[: bound - 1]] if len(t) >= bound else []),
                lambda c, pool: short,
            )
        )
        out.append(Violation("whitespace-only", _fixed(" " * (bound - 1))))
    return out


def _max_length(rule: Rule, shape: Shape) -> list[Violation]:
    bound = int(rule.value)
    longer = strings(shape.patterns, min_size=bound + 1, max_size=bound + 1)

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        seeds = [current] if isinstance(current, str) and current else []
        seeds += list(string_candidates(shape))
        return [(seed * (bound // len(seed) + 1))[: bound + 1] for seed in seeds if seed]

    return [Violation("too-long", edits, lambda c, pool: longer)]


def _as_type(shape: Shape, value: float) -> Any:
    if shape.types and "integer" not in shape.types:
        return float(value)
    return int(value) if float(value).is_integer() else value


def _minimum(rule: Rule, shape: Shape) -> list[Violation]:
    bound = rule.value
    below = bound - 1 if rule.keyword == "minimum" else bound
    out = [Violation("boundary", _fixed(_as_type(shape, below)))]
    if below >= 0:
        negatives = st.integers(-(10**6), -1).map(lambda n: _as_type(shape, n))
        out.append(Violation("negative", _fixed(_as_type(shape, -1)), lambda c, pool: negatives))
    out.append(_huge(-1))
    return out


def _maximum(rule: Rule, shape: Shape) -> list[Violation]:
    bound = rule.value
    above = bound + 1 if rule.keyword == "maximum" else bound
    return [Violation("boundary", _fixed(_as_type(shape, above))), _huge(1)]


def _items(shape: Shape) -> st.SearchStrategy[Any]:
    return schema_values(shape.items) if shape.items is not None else SCALARS


def _fewer(rule: Rule, shape: Shape) -> list[Violation]:
    """One fewer item or entry than the bound (kept from the value there now)."""
    bound = int(rule.value)
    if bound <= 0:
        return []
    if bound == 1:
        return [Violation("empty", _fixed([] if rule.keyword == "minItems" else {}))]

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        if isinstance(current, dict):
            return [dict(list(current.items())[: bound - 1])]
        return [list(current)[: bound - 1]] if isinstance(current, list) else []

    return [Violation("too-few", edits)]


def _max_items(rule: Rule, shape: Shape) -> list[Violation]:
    bound = int(rule.value)
    more = st.lists(_items(shape), min_size=bound + 1, max_size=bound + 1)

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        items = list(current) if isinstance(current, list) and current else []
        return [items + [items[-1]] * (bound + 1 - len(items))] if items else []

    return [Violation("too-many", edits, lambda c, pool: more)]


def _unique_items(rule: Rule, shape: Shape) -> list[Violation]:
    if rule.value is not True:
        return []

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        return [[*current, current[0]]] if isinstance(current, list) and current else []

    return [Violation("duplicate", edits, lambda c, pool: _items(shape).map(lambda i: [i, i]))]


def _max_properties(rule: Rule, shape: Shape) -> list[Violation]:
    """One entry more than the bound: the user's names first (their SKU ids), then made-up
    ones only as many as the bound still needs."""
    bound = int(rule.value)
    entry = witness(shape.values) if shape.values is not None else None
    values = schema_values(shape.values) if shape.values is not None else SCALARS
    keys = keys_of(shape)

    def known(current: Any, pool: tuple[str, ...]) -> dict[str, Any]:
        base = dict(current) if isinstance(current, dict) else {}
        fresh = [k for k in pool if k not in base][: max(0, bound + 1 - len(base))]
        return {**base, **dict.fromkeys(fresh, next(iter(base.values()), entry))}

    def edits(current: Any, pool: tuple[str, ...]) -> list[Any]:
        out = known(current, pool)
        needed = bound + 1 - len(out)
        return [{**out, **dict.fromkeys(made_up_keys(shape, needed, avoid=out), entry)}]

    def variety(current: Any, pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
        out = known(current, pool)
        needed = bound + 1 - len(out)
        if needed <= 0:
            return st.nothing()  # the user's names suffice: `edits` uses only them
        names = st.lists(keys.filter(lambda k: k not in out), min_size=needed, max_size=needed)
        entries = st.tuples(names, st.lists(values, min_size=needed, max_size=needed))
        return entries.map(lambda drawn: {**out, **dict(zip(*drawn, strict=True))})

    return [Violation("too-many", edits, variety)]


def _not(rule: Rule, shape: Shape) -> list[Violation]:
    inner = shape_of(rule.value)
    found = witness(inner)
    candidates = [*([] if found is NO_WITNESS else [found]), *string_candidates(inner)]
    return [Violation("excluded", _fixed(*candidates), lambda c, pool: schema_values(inner))]


_BY_KEYWORD: dict[str, Callable[[Rule, Shape], list[Violation]]] = {
    "type": _type_violations,
    "enum": _enum,
    "const": _enum,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minimum": _minimum,
    "exclusiveMinimum": _minimum,
    "maximum": _maximum,
    "exclusiveMaximum": _maximum,
    "minItems": _fewer,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "minProperties": _fewer,
    "maxProperties": _max_properties,
    "not": _not,
}


def violations_for(rule: Rule, shape: Shape) -> list[Violation]:
    """Every kind of value that may break `rule` where `shape` applies (empty: the rule is
    not breakable by a value, e.g. ``format``, which the validators do not assert)."""
    make = _BY_KEYWORD.get(rule.keyword)
    return [] if make is None else make(rule, shape)
