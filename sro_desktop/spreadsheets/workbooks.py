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

While the child parses a sheet, this process looks through an .xlsx sheet's XML for
summary formulas and reads its date system (`xlsx_extras`), which calamine does not
report; it would otherwise wait idle, and in the child the search would hold up calamine.

A frozen (packaged) app cannot run ``python -m``; there the executable is started with
WORKER_ARGUMENT and its entry point must call `calamine_worker.main()` when it sees it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import logging
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from itertools import count, repeat
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
from sro_desktop.spreadsheets.worker_protocol import chunk_rows, decode, read_frame
from sro_desktop.spreadsheets.xlsx_extras import date_system, summary_formulas

__all__ = ["WORKER_ARGUMENT", "list_workbook_sheets", "read_workbook_sheet"]

log = logging.getLogger(__name__)

WORKER_ARGUMENT: Final = "--sro-read-workbook"
_WORKER_MODULE: Final = "sro_desktop.spreadsheets.calamine_worker"
_PACKAGE_ROOT: Final = Path(__file__).resolve().parents[2]


def list_workbook_sheets(path: Path, name: str) -> list[str]:
    """The names of the sheets of cells (not charts) in workbook order, hidden ones included."""
    request = {"op": "sheets", "path": str(path.absolute()), "sheet": None}
    with _WorkerRun(request, name) as run:
        head = run.head()
    sheets: list[str] = head["sheets"]
    return sheets


RowsListener = Callable[[SheetContent, list[SheetRow]], None]
"""Told of each chunk of rows as it arrives: the sheet (without rows) and the new rows."""


def read_workbook_sheet(
    path: Path,
    name: str,
    sheet: str | None,
    max_rows: int = MAX_ROWS,
    keep_text: bool = False,
    listener: RowsListener | None = None,
) -> SheetContent:
    """Every row of `sheet` (default: the first sheet with data), values as plain Python.

    `keep_text` leaves text exactly as stored (not stripped), for a database workbook.
    `listener` sees the rows chunk by chunk while later ones are still being read (an
    import checks them meanwhile).
    """
    request = {
        "op": "rows",
        "path": str(path.absolute()),
        "sheet": sheet,
        "max_rows": max_rows,
        "keep_text": keep_text,
    }
    extras = _SheetExtras(path)
    with _WorkerRun(request, name) as run:
        message = run.next_message()
        while "parsing" in message:
            extras.look_at(str(message["parsing"]))
            message = run.next_message()
        _raise_for_status(message, name)
        head = message
        formulas, system = extras.of(str(head["sheet"]))
        start = SheetContent(
            file_name=name,
            sheet=head["sheet"],
            sheet_names=tuple(head["sheets"]),
            rows=(),
            merged=tuple(MergedRange(*cells) for cells in head["merged"]),
            summary_formulas=tuple(formulas),
            date_system=system,
        )
        first_column = int(head.get("first_column", 0))
        rows: list[SheetRow] = []
        while True:
            message = run.next_message()
            if "end" in message:
                break
            try:
                chunk = chunk_rows(message, first_column)
            except (KeyError, TypeError, ValueError, pickle.UnpicklingError) as exc:
                raise RuntimeError(f"the reading process garbled its reply on {name}") from exc
            # SheetRow(number, values) for each row, made in C: a sheet may have a million.
            new = list(map(tuple.__new__, repeat(SheetRow), zip(count(len(rows) + 1), chunk)))
            rows.extend(new)
            if listener is not None:
                listener(start, new)
    while rows and not rows[-1].values:
        rows.pop()
    return dataclasses.replace(start, rows=tuple(rows))


class _SheetExtras:
    """Summary formulas and date system of the sheets the child parses, found meanwhile
    in a thread (reading the zip releases the GIL, and this process is waiting anyway)."""

    def __init__(self, path: Path) -> None:
        self._path = str(path.absolute())
        self._found: dict[str, tuple[list[tuple[int, str]], int]] = {}
        self._threads: dict[str, threading.Thread] = {}

    def look_at(self, sheet: str) -> None:
        if sheet not in self._threads:
            thread = threading.Thread(target=self._find, args=(sheet,), daemon=True)
            self._threads[sheet] = thread
            thread.start()

    def of(self, sheet: str) -> tuple[list[tuple[int, str]], int]:
        """(row, formula) of the sheet's summary formulas, and its date system."""
        thread = self._threads.get(sheet)
        if thread is None:
            self._find(sheet)
        else:
            thread.join()
        return self._found.get(sheet, ([], 1900))

    def _find(self, sheet: str) -> None:
        try:
            formulas = [(int(row), str(text)) for row, text in summary_formulas(self._path, sheet)]
            system = date_system(self._path)
        except Exception:  # a damaged part: calamine will say so, or read it anyway
            formulas, system = [], 1900
        self._found[sheet] = (formulas, 1904 if system == 1904 else 1900)


class _WorkerRun:
    """One run of the reading process: its reply read message by message as it comes.

    A watchdog kills the process after READ_TIMEOUT_SECONDS; its error output goes to a
    temporary file, so a chatty child can never block on a full pipe.
    """

    def __init__(self, request: dict[str, Any], name: str) -> None:
        self.name = name
        self.request = {
            "max_rows": MAX_ROWS,
            "max_cells": MAX_CELLS,
            "memory_bytes": WORKER_MEMORY_BYTES,
            "cpu_seconds": int(READ_TIMEOUT_SECONDS) + 5,
            **request,
        }
        self._timed_out = threading.Event()

    def __enter__(self) -> _WorkerRun:
        self._errors = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                _worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env=_worker_environment(),
                creationflags=_NO_CONSOLE_WINDOW,
            )
        except BaseException:
            self._errors.close()
            raise
        # A thread takes the reply off the pipe as it comes (reading releases the GIL), so
        # the reading process never waits for this one to be done with a chunk.
        self._frames: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read_frames, daemon=True)
        self._reader.start()
        self._watchdog = threading.Timer(READ_TIMEOUT_SECONDS, self._stop)
        self._watchdog.daemon = True
        self._watchdog.start()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(self.request).encode("utf-8"))
            self._process.stdin.close()
        except OSError:  # the child died at once; what it said is read below
            pass
        return self

    def _read_frames(self) -> None:
        assert self._process.stdout is not None
        try:
            while (frame := read_frame(self._process.stdout)) is not None:
                self._frames.put(frame)
        except (OSError, ValueError, pickle.UnpicklingError):
            pass
        self._frames.put(None)

    def _stop(self) -> None:
        self._timed_out.set()
        self._process.kill()

    def __exit__(self, *exc_info: object) -> None:
        self._watchdog.cancel()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join(timeout=READ_TIMEOUT_SECONDS)
        assert self._process.stdout is not None
        self._process.stdout.close()
        self._errors.close()

    def head(self) -> dict[str, Any]:
        """The first message, refusals raised as the sentence for the user."""
        message = self.next_message()
        _raise_for_status(message, self.name)
        return message

    def next_message(self) -> dict[str, Any]:
        frame = self._frames.get()
        if frame is None:
            self._frames.put(None)  # the end stays the end for any later call
            self._died()
        assert frame is not None
        try:
            message = decode(frame)
        except pickle.UnpicklingError as exc:
            raise RuntimeError(f"the reading process garbled its reply on {self.name}") from exc
        if "status" in message and message["status"] != "ok":
            _raise_for_status(message, self.name)
        return message

    def _died(self) -> None:
        """The reply stopped short: the process was stopped, crashed or ran out of memory."""
        returncode = self._process.wait()
        if self._timed_out.is_set():
            raise refusals.took_too_long(self.name, READ_TIMEOUT_SECONDS)
        self._errors.seek(0)
        report = self._errors.read().decode("utf-8", "replace").strip()
        if "Traceback (most recent call last)" in report and "MemoryError" not in report:
            raise RuntimeError(f"the reading process failed on {self.name}:\n{report[-3000:]}")
        log.warning(
            "Reading %s stopped the reading process (exit code %s): %s",
            self.name,
            returncode,
            report[:1000],
        )
        raise refusals.unsafe_to_read(self.name)


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
    if _calamine_folder() is not None:
        # Without `site` (-S): the child needs only python-calamine's folder and ours,
        # both on its PYTHONPATH, and starts a third sooner without the .pth files.
        return [sys.executable, "-S", "-m", _WORKER_MODULE]
    return [sys.executable, "-m", _WORKER_MODULE]


@functools.cache
def _calamine_folder() -> str | None:
    """The folder python-calamine is installed in (site-packages, as a rule)."""
    try:
        spec = importlib.util.find_spec("python_calamine")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.dirname(next(iter(spec.submodule_search_locations)))


def _worker_environment() -> dict[str, str]:
    environment = dict(os.environ)
    paths = [str(_PACKAGE_ROOT), _calamine_folder() or "", environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    environment["RUST_BACKTRACE"] = "0"  # a crash report of one line, not fifty
    return environment


_NO_CONSOLE_WINDOW: Final[int] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
