"""`ordercheck validate`: exit codes, input forms, output formats, parallel runs, bad input.

Most tests run `ordercheck validate` in-process on the real group with `CliRunner`; the ones
about processes, terminals and tracebacks run the installed console script.
"""

from __future__ import annotations

import copy
import json
import os
import pty
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import console
from ordercheck.validate import loads, run, workers

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))
VALID = SAMPLES / "valid-orders.jsonl"
INVALID = SAMPLES / "invalid-orders.jsonl"
RESPONSES = SAMPLES / "responses.jsonl"

ORDER: dict[str, Any] = json.loads(VALID.read_text("utf-8").splitlines()[0])


def order(**changes: Any) -> str:
    """A JSONL line: the first valid sample order with top-level fields changed."""
    return json.dumps(copy.deepcopy(ORDER) | changes, ensure_ascii=False)


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    """Run `ordercheck validate` in-process; any exception other than the exit is a test
    failure."""
    result = console.invoke("validate", *args, stdin=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `ordercheck validate` through the console script, stdout and stderr on pipes."""
    return console.ordercheck("validate", *args, env=env)


def run_on_a_terminal(*args: str, **env: str) -> tuple[int, str]:
    """Run `ordercheck validate` with its output on a pseudo-terminal: exit code, output."""
    terminal, child_end = pty.openpty()
    with subprocess.Popen(
        [str(console.ORDERCHECK), "validate", *args],
        stdin=subprocess.DEVNULL,
        stdout=child_end,
        stderr=child_end,
        env=console.environment(**env),
    ) as process:
        os.close(child_end)
        chunks = []
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # EIO: the child has closed its end of the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=60)
    os.close(terminal)
    return code, b"".join(chunks).decode("utf-8")


def write(path: Path, *lines: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return str(path)


# ------------------------------------------------------------------------- exit codes


def test_valid_sample_exits_0() -> None:
    """All-valid input exits 0 with a summary and nothing on standard error."""
    result = invoke(str(VALID))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "5 payloads: 5 valid, 0 invalid"
    assert result.stderr == ""


def test_invalid_sample_exits_1_naming_each_finding() -> None:
    """Invalid payloads exit 1; each finding shows file:line, rule, level, path and hint."""
    result = invoke(str(INVALID))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == str(INVALID)
    assert (
        f"  {INVALID}:1  payable_amount:type  documented  $.payable_amount  "
        'payable_amount must be a string such as "499.00"; got the number 499'
    ) in lines
    for line in range(1, 6):
        assert any(entry.startswith(f"  {INVALID}:{line}  ") for entry in lines)
    warnings = [entry for entry in lines if entry.startswith(f"  {INVALID}:6  ")]
    assert len(warnings) == 2
    assert all("  recommended  " in w and "  warning: " in w for w in warnings)
    assert lines[-1] == "6 payloads: 1 valid, 5 invalid (6 errors, 2 warnings)"


def test_strict_profile_makes_recommendations_errors() -> None:
    """Under --profile strict the recommended-level findings are errors, not warnings."""
    result = invoke("--profile", "strict", str(INVALID))
    assert result.exit_code == 1
    assert "warning:" not in result.stdout
    assert result.stdout.splitlines()[-1] == "6 payloads: 0 valid, 6 invalid (8 errors, 0 warnings)"


@pytest.mark.parametrize(("profile", "code"), [("documented", 0), ("default", 0), ("strict", 1)])
def test_warnings_alone_do_not_fail(tmp_path: Path, profile: str, code: int) -> None:
    """A payload breaking only recommendations passes unless the profile is strict."""
    path = write(tmp_path / "o.jsonl", order(merchant_order_id="order #7"))
    assert invoke("--profile", profile, path).exit_code == code


def test_line_that_is_not_json_exits_2_and_the_rest_is_reported(tmp_path: Path) -> None:
    """A non-JSON line is named with its line number on stderr; the lines around it are
    still checked and reported, and the summary counts it as unreadable."""
    path = write(tmp_path / "mixed.jsonl", order(), "{oops", order(payment_method="UPI"))
    result = invoke(path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"ordercheck: error: {path}:2: $: not JSON: Expecting property name enclosed in "
        "double quotes (column 2)"
    ]
    assert f"  {path}:3  payment_method:enum  documented  $.payment_method  " in result.stdout
    summary = "2 payloads: 1 valid, 1 invalid (1 error, 0 warnings); 1 unreadable"
    assert result.stdout.splitlines()[-1] == summary


def test_missing_file_exits_2_and_other_files_are_checked(tmp_path: Path) -> None:
    """A missing file is one line on stderr; the files after it are still validated."""
    missing = str(tmp_path / "nope.json")
    result = invoke(missing, str(VALID))
    assert result.exit_code == 2
    assert result.stderr == f"ordercheck: error: {missing}: $: no such file or directory\n"
    assert result.stdout.splitlines()[-1] == "5 payloads: 5 valid, 0 invalid; 1 unreadable"


def test_usage_errors_exit_2() -> None:
    """No PATH, or an unknown profile, is a usage error (exit 2), not a crash."""
    assert invoke().exit_code == 2
    assert invoke("--profile", "lenient", str(VALID)).exit_code == 2


# ------------------------------------------------------------------------- input forms


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    """A directory yields its *.json and *.jsonl files, recursively, in sorted path order;
    other files are ignored and a .json file is one payload."""
    write(tmp_path / "b.jsonl", order(), order())
    write(tmp_path / "a.json", order())
    write(tmp_path / "sub" / "c.json", order())
    write(tmp_path / "sub" / "notes.txt", "not json at all")
    result = invoke("--format", "json", str(tmp_path))
    assert result.exit_code == 0
    records = json.loads(result.stdout)["records"]
    assert [(r["source"], r["line"]) for r in records] == [
        (str(tmp_path / "a.json"), None),
        (str(tmp_path / "b.jsonl"), 1),
        (str(tmp_path / "b.jsonl"), 2),
        (str(tmp_path / "sub" / "c.json"), None),
    ]


def test_directory_without_payload_files_exits_2(tmp_path: Path) -> None:
    """A directory with nothing to validate is unusable input, not a silent success."""
    write(tmp_path / "readme.txt", "hello")
    result = invoke(str(tmp_path))
    assert result.exit_code == 2
    assert "no .json or .jsonl files" in result.stderr


def test_stdin_is_read_as_jsonl() -> None:
    """`-` reads one payload a line from standard input, named <stdin> in the report."""
    result = invoke("-", stdin=order() + "\n\n" + order(skus={}) + "\n")
    assert result.exit_code == 1
    assert "  <stdin>:3  skus:minProperties  inferred  $.skus  " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 payloads: 1 valid, 1 invalid")


def test_json_file_holding_an_array_is_one_invalid_payload(tmp_path: Path) -> None:
    """A .json file with an array is one payload (an array body), never a batch."""
    path = tmp_path / "batch.json"
    path.write_text(f"[{order()}, {order()}]", "utf-8")
    result = invoke("--format", "json", str(path))
    assert result.exit_code == 1
    [record] = json.loads(result.stdout)["records"]
    assert [f["rule"] for f in record["findings"]] == ["body:type"]


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    """Blank lines (spaces, a carriage return) are skipped but still counted, so line
    numbers match editors."""
    path = tmp_path / "blank.jsonl"
    path.write_bytes(f"{order()}\n\n   \n\r\n{order(skus=[])}\r\n".encode())
    result = invoke(str(path))
    assert result.exit_code == 1
    assert f"  {path}:5  skus:type  documented  $.skus  " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 payloads: 1 valid, 1 invalid")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"payable_amount": NaN}', "not JSON: NaN is not a JSON value"),
        (b"[" * 5000 + b"]" * 5000, "not JSON"),
        (b'{"user": "\xff"}', "not UTF-8: byte 0xff"),
        (b"{'single': 'quotes'}", "not JSON: Expecting property name"),
    ],
    ids=["nan", "deep", "not-utf8", "python-dict"],
)
def test_unusable_lines_are_named_not_raised(tmp_path: Path, raw: bytes, reason: str) -> None:
    """NaN, absurd nesting, bad UTF-8 and non-JSON each become one error line, exit 2."""
    path = tmp_path / "bad.jsonl"
    path.write_bytes(order().encode() + b"\n" + raw + b"\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ordercheck: error: {path}:2: $: {reason}")


def test_integers_beyond_64_bits_stay_exact() -> None:
    """orjson would turn 2**70 into a float; the reader keeps it an exact integer."""
    assert loads(b'{"q": 1180591620717411303424}') == {"q": 2**70}
    assert loads(b'{"q": 2.0}') == {"q": 2.0}
    assert loads(b'{"id": "12345678901234567890"}') == {"id": "12345678901234567890"}


def test_huge_payment_id_is_an_integer_for_c8() -> None:
    """A payment_id beyond 64 bits is still a whole number, so C8 does not fire."""
    exchange = json.loads(RESPONSES.read_text("utf-8").splitlines()[1])
    line = json.dumps(exchange).replace("2946454", str(2**70))
    result = invoke("--kind", "response", "-", stdin=line + "\n")
    assert result.exit_code == 0, result.stdout


def test_escaped_lone_surrogate_is_unusable(tmp_path: Path) -> None:
    """An escaped lone surrogate is not Unicode text: one error line, exit 2, no crash."""
    path = tmp_path / "s.jsonl"
    path.write_text(order(payment_method="@").replace('"@"', '"\\ud800"') + "\n", "utf-8")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ordercheck: error: {path}:1: $.payment_method: an escaped lone surrogate is not "
        "Unicode text\n"
    )


# ------------------------------------------------------------------------- responses


def test_response_sample_flags_only_the_broken_exchange() -> None:
    """--kind response: the page's three examples pass; the fourth exchange's C2, C3, C7,
    C8 and header findings are reported."""
    result = invoke("--kind", "response", "--format", "json", str(RESPONSES))
    assert result.exit_code == 1
    records = json.loads(result.stdout)["records"]
    assert [r["status"] for r in records] == ["valid", "valid", "valid", "invalid"]
    rules = {f["rule"] for f in records[3]["findings"]}
    assert rules == {"C2", "C3", "C7", "C8", "C13"}


@pytest.mark.parametrize(
    ("wrapper", "path"),
    [
        ({"status": "200"}, "$.status"),
        ({"status": True}, "$.status"),
        ({"headers": ["X-Request-ID"]}, "$.headers"),
        ({"headers": {"X-Request-ID": 7}}, "$.headers['X-Request-ID']"),
    ],
)
def test_malformed_exchange_is_unusable_input(wrapper: dict[str, Any], path: str) -> None:
    """A response exchange whose wrapper is malformed is input error (exit 2) at its path."""
    exchange = json.loads(RESPONSES.read_text("utf-8").splitlines()[0]) | wrapper
    result = invoke("--kind", "response", "-", stdin=json.dumps(exchange) + "\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ordercheck: error: <stdin>:1: {path}: ")


# ------------------------------------------------------------------------- formats


def test_json_format_is_one_document_with_every_record(tmp_path: Path) -> None:
    """--format json is a single JSON document: every record, its findings, a summary."""
    path = write(tmp_path / "m.jsonl", order(), "nope", order(payable_amount="4,99"))
    result = invoke("--format", "json", path)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["kind"], document["profile"]) == ("request", "default")
    assert [r["status"] for r in document["records"]] == ["valid", "unreadable", "invalid"]
    assert document["records"][1]["error"]["message"].startswith(f"{path}:2: $: not JSON")
    finding = document["records"][2]["findings"][0]
    assert (finding["rule"], finding["kind"]) == ("payable_amount:pattern", "constraint")
    assert set(finding) == {
        "rule",
        "kind",
        "level",
        "severity",
        "path",
        "expected",
        "found",
        "hint",
    }
    assert document["summary"] == {
        "payloads": 2,
        "valid": 1,
        "invalid": 1,
        "errors": 1,
        "warnings": 0,
        "unreadable": 1,
        "exit_code": 2,
    }


def test_junit_format_has_a_case_per_payload(tmp_path: Path) -> None:
    """--format junit parses as XML: a suite per file, a case per payload (classname =
    file), a failure per invalid payload and an error per unreadable line."""
    path = write(tmp_path / "m.jsonl", order(), "nope", order(payable_amount="4,99"))
    result = invoke("--format", "junit", path, str(VALID))
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "1", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [path, str(VALID)]
    cases = suites[0].findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (path, "line 1"),
        (path, "line 2"),
        (path, "line 3"),
    ]
    assert cases[1].find("error") is not None
    failure = cases[2].find("failure")
    assert failure is not None
    assert "payable_amount" in (failure.get("message") or "")


def test_colour_on_a_terminal_unless_no_color_is_set() -> None:
    """On a terminal the findings are coloured; with NO_COLOR set they are plain text."""
    code, coloured = run_on_a_terminal(str(INVALID))
    assert code == 1
    assert "\x1b[" in coloured and "payable_amount:type" in coloured
    code, plain = run_on_a_terminal(str(INVALID), NO_COLOR="1")
    assert code == 1
    assert "\x1b[" not in plain and "payable_amount:type" in plain


# ------------------------------------------------------------------------- processes


def test_no_colour_codes_and_no_traceback_through_a_pipe(tmp_path: Path) -> None:
    """Run for real with bad input: exit 2, one error line per problem, no ANSI codes on a
    pipe, and never a traceback."""
    path = write(tmp_path / "m.jsonl", order(payment_method="UPI"), "{", order())
    missing = str(tmp_path / "gone.jsonl")
    result = run_process(missing, path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"ordercheck: error: {missing}: $: no such file or directory",
        f"ordercheck: error: {path}:2: $: not JSON: Expecting property name enclosed in "
        "double quotes (column 2)",
    ]
    assert f"{path}:1  payment_method:enum" in result.stdout


def _many_lines(count: int) -> list[str]:
    lines = []
    for index in range(count):
        if index % 10 == 3:
            lines.append(order(merchant_order_id=f"MO-{index}", payable_amount=str(index)[:0]))
        elif index == 777:
            lines.append("{broken")
        else:
            lines.append(order(merchant_order_id=f"MO-{index}"))
    return lines


def test_jobs_2_gives_the_same_output_as_jobs_1(tmp_path: Path) -> None:
    """With enough lines for several chunks, two worker processes produce byte-identical
    output, in input order, to one process."""
    path = write(tmp_path / "many.jsonl", *_many_lines(1200))
    one = run_process("--format", "json", "--jobs", "1", path)
    two = run_process("--format", "json", "--jobs", "2", path)
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    summary = json.loads(two.stdout)["summary"]
    assert (summary["payloads"], summary["invalid"], summary["unreadable"]) == (1199, 120, 1)


def test_output_is_the_same_in_every_process(tmp_path: Path) -> None:
    """Findings come in document order then rule whatever the process: two runs with
    different hash seeds print byte-identical reports."""
    many = order(
        payable_amount=4, gift="x", coupon_code="", payment_method=["COD"], skus={"1": 0, "x": 1000}
    )
    path = write(tmp_path / "many.jsonl", many, order(user={"mobile": 1}), *_many_lines(30))
    runs = [run_process("--profile", "strict", path, PYTHONHASHSEED=seed) for seed in ("1", "2")]
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.count(f"{path}:1  ") >= 6


FORK_IN_THREADS = "ignore:This process .* is multi-threaded:DeprecationWarning"


@pytest.mark.parametrize(
    "start", [pytest.param("fork", marks=pytest.mark.filterwarnings(FORK_IN_THREADS)), "spawn"]
)
def test_parallel_engine_keeps_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    """`run` with tiny blocks over two workers, forked or spawned, yields exactly the
    single-process outcomes."""
    monkeypatch.setattr(workers, "_start_method", lambda: start)
    path = write(tmp_path / "many.jsonl", *_many_lines(60))
    single = list(run([path, str(tmp_path / "missing.json")], jobs=1))
    parallel = list(run([path, str(tmp_path / "missing.json")], jobs=2, block_bytes=2000))
    assert parallel == single
    assert [o.line for o in parallel[:5]] == [1, 2, 3, 4, 5]
    assert parallel[-1].problem == "no such file or directory"


# ------------------------------------------------------------------------- samples


def test_samples_are_what_their_names_say() -> None:
    """valid-orders is clean even under strict; every invalid-orders line has a finding;
    nothing in the samples is unreadable, so the demo exits 1, not 2."""
    assert invoke("--profile", "strict", str(VALID)).exit_code == 0
    result = invoke("--profile", "strict", "--format", "json", str(INVALID))
    assert result.exit_code == 1
    assert {r["status"] for r in json.loads(result.stdout)["records"]} == {"invalid"}
    assert invoke("--kind", "response", str(RESPONSES)).exit_code == 1
