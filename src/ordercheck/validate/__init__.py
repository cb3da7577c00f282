"""The engine behind `ordercheck validate`, and its renderers.

`run` reads the payloads a user names (files, directories, standard input), checks each
with the request or response validator and yields a `CheckedPayload` per payload, in input
order; `Tally` counts them and chooses the exit code; `renderer_for` turns them into text,
JSON or JUnit XML::

    from ordercheck.validate import Tally, renderer_for, run

    renderer, tally = renderer_for("text", kind="request", profile="default"), Tally()
    print(renderer.begin(), end="")
    for checked in run(["orders.jsonl"], profile="default"):
        tally.add(checked)
        print(renderer.add(checked), end="")
    print(renderer.end(tally), end="")

Modules: `inputs` (reading paths and parsing JSON), `engine` (checking, in worker
processes with ``jobs > 1``), `render` (the three output formats).
"""

from ordercheck.validate.engine import KINDS, CheckedPayload, Kind, Tally, run
from ordercheck.validate.inputs import iter_payloads, loads
from ordercheck.validate.render import FORMATS, Renderer, renderer_for

__all__ = [
    "FORMATS",
    "KINDS",
    "CheckedPayload",
    "Kind",
    "Renderer",
    "Tally",
    "iter_payloads",
    "loads",
    "renderer_for",
    "run",
]
