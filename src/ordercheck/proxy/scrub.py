"""Keeping the access key out of everything the proxy records or prints.

The proxy sees the key on every request (``X-Access-Key``), and unlike the fuzzer it did not
choose it.  Headers are redacted by name as everywhere (`ordercheck.results.redact`), but a
body can carry the key too (a client that puts it in the payload, a server that echoes
it), so every value of it the proxy has seen is replaced, as text, in everything recorded:
bodies, messages, URLs, header values, JSON keys and strings alike.

The keys seen are remembered within a bound; each exchange's record is also scrubbed of its
own key when it is made, so forgetting an old key never lets it through.  Finding a key in
text is `ordercheck.redaction`'s, as for the fuzzer (any case, percent-encoded or JSON-escaped
forms); a key shorter than its `MIN_SCRUBBED_LENGTH` is redacted from headers only: searched
for as text, it would garble every report (a key of "k" is in every word with a k).
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

import orjson

from ordercheck.bounded import RecentDict
from ordercheck.redaction import MIN_SCRUBBED_LENGTH
from ordercheck.redaction import Scrubber as SecretScrubber
from ordercheck.results import REDACTED, Exchange, RunResult, redact

T = TypeVar("T")
KEY_HEADER = "x-access-key"
MIN_SECRET = MIN_SCRUBBED_LENGTH


class Scrubber:
    """Every access key seen (the `capacity` most recent), and their removal from values."""

    def __init__(self, capacity: int = 1_000) -> None:
        self._keys: RecentDict[str, None] = RecentDict(capacity)
        self._known = SecretScrubber(())
        self._lock = threading.Lock()

    def learn(self, key: str | None) -> None:
        """Remember `key` (an empty or missing key is no secret)."""
        if not key or len(key) < MIN_SECRET or key in self._keys:
            return
        with self._lock:
            self._keys[key] = None
            self._known = SecretScrubber(list(self._keys))

    def text(self, text: str, own: str | None = None) -> str:
        """`text` with every known key, and `own`, replaced by ``[REDACTED]``."""
        if own and len(own) >= MIN_SECRET:
            text = _scrubber_of(own).text(text)
        return self._known.text(text)

    def value(self, value: T, own: str | None = None) -> T:
        """A JSON-like value (or a dataclass of them) scrubbed throughout; returned as it
        is when it holds no key (the common case, told by one serialisation)."""
        keys = [k for k in (own, *self._keys) if k and len(k) >= MIN_SECRET]
        if not keys or not _may_hold(value, keys):
            return value
        return _scrub(value, lambda text: self.text(text, own))  # type: ignore[no-any-return]

    def exchange(self, exchange: Exchange, own: str | None = None) -> Exchange:
        """An exchange record with headers redacted and every key removed, its raw bytes
        included (`raw_base64` is rebuilt from the scrubbed bytes)."""
        scrubbed = replace(
            self.value(exchange, own),
            headers=redact(self.value(exchange.headers, own)),
            response_headers=redact(self.value(exchange.response_headers, own)),
        )
        if exchange.raw_base64 is None:
            return scrubbed
        raw = base64.b64decode(exchange.raw_base64)
        for key in [own, *self._keys]:
            if key and len(key) >= MIN_SECRET:
                raw = raw.replace(key.encode(), REDACTED.encode())
        return replace(scrubbed, raw_base64=base64.b64encode(raw).decode("ascii"))

    def result(self, result: RunResult) -> RunResult:
        """A whole result with every known key removed, whatever field it hides in."""
        return result if not self._known.secrets else self.value(result)


def own_key(headers: list[tuple[str, str]]) -> str | None:
    """The access key a request carried, if any."""
    for name, value in headers:
        if name.lower() == KEY_HEADER:
            return value
    return None


def _may_hold(value: Any, keys: list[str]) -> bool:
    """Whether `value` may contain a key: false only when its JSON text (dataclasses
    included) shows none.  A key that JSON would escape, or a value JSON cannot carry, is
    looked for the slow way."""
    if any(_JSON_ESCAPED.search(key) for key in keys):
        return True
    try:
        text = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return True
    return any(key.encode() in text for key in keys)


_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


@lru_cache(maxsize=64)
def _scrubber_of(key: str) -> SecretScrubber:
    """The scrubber of one request's own key (clients reuse a handful of keys)."""
    return SecretScrubber([key])


def _scrub(value: Any, clean: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {_scrub(k, clean): _scrub(v, clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item, clean) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _scrub(getattr(value, f.name), clean) for f in fields(value)}
        return replace(value, **changes)
    return value
