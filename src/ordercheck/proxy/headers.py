"""Which headers a proxy passes on: end-to-end ones, never hop-by-hop ones (RFC 9110 §7.6.1).

A hop-by-hop header describes one connection (the client's to the proxy, or the proxy's to
the upstream), so forwarding it would describe the wrong one: Connection and the headers it
names, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade and every Proxy-* header.
Everything else goes through as it came, byte for byte and in order.
"""

from __future__ import annotations

from collections.abc import Iterable

RawHeaders = list[tuple[bytes, bytes]]

HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"transfer-encoding", b"te", b"trailer", b"upgrade"}
)
# The proxy's own business on the way up: the upstream's Host and the body's length are
# set by the client that sends there, and `Expect: 100-continue` was answered already (the
# body was read before anything was forwarded).
NOT_FORWARDED_UP = frozenset({b"host", b"content-length", b"expect"})


def _connection_names(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    """The header names a Connection header lists: hop-by-hop by declaration."""
    named: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            named |= {token.strip().lower() for token in value.split(b",") if token.strip()}
    return named


def end_to_end(headers: Iterable[tuple[bytes, bytes]]) -> RawHeaders:
    """`headers` without the hop-by-hop ones, in their order, names in their case.

    >>> end_to_end([(b"Connection", b"close, X-Hop"), (b"X-Hop", b"1"), (b"X-Id", b"2")])
    [(b'X-Id', b'2')]
    """
    headers = list(headers)
    dropped = HOP_BY_HOP | _connection_names(headers)
    return [
        (name, value)
        for name, value in headers
        if name.lower() not in dropped and not name.lower().startswith(b"proxy-")
    ]


def upstream_headers(headers: Iterable[tuple[bytes, bytes]]) -> RawHeaders:
    """What goes up with a request: its end-to-end headers less those the proxy's own
    client must set (`NOT_FORWARDED_UP`)."""
    return [(n, v) for n, v in end_to_end(headers) if n.lower() not in NOT_FORWARDED_UP]


def as_text(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """Headers as text for records: HTTP allows any byte, so Latin-1, which maps each."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]


def flat(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One value per lower-case name (repeats joined with ", "), as the rules read them."""
    joined: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined
