"""The fuzzing engine: drives Schemathesis with ordercheck's payloads and the contract rules.

Public API::

    from ordercheck.fuzz import FuzzConfig, run_fuzz
    result = run_fuzz(FuzzConfig(base_url="http://127.0.0.1:8000", max_examples=50))
    print(result.verdict)

Modules: `config` (the options, declared once), `campaign` (a run as a plan of units),
`client` (send and judge one exchange) over `transport` (no redirects, byte caps,
deadlines), `payload_stages` (Hypothesis draws, shrinks), `order_ids`, `sequences` (the
session the sequence rules run in), `collector` (judgements into a `RunResult`), `sharing`
(a run split across processes), `progress`, `replay`, `order_api`, `run` (one run start
to finish).

Names are imported on first use, so reading `FuzzConfig` (the pytest plugin does, to declare
its options) does not import Schemathesis.
"""

from __future__ import annotations

import typing

from ordercheck import _lazy

if typing.TYPE_CHECKING:
    from ordercheck.fuzz.client import Judged
    from ordercheck.fuzz.config import DEFAULT_MAX_EXAMPLES, FuzzConfig
    from ordercheck.fuzz.order_api import OrderApi
    from ordercheck.fuzz.payload_stages import MALFORMED_BODIES
    from ordercheck.fuzz.progress import Progress
    from ordercheck.fuzz.replay import ReplayOutcome, replay
    from ordercheck.fuzz.run import run_fuzz

__getattr__ = _lazy.lazy_exports(
    __name__,
    {
        "DEFAULT_MAX_EXAMPLES": "ordercheck.fuzz.config",
        "FuzzConfig": "ordercheck.fuzz.config",
        "Judged": "ordercheck.fuzz.client",
        "MALFORMED_BODIES": "ordercheck.fuzz.payload_stages",
        "OrderApi": "ordercheck.fuzz.order_api",
        "Progress": "ordercheck.fuzz.progress",
        "ReplayOutcome": "ordercheck.fuzz.replay",
        "replay": "ordercheck.fuzz.replay",
        "run_fuzz": "ordercheck.fuzz.run",
    },
)

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "MALFORMED_BODIES",
    "FuzzConfig",
    "Judged",
    "OrderApi",
    "Progress",
    "ReplayOutcome",
    "replay",
    "run_fuzz",
]
