"""Cutting an input's bytes into payload texts, in bounded memory.

A JSONL source is read in blocks of at most `BLOCK_BYTES` and yielded as `Block`s of whole
lines, so the per-line work (splitting, parsing, checking) happens where the block goes:
this process or a worker.  A line longer than the limit (``--max-line-bytes``) is not held:
once its first `limit` bytes are read without a newline, it becomes a `LongLine` and the
rest of it is skipped as it streams past.  So memory stays within about
``limit + BLOCK_BYTES`` for any input, a 1 GB file without a newline or ``/dev/zero``
included.  A line may also be too long inside a block; whoever splits the block checks.

A document source (a ``.json`` file) is read up to the limit too: past it, it is an error
and the rest is never read.

Line numbers are not counted here (that would touch every byte twice): a block's lines are
counted where it is split, and whoever consumes the frames in order numbers them.

JSON text is UTF-8 (RFC 8259 section 8.1).  A source in UTF-16 or UTF-32, with or without a
byte order mark (recognised by the NUL bytes of its first four, as RFC 4627 section 3 did),
is refused whole with one error: read as UTF-8 its lines would be noise, and split at
``0x0a`` bytes they would not even be its lines.  A UTF-8 byte order mark is refused where
it stands, line by line (`ordercheck.validate.decode`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from ordercheck.errors import InputError
from ordercheck.validate.inputs import Source

BLOCK_BYTES = 256 * 1024
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

_BYTE_ORDER_MARKS = (
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\xfe\xff", "UTF-16BE"),
    (b"\xff\xfe", "UTF-16LE"),
)
# Which of the first four bytes are NUL, for text starting with an ASCII character.
_NUL_PATTERNS: dict[tuple[bool, ...], str] = {
    (True, True, True, False): "UTF-32BE",
    (False, True, True, True): "UTF-32LE",
    (True, False, True, False): "UTF-16BE",
    (False, True, False, True): "UTF-16LE",
    (True, False): "UTF-16BE",
    (False, True): "UTF-16LE",
}


class Block(NamedTuple):
    """Whole lines of a JSONL source, joined by newlines (the last line's newline dropped)."""

    source: str
    data: bytes


class LongLine(NamedTuple):
    """One line of a JSONL source longer than `limit` bytes, skipped unread."""

    source: str
    limit: int


class Document(NamedTuple):
    """The whole text of a document source: one payload."""

    source: str
    text: bytes


class Unreadable(NamedTuple):
    """A source that cannot be used at all, and why (a plain tuple: it may go to a worker
    with the frames around it, and exceptions do not pickle back as they were)."""

    source: str
    reason: str

    @classmethod
    def from_error(cls, error: InputError) -> Unreadable:
        return cls(error.source, error.reason)


Frame = Block | LongLine | Document | Unreadable


def frames(
    source: Source, *, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES, block_bytes: int = BLOCK_BYTES
) -> Iterator[Frame]:
    """The payload texts of `source`, in order; an unusable source as one `Unreadable`."""
    try:
        if source.lines:
            yield from _lines(source, max_line_bytes, block_bytes)
        else:
            yield from _document(source, max_line_bytes)
    except OSError as exc:
        yield Unreadable(source.name, f"cannot read it ({exc.strerror or exc})")


def sniff(head: bytes) -> str | None:
    """Which UTF-16 or UTF-32 text starts with `head`, in words, or None for UTF-8.

    >>> sniff('{"a": 1}'.encode("utf-16-le")), sniff(b'{"a": 1}')
    ('UTF-16LE text', None)
    """
    for mark, marked in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return f"{marked} text (it starts with a byte order mark)"
    nul = tuple(byte == 0 for byte in head[:4])
    # Fewer than four bytes: a text of one character, in UTF-16 if anything.
    encoding = _NUL_PATTERNS.get(nul if len(nul) == 4 else nul[:2])
    return None if encoding is None else f"{encoding} text"


def _not_utf8(source: Source, encoding: str) -> Unreadable:
    return Unreadable(
        source.name,
        f"{encoding}: JSON is UTF-8 (RFC 8259 section 8.1) and the server would refuse it; "
        "save it as UTF-8",
    )


def _document(source: Source, limit: int) -> Iterator[Frame]:
    text = source.stream.read(limit + 1)
    encoding = sniff(text)
    if len(text) > limit:
        yield Unreadable(source.name, f"document longer than {limit} bytes")
    elif encoding is not None:
        yield _not_utf8(source, encoding)
    elif not text.strip():
        yield Unreadable(source.name, "empty file: expected one JSON document")
    else:
        yield Document(source.name, text)


def _head(read: Callable[[int], bytes], size: int) -> bytes:
    """The first bytes of a stream: enough to sniff its encoding, unless it ends first."""
    head = read(size)
    while head and len(head) < 4:
        more = read(size)
        if not more:
            break
        head += more
    return head


def _lines(source: Source, limit: int, block_bytes: int) -> Iterator[Frame]:
    # read1 hands over what a pipe has now, so output keeps pace with a slow writer.
    read: Callable[[int], bytes] = getattr(source.stream, "read1", source.stream.read)
    chunk = _head(read, block_bytes)
    encoding = sniff(chunk)
    if encoding is not None:
        yield _not_utf8(source, encoding)
        return
    pending = bytearray()  # the start of a line whose newline has not come yet
    skipping = False  # inside a line already reported as too long
    while chunk:
        if skipping:
            newline = chunk.find(b"\n")
            if newline < 0:
                chunk = read(block_bytes)
                continue
            chunk, skipping = chunk[newline + 1 :], False
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending += chunk
        else:
            # Usually nothing is pending and the block is one slice of what was read.
            data = bytes(pending) + chunk[:cut] if pending else chunk[:cut]
            pending = bytearray(chunk[cut + 1 :])
            yield Block(source.name, data)
        if len(pending) > limit:
            yield LongLine(source.name, limit)
            pending.clear()
            skipping = True
        chunk = read(block_bytes)
    if pending:
        yield Block(source.name, bytes(pending))
