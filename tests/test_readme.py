"""README.md is tested: what it shows as runnable is run, and what it says it prints is compared
with what the program prints. Drift in the README fails CI.

The convention, for README authors:

- A fenced code block with lines starting with ``$ `` is runnable. Each ``$ `` line is a shell
  command; the lines after it, up to the next ``$ `` line or the end of the block, are what it
  prints (standard output and standard error together, as a terminal shows them). ``echo $?``
  after a command shows its exit code.
- A line that is only ``...`` (indentation aside) matches any number of lines, none included;
  ``...`` inside a line matches any text within that line.
- ``<!-- readme-test: server COMMAND -->`` before a block starts ``COMMAND`` (an
  ``ordercheck serve --port P ...``) for that block, on a free port substituted for P.
- ``<!-- readme-test: tail COMMAND -->`` before a block (without ``$ `` lines) says the block
  is the end of what ``COMMAND`` prints.

Commands run with bash in a temporary directory holding the shipped samples
(``src/ordercheck/samples/*.jsonl``), with the installed console script first on PATH,
unbuffered output and no ``ORDERCHECK_*`` or ``NO_COLOR`` variables.

What varies from run to run is replaced by a placeholder on both sides before comparing, so
the README can show a real run: durations (``7.0s``), loopback ports (``127.0.0.1:8123``),
run ids (``20261127T173847Z-1aeb``), order prefixes (``oc47f749-``), the order ids a server
hands out (``PO29523360000001``, a counter of the orders it created), and the counts of
requests and checks of a fuzzing run (``141 requests``, ``141 checks``, ``31/93 failed``),
which depend on timing (the lock burst) and, for an unseeded run, on the draw.

The README's other claims about the command line are checked too: every ``ordercheck
COMMAND`` it names in code is a command, every option it shows on a line naming a command is
in that command's ``--help``, every ``--ordercheck-*`` option is the pytest plugin's, and
every other option it shows belongs to some command or to pytest.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from difflib import unified_diff
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from console import ORDERCHECK, environment, ordercheck

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLES = Path(str(resources.files("ordercheck") / "samples"))
BOUNDARY = "@@readme-test-boundary@@"
MARKER = re.compile(r"^<!-- readme-test: (server|tail) (.+?) -->$")
FENCE = re.compile(r"^```")

PLACEHOLDERS = [
    (re.compile(r"\b[0-9]+\.[0-9]+s\b"), "<duration>s"),
    (re.compile(r"\b127\.0\.0\.1:[0-9]+"), "127.0.0.1:<port>"),
    (re.compile(r"\b[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}\b"), "<run-id>"),
    (re.compile(r"\boc[0-9a-f]{6}-"), "oc<prefix>-"),
    (re.compile(r"\bPO[0-9]+\b"), "PO<order>"),
    (re.compile(r"\b[0-9]+ requests\b"), "<n> requests"),
    (re.compile(r"\b[0-9]+ checks\b"), "<n> checks"),
    (re.compile(r"\b[0-9]+/[0-9]+ failed\b"), "<n>/<n> failed"),
]


# -- reading the README ----------------------------------------------------------------------
@dataclass
class Block:
    """A fenced code block: where it starts, its lines, and the marker before it."""

    line: int
    lines: list[str]
    marker: tuple[str, str] | None = None

    @property
    def runnable(self) -> bool:
        return any(line.startswith("$ ") for line in self.lines)


@dataclass
class Step:
    """One ``$ `` command of a runnable block and the lines it is shown to print."""

    command: str
    expected: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, each with the marker comment before it."""
    found: list[Block] = []
    marker: tuple[str, str] | None = None
    current: Block | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if current is not None:
            if FENCE.match(line):
                found.append(current)
                current = None
            else:
                current.lines.append(line)
        elif FENCE.match(line):
            current, marker = Block(number, [], marker), None
        elif match := MARKER.match(line.strip()):
            marker = (match.group(1), match.group(2))
        elif line.strip():
            marker = None  # a marker applies to the block right after it
    assert current is None, f"README.md: the block at line {current.line} is not closed"
    return found


def steps(block: Block) -> list[Step]:
    """The commands of a runnable block with their expected output."""
    found: list[Step] = []
    for line in block.lines:
        if line.startswith("$ "):
            found.append(Step(line[2:]))
        else:
            assert found, f"README.md:{block.line}: output before the first $ line"
            found[-1].expected.append(line)
    return found


def code_of(text: str) -> list[str]:
    """Every piece of code in a Markdown text: inline spans, and each logical line of the
    fenced blocks (indented or backslash-continued lines joined to the line they continue)."""
    fenced = re.compile(r"^```[^\n]*\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
    pieces = re.findall(r"`([^`\n]+)`", fenced.sub("", text))
    for body in fenced.findall(text):
        logical: list[str] = []
        for line in body.splitlines():
            continues = logical and (line[:1].isspace() or logical[-1].endswith("\\"))
            if continues and not line.lstrip().startswith(("$ ", "...")):
                logical[-1] = logical[-1].removesuffix("\\") + " " + line.strip()
            else:
                logical.append(line)
        pieces += logical
    return pieces


README_TEXT = README.read_text("utf-8")
BLOCKS = blocks(README_TEXT)
RUNNABLE = [block for block in BLOCKS if block.runnable]
TAILS = [block for block in BLOCKS if block.marker and block.marker[0] == "tail"]


def is_campaign(block: Block) -> bool:
    """Whether running the block fuzzes (a campaign takes seconds: the slow tier)."""
    commands = [step.command for step in steps(block)] if block.runnable else []
    commands += [block.marker[1]] if block.marker else []
    return any(
        re.search(r"\bordercheck (fuzz|demo)\b", c) and "--dry-run" not in c for c in commands
    )


def params(found: list[Block]) -> list[object]:
    """`found` as pytest parameters named by README line, campaigns marked slow."""
    return [
        pytest.param(b, id=f"line{b.line}", marks=[pytest.mark.slow] if is_campaign(b) else [])
        for b in found
    ]


# -- comparing ---------------------------------------------------------------------------
def normalised(text: str) -> str:
    """`text` with what varies between runs replaced by placeholders."""
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return text


def pattern_of(expected: list[str]) -> re.Pattern[str]:
    """A regex for output shown as `expected` lines, with the ``...`` conventions."""
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(piece) for piece in normalised(line).split("...")]
            parts.append("[^\n]*".join(pieces) + r"\n")
    return re.compile("".join(parts))


def assert_shows(expected: list[str], actual: str, where: str, *, tail: bool = False) -> None:
    """`actual` output is what the README shows as `expected` (its end only, for a tail)."""
    text = normalised(actual if actual.endswith("\n") or not actual else actual + "\n")
    pattern = pattern_of(["...", *expected] if tail else expected)
    if pattern.fullmatch(text) is None:
        diff = unified_diff(
            [normalised(line) for line in expected],
            text.splitlines(),
            "README.md",
            "printed",
            lineterm="",
        )
        pytest.fail(f"{where}: the README differs from what is printed\n" + "\n".join(diff))


# -- running -----------------------------------------------------------------------------
@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding the shipped samples, as a user who copied them would have."""
    for sample in SAMPLES.glob("*.jsonl"):
        shutil.copy(sample, tmp_path / sample.name)
    return tmp_path


def user_env() -> dict[str, str]:
    """A user's shell: the console script first on PATH, output unbuffered (so standard
    output and standard error interleave as on a terminal), no ordercheck variables."""
    env = {k: v for k, v in environment().items() if not k.startswith("ORDERCHECK_")}
    env["PATH"] = f"{ORDERCHECK.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_in_bash(commands: list[str], cwd: Path) -> list[str]:
    """Run `commands` one after the other in one bash, as typed; the output of each."""
    script = ["exec 2>&1"]
    for command in commands:
        # Keep $? across the boundary line, so that `echo $?` sees the command before it.
        script += [command, f"s=$?; printf '\\n%s\\n' '{BOUNDARY}'; (exit $s)"]
    run = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=cwd,
        env=user_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    outputs = run.stdout.split(f"\n{BOUNDARY}\n")
    assert len(outputs) == len(commands) + 1 and outputs[-1] == "", run.stdout[-2000:]
    return outputs[:-1]


class Server:
    """A marker's `ordercheck serve ... --port P` on a free port instead: the real console
    script in its own process, stopped with Ctrl-C (SIGINT)."""

    def __init__(self, command: str) -> None:
        match = re.fullmatch(r"ordercheck (serve .*)--port ([0-9]+)(.*)", command)
        assert match, f"a server marker runs `ordercheck serve ... --port P`, not {command!r}"
        self.port = match.group(2)
        args = (match.group(1) + "--port 0" + match.group(3)).split()
        self.process = subprocess.Popen(
            [str(ORDERCHECK), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=user_env(),
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:([0-9]+)", first)
        if found is None:
            self.stop()
            pytest.fail(f"{command}: no URL in its first line {first!r}")
        self.actual_port = found.group(1)

    def substitute(self, command: str) -> str:
        """`command` aimed at this server's real port instead of the README's."""
        return command.replace(f"127.0.0.1:{self.port}", f"127.0.0.1:{self.actual_port}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=30) == 0
        assert self.process.stdout is not None
        self.process.stdout.close()


# -- the tests ---------------------------------------------------------------------------
def test_readme_has_runnable_blocks_and_the_demo_tail() -> None:
    """The parser finds the README's runnable blocks, a server marker and the demo's tail."""
    assert len(RUNNABLE) >= 3
    assert [block.marker for block in TAILS] == [("tail", "ordercheck demo")]
    assert any(block.marker and block.marker[0] == "server" for block in RUNNABLE)


@pytest.mark.parametrize("block", params(RUNNABLE))
def test_runnable_block_prints_what_the_readme_shows(block: Block, workdir: Path) -> None:
    """Each `$ ` command of the block, run in a shell, prints what the README shows."""
    server = Server(block.marker[1]) if block.marker and block.marker[0] == "server" else None
    try:
        plan = steps(block)
        commands = [server.substitute(s.command) if server else s.command for s in plan]
        outputs = run_in_bash(commands, workdir)
    finally:
        if server is not None:
            server.stop()
    for step, output in zip(plan, outputs, strict=True):
        assert_shows(step.expected, output, f"README.md:{block.line}: $ {step.command}")


@pytest.mark.parametrize("block", params(TAILS))
def test_demo_ends_as_the_readme_shows(block: Block, workdir: Path) -> None:
    """`ordercheck demo` (what `make demo` runs) ends with the lines the README shows."""
    assert block.marker is not None
    [output] = run_in_bash([block.marker[1]], workdir)
    assert_shows(block.lines, output, f"README.md:{block.line}: {block.marker[1]}", tail=True)


def test_make_demo_runs_ordercheck_demo() -> None:
    """`make demo` runs the console script's `demo`, so the tail above is what it prints."""
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text("utf-8"), re.M)
    assert recipe and recipe.group(1).strip().endswith("/ordercheck demo")


# -- commands and options the README names -----------------------------------------------
CODE = code_of(README_TEXT)
NAMED_COMMAND = re.compile(r"(?<![\w./-])ordercheck ([a-z][a-z-]*)")
OPTION = re.compile(r"(?:(?<=[\s\[(])|^)(--?[a-zA-Z][\w-]*)", re.MULTILINE)


def options_in(code: str) -> set[str]:
    """The options written in a piece of code (not curl's: reproductions carry curls)."""
    return set(OPTION.findall(re.sub(r"curl .*", "", code)))


@cache
def help_of(*command: str) -> set[str]:
    """The options a `--help` text lists: of `ordercheck COMMAND`, or of `pytest`."""
    if command == ("pytest",):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
    else:
        run = ordercheck(*command, "--help")
    assert run.returncode == 0, f"{' '.join(command)} --help: {run.stderr}"
    return set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", run.stdout))


def shown_with_commands() -> list[tuple[str, str]]:
    """(command, option) for each option written after `ordercheck COMMAND` in the code."""
    pairs = set()
    for code in CODE:
        for name in NAMED_COMMAND.findall(code)[:1]:
            pairs |= {(name, option) for option in options_in(code.split(f"ordercheck {name}")[1])}
    return sorted(pairs)


NAMED = sorted({name for code in CODE for name in NAMED_COMMAND.findall(code)})
SHOWN_WITH = shown_with_commands()


def test_readme_names_the_commands_users_start_with() -> None:
    """The scan of the README's code finds the commands and options it documents."""
    assert {"validate", "fuzz", "generate", "serve", "replay"} <= set(NAMED)
    assert ("fuzz", "--allow-rejection") in SHOWN_WITH


@pytest.mark.parametrize("name", NAMED)
def test_every_command_the_readme_names_exists(name: str) -> None:
    """`ordercheck NAME --help` exits 0 for every `ordercheck NAME` in the README's code."""
    run = ordercheck(name, "--help")
    assert run.returncode == 0, f"README.md names `ordercheck {name}`: {run.stderr}"


@pytest.mark.parametrize(("name", "option"), SHOWN_WITH)
def test_every_option_shown_with_a_command_is_in_its_help(name: str, option: str) -> None:
    """An option the README writes after `ordercheck NAME` is in `ordercheck NAME --help`."""
    assert option in help_of(name), f"README.md shows `ordercheck {name} ... {option}`"


def test_every_plugin_option_the_readme_shows_is_the_plugins() -> None:
    """Each `--ordercheck-*` option in the README is in `pytest --help` (the plugin's)."""
    shown = {option for code in CODE for option in options_in(code)}
    plugin = {option for option in shown if option.startswith("--ordercheck-")}
    assert len(plugin) >= 5
    assert plugin - help_of("pytest") == set()


def test_every_other_option_the_readme_shows_exists_somewhere() -> None:
    """Every option in the README's code is an option of some command or of pytest."""
    shown = {option for code in CODE for option in options_in(code)}
    known = help_of("pytest").union(*(help_of(name) for name in NAMED))
    assert shown - known == set()
