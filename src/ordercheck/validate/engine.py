"""The engine behind `ordercheck validate`: validators over a stream of payloads.

`run_batches` yields a `Batch` per block of input, in input order; `run` yields a
`CheckedPayload` per payload (or per unusable file or line).  The input is read in bounded
blocks (`ordercheck.validate.framing`); each block is split, parsed and checked by a
`Checker`, in this process or, with ``jobs > 1``, in worker processes: the main process
only reads blocks and ships them, raw bytes being far cheaper to send than parsed objects.

Memory stays constant: the input is read a block at a time, and `ordercheck.validate.workers`
keeps a bounded number of chunks in flight.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from itertools import chain
from typing import IO

from ordercheck.errors import InputError, UsageError
from ordercheck.spec import Profile
from ordercheck.validate.checker import KINDS, Checker, Kind
from ordercheck.validate.framing import (
    BLOCK_BYTES,
    DEFAULT_MAX_LINE_BYTES,
    Block,
    Document,
    Frame,
    LongLine,
    Unreadable,
    frames,
)
from ordercheck.validate.inputs import sources
from ordercheck.validate.outcomes import Batch, CheckedPayload

__all__ = ["KINDS", "Kind", "max_jobs", "run", "run_batches"]

JOBS_PER_CPU = 4
MOST_JOBS = 64
MOST_LINE_BYTES = 1024**3
# Frames go to a worker in chunks of about this many bytes (or this many frames: small
# documents), so that a directory of tiny files does not cost a round trip each.
CHUNK_FRAMES = 64


def max_jobs() -> int:
    """The most worker processes a run may ask for: 4 per CPU, and never more than 64."""
    return min(MOST_JOBS, JOBS_PER_CPU * (os.cpu_count() or 1))


def _check_arguments(jobs: int, max_line_bytes: int, block_bytes: int) -> None:
    if not 1 <= jobs <= max_jobs():
        raise UsageError(
            f"--jobs={jobs}: must be between 1 and {max_jobs()} "
            f"({JOBS_PER_CPU} per CPU, at most {MOST_JOBS}; 0 means one per CPU)"
        )
    if not 1 <= max_line_bytes <= MOST_LINE_BYTES:
        raise UsageError(
            f"--max-line-bytes={max_line_bytes}: must be between 1 and {MOST_LINE_BYTES}"
        )
    if block_bytes < 1:
        raise ValueError(f"block_bytes={block_bytes} must be at least 1")


def run_batches(
    paths: Iterable[str],
    *,
    kind: Kind = "request",
    profile: Profile = "default",
    jobs: int = 1,
    stdin: IO[bytes] | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> Generator[Batch, None, None]:
    """Validate every payload named by `paths`, yielding a `Batch` per block, in order.

    Arguments are checked and the validators built now (a bad one is a `UsageError`); the
    input is read lazily.  The first block is checked in this process, and so is all of an
    input that does not fill two more chunks, whatever `jobs` says: starting workers would
    cost more than the work.
    """
    _check_arguments(jobs, max_line_bytes, block_bytes)
    checker = Checker(kind, profile, max_line_bytes)
    tagged = _tagged_frames(paths, stdin, max_line_bytes, block_bytes)
    return _numbered(_checked(checker, tagged, jobs, block_bytes))


def run(
    paths: Iterable[str],
    *,
    kind: Kind = "request",
    profile: Profile = "default",
    jobs: int = 1,
    stdin: IO[bytes] | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> Generator[CheckedPayload, None, None]:
    """Validate every payload named by `paths`, yielding one `CheckedPayload` per payload
    (clean ones too), in input order.  Arguments as for `run_batches`.

    >>> from io import BytesIO
    >>> [c.status for c in run(["-"], stdin=BytesIO(b'{}\\nnot json\\n'))]
    ['invalid', 'unreadable']
    """
    batches = run_batches(
        paths,
        kind=kind,
        profile=profile,
        jobs=jobs,
        stdin=stdin,
        max_line_bytes=max_line_bytes,
        block_bytes=block_bytes,
    )
    return _payloads(batches)


def _payloads(batches: Generator[Batch, None, None]) -> Generator[CheckedPayload, None, None]:
    try:
        for batch in batches:
            yield from batch.in_order()
    finally:
        batches.close()


def _tagged_frames(
    paths: Iterable[str], stdin: IO[bytes] | None, max_line_bytes: int, block_bytes: int
) -> Iterator[tuple[bool, Frame]]:
    """Every frame of every source, each with whether it is the first of its source (where
    line numbers start again)."""
    for source in sources(paths, stdin=stdin):
        if isinstance(source, InputError):
            yield True, Unreadable.from_error(source)
            continue
        first = True
        for frame in frames(source, max_line_bytes=max_line_bytes, block_bytes=block_bytes):
            yield first, frame
            first = False


def _numbered(checked: Iterator[tuple[bool, Batch]]) -> Generator[Batch, None, None]:
    """Batches with their line numbers: each JSONL batch starts where the one before it in
    its source ended."""
    try:
        line = 1
        for starts_source, batch in checked:
            if starts_source:
                line = 1
            if batch.lines:
                yield batch.numbered(line)
                line += batch.lines
            else:
                yield batch
    finally:
        close = getattr(checked, "close", None)
        if close is not None:
            close()  # stops any worker processes at once, even on an early exit


def _checked(
    checker: Checker, tagged: Iterator[tuple[bool, Frame]], jobs: int, block_bytes: int
) -> Generator[tuple[bool, Batch], None, None]:
    """Check frame by frame here (a slow writer on a pipe sees each block's output as it is
    read) until a block's worth of text is done; then, with ``jobs > 1`` and at least two
    chunks left, hand the rest to workers.  Small inputs never start a worker."""
    done = 0
    for starts, frame in tagged:
        yield starts, checker.check(frame)
        done += _size(frame)
        if jobs > 1 and done >= block_bytes:
            break
    else:
        return
    chunks = _chunks(tagged, block_bytes)
    first = next(chunks, [])
    second = next(chunks, None)
    if second is None:
        for starts, frame in first:
            yield starts, checker.check(frame)
        return
    from ordercheck.validate.workers import in_workers  # only a parallel run pays for it

    yield from in_workers(chain([first, second], chunks), checker, jobs)


def _chunks(
    tagged: Iterator[tuple[bool, Frame]], block_bytes: int
) -> Iterator[list[tuple[bool, Frame]]]:
    """Frames grouped for a worker: about `block_bytes` of text, or `CHUNK_FRAMES` frames.
    An error frame ends its chunk, so it is reported as soon as it is met, not once more
    input comes (after a line that never ends, none does)."""
    chunk: list[tuple[bool, Frame]] = []
    size = 0
    for item in tagged:
        chunk.append(item)
        frame = item[1]
        size = block_bytes if isinstance(frame, LongLine | Unreadable) else size + _size(frame)
        if size >= block_bytes or len(chunk) >= CHUNK_FRAMES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _size(frame: Frame) -> int:
    if isinstance(frame, Block):
        return len(frame.data)
    return len(frame.text) if isinstance(frame, Document) else 0
