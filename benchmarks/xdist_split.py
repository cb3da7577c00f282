"""The pytest plugin's rule items run serially, with ``-n 2`` and with ``-n 4``: the same
verdicts each way, and the wall-time speed-ups of sharing one campaign between local
pytest-xdist workers (issue 11: ``-n 4`` at least 1.5 times as fast as serial).

Each run is ``pytest --ordercheck-url URL --ordercheck-seed S [-n K]`` as a subprocess, in a
fresh project directory (a ``pytest.ini`` and nothing else but a timing ``conftest.py``),
against the reference server with its realistic 50 ms per order (``create_app()``'s
default), served from this process on a loopback port; a fresh server per run.  The modes
take turns, round after round, so that the load of a shared machine falls on each alike;
each figure is a median over the rounds, and each speed-up the median of the per-round
ratios.

Same verdicts: every rule item's outcome in the JUnit XML of each run equals the serial
run's of the same round.  The campaign's request count (the plugin's summary line) and the
server's own count are shown too: a split campaign sends what one process sends.

Where the time goes: the project's ``conftest.py`` stamps, in each process (the controller,
and each worker), when pytest had configured it, when collection finished (a worker then
runs its share of the campaign), when its share was published to the others, when its session
finished, and when the controller saw each worker go down.  It changes nothing it stamps.

Commands run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment): without it every pytest process re-rewrites the assertions of some 300 modules
of the plugins' packages (Schemathesis's own pytest plugin included), about 1.2 s each.

    .venv/bin/python benchmarks/xdist_split.py                   # ~2 minutes
    .venv/bin/python benchmarks/xdist_split.py --rounds 5 --max-examples 20
    .venv/bin/python benchmarks/xdist_split.py --campaign-workers 1   # units strictly in turn
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _targets import reference_targets
from ordercheck.fuzz.config import DEFAULT_MAX_EXAMPLES

TARGET_SPEEDUP = 1.5
TIMEOUT_S = 600
MODES = {"serial": [], "-n 2": ["-n", "2"], "-n 4": ["-n", "4"]}

# Stamps, per process, what the plugin is doing; measurement only.
CONFTEST = """
import json, os, time
import pytest

OUT = os.environ["XDIST_SPLIT_STAMPS"]
WHO = os.environ.get("PYTEST_XDIST_WORKER", "controller")


def stamp(what, **more):
    with open(OUT, "a") as f:
        f.write(json.dumps({"who": WHO, "what": what, "at": time.time(), **more}) + "\\n")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    stamp("configured")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    stamp("collected")
    # Just before the plugin's own hook runs this process's share (and imports the same).
    import ordercheck.fuzz.run as run

    publish = run.publish

    def published(share, part):
        stamp("published", requests=part["requests"])
        return publish(share, part)

    run.publish = published


def pytest_sessionfinish(session):
    stamp("finished")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    stamp("worker down", worker=node.gateway.id)
"""


@dataclass
class Run:
    """One pytest run: its wall time, every rule item's outcome, the requests."""

    mode: str
    wall_s: float
    outcomes: dict[str, str]
    campaign_requests: int
    server_requests: int
    stamps: list[dict[str, object]] = field(default_factory=list)
    error: str | None = None


def junit_outcomes(path: Path) -> dict[str, str]:
    """Per rule item, what the JUnit XML records: passed, failure, error or skipped."""
    if not path.exists():
        return {}
    outcomes = {}
    for case in ET.parse(path).iter("testcase"):
        marks = {child.tag for child in case} & {"failure", "error", "skipped"}
        outcomes[str(case.get("name"))] = marks.pop() if marks else "passed"
    return outcomes


def project(folder: Path) -> Path:
    """A fresh pytest project: no tests of its own, the timing conftest, no cache."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n", "utf-8")
    (folder / "conftest.py").write_text(CONFTEST, "utf-8")
    return folder


def run_pytest(mode: str, folder: Path, args: argparse.Namespace) -> Run:
    """One pytest run of the rule items against a fresh reference server."""
    stamps, junit = folder / "stamps.jsonl", folder / "junit.xml"
    stamps.unlink(missing_ok=True)
    junit.unlink(missing_ok=True)
    env = {**os.environ, "XDIST_SPLIT_STAMPS": str(stamps)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (reference,) = reference_targets([])
    with reference.serve() as served:
        command = [
            sys.executable,
            "-m",
            "pytest",
            f"--ordercheck-url={served.url}",
            f"--ordercheck-seed={args.seed}",
            f"--ordercheck-max-examples={args.max_examples}",
            *([f"--ordercheck-workers={args.campaign_workers}"] if args.campaign_workers else []),
            "-p",
            "xdist",
            *MODES[mode],
            f"--junitxml={junit}",
            "-q",
        ]
        started = time.time()
        done = subprocess.run(
            command,
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,  # a failing rule exits 1; the outcomes say which
        )
        wall = time.time() - started
        server_requests = served.requests
    found = re.search(r"ordercheck: \w[\w-]* · (\d+) requests", done.stdout)
    lines = stamps.read_text("utf-8").splitlines() if stamps.exists() else []
    return Run(
        mode,
        wall,
        junit_outcomes(junit),
        int(found.group(1)) if found else 0,
        server_requests,
        [{**json.loads(line), "since": json.loads(line)["at"] - started} for line in lines],
        None if done.returncode in (0, 1) else (done.stdout + done.stderr)[-800:],
    )


def timeline(run: Run) -> list[str]:
    """Per process, when each stamp came, in seconds from the command's start."""
    by_process: dict[str, list[str]] = {}
    for stamp in run.stamps:
        text = f"{stamp['what']} {stamp['since']:.2f}"
        if "worker" in stamp:
            text = f"{stamp['worker']} down {stamp['since']:.2f}"
        if "requests" in stamp:
            text += f" ({stamp['requests']} requests)"
        by_process.setdefault(str(stamp["who"]), []).append(text)
    return [f"    {who:<10} " + ", ".join(texts) for who, texts in sorted(by_process.items())]


def report(runs: Sequence[Run], rounds: int) -> None:
    by_mode = {mode: [r for r in runs if r.mode == mode] for mode in MODES}
    serial = by_mode["serial"]
    print(f"\n{'mode':<8} {'wall median':>11} {'all rounds':<32} requests (campaign / server)")
    for mode, chosen in by_mode.items():
        walls = " ".join(f"{r.wall_s:.2f}" for r in chosen)
        requests = ", ".join(f"{r.campaign_requests}/{r.server_requests}" for r in chosen)
        median = statistics.median(r.wall_s for r in chosen)
        print(f"{mode:<8} {median:>10.2f}s {walls:<32} {requests}")
    print()
    for mode in list(MODES)[1:]:
        ratios = [s.wall_s / r.wall_s for s, r in zip(serial, by_mode[mode], strict=True)]
        target = f"   (target >= {TARGET_SPEEDUP})" if mode == "-n 4" else ""
        print(
            f"speed-up {mode} over serial: median {statistics.median(ratios):.2f}x "
            f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}){target}"
        )
    differing = [
        f"round {i + 1} {r.mode}"
        for i in range(rounds)
        for r in (by_mode["-n 2"][i], by_mode["-n 4"][i])
        if r.outcomes != serial[i].outcomes
    ]
    outcomes = outcome_counts(serial[0].outcomes)
    print(f"verdicts: serial run of round 1: {outcomes}")
    print(f"  differing from the serial run of the same round: {differing or 'none'}")
    errors = [f"{r.mode}: {r.error}" for r in runs if r.error]
    for error in errors:
        print(f"  error: {error}")
    print("\nwhere the time went, last round (seconds from the command's start):")
    for mode, chosen in by_mode.items():
        print(f"  {mode}: wall {chosen[-1].wall_s:.2f}")
        for line in timeline(chosen[-1]):
            print(line)


def outcome_counts(outcomes: dict[str, str]) -> str:
    """``14 passed``, or ``13 passed, 1 failure``."""
    counts = Counter(outcomes.values())
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", "--max-examples", type=int, default=DEFAULT_MAX_EXAMPLES)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--campaign-workers",
        type=int,
        default=0,
        help="--ordercheck-workers for every run (default: the plugin's own, 4 units in "
        "flight per process); 1 shows the split over a campaign that runs strictly in turn",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = project(Path(tmp) / "project")
        run_pytest("serial", folder, args)  # warm-up: bytecode caches, disk caches
        load = os.getloadavg()
        print(
            f"xdist_split: pytest --ordercheck-url (reference server, 50 ms per order) "
            f"--ordercheck-max-examples {args.max_examples} --ordercheck-seed {args.seed}"
            f"{f' --ordercheck-workers {args.campaign_workers}' if args.campaign_workers else ''}; "
            f"{args.rounds} rounds; {os.cpu_count()} CPUs; load average {load[0]:.2f}",
            flush=True,
        )
        runs = []
        for round_ in range(args.rounds):
            for mode in MODES:
                runs.append(run_pytest(mode, folder, args))
                print(
                    f"  round {round_ + 1} {mode}: {runs[-1].wall_s:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
    end = os.getloadavg()
    print(f"(load average at the end {end[0]:.2f}, {end[2]:.2f} over 15 minutes)")
    report(runs, args.rounds)


if __name__ == "__main__":
    main()
