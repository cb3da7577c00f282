"""Keeping secrets out of everything ordercheck prints or writes.

A run holds two kinds of secret: the merchant's access key (``X-Access-Key``) and any
credentials in the target's URL (``https://user:pass@staging``).  Headers are redacted by
name where a request is recorded (`ordercheck.results.redact`); this module covers what a
header name cannot: the target's own responses, which may echo the key back in an error
message or a header, and URLs.

`Scrubber` replaces every occurrence of a secret, in any letter case and in its
percent-encoded and JSON-escaped forms, by ``[REDACTED]``.  The fuzzer applies it where a
response becomes an `Observation` (`ordercheck.fuzz.client`), so the rules, the records and
every message made from them never hold a secret.

A secret shorter than `MIN_SCRUBBED_LENGTH` characters is not scrubbed from text: a
three-letter key such as ``abc`` occurs in ordinary words and JSON keys, and replacing it
would mangle the very responses being judged.  Such a key still never appears in a header,
a curl or a URL that ordercheck writes.

The checks of a key and a URL (`check_access_key`, `check_base_url`) live here too, since
their messages must say what is wrong without repeating the secret.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import orjson

from ordercheck.errors import UsageError
from ordercheck.results import REDACTED

MIN_SCRUBBED_LENGTH = 8
# ``scheme://userinfo@``: everything up to the last ``@`` of the authority.  A regular
# expression rather than `urlsplit`, so that a URL too broken to parse is redacted too.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@")
# An HTTP header value that every server reads the same way: visible ASCII, inner spaces.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")


class Scrubber:
    """Replaces the secrets it was given wherever they occur in text or JSON.

    >>> scrub = Scrubber(["s3cr3t-key-4711"])
    >>> scrub.text("key S3CR3T-KEY-4711 refused")
    'key [REDACTED] refused'
    >>> scrub.json({"error": {"message": "bad key s3cr3t-key-4711"}})
    {'error': {'message': 'bad key [REDACTED]'}}
    """

    def __init__(self, secrets: Iterable[str]):
        forms = {form for secret in secrets for form in _forms(secret)}
        self.secrets = frozenset(forms)
        # Longest first, so a secret that contains another is replaced whole.
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        self._pattern = re.compile(alternatives, re.IGNORECASE) if alternatives else None

    def text(self, text: str) -> str:
        """`text` with every secret replaced by ``[REDACTED]``."""
        if self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)

    def json(self, value: Any) -> Any:
        """A parsed JSON value with every secret in its strings and keys replaced.

        The value is serialised, scrubbed as text and parsed again: no recursion, however
        deep the target nested its answer.  Should the replacement break the JSON (a secret
        made of JSON punctuation), the scrubbed text is returned instead.  A value that cannot
        be serialised again (nested deeper than the interpreter's recursion limit) raises
        `ValueError`: it is then to be shown as text, scrubbed with `text`.
        """
        if self._pattern is None:
            return value
        try:
            text = orjson.dumps(value).decode()
        except TypeError:  # integers beyond 64 bits, nesting beyond orjson's 255 levels
            try:
                text = json.dumps(value, ensure_ascii=False)
            except RecursionError:
                raise ValueError("too deeply nested to scrub as JSON") from None
        if not self._pattern.search(text):
            return value
        scrubbed = self.text(text)
        try:
            return json.loads(scrubbed)
        except ValueError:
            return scrubbed

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """`headers` with every secret in their values replaced."""
        return {name: self.text(value) for name, value in headers.items()}


def _forms(secret: str) -> set[str]:
    """The ways `secret` can appear in a response: as is, percent-encoded, JSON-escaped."""
    if len(secret) < MIN_SCRUBBED_LENGTH:
        return set()
    return {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}


def scrubber_for(access_key: str, base_url: str | None) -> Scrubber:
    """The scrubber of one run: the access key, and the credentials of its URL if any."""
    return Scrubber([access_key, *url_secrets(base_url)])


def url_secrets(url: str | None) -> list[str]:
    """The secrets a URL carries in its userinfo: user, password, ``user:password`` and its
    Basic-auth form (what `requests` sends in ``Authorization`` for such a URL)."""
    found = None if url is None else _USERINFO.match(url)
    if found is None:
        return []
    userinfo = found.group(2)
    user, _, password = (unquote(p) for p in userinfo.partition(":"))
    pair = f"{user}:{password}"
    basic = base64.b64encode(pair.encode("utf-8", "replace")).decode()
    return [s for s in (user, password, pair, userinfo, basic) if s]


def redact_url(url: str) -> str:
    """`url` with its userinfo replaced by ``[REDACTED]``.

    >>> redact_url("https://user:pass@staging.example.com/api")
    'https://[REDACTED]@staging.example.com/api'
    >>> redact_url("http://127.0.0.1:8000")
    'http://127.0.0.1:8000'
    """
    return _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", url, count=1)


def check_base_url(url: str, option: str = "--base-url") -> None:
    """Raise a one-line `UsageError` unless `url` is an http(s) URL with a host a request
    can be sent to; the message never repeats the URL's credentials."""
    shown = redact_url(url)
    expected = "expected http(s)://host[:port][/prefix]"
    found = _USERINFO.match(url)
    if found is not None and found.group(2).lower() == REDACTED.lower():
        raise UsageError(
            f"{option}={shown!r}: the credentials were redacted (reports never keep them); "
            "give the target's URL with its credentials"
        )
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise UsageError(f"{option}={shown!r}: contains spaces or control characters; {expected}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError as exc:
        raise UsageError(f"{option}={shown!r}: {exc}; {expected}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option}={shown!r}: {expected}")
    if parts.query or parts.fragment:
        raise UsageError(f"{option}={shown!r}: has a query or fragment; {expected}")


def check_access_key(key: str, option: str = "--access-key") -> None:
    """Raise a one-line `UsageError` unless `key` can be sent as an HTTP header value.

    The message says what is wrong and where, never the key itself."""
    if not key:
        raise UsageError(f"{option}: the access key is empty")
    if not _HEADER_SAFE.fullmatch(key):
        bad = next(
            (i for i, c in enumerate(key) if not 0x20 <= ord(c) <= 0x7E), None
        )  # None: only the ends are wrong
        where = (
            "starts or ends with a space"
            if bad is None
            else f"has a character that is not printable ASCII at position {bad + 1}"
        )
        raise UsageError(
            f"{option}: the access key {where}; an HTTP header value must be printable ASCII"
        )
