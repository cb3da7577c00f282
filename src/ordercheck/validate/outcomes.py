"""What `ordercheck validate` found: per payload, per batch of payloads, and in total.

A `CheckedPayload` is one payload's findings, or why it could not be read.  The engine
hands them over in `Batch`es, one per block of input, so that the output path does no work
for a clean payload beyond counting it: a batch lists its clean payloads by line number only
and carries a `CheckedPayload` for each of the others.  `Tally` adds batches up and chooses
the exit code.  All are plain tuples, cheap to send back from a worker process.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from ordercheck.errors import InputError
from ordercheck.validators import Violation

Status = Literal["valid", "invalid", "unreadable"]


class CheckedPayload(NamedTuple):
    """What became of one payload: its findings, or why it could not be read."""

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
        """The one-line error for an unreadable payload (``file:line: $.path: reason``)."""
        return InputError(
            self.source, self.problem or "unreadable", line=self.line, path=self.problem_path
        )

    @classmethod
    def from_error(cls, error: InputError) -> CheckedPayload:
        return cls(error.source, error.line, problem=error.reason, problem_path=error.path)


class Batch(NamedTuple):
    """The payloads of one block of input, in order.

    `clean` holds the line offsets (from `first_line`) of the payloads with no finding at
    all; `checked` holds every other payload, with its line number.  `lines` is how many
    lines of a JSONL source the batch covers (0 for a document or a file-level problem,
    whose payloads carry their own line).  A worker returns batches with `first_line`
    still 0, lines counted from the block's start; `numbered` gives them their place.
    """

    source: str
    lines: int
    clean: list[int]
    checked: list[CheckedPayload]
    first_line: int = 0
    document: bool = False

    def numbered(self, first_line: int) -> Batch:
        """This batch of a JSONL source, its lines counted from `first_line`."""
        checked = [c._replace(line=first_line + (c.line or 0)) for c in self.checked]
        return self._replace(checked=checked, first_line=first_line)

    @property
    def payloads(self) -> int:
        return len(self.clean) + len(self.checked)

    def clean_lines(self) -> list[int | None]:
        """The line of each clean payload (None for a whole-file document)."""
        if self.document:
            return [None] * len(self.clean)
        first = self.first_line
        return [first + offset for offset in self.clean]

    def pieces(self) -> list[Batch]:
        """This batch cut just after each unreadable payload, so that the command can write
        each one's error right after the output of the payloads before it."""
        if self.document or all(c.problem is None for c in self.checked):
            return [self]
        pieces, clean_from, checked_from = [], 0, 0
        for index, checked in enumerate(self.checked):
            if checked.problem is not None:
                clean_to = bisect_left(
                    self.clean, (checked.line or 0) - self.first_line, clean_from
                )
                clean, these = (
                    self.clean[clean_from:clean_to],
                    self.checked[checked_from : index + 1],
                )
                pieces.append(self._replace(clean=clean, checked=these))
                clean_from, checked_from = clean_to, index + 1
        rest = self._replace(clean=self.clean[clean_from:], checked=self.checked[checked_from:])
        return [*pieces, rest] if rest.payloads else pieces

    def merged(self) -> Iterator[int | CheckedPayload | None]:
        """Every payload of the batch in input order: a clean one as its line (None for a
        document), any other as its `CheckedPayload`."""
        checked = iter(self.checked)
        pending = next(checked, None)
        for line in self.clean_lines():
            while pending is not None and (pending.line or 0) < (line or 0):
                yield pending
                pending = next(checked, None)
            yield line
        if pending is not None:
            yield pending
            yield from checked

    def in_order(self) -> list[CheckedPayload]:
        """Every payload of the batch, clean ones too, in input order."""
        return [
            item if isinstance(item, CheckedPayload) else CheckedPayload(self.source, item)
            for item in self.merged()
        ]


@dataclass
class Tally:
    """Running counts over payloads, and the exit code they call for."""

    payloads: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0

    def add(self, checked: CheckedPayload) -> None:
        if checked.problem is not None:
            self.unreadable += 1
            return
        self.payloads += 1
        errors = 0
        for finding in checked.findings:
            if finding.severity == "error":
                errors += 1
        self.errors += errors
        self.warnings += len(checked.findings) - errors
        if errors:
            self.invalid += 1
        else:
            self.valid += 1

    def add_batch(self, batch: Batch) -> None:
        """Count a whole batch: its clean payloads at once, the others one by one."""
        self.payloads += len(batch.clean)
        self.valid += len(batch.clean)
        for checked in batch.checked:
            self.add(checked)

    @property
    def exit_code(self) -> int:
        """2 when any input was unusable, else 1 when any payload was invalid, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.invalid else 0

    def to_dict(self) -> dict[str, int]:
        return {**vars(self), "exit_code": self.exit_code}
