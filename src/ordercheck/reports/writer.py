"""Where reports land on disk: one directory per run, a ``latest`` link, atomic files.

Every file is written to a temporary sibling and renamed over its target, so a crash or a
failing writer never leaves a truncated report and never destroys one already written; and the
``latest`` link moves only once the whole run directory is complete.

    reports/
      20260509T073525-3f2a/   report.json  junit.xml  report.html
      latest -> 20260509T073525-3f2a
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from ordercheck.errors import OrdercheckError
from ordercheck.results import RunResult

JSON_NAME = "report.json"
JUNIT_NAME = "junit.xml"
HTML_NAME = "report.html"
LATEST_NAME = "latest"

# A run id becomes a directory name: nothing that could climb out of `report_dir` or hide.
_SAFE_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class ReportPaths:
    """The files `write_all` wrote (`junit` is the copy inside `directory`)."""

    directory: Path
    json: Path
    junit: Path
    html: Path


def _temporary_sibling(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; on any failure the old file is untouched.

    The temporary file is created with mode 0o666 so the umask decides the final permissions,
    as for any ordinary file (reports are CI artifacts, meant to be read).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_sibling(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def point_latest(report_dir: Path, run_directory: Path) -> Path:
    """Make ``report_dir/latest`` a relative symlink to `run_directory`, swapped atomically."""
    latest = report_dir / LATEST_NAME
    if os.path.lexists(latest) and not latest.is_symlink():
        raise OrdercheckError(
            f"{latest}: exists and is not a symbolic link; move it away so ordercheck can "
            "point it at the newest run"
        )
    temporary = _temporary_sibling(latest)
    os.symlink(os.path.relpath(run_directory, report_dir), temporary)
    try:
        os.replace(temporary, latest)
    except BaseException:
        temporary.unlink()
        raise
    return latest


def run_directory(report_dir: Path, run_id: str) -> Path:
    """``report_dir/<run_id>``, refusing run ids that are not a plain directory name."""
    if not _SAFE_RUN_ID.fullmatch(run_id) or run_id == LATEST_NAME:
        raise OrdercheckError(
            f"run_id {run_id!r}: not usable as a directory name; use letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )
    return report_dir / run_id


def write_all(
    result: RunResult, report_dir: Path = Path("reports"), *, junit_xml: Path | None = None
) -> ReportPaths:
    """Write ``report.json``, ``junit.xml`` and ``report.html`` to ``report_dir/<run_id>/``,
    the JUnit XML also to `junit_xml` when given, then point ``report_dir/latest`` at the run.

    JSON goes first: it is the record every other report can be rebuilt from.

        >>> paths = write_all(result, Path("reports"), junit_xml=Path("junit.xml"))
        >>> paths.html
        PosixPath('reports/20260509T073525-3f2a/report.html')
    """
    # Imported here, not at the top: the format modules write through `atomic_write` above.
    from ordercheck.reports.html_report import write_html
    from ordercheck.reports.json_report import write_json
    from ordercheck.reports.junit_report import write_junit

    directory = run_directory(report_dir, result.run_id)
    paths = ReportPaths(
        directory=directory,
        json=directory / JSON_NAME,
        junit=directory / JUNIT_NAME,
        html=directory / HTML_NAME,
    )
    write_json(result, paths.json)
    write_junit(result, paths.junit)
    write_html(result, paths.html)
    if junit_xml is not None:
        write_junit(result, junit_xml)
    point_latest(report_dir, directory)
    return paths
