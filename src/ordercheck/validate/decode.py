"""JSON text to a value, refusing what the API's server would refuse or read ambiguously.

orjson parses first: it is the floor of the whole command.  Its answer is taken as it is
when ``orjson.dumps`` of the value gives back the very same bytes (what orjson, Node's
``JSON.stringify`` and most compact writers produce): equal bytes prove that no key was
repeated (a repeated key vanishes from the value) and that no integer was rounded (orjson
turns an integer beyond 64 bits into a float, which prints differently).  Other text gets
two cheap tests (colons counted, runs of 19 digits looked for), and only text that fails
one is read again, exactly, by the standard library (`exact_loads`).

What is refused, each with the JSON path where it is, when there is one:

* text that is not UTF-8, or starts with a byte order mark (RFC 8259 section 8.1: JSON
  text must not carry one; a server may refuse it, and a strict one does);
* ``NaN`` and ``Infinity`` (Python's, not JSON's);
* a key repeated in one object (``{"payment_method": "CARD", "payment_method": "COD"}``):
  servers differ on which value they keep, so no verdict on the payload could be right.  It
  is unusable input (exit 2), not a finding of the profile: the spec cannot say what the
  payload means, and the fix belongs to the program that wrote it;
* an integer of more than `MAX_INTEGER_DIGITS` digits (what Python's ``int`` reads by
  default; an order has no use for more), named with its number of digits;
* an escaped lone surrogate (``"\\ud800"``): the JSON grammar admits it, but it is not
  Unicode text (RFC 8259 section 8.2, I-JSON) and the validators cannot read it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson

from ordercheck.json_tools import PathStep, json_path
from ordercheck.validators.violations import describe, short

BOM = b"\xef\xbb\xbf"
MAX_INTEGER_DIGITS = 4300

# orjson silently turns an integer beyond 64 bits into a float; such an integer needs at
# least 19 digits.  Mapping digits to "0" and the rest to " " finds a run of 19 at C speed.
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_DIGIT_RUN = b"0" * 19
# A colon written as an escape is one more colon in the value than in the text.
_ESCAPED_COLONS = (b"\\u003a", b"\\u003A")


class DecodeError(ValueError):
    """Why a text cannot be used, and where: `line` within the text when known (a JSON
    syntax error in a multi-line document), `path` the JSON path of the culprit."""

    def __init__(self, reason: str, *, path: str = "$", line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.line = line


def loads(text: bytes) -> Any:
    """The value of one JSON text, or `DecodeError` saying why it cannot be used.

    >>> loads(b'{"skus": {"1": 123456789012345678901234567890}}')["skus"]["1"]
    123456789012345678901234567890
    >>> loads(b'{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    ordercheck.validate.decode.DecodeError: the key "a" appears twice, with 1 and 2: ...
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return _after_orjson_refused(text, exc)
    return value if orjson.dumps(value) == text else confirm(text, value)


def confirm(text: bytes, value: Any) -> Any:
    """`value` (orjson's reading of `text`) when it is what `text` means, else the exact
    reading of `text`; `DecodeError` for a repeated key or an unreadable integer.

    Called only when ``orjson.dumps(value)`` differs from `text`, so it can afford to look.
    """
    colons_lost = text.count(b":") > orjson.dumps(value).count(b":")
    maybe_repeated = colons_lost or any(escape in text for escape in _ESCAPED_COLONS)
    maybe_rounded = _LONG_DIGIT_RUN in text.translate(_DIGITS_TO_ZERO)
    if maybe_repeated or maybe_rounded:
        return exact_loads(text)
    return value


def _after_orjson_refused(text: bytes, exc: orjson.JSONDecodeError) -> Any:
    """orjson refused `text`: say why in the words people know, or read it exactly (numbers
    beyond a double, which JSON allows)."""
    if text.startswith(BOM):
        raise _byte_order_mark()
    if "depth limit" in exc.msg:
        raise DecodeError(f"not JSON: nested more than 1024 levels deep (column {exc.colno})")
    return exact_loads(text)


def _byte_order_mark() -> DecodeError:
    return DecodeError(
        "starts with a UTF-8 byte order mark, which JSON text must not have "
        "(RFC 8259 section 8.1); the server would refuse it"
    )


class _Repeated(dict[str, Any]):
    """An object that repeated a key: the value is the last, as Python reads it, and the
    pairs are kept to say which key and where."""

    pairs: list[tuple[str, Any]]


class _HugeInteger:
    """Stands for an integer too long to read, in place, so its path can be named."""

    def __init__(self, digits: int):
        self.digits = digits


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    repeated = _Repeated(value)
    repeated.pairs = pairs
    return repeated


def _integer(digits: str) -> int | _HugeInteger:
    count = len(digits.lstrip("-"))
    return _HugeInteger(count) if count > MAX_INTEGER_DIGITS else int(digits)


def _reject_constant(name: str) -> Any:
    raise DecodeError(f"not JSON: {name} is not a JSON value")


def exact_loads(text: bytes) -> Any:
    """Read `text` with the standard library, exactly (integers of any length up to
    `MAX_INTEGER_DIGITS`), checking what orjson's reading cannot show."""
    try:
        string = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not UTF-8: byte {exc.object[exc.start]:#04x} at offset {exc.start}"
        ) from None
    if string.startswith("\ufeff"):
        raise _byte_order_mark()
    try:
        value = json.loads(
            string, object_pairs_hook=_object, parse_int=_integer, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise DecodeError("not JSON: nested too deeply") from None
    problem = next(_problems(value, []), None)
    if problem is not None:
        raise problem
    return value


def _problems(value: Any, steps: list[PathStep]) -> Iterator[DecodeError]:
    """What makes `value` unusable, in document order: repeated keys, huge integers, lone
    surrogates."""
    if isinstance(value, _HugeInteger):
        yield DecodeError(
            f"an integer of {value.digits} digits is too long to read "
            f"(at most {MAX_INTEGER_DIGITS})",
            path=json_path(steps),
        )
    elif isinstance(value, str):
        if not _is_unicode(value):
            yield DecodeError(
                "an escaped lone surrogate is not Unicode text", path=json_path(steps)
            )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, [*steps, index])
    elif isinstance(value, dict):
        yield from _object_problems(value, steps)


def _object_problems(value: dict[str, Any], steps: list[PathStep]) -> Iterator[DecodeError]:
    pairs = value.pairs if isinstance(value, _Repeated) else list(value.items())
    seen: set[str] = set()
    for key, item in pairs:
        if not _is_unicode(key):
            yield DecodeError(
                "an escaped lone surrogate is not Unicode text", path=json_path(steps)
            )
        elif key in seen:
            yield _repeated_key(key, [v for k, v in pairs if k == key], [*steps, key])
        else:
            seen.add(key)
            yield from _problems(item, [*steps, key])


def _repeated_key(key: str, values: list[Any], steps: list[PathStep]) -> DecodeError:
    shown = [_shown(v) for v in values]
    listed = ", ".join(shown[:-1]) + " and " + shown[-1]
    times = "twice" if len(values) == 2 else f"{len(values)} times"
    return DecodeError(
        f"the key {short(key)} appears {times}, with {listed}: servers differ on which "
        "one they keep (RFC 8259 section 4)",
        path=json_path(steps),
    )


def _shown(value: Any) -> str:
    if isinstance(value, _HugeInteger):
        return f"an integer of {value.digits} digits"
    if isinstance(value, dict | list):
        return describe(value)
    return short(value)


def _is_unicode(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
