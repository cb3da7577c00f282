"""Every option of `ordercheck validate` is checked, and no input or argument list makes it
print a traceback: the exit code is always 0, 1 or 2.

The property tests run the console script's own entry point, `ordercheck.cli.main`,
in-process inside click's `CliRunner` isolation (what `console.invoke` does for the group,
plus main's handling of `OrdercheckError`), so each example costs milliseconds; a few
examples run the installed console script itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import console
from ordercheck.cli import main
from ordercheck.validate import max_jobs

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))
VALID = (SAMPLES / "valid-orders.jsonl").read_text("utf-8").splitlines()[0]
RESPONSE = (SAMPLES / "responses.jsonl").read_text("utf-8").splitlines()[0]


# ------------------------------------------------------------------------- options


@pytest.mark.parametrize("jobs", [str(max_jobs() + 1), "1000", "100000000"])
def test_too_many_jobs_is_one_line_and_exit_2(jobs: str) -> None:
    """--jobs above 4 per CPU (at most 64) is refused in one line before any worker starts."""
    result = console.ordercheck("validate", "--jobs", jobs, str(SAMPLES / "valid-orders.jsonl"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"ordercheck: error: --jobs={jobs}: must be between 1 and {max_jobs()} (4 per CPU, "
        "at most 64; 0 means one per CPU)\n"
    )


def test_too_long_a_line_limit_is_one_line_and_exit_2() -> None:
    """--max-line-bytes above 1 GiB is refused in one line: it is what bounds memory."""
    result = console.ordercheck("validate", "--max-line-bytes", str(2**31), "-", stdin="")
    assert result.returncode == 2
    assert result.stderr == (
        f"ordercheck: error: --max-line-bytes={2**31}: must be between 1 and {2**30}\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--jobs", "-1"],
        ["--jobs", "two"],
        ["--max-line-bytes", "0"],
        ["--max-line-bytes", "16MiB"],
        ["--profile", "lenient"],
        ["--kind", "reply"],
        ["--format", "xml"],
    ],
)
def test_malformed_option_values_are_usage_errors(args: list[str]) -> None:
    """A value of the wrong type or out of range is click's usage error: exit 2, no run."""
    result = console.invoke("validate", *args, "-", stdin="")
    assert result.exit_code == 2
    assert f"Invalid value for '{args[0]}" in result.stderr


def test_jobs_0_means_one_per_cpu_and_works() -> None:
    """--jobs 0 runs with one worker per CPU and gives the ordinary result."""
    result = console.invoke("validate", "--jobs", "0", str(SAMPLES / "invalid-orders.jsonl"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("6 payloads: 1 valid, 5 invalid")


# ------------------------------------------------------------------------- properties

# Mostly values that work, so that runs get past option parsing and read the files.
GOOD_OPTIONS = {
    "--profile": ["documented", "default", "strict"],
    "--kind": ["request", "request", "response"],
    "--format": ["text", "json", "junit"],
    "--jobs": ["0", "1", "2"],
    "-j": ["1"],
    "--max-line-bytes": ["50", "600", "100000"],
}
BAD_OPTIONS = {
    "--profile": ["lenient", ""],
    "--kind": ["reply"],
    "--format": ["xml"],
    "--jobs": ["-1", "1000", "x"],
    "--max-line-bytes": ["0", "-5", "16MiB", str(2**40)],
}
FILES = ["a.jsonl", "b.json", "c.ndjson", "sub", "sub/d.jsonl", "-"]
# Payloads that read, most of the time, so that every exit code comes up.
LINES = st.sampled_from(
    [
        *[VALID] * 6,
        *[VALID.replace('"COD"', '"UPI"')] * 6,
        VALID.replace('"COD"', '"CARD", "payment_method": "COD"'),
        VALID.replace('"117004": 2', '"117004": ' + "9" * 5000),
        RESPONSE,
        "\ufeff" + VALID,
        "",
        "   ",
        "{",
        "[]",
        "null",
        '"\\ud800"',
        "NaN",
        "[" * 3000,
    ]
)
JSONL = st.lists(LINES, max_size=5).map(lambda lines: "\n".join(lines).encode())
CONTENT = st.one_of(
    JSONL,
    JSONL,
    JSONL,
    JSONL,
    st.lists(LINES, max_size=3).map(lambda lines: "\n".join(lines).encode("utf-16")),
    st.binary(max_size=200),
)


def _option(table: dict[str, list[str]]) -> st.SearchStrategy[list[str]]:
    return st.sampled_from(sorted(table)).flatmap(
        lambda name: st.sampled_from(table[name]).map(lambda value: [name, value])
    )


ODD_TOKENS = st.one_of(
    _option(BAD_OPTIONS),
    st.sampled_from(["--help", "--bogus", "-x", "--", "missing.jsonl"]).map(lambda flag: [flag]),
    # Free text, but not a path out of the sandbox (walking "/" would take the afternoon).
    st.text(max_size=8)
    .filter(lambda t: "/" not in t and "\x00" not in t and t not in {".", ".."})
    .map(lambda text: [text]),
)
ARGUMENTS = st.tuples(
    st.lists(_option(GOOD_OPTIONS), max_size=3),
    st.lists(st.sampled_from(FILES), min_size=1, max_size=3),
    st.lists(ODD_TOKENS, max_size=1),
    st.randoms(use_true_random=False),
).map(lambda drawn: _shuffled([*drawn[0], *([f] for f in drawn[1]), *drawn[2]], drawn[3]))


def _shuffled(tokens: list[list[str]], random: Any) -> list[str]:
    random.shuffle(tokens)
    return [part for token in tokens for part in token]


def _sandbox(folder: Path, contents: list[bytes]) -> None:
    """The files the arguments may name, holding the drawn contents."""
    (folder / "sub").mkdir()
    for name, content in zip(
        ["a.jsonl", "b.json", "c.ndjson", "sub/d.jsonl"], contents, strict=False
    ):
        (folder / name).write_bytes(content)


def run_main(args: list[str], stdin: bytes) -> tuple[int, str]:
    """`ordercheck validate ARGS` as the console script runs it, in-process: exit code and
    standard error.  Any exception but the exit escapes and fails the test."""
    with CliRunner().isolation(input=stdin) as (_, stderr, _):
        try:
            main(["validate", *args])
        except SystemExit as exit_:
            code = exit_.code
        else:
            code = 0
        return (code if isinstance(code, int) else 1), stderr.getvalue().decode("utf-8", "replace")


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(args=ARGUMENTS, contents=st.lists(CONTENT, min_size=4, max_size=4), stdin=CONTENT)
def test_any_arguments_files_and_stdin_exit_0_1_or_2(
    args: list[str], contents: list[bytes], stdin: bytes
) -> None:
    """Whatever the arguments, file contents and standard input, validate ends with exit
    code 0, 1 or 2 and never a traceback."""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        _sandbox(Path(folder), contents)
        code, stderr = run_main(args, stdin)
    event(f"exit code {code}")
    assert code in (0, 1, 2), (code, stderr)
    assert "Traceback" not in stderr


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=ARGUMENTS, contents=st.lists(CONTENT, min_size=4, max_size=4), stdin=CONTENT)
def test_the_console_script_never_shows_a_traceback(
    args: list[str], contents: list[bytes], stdin: bytes
) -> None:
    """The installed console script, in its own process, on drawn arguments and bytes:
    exit 0, 1 or 2, and no traceback on standard error."""
    with tempfile.TemporaryDirectory() as folder:
        _sandbox(Path(folder), contents)
        result = console.ordercheck(
            "validate", *args, cwd=Path(folder), stdin=stdin.decode("latin-1"), timeout=120
        )
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr


def test_the_sandbox_reaches_every_exit_code() -> None:
    """The drawn runs can end in each of 0, 1 and 2, so the property means something."""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        _sandbox(Path(folder), [VALID.encode(), json.dumps({}).encode(), b"{", b""])
        assert run_main(["a.jsonl"], b"")[0] == 0
        assert run_main(["b.json"], b"")[0] == 1
        assert run_main(["c.ndjson"], b"")[0] == 2
        assert run_main(["--jobs", "1000", "-"], b"")[0] == 2
    assert os.getcwd() != folder
