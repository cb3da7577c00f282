"""The fuzzing engine: drives Schemathesis with ordercheck's payloads and checks.

Public API::

    from ordercheck.runner import FuzzConfig, run_fuzz
    result = run_fuzz(FuzzConfig(base_url="http://127.0.0.1:8000", max_examples=50))
    print(result.verdict)
"""

from ordercheck.runner._api import OrderApi
from ordercheck.runner._client import RuleBreak, Sent
from ordercheck.runner._config import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_MERCHANT_ID,
    FuzzConfig,
    UsageError,
)
from ordercheck.runner._phases import MALFORMED_BODIES
from ordercheck.runner._progress import Progress
from ordercheck.runner._run import run_fuzz

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_MERCHANT_ID",
    "MALFORMED_BODIES",
    "FuzzConfig",
    "OrderApi",
    "Progress",
    "RuleBreak",
    "Sent",
    "UsageError",
    "run_fuzz",
]
