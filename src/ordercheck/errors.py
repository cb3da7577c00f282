"""The two families of errors, kept apart.

Mistakes in what the *user* gave us (a bad file, a bad option, a broken spec) are
`OrdercheckError`s: they carry an exit code (2) and a one-line message naming where the
problem is, and the CLI prints that line instead of a traceback.  Misbehaviour of the *API
under test* is a `Failure`, an `AssertionError` so pytest and Schemathesis report it natively.

    Exception
    ├── OrdercheckError              exit code 2, one line for the user
    │   ├── InputError               a payload file or line that cannot be read
    │   ├── SpecError                a spec that cannot be loaded or compiled
    │   ├── UsageError               an option value that cannot work
    │   └── TargetError              an API that cannot be reached
    └── AssertionError
        └── Failure                  the API under test broke a contract rule (carries the
                                     `RuleViolation`)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ordercheck.results import RuleViolation


class OrdercheckError(Exception):
    """A problem with the user's input; the CLI prints `str(self)` and exits with `exit_code`."""

    exit_code = 2


class InputError(OrdercheckError):
    """An input that cannot be read: names the file, the line and, when known, the JSON path."""

    def __init__(self, source: str, reason: str, *, line: int | None = None, path: str = "$"):
        self.source = source
        self.line = line
        self.path = path
        self.reason = reason
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {path}: {reason}")


class SpecError(OrdercheckError):
    """A spec that cannot be loaded, resolved or compiled."""


class UsageError(OrdercheckError):
    """An option value that cannot work (``--rate-limit nan``, a malformed URL)."""


class TargetError(OrdercheckError):
    """The API under test cannot be reached at all (as opposed to answering wrongly)."""


class Failure(AssertionError):
    """The API under test broke a contract rule: raised with the `RuleViolation` that says
    how, so pytest and Schemathesis report it as a failed assertion."""

    def __init__(self, violation: RuleViolation):
        self.violation = violation
        super().__init__(f"{violation.rule}: {violation.message}")

    @property
    def rule(self) -> str:
        return self.violation.rule
