"""Reading the user's lists of real values: SKU ids and coupon codes.

A real Create Order server only accepts SKUs it sells and coupons it knows, so fuzzing or
generating for a real target takes them from files: one value a line (blank lines and ``#``
comments skipped) or a JSON array.  A value that fails `check` (a SKU id that is not digits)
is reported with its line or array index before anything is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from ordercheck.errors import InputError

Check = Callable[[str], bool]


def read_values(
    path: str | Path, *, what: str, check: Check | None = None, like: str = ""
) -> tuple[str, ...]:
    """The values listed in `path`, in order, without repeats.

    `what` names a value in messages ("SKU id"); `check` tells a good one; `like` is an
    example shown when one is not.  An unusable file raises a one-line `InputError`.
    """
    source = str(path)
    try:
        text = _read(Path(path)).decode("utf-8")
    except OSError as exc:
        raise InputError(source, f"cannot read the {what} file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(source, f"the {what} file is not UTF-8 text") from None
    reader = _from_json if text.lstrip()[:1] in ("[", "{") else _from_lines
    values = tuple(dict.fromkeys(reader(text, source, what, check, like)))
    if not values:
        raise InputError(source, f"the file lists no {what}s")
    return values


def _read(path: Path) -> bytes:
    """The file's bytes.  Opened without waiting, so a named pipe that no one writes to
    reads as empty (and is refused as listing nothing) instead of hanging the command."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as stream:
        os.set_blocking(descriptor, True)
        return stream.read()


def _bad(value: Any, what: str, like: str) -> str:
    return f"{value!r} is not a {what}" + (f" (like {like})" if like else "")


def _from_lines(text: str, source: str, what: str, check: Check | None, like: str) -> list[str]:
    values = []
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.split("#", 1)[0].strip()
        if not value:
            continue
        if any(c.isspace() for c in value) or (check is not None and not check(value)):
            raise InputError(source, _bad(value, what, like), line=number)
        values.append(value)
    return values


def _from_json(text: str, source: str, what: str, check: Check | None, like: str) -> list[str]:
    try:
        items: Any = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    if not isinstance(items, list):
        raise InputError(source, f"expected a JSON array of {what}s")
    values = []
    for index, item in enumerate(items):
        value = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(value, str) or (check is not None and not check(value)):
            raise InputError(source, _bad(item, what, like), path=f"$[{index}]")
        values.append(value)
    return values
