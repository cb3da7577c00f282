"""The xdist workers of a shared campaign meet at the controller's relay: every worker gets
every part in worker order once all have come, or the first failure, and a worker that goes
down before handing in its part fails the run at once instead of leaving the others waiting.

The relay is driven here through real execnet channels: a gateway to a child interpreter,
on which each "worker" is a piece of remote code holding its channel, as xdist's workers do.
The whole path under pytest-xdist is in test_pytest_plugin.py.
"""

from __future__ import annotations

import execnet
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordercheck.pytest_campaign import shares_campaign, worker_specs
from ordercheck.pytest_relay import Relay

# Remote code: hand in a part (or give up, or vanish), then send back what the relay answered.
WORKER = """
action, payload = channel.receive()
relay = channel.receive()
if action == "part":
    relay.send(("part", payload))
elif action == "failed":
    relay.send(("failed", payload))
if action != "vanish":
    channel.send(relay.receive(timeout=20))
"""


@pytest.fixture
def gateway() -> execnet.Gateway:
    gateway = execnet.makegateway("popen")
    yield gateway
    gateway.exit()


def worker(gateway: execnet.Gateway, relay: Relay, index: int, action: str, payload: object):
    """One remote worker with its channel to the relay; returns the channel its answer
    comes back on."""
    control = gateway.remote_exec(WORKER)
    control.send((action, payload))
    control.send(relay.channel_for(gateway, index))
    return control


@settings(max_examples=5, deadline=None)
@given(order=st.permutations([0, 1, 2]))
def test_every_worker_gets_every_part_in_worker_order(order: list[int]) -> None:
    gateway = execnet.makegateway("popen")
    try:
        relay = Relay(3)
        controls = {i: worker(gateway, relay, i, "part", f"part {i}".encode()) for i in order}
        for control in controls.values():
            assert control.receive(timeout=20) == ("parts", [b"part 0", b"part 1", b"part 2"])
    finally:
        gateway.exit()


def test_a_failed_part_is_every_workers_error(gateway: execnet.Gateway) -> None:
    relay = Relay(2)
    ok = worker(gateway, relay, 0, "part", b"{}")
    failed = worker(gateway, relay, 1, "failed", "TargetError: refused")
    expected = ("failed", "the shared run's part 1 failed: TargetError: refused")
    assert ok.receive(timeout=20) == expected
    assert failed.receive(timeout=20) == expected


def test_a_worker_gone_before_its_part_fails_the_others_at_once(gateway: execnet.Gateway) -> None:
    relay = Relay(2)
    waiting = worker(gateway, relay, 0, "part", b"{}")
    gone = worker(gateway, relay, 1, "vanish", None)
    gone.waitclose(timeout=20)
    answer = waiting.receive(timeout=20)
    assert answer == ("failed", "the shared run's part 1 never came: its worker went down")


def test_a_worker_started_after_the_answer_gets_it(gateway: execnet.Gateway) -> None:
    """xdist starts a worker in place of one that crashed: it learns the outcome too."""
    relay = Relay(1)
    assert worker(gateway, relay, 0, "part", b"{}").receive(timeout=20) == ("parts", [b"{}"])
    late = worker(gateway, relay, 1, "part", b"{}")
    assert late.receive(timeout=20) == ("parts", [b"{}"])


# Remote code: a worker's meeting, waiting for the parts; sends back what it got.
MEETING = """
from ordercheck.errors import OrdercheckError
from ordercheck.pytest_relay import ChannelMeeting
meeting = ChannelMeeting(channel.receive())
if channel.receive():
    meeting.hand_in(b"mine")
try:
    channel.send(("parts", meeting.parts(channel.receive())))
except OrdercheckError as error:
    channel.send(("error", str(error)))
"""


def meeting(gateway: execnet.Gateway, relay: Relay, index: int, hand_in: bool, timeout: float):
    control = gateway.remote_exec(MEETING)
    control.send(relay.channel_for(gateway, index))
    control.send(hand_in)
    control.send(timeout)
    return control


def test_the_meeting_gives_the_parts_or_a_one_line_error(gateway: execnet.Gateway) -> None:
    """The worker's side, `ChannelMeeting`: the parts as bytes; a timeout or another
    worker's failure as an `OrdercheckError` that says which."""
    relay = Relay(2)
    alone = meeting(gateway, relay, 0, hand_in=True, timeout=0.2)
    assert alone.receive(timeout=20) == ("error", "the shared run's parts did not all come in 0 s")
    relay = Relay(2)
    both = [meeting(gateway, relay, i, hand_in=True, timeout=20) for i in (0, 1)]
    assert [c.receive(timeout=20) for c in both] == [("parts", [b"mine", b"mine"])] * 2
    relay = Relay(2)
    waiting = meeting(gateway, relay, 0, hand_in=True, timeout=20)
    worker(gateway, relay, 1, "failed", "boom")
    assert waiting.receive(timeout=20) == ("error", "the shared run's part 1 failed: boom")


@pytest.mark.parametrize(
    ("specs", "embedded", "expected"),
    [
        (["popen", "popen"], True, True),
        (["popen", "popen"], False, True),
        (["ssh=ci-runner//python=python3"], False, True),
        (["ssh=ci-runner//python=python3"], True, False),
        (["popen", "socket=10.0.0.2:8888"], True, False),
        ([], False, False),
    ],
)
def test_remote_workers_share_a_run_unless_the_target_is_the_controllers_loopback(
    specs: list[str], embedded: bool, expected: bool
) -> None:
    assert shares_campaign(specs, embedded=embedded) is expected


@pytest.mark.parametrize(
    ("tx", "specs"),
    [
        (["popen", "popen"], ["popen", "popen"]),
        (["2*popen"], ["popen", "popen"]),
        (["3*ssh=ci//python=python3", "popen"], ["ssh=ci//python=python3"] * 3 + ["popen"]),
        (["popen//env:STAR=*"], ["popen//env:STAR=*"]),
    ],
)
def test_worker_specs_count_the_workers_as_xdist_does(tx: list[str], specs: list[str]) -> None:
    """The shared run waits for one part per worker: `--tx 2*popen` is two."""
    assert worker_specs(tx) == specs
