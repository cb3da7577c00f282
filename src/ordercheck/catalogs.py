"""Reading the user's lists of real values: SKU ids and coupon codes.

A real Create Order server only accepts SKUs it sells and coupons it knows, so fuzzing a real
target takes them from files: one value a line (blank lines and ``#`` comments ignored) or a
JSON array of strings.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from ordercheck.errors import InputError


def read_values(path: str | Path, *, what: str) -> tuple[str, ...]:
    """The values listed in `path`; an unusable file raises a one-line `InputError`."""
    source = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise InputError(source, f"cannot read the {what} file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(source, f"the {what} file is not UTF-8 text") from None
    if text.lstrip().startswith("["):
        return _from_json(text, source, what)
    values = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].strip()
        if value and any(c.isspace() for c in value):
            raise InputError(source, f"{what} {value!r} contains spaces", line=number)
        if value:
            values.append(value)
    if not values:
        raise InputError(source, f"the {what} file lists no values")
    return tuple(values)


def _from_json(text: str, source: str, what: str) -> tuple[str, ...]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        line = text[: exc.pos].count("\n") + 1
        raise InputError(source, f"not valid JSON ({exc.msg})", line=line) from None
    if not isinstance(data, list) or not data:
        raise InputError(source, f"expected a non-empty JSON array of {what}s")
    for index, value in enumerate(data):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise InputError(
                source, f"expected a string, got {type(value).__name__}", path=f"$[{index}]"
            )
    return tuple(str(v) for v in data)
