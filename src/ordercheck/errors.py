"""The two families of errors, kept apart.

Mistakes in what the *user* gave us (a bad file, a bad option, a broken spec) are
`OrdercheckError`s: they carry an exit code (2) and a one-line message naming where the
problem is, and the CLI prints that line instead of a traceback.  Misbehaviour of the *API
under test* is a `Failure`, an `AssertionError` so pytest and Schemathesis report it natively.

    Exception
    ├── OrdercheckError              exit code 2, one line for the user
    │   ├── InputError               a payload file or line that cannot be read
    │   ├── SpecError                a spec that cannot be loaded or compiled
    │   └── TargetError              an API that cannot be reached
    └── AssertionError
        └── Failure                  the API under test broke a contract rule
"""

from __future__ import annotations


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


class TargetError(OrdercheckError):
    """The API under test cannot be reached at all (as opposed to answering wrongly)."""


class Failure(AssertionError):
    """The API under test broke a contract rule; `rule` names which (e.g. ``C7``)."""

    def __init__(self, rule: str, message: str, *, title: str | None = None):
        self.rule = rule
        self.message = message
        self.title = title or rule
        super().__init__(f"{rule}: {message}")
