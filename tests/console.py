"""The `ordercheck` program as users run it, for the tests: the installed console script in a
fresh process, or the click group in-process through click's `CliRunner`.

Neither path calls a command function directly: both go through the group, so a command
that is not registered fails its tests the way it fails a user.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from ordercheck.cli import cli

# The console script pip installed beside this interpreter: what `ordercheck` on PATH is.
ORDERCHECK = Path(sys.executable).with_name("ordercheck")
# Variables a developer may have set that would change what the program does or prints.
UNSET = ("ORDERCHECK_ACCESS_KEY", "NO_COLOR")


def environment(**env: str) -> dict[str, str]:
    """This process's environment without `UNSET`, plus `env`."""
    return {k: v for k, v in os.environ.items() if k not in UNSET} | env


def ordercheck(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run the installed `ordercheck` console script, output on pipes (never a TTY)."""
    return subprocess.run(
        [str(ORDERCHECK), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(**(env or {})),
        cwd=cwd,
        check=False,  # the exit code is what the tests look at
        timeout=timeout,
    )


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    """Run `ordercheck ARGS` in-process on the real group. An `OrdercheckError` stays in
    `result.exception` (the console script turns it into exit 2 and one line)."""
    return CliRunner().invoke(cli, list(args), input=stdin)
