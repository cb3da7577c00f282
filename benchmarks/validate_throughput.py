"""Payloads per second of request validation, from the JSON parse floor to the whole command.

On a generated JSONL file (100,000 lines by default, about 10% invalid) this measures:

(a) ``orjson.loads`` alone: the floor, nothing validated;
(b) a plain ``jsonschema`` Draft 2020-12 loop with one validator over the default-profile
    request schema, ``is_valid`` per payload: what a user would write (and, for
    information, the same loop collecting ``iter_errors``);
(c) ordercheck's validator API, ``RequestValidator("default").check``: a verdict with
    findings (rule, level, path, hint) for every payload;
(d) the ``ordercheck validate`` command end to end (a fresh process, text output to
    /dev/null), with ``--jobs 1`` and ``--jobs 2``; and the same command on an empty file,
    its start-up, for information.

(a), (b) and (c) run in this process pinned to one CPU and parse with orjson, so their
ratios compare validation alone; (d) gets every CPU back.  (b) runs at a few thousand
payloads a second, so it is timed on the first ``--b-lines`` lines (20,000 by default, the
same mix); the others use every line.  Each figure is the best of a few runs, and the (d)
runs alternate, because the machine this runs on is shared and noisy: read the ratios, not
the absolute rates.  Memory: the peak RSS of (d) on the file and on a tenth of it.

Targets (issue 11): d(--jobs 1)/a >= 0.40, d(--jobs 1)/b >= 25, d(--jobs 2)/d(--jobs 1)
>= 1.6, and memory constant.

    .venv/bin/python benchmarks/validate_throughput.py            # the full run, ~1 minute
    .venv/bin/python benchmarks/validate_throughput.py --lines 20000 --profile-c
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from ordercheck.spec import load_spec
from ordercheck.validators import RequestValidator

CLI = [sys.executable, "-c", "from ordercheck.cli import main; main()"]

FIRST_NAMES = ["Aarav", "Priya", "Rahul", "Ananya", "Mohammed", "आरव", "प्रिया", "अनन्या", "Sneha"]
LAST_NAMES = ["Sharma", "Verma", "Iyer", "Khan", "Menon", "शर्मा", "वर्मा", "Das", ""]
STREETS = ["12 MG Road", "45 Connaught Place", "3rd Cross, RA Puram", "Flat 7, Sea View Apts"]
PINCODES = ["560001", "110001", "600028", "400050", "226001", "700019"]
SKU_IDS = ["117004", "139559", "340278", "367281", "528051", "610022", "702311"]


def _break(payload: dict[str, Any], rng: random.Random) -> None:
    """Break one documented or inferred rule, so the payload is invalid by default."""
    breakage = rng.randrange(8)
    if breakage == 0:
        payload["payable_amount"] = float(payload["payable_amount"])
    elif breakage == 1:
        payload["payment_method"] = "UPI"
    elif breakage == 2:
        payload["user"]["address"]["pincode"] = "05600"
    elif breakage == 3:
        del payload["user"]["first_name"]
    elif breakage == 4:
        payload["skus"][next(iter(payload["skus"]))] = 0
    elif breakage == 5:
        payload["skus"] = {}
    elif breakage == 6:
        payload["merchant_order_id"] = ""
    else:
        payload["payable_amount"] += "9"


def payload_for(index: int, rng: random.Random) -> dict[str, Any]:
    """A realistic order, varied by `rng`: COD or ONLINE, Latin or Devanagari names,
    optional coupon, email, second street line and prescriptions."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    mobile = f"{rng.choice('6789')}{rng.randrange(10**9):09d}"
    user: dict[str, Any] = {
        "first_name": first,
        "mobile": mobile,
        "address": {
            "pincode": rng.choice(PINCODES),
            "name": f"{first} {last}".strip(),
            "street1": rng.choice(STREETS),
            "type": rng.choice(["home", "office"]),
        },
    }
    if last:
        user["last_name"] = last
    if rng.random() < 0.6:
        user["email"] = f"customer{index}@example.in"
    if rng.random() < 0.3:
        user["address"]["street2"] = "Near City Hospital"
        user["address"]["contact_number"] = mobile
    skus = {sku: rng.randint(1, 5) for sku in rng.sample(SKU_IDS, rng.randint(1, 4))}
    payload: dict[str, Any] = {
        "merchant_order_id": f"MO-{index:08d}",
        "payable_amount": f"{rng.randint(49, 9999)}.{rng.randrange(100):02d}",
        "payment_method": rng.choice(["COD", "ONLINE"]),
        "user": user,
        "skus": skus,
    }
    if rng.random() < 0.2:
        payload["coupon_code"] = rng.choice(["FIRST50", "HEALTH10", "CARE_25"])
    if rng.random() < 0.3:
        payload["prescriptions"] = [f"https://rx.example.com/{index}.jpg"]
    return payload


def generate(path: Path, lines: int, seed: int, invalid_share: float) -> None:
    rng = random.Random(seed)
    with path.open("wb") as out:
        for index in range(lines):
            payload = payload_for(index, rng)
            if rng.random() < invalid_share:
                _break(payload, rng)
            out.write(orjson.dumps(payload) + b"\n")


def rate(work: Callable[[], object], count: int, repeat: int = 1) -> float:
    """Best payloads-per-second over `repeat` runs of `work`, which handles `count`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return count / best


def measure_in_process(lines: Sequence[bytes], b_lines: int, profile_c: bool) -> dict[str, float]:
    loads = orjson.loads
    spec = load_spec()
    plain = Draft202012Validator(spec.for_profile(spec.request_schema, "default"))
    validator = RequestValidator("default", spec)

    def floor() -> None:
        for line in lines:
            loads(line)

    def plain_loop() -> None:
        for line in lines[:b_lines]:
            plain.is_valid(loads(line))

    def plain_errors() -> None:
        for line in lines[:b_lines]:
            list(plain.iter_errors(loads(line)))

    def ordercheck_api() -> None:
        for line in lines:
            validator.check(loads(line))

    def yes_no() -> None:
        for line in lines:
            validator.is_valid(loads(line))

    results = {
        "a": rate(floor, len(lines), repeat=5),
        "b": rate(plain_loop, len(lines[:b_lines])),
        "b_errors": rate(plain_errors, len(lines[:b_lines])),
        "c": rate(ordercheck_api, len(lines), repeat=3),
        "c_is_valid": rate(yes_no, len(lines), repeat=3),
    }
    if profile_c:
        profiler = cProfile.Profile()
        profiler.runcall(ordercheck_api)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return results


# Runs a command and writes its wall time and peak RSS (kB).  A child's ru_maxrss starts
# from its parent's size at fork (Linux keeps it across exec), and this process holds the
# whole file, so the command is started from a small interpreter instead.
LAUNCH = (
    "import os, subprocess, sys, time; start = time.perf_counter(); "
    "child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL); "
    "_, status, usage = os.wait4(child.pid, 0); elapsed = time.perf_counter() - start; "
    "open(sys.argv[1], 'w').write(f'{elapsed} {usage.ru_maxrss}'); "
    "sys.exit(os.waitstatus_to_exitcode(status))"
)


def run_command(path: Path, jobs: int) -> tuple[float, int]:
    """One run of `ordercheck validate` on `path`: seconds, and peak RSS in kB."""
    measured = path.with_name("measured")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            LAUNCH,
            str(measured),
            *CLI,
            "validate",
            "--jobs",
            str(jobs),
            str(path),
        ],
        stderr=subprocess.PIPE,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"ordercheck validate failed ({done.returncode}): {done.stderr!r}")
    elapsed, rss = measured.read_text().split()
    return float(elapsed), int(rss)


def measure_commands(path: Path, count: int, repeat: int) -> dict[str, float]:
    """Best rate of --jobs 1 and --jobs 2, alternating so both see the same noise; the
    start-up (an empty file) and the peak memory of each."""
    empty = path.with_name("empty.jsonl")
    empty.write_bytes(b"")
    rates = {"d1": 0.0, "d2": 0.0, "rss1": 0.0, "rss2": 0.0, "startup": float("inf")}
    for _ in range(repeat):
        for jobs in (1, 2):
            elapsed, rss = run_command(path, jobs)
            rates[f"d{jobs}"] = max(rates[f"d{jobs}"], count / elapsed)
            rates[f"rss{jobs}"] = max(rates[f"rss{jobs}"], rss / 1024)
        rates["startup"] = min(rates["startup"], run_command(empty, 1)[0])
    return rates


def measure_memory(path: Path, lines: Sequence[bytes]) -> dict[str, float]:
    """Peak RSS of --jobs 1 on a tenth of the file, to set beside the whole file's."""
    tenth = path.with_name("tenth.jsonl")
    tenth.write_bytes(b"\n".join(lines[: len(lines) // 10]) + b"\n")
    return {"rss1_tenth": run_command(tenth, 1)[1] / 1024}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--invalid-share", type=float, default=0.10)
    parser.add_argument("--b-lines", type=int, default=20_000, help="lines timed for (b)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each (d)")
    parser.add_argument("--profile-c", action="store_true", help="cProfile (c) and show the top")
    parser.add_argument("--skip-command", action="store_true", help="skip (d)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.jsonl"
        generate(path, args.lines, args.seed, args.invalid_share)
        lines = path.read_bytes().splitlines()
        validator = RequestValidator("default")
        invalid = sum(not validator.is_valid(orjson.loads(line)) for line in lines)

        cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        if cpus:
            os.sched_setaffinity(0, {min(cpus)})  # (a), (b), (c) on one core
        try:
            rates = measure_in_process(lines, args.b_lines, args.profile_c)
        finally:
            if cpus:
                os.sched_setaffinity(0, cpus)
        if not args.skip_command:
            rates |= measure_commands(path, len(lines), args.repeat)
            rates |= measure_memory(path, lines)

    print(
        f"validate_throughput: {len(lines):,} lines, {invalid / len(lines):.1%} invalid "
        f"(seed {args.seed}); Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    rows = [
        ("a", "(a) orjson.loads alone, the floor"),
        ("b", f"(b) jsonschema Draft 2020-12, is_valid [{min(args.b_lines, len(lines)):,}]"),
        ("b_errors", "    jsonschema Draft 2020-12, iter_errors"),
        ("c", "(c) ordercheck RequestValidator.check"),
        ("c_is_valid", "    RequestValidator.is_valid (yes/no only)"),
        ("d1", "(d) ordercheck validate --jobs 1"),
        ("d2", "    ordercheck validate --jobs 2"),
    ]
    for key, label in rows:
        if key in rates:
            print(f"  {label:<52} {rates[key]:>12,.0f} payloads/s")
    print("ratios:")
    print(f"  c/b = {rates['c'] / rates['b']:.1f}x   a/c = {rates['a'] / rates['c']:.1f}x")
    if "d1" in rates:
        d1, d2, a, b = rates["d1"], rates["d2"], rates["a"], rates["b"]
        print(f"  d(--jobs 1)/a = {d1 / a:.2f}   (target >= 0.40)")
        print(f"  d(--jobs 1)/b = {d1 / b:.1f}x   (target >= 25x)")
        print(f"  d(--jobs 2)/d(--jobs 1) = {d2 / d1:.2f}x   (target >= 1.6x)")
        startup, count = rates["startup"], len(lines)
        steady = count / (count / d1 - startup)
        print(
            f"  start-up {startup:.2f} s (empty input); --jobs 1 without it: {steady:,.0f} "
            f"payloads/s, {steady / a:.2f} of a"
        )
        print(
            f"  peak RSS: --jobs 1 {rates['rss1']:.0f} MB ({rates['rss1_tenth']:.0f} MB on a "
            f"tenth of the lines), --jobs 2 {rates['rss2']:.0f} MB (its largest process)"
        )


if __name__ == "__main__":
    main()
