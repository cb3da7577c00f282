"""The engine behind `ordercheck validate`, and its renderers.

`run` reads the payloads a user names (files, directories, standard input), checks each
with the request or response validator and yields a `CheckedPayload` per payload, in input
order.  `run_batches` yields the same as `Batch`es, one per block of input, which is what
the command uses: a batch lists its clean payloads by line alone.  `Tally` counts them and
chooses the exit code; `renderer_for` turns batches into text, JSON or JUnit XML::

    from ordercheck.validate import Tally, renderer_for, run_batches

    renderer, tally = renderer_for("text", kind="request", profile="default"), Tally()
    print(renderer.begin(), end="")
    for batch in run_batches(["orders.jsonl"], profile="default"):
        tally.add_batch(batch)
        print(renderer.add(batch), end="")
    print(renderer.end(tally), end="")

Modules, in the order the bytes flow: `inputs` (what each PATH means, opened), `framing`
(blocks of lines in bounded memory, encodings), `decode` (JSON text to a value, refusing
what a server would refuse), `checker` (the per-line loop), `engine` (in this process or in
workers, in order), `outcomes` (what was found), `render` (the three output formats).
"""

from ordercheck.validate.checker import KINDS, Kind
from ordercheck.validate.decode import DecodeError, loads
from ordercheck.validate.engine import max_jobs, run, run_batches
from ordercheck.validate.framing import DEFAULT_MAX_LINE_BYTES
from ordercheck.validate.outcomes import Batch, CheckedPayload, Tally
from ordercheck.validate.render import FORMATS, Renderer, renderer_for

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "FORMATS",
    "KINDS",
    "Batch",
    "CheckedPayload",
    "DecodeError",
    "Kind",
    "Renderer",
    "Tally",
    "loads",
    "max_jobs",
    "renderer_for",
    "run",
    "run_batches",
]
