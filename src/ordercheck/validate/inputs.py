"""Reading payloads from the paths a user names: files, directories and standard input.

What each PATH means (kept deliberately simple):

* ``-``: standard input, read as JSONL (one payload a line).
* a file ending in ``.jsonl`` (or ``.ndjson``): one payload a line.  Blank lines are skipped
  but still counted, so line numbers match an editor's.
* any other file: one JSON document, one payload.  A ``.json`` file holding an array is one
  payload whose body is an array (which the request schema then rejects), not a batch.
* a directory: every ``*.json`` and ``*.jsonl`` file below it, recursively, in sorted path
  order; symlinked directories are not followed.

Everything is streamed: a JSONL file is read a line at a time, so memory stays constant
whatever its length (a single ``.json`` document is read whole; it is one payload).  Reading
and parsing are split (`iter_raw`, then `parse`) so the `validate` engine can ship raw lines
to worker processes, which is cheaper to pickle than parsed objects.

Parsing uses orjson, falling back to the standard library only for what orjson refuses or
changes but JSON allows: integers beyond 64 bits (orjson turns them into floats) and numbers
too large for a double.  ``NaN`` and ``Infinity`` are not JSON and stay refused; so are
escaped lone surrogates (``"\\ud800"``): the JSON grammar admits them but they are not
Unicode text (RFC 8259 section 8.2, I-JSON) and the validators cannot read them.  An unusable
file or line is not raised: it is yielded as an `InputError` record, so the lines after it
are still checked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

from ordercheck.errors import InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DIRECTORY_SUFFIXES = frozenset({".json", ".jsonl"})

_BOM = b"\xef\xbb\xbf"
# orjson silently turns an integer beyond 64 bits into a float; such an integer needs at
# least 19 digits.  Mapping digits to "0" and the rest to " " finds a run of 19 at C speed.
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_DIGIT_RUN = b"0" * 19


class RawPayload(NamedTuple):
    """One payload's bytes, not yet parsed; `line` is None for a whole-file JSON document.

    A NamedTuple so that a batch of them pickles as plain tuples on its way to a worker.
    """

    source: str
    line: int | None
    text: bytes


class Payload(NamedTuple):
    """One parsed payload and where it came from."""

    source: str
    line: int | None
    value: Any


class _NotJSON(ValueError):
    """Raised by `_reject_constant`: ``NaN`` and ``Infinity`` are Python's, not JSON's."""


def _reject_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a JSON value")


def loads(text: bytes) -> Any:
    """Parse one JSON document: orjson first, the standard library when it must.

    Raises `json.JSONDecodeError` (orjson's is a subclass), `UnicodeDecodeError` or
    `ValueError`; `parse` turns each into an `InputError`.

    >>> loads(b'{"skus": {"1": 123456789012345678901234567890}}')["skus"]["1"]
    123456789012345678901234567890
    """
    if _LONG_DIGIT_RUN not in text.translate(_DIGITS_TO_ZERO):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if "depth limit" in exc.msg:
                raise
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("an escaped lone surrogate is not Unicode text") from None
    return value


def _reason(exc: Exception) -> tuple[str, int | None]:
    """The one-line reason for a parse failure and, when known, its line in the text."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON: {exc.msg} (column {exc.colno})", exc.lineno
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8: byte {exc.object[exc.start]:#04x} at offset {exc.start}", None
    return f"not JSON: {exc}", None


def parse(raw: RawPayload) -> Payload | InputError:
    """Parse one raw payload, or say in one line why it cannot be used."""
    try:
        return Payload(raw.source, raw.line, loads(raw.text))
    except (ValueError, UnicodeDecodeError) as exc:
        reason, text_line = _reason(exc)
        # For a line of a JSONL file, the position that matters is the file's line number.
        line = raw.line if raw.line is not None else text_line
        return InputError(raw.source, reason, line=line)


def _lines(stream: IO[bytes], source: str) -> Iterator[RawPayload]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            # Without its newline, a parse error's column stays on this line.
            text = line.rstrip(b"\r\n")
            yield RawPayload(source, number, text.removeprefix(_BOM) if number == 1 else text)


def _file(path: Path, source: str) -> Iterator[RawPayload | InputError]:
    try:
        with path.open("rb") as stream:
            if path.suffix in LINE_SUFFIXES:
                yield from _lines(stream, source)
                return
            text = stream.read()
    except FileNotFoundError:
        yield InputError(source, "no such file or directory")
        return
    except OSError as exc:
        yield InputError(source, f"cannot read it ({exc.strerror or exc})")
        return
    text = text.removeprefix(_BOM)
    if not text.strip():
        yield InputError(source, "empty file: expected one JSON document")
    else:
        yield RawPayload(source, None, text)


def _directory(root: Path, source: str) -> Iterator[RawPayload | InputError]:
    found: list[tuple[str, ...]] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        relative = Path(folder).relative_to(root).parts
        found.extend((*relative, f) for f in files if Path(f).suffix in DIRECTORY_SUFFIXES)
    if not found:
        yield InputError(source, "no .json or .jsonl files in this directory")
    for parts in sorted(found):
        path = root.joinpath(*parts)
        yield from _file(path, str(path))


def iter_raw(
    paths: Iterable[str], *, stdin: IO[bytes] | None = None
) -> Iterator[RawPayload | InputError]:
    """Every payload named by `paths`, unparsed, in order; unusable files as `InputError`."""
    for name in paths:
        if name == STDIN:
            if stdin is None:
                yield InputError(STDIN_NAME, "standard input is not available")
            else:
                yield from _lines(stdin, STDIN_NAME)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _directory(path, name)
        else:
            yield from _file(path, name)


def iter_payloads(
    paths: Iterable[str], *, stdin: IO[bytes] | None = None
) -> Iterator[Payload | InputError]:
    """Every payload named by `paths`, parsed, in order; unusable ones as `InputError`.

    >>> from io import BytesIO
    >>> [p.value for p in iter_payloads(["-"], stdin=BytesIO(b'{"a": 1}\\n\\n[2]\\n'))]
    [{'a': 1}, [2]]
    """
    for item in iter_raw(paths, stdin=stdin):
        yield item if isinstance(item, InputError) else parse(item)
