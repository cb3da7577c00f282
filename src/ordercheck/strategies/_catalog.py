"""Reading a SKU catalogue: a user's real SKU ids, for orders a real server will accept.

A catalogue is a text file with one id a line (blank lines and ``#`` comments skipped) or a
JSON array of ids.  Each id is checked against the spec's rule for SKU ids, so a typo is
reported with its line before any order is drawn.  A bad file is the user's input error
(`InputError`), which the CLI reports in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ordercheck.errors import InputError
from ordercheck.spec import Spec
from ordercheck.strategies._model import model_for
from ordercheck.strategies._shape import Shape


def _id_rule(spec: Spec | None) -> Shape | None:
    skus = model_for(spec).request.shape("strict").properties.get("skus")
    return skus.keys if skus is not None else None


def _from_json(text: str, source: str, rule: Shape | None) -> list[str]:
    try:
        items: Any = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    if not isinstance(items, list):
        raise InputError(source, "a JSON catalogue must be an array of SKU ids")
    out = []
    for index, item in enumerate(items):
        sku = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(sku, str) or (rule is not None and not rule.check(sku)):
            raise InputError(source, f"{item!r} is not a SKU id", path=f"$[{index}]")
        out.append(sku)
    return out


def _from_lines(text: str, source: str, rule: Shape | None) -> list[str]:
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if rule is not None and not rule.check(line):
            raise InputError(source, f"{line!r} is not a SKU id (digits, like 117004)", line=number)
        out.append(line)
    return out


def read_sku_catalog(path: str | Path, *, spec: Spec | None = None) -> tuple[str, ...]:
    """The SKU ids in the file at `path`, in order, without repeats.

    Raises `InputError` naming the file, and the line or array index, of a problem.
    """
    source = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise InputError(source, f"cannot read the SKU catalogue ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(source, "the SKU catalogue is not UTF-8 text") from None
    rule = _id_rule(spec)
    reader = _from_json if text.lstrip()[:1] in ("[", "{") else _from_lines
    ids = tuple(dict.fromkeys(reader(text, source, rule)))
    if not ids:
        raise InputError(source, "no SKU ids in the catalogue")
    return ids
