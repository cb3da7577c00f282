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
a curl or a URL that ordercheck writes; the command line warns that it cannot be scrubbed
from what the target sends back.

The checks of a key and a URL (`check_access_key`, `check_base_url`) live here too, since
their messages must say what is wrong without repeating the secret; and so does reading a
key from a file (`read_access_key_file`).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import orjson

from ordercheck.errors import InputError, UsageError
from ordercheck.results import REDACTED

MIN_SCRUBBED_LENGTH = 8
# A key file is read no further: a key is a line, and a device may never end.
MAX_KEY_FILE_BYTES = 64 * 1024
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
        url.encode("utf-8")
    except UnicodeEncodeError:  # bytes of argv that were not UTF-8 arrive as surrogates
        raise UsageError(f"{option}={shown!r}: is not UTF-8 text; {expected}") from None
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


def _read_head(path: str) -> bytes:
    """Up to `MAX_KEY_FILE_BYTES` of the file, opened without waiting for a pipe's writer."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        os.set_blocking(descriptor, True)  # now wait for a writer's data, if there is one
        return handle.read(MAX_KEY_FILE_BYTES)


def read_access_key_file(path: str) -> str:
    """The access key in the file at `path`: its first line, without the line ending.

    Process substitution works (``--access-key-file <(pass show staging-key)``): the file
    may be a pipe.  A named pipe nobody writes to reads as empty instead of waiting forever,
    and a device that never ends (``/dev/zero``) is read no further than `MAX_KEY_FILE_BYTES`.
    Raises `InputError` naming the file for a file that cannot be read or holds no key."""
    try:
        text = _read_head(path).decode("utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read the access key file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(path, "the access key file is not UTF-8 text") from None
    except ValueError as exc:  # a path with a NUL character
        raise InputError(repr(path), f"not a usable file name ({exc})") from None
    lines = text.splitlines()
    key = lines[0].strip() if lines else ""
    if not key:
        raise InputError(path, "the access key file is empty; put the key on its first line")
    try:
        check_access_key(key, "--access-key-file")
    except UsageError as exc:
        raise InputError(path, str(exc).removeprefix("--access-key-file: ")) from None
    return key
