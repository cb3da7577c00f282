"""The ``merchant_order_id``s a run sends: unique, all carrying the run's prefix (so the
orders a run creates on a shared system can be found and cancelled), and, for C7's sake, in
every shape the profile allows.

An echo is only proven for the ids that were tried: a server that truncates long ids, trims
spaces or normalises Unicode passes with ``oc1a2b3c-00001``.  So the echo stage sends one
valid order per `STYLES` entry that the profile admits: as long as allowed, non-ASCII,
full-width, with a combining accent, and with surrounding spaces.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ordercheck.json_tools import fast_validator
from ordercheck.spec import Profile, Spec

# The longest id tried where the profile sets no maximum (the contract's default has none).
UNBOUNDED_LENGTH = 200


def _long(base: str, limit: int) -> str:
    return base + "9" * max(0, limit - len(base))


STYLES: dict[str, Callable[[str, int], str]] = {
    "longest allowed": _long,
    "non-ASCII": lambda base, limit: base + "-ऑर्डर",
    "full-width": lambda base, limit: base + "-ＡＢＣ１２３",
    "combining accent": lambda base, limit: base + "-cafe\u0301",
    "surrounding spaces": lambda base, limit: f" {base} ",
}


class OrderIds:
    """Unique ids that all carry the run's prefix (``oc3fa9c1-00001``)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return f"{self.prefix}{next(self._counter):05d}"

    def styled(self, style: str, limit: int = UNBOUNDED_LENGTH) -> str:
        """A fresh id in one of the `STYLES`, at most `limit` characters when long."""
        return STYLES[style](self.next(), limit)


def admitted_styles(spec: Spec, profile: Profile, prefix: str) -> dict[str, int]:
    """The `STYLES` whose ids the profile admits, each with the length to give a long id
    (under ``strict`` only ASCII letters, digits, ``_`` and ``-`` up to 64 characters are),
    judged by the profile's own schema of ``merchant_order_id``."""
    schema = spec.for_profile(spec.request_schema, profile)["properties"]["merchant_order_id"]
    lengths = [value for key, value in _walk(schema) if key == "maxLength"]
    limit = min(lengths) if lengths else UNBOUNDED_LENGTH
    validator = fast_validator(schema)
    return {
        style: limit
        for style, make in STYLES.items()
        if validator.is_valid(make(prefix + "00000", limit))
    }


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)
