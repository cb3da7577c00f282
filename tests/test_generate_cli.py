"""`ordercheck generate`: JSON Lines that round-trip through validation with the verdict
their kind promises, byte-identical for one seed, and one-line errors for bad input."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from console import invoke, ordercheck
from ordercheck.errors import InputError
from ordercheck.spec import PROFILES, RuleCatalogue, load_spec
from ordercheck.strategies import breakable_rules, violation_kinds
from ordercheck.validators import RequestValidator

CATALOGUE = RuleCatalogue(load_spec().request_schema)
VALIDATORS = {profile: RequestValidator(profile) for profile in PROFILES}


def generate(*args: str) -> Result:
    """`ordercheck generate ARGS`, in-process on the real group."""
    return invoke("generate", *args)


def lines(result: Result) -> list[Any]:
    """The JSON lines of a successful run."""
    assert result.exit_code == 0, (result.output, result.exception)
    # The standard library: some invalid lines carry integers beyond 64 bits.
    return [json.loads(line) for line in result.stdout_bytes.splitlines()]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["valid", "edge"])
def test_valid_and_edge_lines_validate(kind: str, profile: str) -> None:
    """Every valid or edge line is a payload the validator of its profile accepts."""
    payloads = lines(generate("--kind", kind, "-n", "25", "--seed", "3", "--profile", profile))
    assert len(payloads) == 25
    for payload in payloads:
        assert VALIDATORS[profile].check(payload).valid


@pytest.mark.parametrize("profile", PROFILES)
def test_invalid_lines_break_exactly_their_rule(profile: str) -> None:
    """-n equal to the number of (rule, kind) pairs breaks every rule every way once, each
    line exactly as its rule, kind, path and level say."""
    pairs = [
        (rule, kind)
        for rule in breakable_rules(profile=profile)
        for kind in violation_kinds(rule, profile=profile)
    ]
    result = generate(
        "--kind", "invalid", "-n", str(len(pairs)), "--seed", "5", "--profile", profile
    )
    found = lines(result)
    assert [(line["rule"], line["kind"]) for line in found] == pairs
    for line in found:
        assert set(line) <= {"rule", "kind", "path", "level", "payload", "also"}
        errors = {(f.constraint, f.path) for f in VALIDATORS[profile].check(line["payload"]).errors}
        expected = {line["rule"], *line.get("also", [])}
        assert errors == {(rule, line["path"]) for rule in expected}
        assert line["level"] == CATALOGUE[line["rule"]].level


@pytest.mark.parametrize("kind", ["valid", "edge", "invalid"])
def test_the_same_seed_gives_the_same_bytes(kind: str) -> None:
    """Two runs with --seed 7 write byte-identical output; --seed 8 writes other payloads."""
    first = generate("--kind", kind, "-n", "12", "--seed", "7")
    again = generate("--kind", kind, "-n", "12", "--seed", "7")
    other = generate("--kind", kind, "-n", "12", "--seed", "8")
    assert first.exit_code == again.exit_code == other.exit_code == 0
    assert first.stdout_bytes == again.stdout_bytes
    assert first.stdout_bytes != other.stdout_bytes


def test_the_same_seed_gives_the_same_bytes_across_processes() -> None:
    """The console script under different hash seeds writes the same bytes for one --seed."""
    outputs = [
        ordercheck(
            "generate", "--kind", "valid", "-n", "8", "--seed", "7", env={"PYTHONHASHSEED": seed}
        )
        for seed in ("1", "2")
    ]
    assert [out.returncode for out in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout
    assert len(outputs[0].stdout.splitlines()) == 8
    # Not compared with an in-process run: Hypothesis mixes constants from the project's own
    # loaded modules into generation, so a pytest process (more modules) draws differently.


def test_without_a_seed_the_chosen_seed_is_told() -> None:
    """Without --seed the seed used is named on stderr, and passing it back repeats output."""
    first = generate("--kind", "valid", "-n", "3")
    seed = first.stderr.rsplit("--seed ", 1)[1].strip()
    assert generate("--kind", "valid", "-n", "3", "--seed", seed).stdout_bytes == first.stdout_bytes


@pytest.mark.parametrize("count", ["0", "1", "70"])
def test_exactly_n_lines(count: str) -> None:
    """-n N writes exactly N lines, invalid ones too (past the number of rules)."""
    assert len(lines(generate("--kind", "invalid", "-n", count, "--seed", "1"))) == int(count)


def test_payment_method_fixes_every_order() -> None:
    """--payment-method ONLINE gives ONLINE orders only."""
    payloads = lines(generate("--kind", "valid", "-n", "15", "--payment-method", "ONLINE"))
    assert {p["payment_method"] for p in payloads} == {"ONLINE"}


@pytest.mark.parametrize(
    "args",
    [
        ["--kind", "valid", "--payment-method", "CASH"],
        ["--kind", "edge", "--payment-method", "COD"],
        ["--kind", "sometimes"],
        ["--kind", "valid", "--profile", "lenient"],
    ],
    ids=["unknown_method", "method_for_edge", "kind", "profile"],
)
def test_bad_options_are_usage_errors(args: list[str]) -> None:
    """Options the command cannot use exit with code 2 and a message naming the option."""
    result = generate(*args)
    assert result.exit_code == 2
    assert "--" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["valid", "edge", "invalid"])
def test_catalogues_apply_to_every_kind(tmp_path: Path, kind: str) -> None:
    """--sku-catalog and --coupons: every kind uses only those SKUs and coupons, save the
    value that breaks a rule about the SKU ids or the coupon."""
    catalog, coupons = tmp_path / "skus.txt", tmp_path / "coupons.txt"
    catalog.write_text("117004\n139559\n340278\n")
    coupons.write_text("WELCOME25\n")
    found = lines(
        generate(
            "--kind",
            kind,
            "-n",
            "60",
            "--seed",
            "2",
            "--sku-catalog",
            str(catalog),
            "--coupons",
            str(coupons),
        )
    )
    for line in found:
        payload, rule = (line["payload"], line["rule"]) if kind == "invalid" else (line, "")
        if not isinstance(payload, dict):
            continue
        skus = payload.get("skus")
        if isinstance(skus, dict) and rule not in ("skus:numeric-keys", "skus:maxProperties"):
            assert set(skus) <= {"117004", "139559", "340278"}, line
        if "coupon_code" in payload and not rule.startswith("coupon_code"):
            assert payload["coupon_code"] == "WELCOME25", line


def test_bad_coupon_file_is_an_input_error(tmp_path: Path) -> None:
    """A coupon the spec refuses is named with its file and line, exit code 2."""
    coupons = tmp_path / "coupons.txt"
    coupons.write_text("WELCOME25\nhas space\n")
    result = generate("--kind", "edge", "--coupons", str(coupons))
    assert isinstance(result.exception, InputError)
    assert "coupons.txt:2" in str(result.exception)


@pytest.mark.parametrize(
    "content",
    ["117004\n# pharmacy basics\n\n139559\n340278\n", '["117004", 139559, "340278"]'],
    ids=["lines", "json"],
)
def test_sku_catalog_supplies_every_sku(tmp_path: Path, content: str) -> None:
    """SKUs come only from the catalogue, given one a line (comments allowed) or as JSON."""
    catalog = tmp_path / "skus.txt"
    catalog.write_text(content)
    payloads = lines(generate("--kind", "valid", "-n", "20", "--sku-catalog", str(catalog)))
    used = {sku for payload in payloads for sku in payload["skus"]}
    assert used <= {"117004", "139559", "340278"}
    assert len(used) > 1


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("117004\nSKU-9\n", "skus.txt:2: $: 'SKU-9' is not a SKU id"),
        ('["117004", true]', "skus.txt: $[1]: True is not a SKU id"),
        ("[117004", "skus.txt:1: $: not valid JSON"),
        ('{"117004": 1}', "skus.txt: $: expected a JSON array of SKU ids"),
        ("# nothing yet\n", "skus.txt: $: the file lists no SKU ids"),
        (None, "skus.txt: $: cannot read the SKU id file"),
    ],
    ids=["bad_id", "bad_json_item", "bad_json", "not_array", "empty", "missing"],
)
def test_bad_sku_catalog_is_an_input_error(tmp_path: Path, content: str | None, where: str) -> None:
    """A bad catalogue raises a one-line `InputError` (exit 2) naming file and line or index."""
    catalog = tmp_path / "skus.txt"
    if content is not None:
        catalog.write_text(content)
    result = generate("--kind", "valid", "--sku-catalog", str(catalog))
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    message = str(result.exception)
    assert message.startswith(str(tmp_path)) and where in message
    assert "\n" not in message


ORDERCHECK = Path(sys.executable).with_name("ordercheck")
# A safety net for a command that never streams, never a measure of speed.
GENEROUS = 120


@pytest.mark.parametrize("kind", ["valid", "edge", "invalid"])
def test_lines_stream_and_a_closed_pipe_ends_quietly(kind: str) -> None:
    """With -n 10,000,000 the first line arrives while the command is still running, and
    when the reader stops (as `| head -1` does) it ends with 0 or 141 and no stderr."""
    command = [str(ORDERCHECK), "generate", "--kind", kind, "-n", "10000000"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        ready, _, _ = select.select([proc.stdout], [], [], GENEROUS)
        assert ready, "no line arrived"
        first = proc.stdout.readline()
        assert proc.poll() is None  # still going: the line was not held back to the end
        proc.stdout.close()
        assert proc.wait(timeout=GENEROUS) in (0, 141)
        stderr = proc.stderr.read()
    assert first.endswith(b"\n")
    json.loads(first)  # one whole JSON line
    assert stderr == b""


@pytest.mark.parametrize(
    "args",
    [["-n", "-1"], ["-n", "many"], ["--seed", "x"], [], ["--profile", "lenient"]],
    ids=["negative", "not_a_number", "bad_seed", "no_kind", "profile"],
)
def test_bad_values_exit_2_with_one_line(args: list[str]) -> None:
    """A bad value is one line on stderr naming the option, exit code 2, nothing on stdout."""
    kind = [] if args == [] else ["--kind", "valid"]
    result = subprocess.run(
        [str(ORDERCHECK), "generate", *kind, *args],
        capture_output=True,
        check=False,
        timeout=GENEROUS,
    )
    assert result.returncode == 2
    assert result.stdout == b""
    assert len(result.stderr.decode().strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(b"ordercheck: error: ")
