"""`ordercheck validate`: check request payloads or responses in files, directories or stdin.

Exit codes: 0 when every payload is valid, 1 when any is invalid, 2 when any input was
unusable (a missing file, a line that is not JSON).  Unusable input never stops the run:
each gets one line on standard error (``ordercheck: error: file:line: $.path: reason``) as it
is met, and everything else is still checked and reported.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, TextIO

import click

from ordercheck.spec import PROFILES, check_profile
from ordercheck.validate import (
    DEFAULT_MAX_LINE_BYTES,
    FORMATS,
    KINDS,
    Batch,
    Kind,
    Renderer,
    Tally,
    renderer_for,
    run_batches,
)

# 128 + SIGPIPE, what a shell reports when `| head` closes the pipe early.
EXIT_BROKEN_PIPE = 141


def _use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _stdin() -> BinaryIO | None:
    """Standard input as bytes (orjson parses bytes), or None when there is none."""
    return getattr(sys.stdin, "buffer", None)


def _report(batch: Batch, renderer: Renderer, tally: Tally) -> None:
    for piece in batch.pieces():
        tally.add_batch(piece)
        text = renderer.add(piece)
        if text:
            click.echo(text, nl=False)
        last = piece.checked[-1] if piece.checked else None
        if last is not None and last.problem is not None:
            # Flush first so the error lands after the report lines it follows.
            sys.stdout.flush()
            click.echo(f"ordercheck: error: {last.input_error()}", err=True)


@click.command("validate")
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default="default",
    show_default=True,
    help="Which rule levels are errors; the others are reported as warnings.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="request",
    show_default=True,
    help="Request payloads, or responses (a bare envelope or "
    '{"request", "status", "headers", "body"} exchanges).',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; json (one document) or junit (XML) for machines.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes; 0 means one per CPU (at most 4 per CPU, never over 64).",
)
@click.option(
    "--max-line-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_LINE_BYTES,
    show_default=True,
    help="Longest payload read: a longer JSONL line or .json file is an error, and skipped.",
)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
def validate_command(
    profile: str, kind: str, fmt: str, jobs: int, max_line_bytes: int, paths: tuple[str, ...]
) -> None:
    """Validate payloads in PATHs: .json files (one payload each), .jsonl files (one a
    line), directories of them, or - for JSONL on standard input."""
    level = check_profile(profile)
    kind_: Kind = "response" if kind == "response" else "request"
    color = fmt == "text" and _use_color(sys.stdout)
    renderer = renderer_for(fmt, kind=kind, profile=profile, color=color)
    tally = Tally()
    batches = run_batches(
        paths,
        kind=kind_,
        profile=level,
        jobs=jobs or os.cpu_count() or 1,
        stdin=_stdin(),
        max_line_bytes=max_line_bytes,
    )
    try:
        click.echo(renderer.begin(), nl=False)
        for batch in batches:
            _report(batch, renderer, tally)
        click.echo(renderer.end(tally), nl=False)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly; nothing is left to say to it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    finally:
        batches.close()  # stops any worker processes at once, even on an early exit
    # SystemExit rather than ctx.exit: `ordercheck.cli.main` runs the group with
    # standalone_mode=False, where click turns ctx.exit into a return value it drops.
    sys.exit(tally.exit_code)
