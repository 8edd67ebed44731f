"""Reading .xlsx/.xlsm/.xlsb/.xls/.ods workbooks with python-calamine, in a child process.

Why a child process: calamine lays each sheet out as a dense grid of its used area
before Python sees a single row. A 1 KB file with one value in A1 and one in XFD1048576
makes it ask for 512 GB; Rust then aborts the whole process, which no `except` can
catch, and a file just under calamine's own limits quietly takes 3 GB and ten seconds.
Checking the real extent beforehand would mean re-parsing four binary and XML formats
ourselves. Instead calamine runs in a short-lived process (about 50 ms to start) with a
memory and CPU cap (POSIX) and a wall-clock timeout: if it crashes, hangs or runs out
of memory, only that process dies and the user gets a sentence. The cheap checks
(zip bombs, passwords, wrong kind of file) happen here first, in `safety`.

A frozen (packaged) app cannot run ``python -m``; there the executable is started with
WORKER_ARGUMENT and its entry point must call `calamine_worker.main()` when it sees it.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

from sro_desktop.spreadsheets import refusals
from sro_desktop.spreadsheets.limits import (
    MAX_CELLS,
    MAX_ROWS,
    READ_TIMEOUT_SECONDS,
    WORKER_MEMORY_BYTES,
)
from sro_desktop.spreadsheets.sheet_data import MergedRange, SheetContent, SheetRow

__all__ = ["WORKER_ARGUMENT", "list_workbook_sheets", "read_workbook_sheet"]

log = logging.getLogger(__name__)

WORKER_ARGUMENT: Final = "--sro-read-workbook"
_WORKER_MODULE: Final = "sro_desktop.spreadsheets.calamine_worker"
_PACKAGE_ROOT: Final = Path(__file__).resolve().parents[2]


def list_workbook_sheets(path: Path, name: str) -> list[str]:
    """The names of the sheets of cells (not charts) in workbook order, hidden ones included."""
    reply = _run_worker({"op": "sheets", "path": str(path.absolute()), "sheet": None}, name)
    sheets: list[str] = reply["sheets"]
    return sheets


def read_workbook_sheet(
    path: Path, name: str, sheet: str | None, max_rows: int = MAX_ROWS
) -> SheetContent:
    """Every row of `sheet` (default: the first sheet with data), values as plain Python."""
    request = {"op": "rows", "path": str(path.absolute()), "sheet": sheet, "max_rows": max_rows}
    reply = _run_worker(request, name)
    rows = tuple(SheetRow(number, values) for number, values in enumerate(reply["rows"], start=1))
    return SheetContent(
        file_name=name,
        sheet=reply["sheet"],
        sheet_names=tuple(reply["sheets"]),
        rows=rows,
        merged=tuple(MergedRange(*cells) for cells in reply["merged"]),
    )


def _run_worker(request: dict[str, Any], name: str) -> dict[str, Any]:
    request = {
        "max_rows": MAX_ROWS,
        "max_cells": MAX_CELLS,
        "memory_bytes": WORKER_MEMORY_BYTES,
        "cpu_seconds": int(READ_TIMEOUT_SECONDS) + 5,
        **request,
    }
    try:
        finished = subprocess.run(
            _worker_command(),
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=READ_TIMEOUT_SECONDS,
            env=_worker_environment(),
            creationflags=_NO_CONSOLE_WINDOW,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise refusals.took_too_long(name, READ_TIMEOUT_SECONDS) from exc
    if finished.returncode != 0 or not finished.stdout:
        report = finished.stderr.decode("utf-8", "replace").strip()
        if "Traceback (most recent call last)" in report:
            raise RuntimeError(f"the reading process failed on {name}:\n{report[-3000:]}")
        log.warning(
            "Reading %s stopped the reading process (exit code %s): %s",
            name,
            finished.returncode,
            report[:1000],
        )
        raise refusals.unsafe_to_read(name)
    reply = _load_reply(finished.stdout)
    _raise_for_status(reply, name)
    return reply


def _raise_for_status(reply: dict[str, Any], name: str) -> None:
    status = reply["status"]
    if status not in ("ok", "no_data", "no_such_sheet"):
        log.info("Refused %s: %s", name, reply)
    match status:
        case "ok":
            return
        case "password":
            raise refusals.password_protected(name)
        case "damaged":
            raise refusals.damaged(name)
        case "too_large":
            raise refusals.unsafe_to_read(name)
        case "no_sheets":
            raise refusals.no_sheets(name)
        case "no_data":
            raise refusals.no_data(name)
        case "no_such_sheet":
            raise refusals.sheet_not_found(name, reply["wanted"], reply["sheets"])
        case "sheet_unreadable":
            raise refusals.sheet_unreadable(name, reply["sheet"])
        case "too_many_rows":
            raise refusals.too_many_rows(name, reply["sheet"], reply["limit"])
        case "too_large_area":
            raise refusals.used_area_too_large(
                name, reply["sheet"], reply["rows"], reply["columns"]
            )
    raise RuntimeError(f"unknown reply from the reading process: {status!r}")


def _worker_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_ARGUMENT]
    return [sys.executable, "-m", _WORKER_MODULE]


def _worker_environment() -> dict[str, str]:
    environment = dict(os.environ)
    paths = [str(_PACKAGE_ROOT), environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    environment["RUST_BACKTRACE"] = "0"  # a crash report of one line, not fifty
    return environment


_NO_CONSOLE_WINDOW: Final[int] = getattr(subprocess, "CREATE_NO_WINDOW", 0)


class _ReplyUnpickler(pickle.Unpickler):
    """Unpickles plain data and datetime values only, nothing that could run code."""

    _ALLOWED: Final = frozenset({"date", "datetime", "time", "timedelta"})

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reading process")


def _load_reply(data: bytes) -> dict[str, Any]:
    reply = _ReplyUnpickler(io.BytesIO(data)).load()
    if not isinstance(reply, dict) or "status" not in reply:
        raise RuntimeError("malformed reply from the reading process")
    return reply
