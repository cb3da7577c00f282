"""Undoing a response's ``Content-Encoding`` without ever growing past a cap.

A few megabytes of gzip can unpack to gigabytes; each decoder here is fed with a cap on
its output (`zlib`'s ``max_length``), so a bomb costs at most the cap in memory before it is
refused.  gzip (one member or several) and deflate (zlib-wrapped or raw) are decoded; any
other encoding is left as it came.
"""

from __future__ import annotations

import zlib
from typing import Any

from ordercheck.fuzz._transport_errors import BrokenResponse, ResponseTooLarge, too_large

# The encodings `decode_body` can undo: a server is told it may use only these.
ACCEPT_ENCODING = "gzip, deflate"
_GZIP_MAGIC = b"\x1f\x8b"


def decode_body(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """`body` with its ``Content-Encoding`` undone, never growing past `limit` bytes.

    gzip (several members too) and deflate (zlib-wrapped or raw) are decoded; at the first
    other encoding, decoding stops and the body stays as it is from there.

    >>> import gzip
    >>> decode_body(gzip.compress(b"{}"), "gzip", 100)
    b'{}'
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):  # the last encoding applied is undone first
        if coding in ("gzip", "x-gzip"):
            body = _gunzip(body, limit)
        elif coding == "deflate":
            body = _inflate_deflate(body, limit)
        elif coding != "identity":
            break
    return body


def _inflate(inflater: Any, data: bytes, out: bytearray, limit: int) -> None:
    """Feed `data` to `inflater`, appending to `out`, never past `limit` bytes."""
    while data:
        out += inflater.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise ResponseTooLarge(too_large(limit, "once decoded"))
        data = inflater.unconsumed_tail


def _gunzip(body: bytes, limit: int) -> bytes:
    out = bytearray()
    member = body
    try:
        while member:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            _inflate(inflater, member, out, limit)
            if not inflater.eof:
                raise BrokenResponse("the gzip body is cut short")
            rest = inflater.unused_data
            member = rest if rest.startswith(_GZIP_MAGIC) else b""
    except zlib.error as exc:
        raise BrokenResponse(f"the body is not valid gzip ({exc})") from None
    return bytes(out)


def _inflate_deflate(body: bytes, limit: int) -> bytes:
    # "deflate" means zlib-wrapped, but some servers send raw deflate: try both, as browsers do.
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        out = bytearray()
        try:
            _inflate(zlib.decompressobj(wbits), body, out, limit)
        except zlib.error:
            continue
        return bytes(out)
    raise BrokenResponse("the body is not valid deflate")
