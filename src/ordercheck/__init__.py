"""ordercheck: contract testing and payload validation for the 1mg Create Order API.

The curated API, each name imported on first use (so ``ordercheck --help`` and a pytest run
without the plugin stay cheap)::

    from ordercheck import FuzzConfig, RequestValidator, ResponseValidator, run_fuzz

    result = run_fuzz(FuzzConfig(base_url="http://127.0.0.1:8000"))
    result.verdict, [violation.rule for violation in result.findings]
    RequestValidator("strict").check(payload).errors      # ConstraintViolation, ...

Layers, lowest first (see ARCHITECTURE.md): `errors`, `results`, `json_tools` -> `spec` ->
`validators`, `strategies` -> `rules` -> `server`, `fuzz`, `validate` -> `reports` -> `cli`,
`pytest_plugin`.
"""

from __future__ import annotations

import typing

from ordercheck import _lazy

__version__ = "0.1.0"

if typing.TYPE_CHECKING:
    from ordercheck.errors import Failure, OrdercheckError
    from ordercheck.fuzz import FuzzConfig, OrderApi, run_fuzz
    from ordercheck.results import RuleViolation, RunResult
    from ordercheck.rules import RULES, ResponseValidator
    from ordercheck.spec import load_spec
    from ordercheck.validators import ConstraintViolation, RequestValidator, Verdict

__getattr__ = _lazy.lazy_exports(
    __name__,
    {
        "ConstraintViolation": "ordercheck.validators",
        "Failure": "ordercheck.errors",
        "FuzzConfig": "ordercheck.fuzz",
        "OrderApi": "ordercheck.fuzz",
        "OrdercheckError": "ordercheck.errors",
        "RULES": "ordercheck.rules",
        "RequestValidator": "ordercheck.validators",
        "ResponseValidator": "ordercheck.rules",
        "RuleViolation": "ordercheck.results",
        "RunResult": "ordercheck.results",
        "Verdict": "ordercheck.validators",
        "load_spec": "ordercheck.spec",
        "run_fuzz": "ordercheck.fuzz",
    },
)

__all__ = [
    "RULES",
    "ConstraintViolation",
    "Failure",
    "FuzzConfig",
    "OrderApi",
    "OrdercheckError",
    "RequestValidator",
    "ResponseValidator",
    "RuleViolation",
    "RunResult",
    "Verdict",
    "__version__",
    "load_spec",
    "run_fuzz",
]
