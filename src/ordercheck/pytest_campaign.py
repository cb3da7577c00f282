"""The fuzzing run behind the pytest plugin's rule items: once per session, shared out when
pytest-xdist runs the session on several workers.

Serially, the first rule item runs the campaign (narrowed to the selected rules: ``-k C10``
runs C10's sequence alone) and every item reads its result.  Under xdist the controller
prepares one shared run: the run's id and order prefix, a channel to each worker to meet on
(`ordercheck.pytest_relay`), and, when embedded, the one reference server every worker
fuzzes.  Each worker runs its share of the plan as soon as collection is done, then merges
all parts (`ordercheck.fuzz.sharing`), so every worker reaches the result a single process
would have, with no work done twice.  Workers on other hosts (``--tx ssh=...``) share a run
against ``--ordercheck-url`` alike; with ``--ordercheck-embedded`` they cannot reach the
controller's server on its loopback interface, so each runs the whole campaign against a
server of its own.

Imported only when the plugin is enabled (``--ordercheck-url`` or ``--ordercheck-embedded``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from typing import Any

import pytest

from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.sharing import Share
from ordercheck.pytest_relay import ChannelMeeting, Relay
from ordercheck.results import RunResult

SHARE_INPUT = "ordercheck_share"
_CONTROLLER = pytest.StashKey[dict[str, Any]]()
_RELAY = pytest.StashKey[Relay]()
_STACK = pytest.StashKey[contextlib.ExitStack]()


def worker_specs(tx: list[str]) -> list[str]:
    """One spec per worker, as xdist reads ``--tx``: ``2*popen`` is two ``popen`` workers."""
    specs: list[str] = []
    for spec in tx:
        count, star, rest = spec.partition("*")
        specs += [rest] * int(count) if star and count.isdigit() else [spec]
    return specs


def shares_campaign(specs: list[str], embedded: bool) -> bool:
    """Whether an xdist controller with workers `specs` shares one campaign among them:
    always when they all run on this host; on other hosts, unless the target is the
    embedded server (on the controller's loopback interface, which they cannot reach)."""
    local = all(str(spec).startswith("popen") for spec in specs)
    return bool(specs) and (local or not embedded)


def start_controller(config: pytest.Config, fuzz: FuzzConfig) -> None:
    """On an xdist controller that shares the campaign: the run's identity, the relay the
    workers meet at and, for an embedded run, the one server every worker fuzzes (kept up
    until the session ends)."""
    specs = worker_specs([str(spec) for spec in config.getoption("tx", default=None) or []])
    if not shares_campaign(specs, embedded=fuzz.base_url is None):
        return
    from ordercheck.fuzz.run import new_order_prefix, target_url
    from ordercheck.results import new_run_id

    stack = contextlib.ExitStack()
    base_url, _ = stack.enter_context(target_url(fuzz))
    config.stash[_STACK] = stack
    config.stash[_RELAY] = Relay(len(specs))
    config.stash[_CONTROLLER] = {
        "run_id": new_run_id(),
        "prefix": new_order_prefix(),
        "base_url": base_url,
        "count": len(specs),
    }


def stop_controller(config: pytest.Config) -> None:
    """Stop the shared server."""
    stack = config.stash.get(_STACK, None)
    if stack is not None:
        stack.close()


def node_input(config: pytest.Config, gateway: Any) -> dict[str, Any] | None:
    """What the controller hands the worker on `gateway`: the shared run and its channel to
    the relay (None when the run is not shared)."""
    shared = config.stash.get(_CONTROLLER, None)
    if shared is None:
        return None
    channel = config.stash[_RELAY].channel_for(gateway, _index(gateway.id))
    return {**shared, "channel": channel}


def worker_share(config: pytest.Config) -> tuple[Share, str] | None:
    """On a worker of a shared run: its share, and the base URL to fuzz."""
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    shared = workerinput.get(SHARE_INPUT)
    if not shared:
        return None
    meeting = ChannelMeeting(shared["channel"])
    index = _index(workerinput["workerid"])
    share = Share(index, shared["count"], meeting, shared["run_id"], shared["prefix"])
    return share, shared["base_url"]


def _index(worker_id: object) -> int:
    """``gw3`` is worker 3."""
    return int(str(worker_id).removeprefix("gw"))


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
