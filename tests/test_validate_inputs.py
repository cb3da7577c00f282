"""`ordercheck validate` on hostile input files: long lines, endless streams, files that are
not files, directories that cannot be read, text that is not UTF-8.

Each case ends the same way: one error line naming the file (and line), exit code 2, and
everything else still checked and reported.  Cases that could hang run the console script
with a timeout, so a regression fails instead of stopping the suite.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

import console
from ordercheck.validate import run

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))
ORDER: dict[str, Any] = json.loads(
    (SAMPLES / "valid-orders.jsonl").read_text("utf-8").splitlines()[0]
)
VALID = json.dumps(ORDER, ensure_ascii=False)
INVALID = json.dumps(ORDER | {"payment_method": "UPI"}, ensure_ascii=False)
MiB = 1024 * 1024


def invoke(*args: str) -> Result:
    """`ordercheck validate ARGS` in-process on the real group; exceptions other than the
    exit fail the test."""
    result = console.invoke("validate", *args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def validate(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`ordercheck validate ARGS` through the console script, with a timeout: for inputs
    that could hang a run."""
    return console.ordercheck("validate", *args, timeout=timeout)


def errors(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


# ------------------------------------------------------------------------- long lines


def test_long_line_is_one_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    """A line over --max-line-bytes is named with its number; the lines around it are
    checked, and line numbers after it stay right."""
    path = tmp_path / "long.jsonl"
    path.write_text(f"{VALID}\n{'x' * 5000}\n{INVALID}\n", "utf-8")
    result = invoke("--max-line-bytes", "1000", str(path))
    assert result.exit_code == 2
    assert errors(result) == [f"ordercheck: error: {path}:2: $: line longer than 1000 bytes"]
    assert f"{path}:3  payment_method:enum" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 payloads: 1 valid, 1 invalid")


def test_long_json_document_is_an_error_without_reading_it_all(tmp_path: Path) -> None:
    """A .json document over the cap is one error naming the file; the next file is read."""
    big, small = tmp_path / "big.json", tmp_path / "small.json"
    big.write_text(json.dumps(ORDER | {"note": "x" * 3000}), "utf-8")
    small.write_text(VALID, "utf-8")
    result = invoke("--max-line-bytes", "2000", str(big), str(small))
    assert result.exit_code == 2
    assert errors(result) == [f"ordercheck: error: {big}: $: document longer than 2000 bytes"]
    assert result.stdout.splitlines()[-1] == "1 payload: 1 valid, 0 invalid; 1 unreadable"


LINES = st.lists(
    st.sampled_from([VALID, INVALID, "", "   ", "{oops", "x" * 150, "y" * 400]), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(
    lines=LINES,
    block_bytes=st.integers(1, 1500),
    cap=st.sampled_from([100, 300, 1000, 4000]),
    newline_at_end=st.booleans(),
)
def test_blocks_never_change_what_is_reported(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[str],
    block_bytes: int,
    cap: int,
    newline_at_end: bool,
) -> None:
    """However the input is cut into blocks, each line is reported at its number: too long
    (over the cap), skipped (blank), unreadable or checked, exactly as line by line."""
    path = tmp_path_factory.mktemp("blocks") / "lines.jsonl"
    path.write_text("\n".join(lines) + ("\n" if newline_at_end else ""), "utf-8")
    got = [
        (c.line, c.status, c.problem)
        for c in run([str(path)], max_line_bytes=cap, block_bytes=block_bytes)
    ]
    expected = []
    for number, line in enumerate(lines, start=1):
        if len(line.encode()) > cap:
            expected.append((number, "unreadable", f"line longer than {cap} bytes"))
        elif line.strip():
            status = {VALID: "valid", INVALID: "invalid"}.get(line, "unreadable")
            expected.append((number, status, None if status != "unreadable" else "?"))
    assert [(line, status) for line, status, _ in got] == [(n, s) for n, s, _ in expected]
    for (_, _, problem), (_, _, reason) in zip(got, expected, strict=True):
        if reason is None or reason.startswith("line longer"):
            assert problem == reason


# Runs a command and writes its peak RSS (kB) to a file.  A child's ru_maxrss starts from
# its parent's size at fork (Linux keeps it across exec), so the command is started from
# this small interpreter, not from the test process, which is big.
MEASURE = (
    "import os, subprocess, sys; child = subprocess.Popen(sys.argv[2:]); "
    "_, status, usage = os.wait4(child.pid, 0); "
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss)); "
    "sys.exit(os.waitstatus_to_exitcode(status))"
)


def _validate_measuring_peak(tmp_path: Path, *args: str) -> tuple[str, int]:
    """Run `ordercheck validate ARGS` to its end: standard error, and its peak RSS in kB."""
    peak = tmp_path / "peak-rss"
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(peak), str(console.ORDERCHECK), "validate", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=console.environment(),
        timeout=120,
        check=False,
    )
    return result.stderr.decode(), int(peak.read_text())


def test_a_gigabyte_line_without_a_newline_keeps_memory_bounded(tmp_path: Path) -> None:
    """1 GB of NUL bytes and no newline, named as a .jsonl (a FIFO fed from /dev/zero, so
    the page cache is not filled), is one error read in bounded memory."""
    fifo = tmp_path / "huge.jsonl"
    os.mkfifo(fifo)
    # The shell's redirection opens the FIFO, waiting for validate to open the other end.
    feed = 'exec head -c "$1" /dev/zero > "$2"'
    writer = subprocess.Popen(["sh", "-c", feed, "sh", str(1024 * MiB), str(fifo)])
    stderr, peak_kb = _validate_measuring_peak(tmp_path, "--max-line-bytes", str(MiB), str(fifo))
    assert writer.wait(timeout=60) == 0
    assert stderr == f"ordercheck: error: {fifo}:1: $: line longer than {MiB} bytes\n"
    assert peak_kb < 120 * 1024, f"peak RSS {peak_kb} kB for a 1 GB line"


def test_a_gigabyte_json_document_is_refused_unread(tmp_path: Path) -> None:
    """A 1 GB .json file (sparse: no disk used) is refused after reading past the cap only:
    memory stays bounded."""
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(1024 * MiB)
    stderr, peak_kb = _validate_measuring_peak(tmp_path, "--max-line-bytes", str(MiB), str(path))
    assert stderr == f"ordercheck: error: {path}: $: document longer than {MiB} bytes\n"
    assert peak_kb < 120 * 1024, f"peak RSS {peak_kb} kB for a 1 GB document"


def _read_bytes(pid: int) -> int:
    """How many bytes process `pid` has read so far (Linux: /proc/PID/io)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/PID/io")


def _peak_rss_now_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/PID/status")


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc")
def test_dev_zero_on_stdin_is_read_in_bounded_memory() -> None:
    """`validate - < /dev/zero` reads forever without a newline: after 512 MB its peak
    memory is still bounded, and the long line was already reported."""
    with Path("/dev/zero").open("rb") as zero:
        process = subprocess.Popen(
            [str(console.ORDERCHECK), "validate", "--max-line-bytes", str(MiB), "-"],
            stdin=zero,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=console.environment(),
        )
    try:
        deadline = time.monotonic() + 120  # a safety net against a hang, not a measurement
        while _read_bytes(process.pid) < 512 * MiB:
            assert process.poll() is None, "validate stopped reading /dev/zero"
            assert time.monotonic() < deadline, "validate read /dev/zero too slowly to judge"
            time.sleep(0.05)
        peak_kb = _peak_rss_now_kb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert peak_kb < 120 * 1024, f"peak RSS {peak_kb} kB after 512 MB of /dev/zero"
    assert stderr.decode().startswith(
        f"ordercheck: error: <stdin>:1: $: line longer than {MiB} bytes\n"
    )


# ------------------------------------------------------------------------- not files


def _directory_with(tmp_path: Path, odd: Callable[[Path], None]) -> Path:
    folder = tmp_path / "payloads"
    folder.mkdir()
    (folder / "a.jsonl").write_text(VALID + "\n", "utf-8")
    (folder / "z.json").write_text(INVALID, "utf-8")
    odd(folder)
    return folder


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "m.jsonl")


def _socket(folder: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "m.jsonl"))
    server.close()  # the socket file stays


def _device(folder: Path) -> None:
    (folder / "m.jsonl").symlink_to("/dev/null")


@pytest.mark.parametrize(
    ("make", "kind"),
    [(_fifo, "a FIFO"), (_socket, "a socket"), (_device, "a character device")],
    ids=["fifo", "socket", "device"],
)
def test_non_regular_files_in_a_directory_are_named_and_skipped(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    """A FIFO, socket or device among a directory's .jsonl files is one error line and
    skipped (a FIFO used to hang forever); the regular files around it are checked."""
    folder = _directory_with(tmp_path, make)
    result = validate(str(folder), timeout=60)
    assert result.returncode == 2
    assert errors(result) == [
        f"ordercheck: error: {folder / 'm.jsonl'}: $: not a regular file ({kind}); skipped"
    ]
    assert f"{folder / 'z.json'}  payment_method:enum" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 payloads: 1 valid, 1 invalid")


def test_fifo_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    """A FIFO the user names is read like a file (the writer is theirs)."""
    fifo = tmp_path / "live.jsonl"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("w", encoding="utf-8") as out:
            out.write(f"{VALID}\n{INVALID}\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    result = validate(str(fifo), timeout=60)
    writer.join(timeout=10)
    assert result.returncode == 1
    assert f"{fifo}:2  payment_method:enum" in result.stdout


# ------------------------------------------------------------------------- unreadable


def _without_file_permission_override() -> None:
    """In the child: root drops the capabilities that let it read any file, so permission
    bits apply to it as to everyone (Linux prctl PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@contextmanager
def unreadable(path: Path) -> Iterator[None]:
    """`path` without permissions, for a process bound by them; skips the test where none
    is (root that cannot drop its capabilities)."""
    path.chmod(0)
    try:
        try:
            probe = subprocess.run(
                ["ls", str(path)],
                capture_output=True,
                check=False,
                preexec_fn=_without_file_permission_override if os.geteuid() == 0 else None,
            )
        except subprocess.SubprocessError:  # the capabilities could not be dropped
            pytest.skip("permission bits do not bind processes here")
        if probe.returncode == 0:
            pytest.skip("permission bits do not bind processes here")
        yield
    finally:
        path.chmod(stat.S_IRWXU)


def validate_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """`ordercheck validate` as a user bound by permission bits, even when tests run as
    root."""
    return subprocess.run(
        [str(console.ORDERCHECK), "validate", *args],
        capture_output=True,
        text=True,
        env=console.environment(),
        timeout=60,
        check=False,
        preexec_fn=_without_file_permission_override if os.geteuid() == 0 else None,
    )


def test_unreadable_subdirectory_is_an_error_not_a_silent_skip(tmp_path: Path) -> None:
    """A subdirectory that cannot be listed is named (it used to be skipped, exit 0); the
    files around it are still checked."""
    folder = _directory_with(tmp_path, lambda f: (f / "locked").mkdir())
    (folder / "locked" / "b.jsonl").write_text(INVALID + "\n", "utf-8")
    with unreadable(folder / "locked"):
        result = validate_unprivileged(str(folder))
    assert result.returncode == 2
    assert errors(result) == [
        f"ordercheck: error: {folder / 'locked'}: $: cannot read this directory (Permission denied)"
    ]
    assert result.stdout.splitlines()[-1].startswith("2 payloads: 1 valid, 1 invalid")


def test_unreadable_directory_named_on_the_command_line(tmp_path: Path) -> None:
    """A directory named by the user that cannot be listed is one error, exit 2."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.jsonl").write_text(VALID + "\n", "utf-8")
    with unreadable(folder):
        result = validate_unprivileged(str(folder))
    assert result.returncode == 2
    assert errors(result) == [
        f"ordercheck: error: {folder}: $: cannot read this directory (Permission denied)"
    ]


# ------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "words"),
    [
        ("utf-16", "UTF-16LE text (it starts with a byte order mark)"),
        ("utf-16-le", "UTF-16LE text"),
        ("utf-16-be", "UTF-16BE text"),
        ("utf-32", "UTF-32LE text (it starts with a byte order mark)"),
        ("utf-32-le", "UTF-32LE text"),
        ("utf-32-be", "UTF-32BE text"),
    ],
)
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_utf16_and_utf32_are_refused_as_the_server_would(
    tmp_path: Path, codec: str, words: str, suffix: str
) -> None:
    """UTF-16 and UTF-32, with or without a byte order mark, are one error for the whole
    file saying the server would refuse it (a UTF-16 .json used to pass, and a .jsonl
    reported lines it does not have)."""
    path = tmp_path / f"orders{suffix}"
    text = VALID if suffix == ".json" else f"{VALID}\n{INVALID}\n"
    path.write_bytes(text.encode(codec))
    result = invoke(str(path))
    assert result.exit_code == 2
    assert errors(result) == [
        f"ordercheck: error: {path}: $: {words}: JSON is UTF-8 (RFC 8259 section 8.1) and "
        "the server would refuse it; save it as UTF-8"
    ]
    assert result.stdout.splitlines()[-1] == "0 payloads: 0 valid, 0 invalid; 1 unreadable"


BOM_ERROR = (
    "$: starts with a UTF-8 byte order mark, which JSON text must not have "
    "(RFC 8259 section 8.1); the server would refuse it"
)


def test_utf8_byte_order_mark_is_refused_on_any_line(tmp_path: Path) -> None:
    """A UTF-8 byte order mark is an error where it stands, first line or any other; the
    lines without one are checked."""
    path = tmp_path / "bom.jsonl"
    bom = b"\xef\xbb\xbf"
    path.write_bytes(bom + f"{VALID}\n{INVALID}\n".encode() + bom + f"{VALID}\n".encode())
    result = invoke(str(path))
    assert result.exit_code == 2
    assert errors(result) == [
        f"ordercheck: error: {path}:1: {BOM_ERROR}",
        f"ordercheck: error: {path}:3: {BOM_ERROR}",
    ]
    assert f"{path}:2  payment_method:enum" in result.stdout


def test_utf8_byte_order_mark_in_a_json_document(tmp_path: Path) -> None:
    """A .json document starting with a UTF-8 byte order mark is refused."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    result = invoke(str(path))
    assert (result.exit_code, errors(result)) == (2, [f"ordercheck: error: {path}: {BOM_ERROR}"])
