"""What the PATHs a user names mean: files, directories and standard input, opened.

* ``-``: standard input, read as JSONL (one payload a line).
* a file ending in ``.jsonl`` (or ``.ndjson``): one payload a line.
* any other file: one JSON document, one payload.  A ``.json`` file holding an array is one
  payload whose body is an array (which the request schema then rejects), not a batch.  A
  FIFO named on the command line is read like a file.
* a directory: every ``*.json`` and ``*.jsonl`` file below it, recursively, in sorted path
  order; symlinked directories are not followed.  A FIFO, socket or device among them is
  named and skipped (opening a FIFO would wait for a writer forever), and so is a directory
  that cannot be listed: each is an error, never a silent gap in what was checked.

`sources` opens each in turn and yields it as a `Source`, or an `InputError` for what cannot
be opened; `ordercheck.validate.framing` then cuts each into payloads.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, NamedTuple

from ordercheck.errors import InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DIRECTORY_SUFFIXES = frozenset({".json", ".jsonl"})

_FILE_TYPES = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


class Source(NamedTuple):
    """One opened input: its name as reported, its bytes, and whether it is JSONL."""

    name: str
    stream: IO[bytes]
    lines: bool


def sources(
    paths: Iterable[str], *, stdin: IO[bytes] | None = None
) -> Iterator[Source | InputError]:
    """Each input named by `paths`, opened, in order; what cannot be opened as `InputError`.

    A source's stream is closed when the iteration moves past it, so read it before asking
    for the next.
    """
    for name in paths:
        if not name:
            yield InputError(name, "an empty path names no file")
        elif name == STDIN:
            if stdin is None:
                yield InputError(STDIN_NAME, "standard input is not available")
            else:
                yield Source(STDIN_NAME, stdin, lines=True)
        elif os.path.isdir(name):
            yield from _directory(Path(name), name)
        else:
            yield from _named_file(Path(name), name)


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read it ({exc.strerror or exc})"


def _named_file(path: Path, name: str) -> Iterator[Source | InputError]:
    """A file the user named: opened as it is, so a FIFO is read (its writer is the user's)."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield InputError(name, _reason(exc))
        return
    with stream:
        yield Source(name, stream, lines=path.suffix in LINE_SUFFIXES)


def _found_file(path: Path, name: str) -> Iterator[Source | InputError]:
    """A file found in a directory: only a regular file is read."""
    try:
        opened = _open_regular(path)
    except OSError as exc:
        yield InputError(name, _reason(exc))
        return
    if isinstance(opened, str):
        yield InputError(name, f"not a regular file ({opened}); skipped")
        return
    with opened:
        yield Source(name, opened, lines=path.suffix in LINE_SUFFIXES)


def _open_regular(path: Path) -> IO[bytes] | str:
    """`path` opened, or what it is when it is not a regular file.

    Opened without blocking and checked again on the open descriptor, so a FIFO put in place
    of the file after the directory was listed cannot hang the run either.
    """
    kind = _not_regular(os.stat(path).st_mode)
    if kind is not None:
        return kind
    stream = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb")
    kind = _not_regular(os.fstat(stream.fileno()).st_mode)
    if kind is not None:
        stream.close()
        return kind
    return stream


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return _FILE_TYPES.get(stat.S_IFMT(mode), "not a file")


def _directory(root: Path, name: str) -> Iterator[Source | InputError]:
    found: list[tuple[tuple[str, ...], InputError | None]] = []
    for folder, dirs, files in os.walk(
        root, onerror=lambda exc: found.append(_unlisted(root, exc))
    ):
        dirs.sort()
        relative = Path(folder).relative_to(root).parts
        found.extend(((*relative, f), None) for f in files if Path(f).suffix in DIRECTORY_SUFFIXES)
    if not found:
        yield InputError(name, "no .json or .jsonl files in this directory")
    for parts, error in sorted(found, key=lambda entry: entry[0]):
        if error is not None:
            yield error
        else:
            path = root.joinpath(*parts)
            yield from _found_file(path, str(path))


def _unlisted(root: Path, exc: OSError) -> tuple[tuple[str, ...], InputError]:
    """A directory `os.walk` could not list, as an entry sorted where it sits in the tree."""
    where = Path(exc.filename) if exc.filename else root
    parts = where.relative_to(root).parts if where != root else ()
    reason = f"cannot read this directory ({exc.strerror or exc})"
    return parts, InputError(str(where), reason)
