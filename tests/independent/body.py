"""Reading a request body as JSON, with the standard library's `json` and its quirks handled.

What `json.loads` does on its own, and what this module does instead:

- ``NaN``, ``Infinity`` and ``-Infinity`` are accepted: they are not JSON, so a 400.
- A repeated key keeps the last value: an order whose amount depends on which copy a proxy
  read is refused (400) rather than guessed at.
- A number with a fraction or exponent becomes a lossy float: it becomes an exact `Decimal`
  (``2.0`` is then a whole number, as JSON Schema counts it; ``1.0000000000000000001`` is not).
- An integer of more than 4,300 digits raises a ``ValueError``: integers are read through
  `Decimal`, which has no such limit (an integer is an integer, however long).
- Bytes that are not UTF-8 are a 400; a leading UTF-8 byte order mark is ignored, as RFC 8259
  section 8.1 allows.
- Nesting deep enough to exhaust the recursion limit raises ``RecursionError``: a 400, and
  anything nested deeper than `MAX_DEPTH` is refused before the rest of the server walks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

MAX_DEPTH = 100
BOM = b"\xef\xbb\xbf"


class NotJson(ValueError):
    """The body is not a JSON document this server reads; the message says why."""


def _no_constant(name: str) -> Any:
    raise NotJson(f"{name} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise NotJson(f"the key {key!r} appears twice in one object")
        found[key] = value
    return found


def _whole(digits: str) -> int:
    # Through Decimal: int(str) refuses more than 4,300 digits, int(Decimal) does not.
    return int(Decimal(digits))


def decode(raw: bytes) -> Any:
    """The JSON document in `raw`; `NotJson` when there is none.

    >>> decode(b'{"skus": {"201145": 2.0}}')
    {'skus': {'201145': Decimal('2.0')}}
    """
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotJson(f"the body is not UTF-8 (byte {exc.start})") from None
    try:
        document = json.loads(
            text,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
            parse_float=Decimal,
            parse_int=_whole,
        )
    except json.JSONDecodeError as exc:
        raise NotJson(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise NotJson("the body is nested too deeply") from None
    if depth(document) > MAX_DEPTH:
        raise NotJson(f"the body is nested more than {MAX_DEPTH} levels deep")
    return document


def _children(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        yield from value.values()
    elif isinstance(value, list):
        yield from value


def depth(document: Any) -> int:
    """How many containers deep `document` goes (a scalar is 0), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in _children(value))
    return deepest


def is_number(value: Any) -> bool:
    """A JSON number as `decode` reads it: an `int` (never a `bool`) or a `Decimal`."""
    return isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool))


def is_whole(value: Any) -> bool:
    """A JSON number with no fractional part (``2`` and ``2.0``; not ``2.5``, not ``true``)."""
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return is_number(value)


def fingerprint(value: Any) -> Any:
    """A hashable, canonical form of a JSON document: equal for equal documents, whatever
    the key order or spelling of a number (``2`` and ``2.0``), and never equal across JSON
    types (``true`` is not ``1``).  Callers bound the depth first (`decode` does)."""
    if isinstance(value, dict):
        return ("object", tuple(sorted((k, fingerprint(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("array", tuple(fingerprint(v) for v in value))
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if is_number(value):
        return ("number", Decimal(value))
    return ("string", value)
