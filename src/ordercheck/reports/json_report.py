"""``report.json``: the machine-readable record of a run, and the only report that can be read
back (`ordercheck replay` and the HTML/JUnit writers rebuild from it).

Loading checks the document's shape against the result dataclasses themselves, so a damaged or
foreign file yields one line naming the JSON path that is wrong, never a traceback.

    >>> write_json(result, Path("reports/run-1/report.json"))
    >>> load_report(Path("reports/run-1/report.json")) == result
    True
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import orjson

from ordercheck.errors import InputError
from ordercheck.reports.writer import atomic_write
from ordercheck.results import PayloadFinding, RuleOutcome, RuleViolation, RunResult

# Keys `RunResult.to_dict` adds for readers; `from_dict` ignores them, so loading allows them.
_DERIVED_KEYS: dict[type, frozenset[str]] = {
    RunResult: frozenset({"verdict"}),
    RuleOutcome: frozenset({"status"}),
    RuleViolation: frozenset({"curl"}),
    PayloadFinding: frozenset({"curl"}),
}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _ShapeError(Exception):
    """Where a loaded document departs from the result dataclasses, and how."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.path = path
        self.reason = reason


def render_json(result: RunResult) -> bytes:
    """``result.to_dict()`` as indented UTF-8 JSON, newline-terminated."""
    data = result.to_dict()
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # a fuzzed integer beyond 64 bits: the stdlib writes it exactly
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def write_json(result: RunResult, path: Path) -> None:
    """Write ``report.json`` atomically: a reader never sees half a report."""
    atomic_write(path, render_json(result))


def load_report(path: Path) -> RunResult:
    """Read a ``report.json`` back into a `RunResult`.

    Raises `InputError` with one line for a missing or unreadable file, invalid JSON (with its
    line number) or a document that is not a report (with the JSON path that is wrong).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(str(path), f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    try:
        _check_object(data, RunResult, "$")
        return RunResult.from_dict(data)
    except _ShapeError as exc:
        raise InputError(str(path), exc.reason, path=exc.path) from None
    except (KeyError, TypeError, ValueError) as exc:  # a shape the check above does not model
        raise InputError(str(path), f"not an ordercheck report ({exc})") from None


def _key_path(parent: str, key: str) -> str:
    return (
        f"{parent}.{key}" if _IDENTIFIER.match(key) else f"{parent}[{orjson.dumps(key).decode()}]"
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _check_object(data: Any, cls: type, path: str) -> None:
    """Check `data` has every required field of dataclass `cls`, nothing unknown, right types."""
    if not isinstance(data, dict):
        raise _ShapeError(path, f"expected an object, found {_json_type(data)}")
    fields = dataclasses.fields(cls)
    for field in fields:
        where = _key_path(path, field.name)
        if field.name in data:
            _check_value(data[field.name], _hints(cls)[field.name], where)
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise _ShapeError(where, "missing required key")
    allowed = {f.name for f in fields} | _DERIVED_KEYS.get(cls, frozenset())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _ShapeError(_key_path(path, unknown[0]), "unexpected key")


_SCALARS: dict[Any, tuple[str, tuple[type, ...]]] = {
    str: ("a string", (str,)),
    int: ("a number", (int,)),
    float: ("a number", (int, float)),
    bool: ("a boolean", (bool,)),
    type(None): ("null", (type(None),)),
}


def _check_value(value: Any, hint: Any, path: str) -> None:
    origin = get_origin(hint)
    if hint is Any:
        return
    if dataclasses.is_dataclass(hint):
        _check_object(value, hint, path)  # type: ignore[arg-type]
    elif origin in (Union, types.UnionType):
        arms = [a for a in get_args(hint) if not (value is not None and a is type(None))]
        if value is None and type(None) in arms:
            return
        _check_value(value, arms[0] if len(arms) == 1 else Any, path)
    elif origin is Literal:
        if value not in get_args(hint):
            allowed = ", ".join(repr(a) for a in get_args(hint))
            raise _ShapeError(path, f"expected one of {allowed}, found {value!r}")
    elif origin in (list, dict):
        _check_container(value, origin, get_args(hint)[-1], path)
    else:
        if hint not in _SCALARS:  # a type this check does not model: `from_dict` decides
            return
        name, accepted = _SCALARS[hint]
        if (isinstance(value, bool) and bool not in accepted) or not isinstance(value, accepted):
            raise _ShapeError(path, f"expected {name}, found {_json_type(value)}")


def _check_container(value: Any, origin: type, item_hint: Any, path: str) -> None:
    if origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, item_hint, f"{path}[{index}]")
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            _check_value(item, item_hint, _key_path(path, key))
    else:
        kind = "an array" if origin is list else "an object"
        raise _ShapeError(path, f"expected {kind}, found {_json_type(value)}")
