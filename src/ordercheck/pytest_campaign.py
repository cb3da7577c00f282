"""The fuzzing run behind the pytest plugin's rule items: once per session, shared out when
pytest-xdist runs the session on several local workers.

Serially, the first rule item runs the campaign (narrowed to the selected rules: ``-k C10``
runs C10's sequence alone) and every item reads its result.  Under xdist the controller
prepares one shared run: a directory the workers meet in, the run's id and order prefix, and,
when embedded, the one reference server every worker fuzzes.  Each worker runs its share of
the plan as soon as collection is done (a worker given no rule item still does its share),
then merges all parts (`ordercheck.fuzz.sharing`), so every worker reaches the result a
single process would have, with no work done twice.  Workers on other hosts (``--tx ssh=...``)
cannot meet in a local directory: each runs the whole campaign itself, as before.

Imported only when the plugin is enabled (``--ordercheck-url`` or ``--ordercheck-embedded``).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.sharing import Share
from ordercheck.results import RunResult

SHARE_INPUT = "ordercheck_share"
_CONTROLLER = pytest.StashKey[dict[str, Any]]()
_STACK = pytest.StashKey[contextlib.ExitStack]()


def local_workers(config: pytest.Config) -> bool:
    """Whether this is an xdist controller whose workers all run on this host."""
    if hasattr(config, "workerinput"):
        return False
    specs = config.getoption("tx", default=None) or []
    return bool(specs) and all(str(spec).startswith("popen") for spec in specs)


def start_controller(config: pytest.Config, fuzz: FuzzConfig) -> None:
    """On the xdist controller: the shared directory, the run's identity and, for an
    embedded run, the one server every worker fuzzes (kept up until the session ends)."""
    from ordercheck.fuzz.run import new_order_prefix, target_url
    from ordercheck.results import new_run_id

    stack = contextlib.ExitStack()
    directory = Path(tempfile.mkdtemp(prefix="ordercheck-run-"))
    stack.callback(shutil.rmtree, directory, ignore_errors=True)
    base_url, _ = stack.enter_context(target_url(fuzz))
    config.stash[_STACK] = stack
    config.stash[_CONTROLLER] = {
        "directory": str(directory),
        "run_id": new_run_id(),
        "prefix": new_order_prefix(),
        "base_url": base_url,
        "count": len(config.getoption("tx")),
    }


def stop_controller(config: pytest.Config) -> None:
    """Stop the shared server and remove the meeting directory."""
    stack = config.stash.get(_STACK, None)
    if stack is not None:
        stack.close()


def node_input(config: pytest.Config) -> dict[str, Any] | None:
    """What the controller hands each worker (None when the run is not shared)."""
    return config.stash.get(_CONTROLLER, None)


def worker_share(config: pytest.Config) -> tuple[Share, str] | None:
    """On a worker of a shared run: its share, and the base URL to fuzz."""
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    shared = workerinput.get(SHARE_INPUT)
    if not shared:
        return None
    index = int(str(workerinput["workerid"]).removeprefix("gw"))
    share = Share(
        index, shared["count"], Path(shared["directory"]), shared["run_id"], shared["prefix"]
    )
    return share, shared["base_url"]


def run_campaign(
    fuzz: FuzzConfig, rules: Collection[str] | None, shared: tuple[Share, str] | None
) -> RunResult:
    """The campaign for the selected `rules`: this process's share of a shared run, or all
    of it."""
    from dataclasses import replace

    from ordercheck.fuzz import run_fuzz

    if shared is None:
        return run_fuzz(fuzz, rules=rules)
    share, base_url = shared
    return run_fuzz(replace(fuzz, base_url=base_url, variant=None), rules=rules, share=share)
