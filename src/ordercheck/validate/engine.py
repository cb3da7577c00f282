"""The engine behind `ordercheck validate`: validators over a stream of payloads.

`run` yields one `CheckedPayload` per payload (or per unusable file or line), in input
order, with the findings of the request or response validator.  With ``jobs > 1`` the main
process reads raw lines and ships them in chunks to worker processes, each of which builds
its validators once (in the pool initializer) and parses and checks the lines itself: raw
bytes pickle far more cheaply than parsed objects, and parsing is part of the work worth
spreading.

Memory stays constant: lines are read lazily, and at most ``3 * jobs`` chunks are in flight
(``Executor.map`` and ``Pool.imap`` would both read the whole input ahead of the workers).
Workers are forked on Linux when this process has no other thread (the command line case):
a fork starts in milliseconds with everything already imported, where a fresh interpreter
takes a second or more on a busy machine.  A process with threads gets ``spawn`` workers, as
does every other platform, since forking a threaded process can deadlock.

``--kind response`` records are either a bare response envelope or an *exchange*, a JSON
object with a ``body`` key and optionally ``status`` (an integer), ``headers`` (an object of
strings) and ``request`` (the request body that produced it)::

    {"request": {...}, "status": 200, "headers": {"X-Request-ID": "r1"}, "body": {...}}

A malformed exchange wrapper is unusable input (exit 2), not an API finding.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import IO, Any, Literal, NamedTuple

from ordercheck.errors import InputError
from ordercheck.json_tools import json_path
from ordercheck.rules import ResponseValidator
from ordercheck.spec import Profile, check_profile
from ordercheck.validate.inputs import Payload, RawPayload, iter_raw, parse
from ordercheck.validators import RequestValidator, Violation

Kind = Literal["request", "response"]
KINDS: tuple[Kind, ...] = ("request", "response")
Status = Literal["valid", "invalid", "unreadable"]

CHUNK_SIZE = 500
IN_FLIGHT_PER_JOB = 3


class CheckedPayload(NamedTuple):
    """What became of one payload: its findings, or why it could not be read.

    A NamedTuple so that workers send results back as cheap plain tuples.
    """

    source: str
    line: int | None
    findings: tuple[Violation, ...] = ()
    problem: str | None = None
    problem_path: str = "$"

    @property
    def status(self) -> Status:
        if self.problem is not None:
            return "unreadable"
        if any(f.severity == "error" for f in self.findings):
            return "invalid"
        return "valid"

    @property
    def location(self) -> str:
        """``file:line``, or ``file`` for a whole-file document or a file-level problem."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def input_error(self) -> InputError:
        """The one-line error for an unreadable outcome (``file:line: $.path: reason``)."""
        return InputError(
            self.source, self.problem or "unreadable", line=self.line, path=self.problem_path
        )

    @classmethod
    def from_error(cls, error: InputError) -> CheckedPayload:
        return cls(error.source, error.line, problem=error.reason, problem_path=error.path)


@dataclass
class Tally:
    """Running counts over outcomes, and the exit code they call for."""

    payloads: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0

    def add(self, outcome: CheckedPayload) -> None:
        status = outcome.status
        if status == "unreadable":
            self.unreadable += 1
            return
        self.payloads += 1
        if status == "valid":
            self.valid += 1
        else:
            self.invalid += 1
        for finding in outcome.findings:
            if finding.severity == "error":
                self.errors += 1
            else:
                self.warnings += 1

    @property
    def exit_code(self) -> int:
        """2 when any input was unusable, else 1 when any payload was invalid, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.invalid else 0

    def to_dict(self) -> dict[str, int]:
        return {**vars(self), "exit_code": self.exit_code}


def _exchange(value: Any, source: str, line: int | None) -> tuple[Any, dict[str, Any]]:
    """Split a response record into the body and the keyword arguments of `check`."""
    if not isinstance(value, Mapping) or "body" not in value:
        return value, {}
    status = value.get("status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise InputError(
            source, "an exchange's status must be an integer", line=line, path="$.status"
        )
    headers = value.get("headers")
    if headers is not None:
        if not isinstance(headers, Mapping):
            raise InputError(source, "headers must be an object", line=line, path="$.headers")
        for name, header in headers.items():
            if not isinstance(header, str):
                path = json_path(["headers", name])
                raise InputError(source, "header values must be strings", line=line, path=path)
    return value["body"], {"status": status, "headers": headers, "request": value.get("request")}


class Checker:
    """The validator for one kind and profile; built once per process, then reused."""

    def __init__(self, kind: Kind, profile: Profile):
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r} is not one of {', '.join(KINDS)}")
        self.kind = kind
        self.profile = check_profile(profile)
        self._request = RequestValidator(profile) if kind == "request" else None
        self._response = ResponseValidator(profile) if kind == "response" else None

    def check(self, payload: Payload) -> CheckedPayload:
        """The outcome of validating one parsed payload."""
        source, line, value = payload
        if self._request is not None:
            return CheckedPayload(source, line, self._request.check(value).findings)
        assert self._response is not None
        try:
            body, context = _exchange(value, source, line)
        except InputError as error:
            return CheckedPayload.from_error(error)
        return CheckedPayload(source, line, self._response.check(body, **context).findings)

    def check_raw(self, item: RawPayload | CheckedPayload) -> CheckedPayload:
        """Parse and check one raw payload; an outcome already decided passes through."""
        if isinstance(item, CheckedPayload):
            return item
        parsed = parse(item)
        if isinstance(parsed, InputError):
            return CheckedPayload.from_error(parsed)
        return self.check(parsed)


Chunk = list[RawPayload | CheckedPayload]

_worker_checker: Checker | None = None


def _init_worker(kind: Kind, profile: Profile) -> None:
    global _worker_checker  # noqa: PLW0603 -- one checker per worker process, by design
    # Ctrl-C is the parent's to handle; workers dying on it would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_checker = Checker(kind, profile)


def _check_chunk(chunk: Chunk) -> list[CheckedPayload]:
    assert _worker_checker is not None, "worker used before its initializer ran"
    return [_worker_checker.check_raw(item) for item in chunk]


def _items(paths: Iterable[str], stdin: IO[bytes] | None) -> Iterator[RawPayload | CheckedPayload]:
    for item in iter_raw(paths, stdin=stdin):
        yield CheckedPayload.from_error(item) if isinstance(item, InputError) else item


def _chunks(items: Iterator[RawPayload | CheckedPayload], size: int) -> Iterator[Chunk]:
    while chunk := list(islice(items, size)):
        yield chunk


def _start_method() -> str:
    single_threaded = threading.active_count() == 1
    return "fork" if sys.platform.startswith("linux") and single_threaded else "spawn"


def _in_pool(
    chunks: Iterator[Chunk], kind: Kind, profile: Profile, jobs: int
) -> Iterator[CheckedPayload]:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(_start_method()),
        initializer=_init_worker,
        initargs=(kind, profile),
    )
    window: deque[Future[list[CheckedPayload]]] = deque()
    try:
        for chunk in chunks:
            window.append(pool.submit(_check_chunk, chunk))
            if len(window) >= jobs * IN_FLIGHT_PER_JOB:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run(
    paths: Iterable[str],
    *,
    kind: Kind = "request",
    profile: Profile = "default",
    jobs: int = 1,
    stdin: IO[bytes] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Generator[CheckedPayload, None, None]:
    """Validate every payload named by `paths`, yielding outcomes in input order.

    Arguments are checked and the validators built now; the input is read lazily.  An input
    that fits in one chunk is checked in this process whatever `jobs` says: starting
    workers would cost more than the work.

    >>> from io import BytesIO
    >>> [o.status for o in run(["-"], stdin=BytesIO(b'{}\\nnot json\\n'))]
    ['invalid', 'unreadable']
    """
    if jobs < 1:
        raise ValueError(f"jobs={jobs} must be at least 1")
    if chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size} must be at least 1")
    checker = Checker(kind, profile)
    return _run(checker, _chunks(_items(paths, stdin), chunk_size), jobs)


def _run(
    checker: Checker, chunks: Iterator[Chunk], jobs: int
) -> Generator[CheckedPayload, None, None]:
    first = next(chunks, [])
    second = next(chunks, None) if jobs > 1 else None
    if second is None:
        for chunk in chain([first], chunks):
            yield from (checker.check_raw(item) for item in chunk)
        return
    yield from _in_pool(chain([first, second], chunks), checker.kind, checker.profile, jobs)
