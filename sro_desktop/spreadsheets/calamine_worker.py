"""The child process that runs python-calamine on one workbook (see workbooks.py for why).

Run as ``python -m sro_desktop.spreadsheets.calamine_worker``: it reads one JSON request
on stdin, limits its own memory and CPU time, parses the workbook, and writes one pickled
reply (plain dicts, tuples, str, numbers and datetime values) on stdout. Whatever goes
wrong becomes a reply with a status; a crash inside calamine simply ends the process,
which the parent reports. Apart from python-calamine it imports only the standard
library and `cell_text`, so the child starts in about 50 ms.
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Iterable
from typing import Any

from sro_desktop.spreadsheets.cell_text import clean_text

Reply = dict[str, Any]
_MAX_SAFE_INTEGER = 2**53


def main() -> int:
    request: dict[str, Any] = json.loads(sys.stdin.buffer.read())
    output = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the reply may reach the parent's pipe
    _limit_resources(int(request["memory_bytes"]), int(request["cpu_seconds"]))
    reply = _answer(request)
    pickle.dump(reply, output, protocol=pickle.HIGHEST_PROTOCOL)
    output.flush()
    return 0


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    if sys.platform == "win32":
        return
    import resource

    limits = ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds))
    for which, value in limits:
        try:
            _soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):  # not supported here (e.g. RLIMIT_AS on macOS)
            pass


def _answer(request: dict[str, Any]) -> Reply:
    try:
        return _read(request)
    except MemoryError:
        return {"status": "too_large"}
    except BaseException as exc:
        # A Rust panic arrives as pyo3_runtime.PanicException, a BaseException.
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        if type(exc).__name__ == "PasswordError":
            return {"status": "password"}
        if "limit exceeded" in str(exc).lower():  # calamine's own guard against huge sheets
            return {"status": "too_large"}
        return {"status": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:500]}


def _read(request: dict[str, Any]) -> Reply:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    workbook = _open_workbook(CalamineWorkbook, request["path"])
    with workbook:
        worksheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        names = [m.name for m in worksheets]
        if not names:
            return {"status": "no_sheets"}
        if request["op"] == "sheets":
            return {"status": "ok", "sheets": names}
        wanted: str | None = request["sheet"]
        if wanted is not None:
            name = _resolve(wanted, names)
            if name is None:
                return {"status": "no_such_sheet", "sheets": names, "wanted": wanted}
            try:
                return _sheet_reply(workbook, name, names, request)
            except MemoryError:
                raise
            except Exception as exc:
                return {"status": "sheet_unreadable", "sheet": name, "detail": str(exc)[:500]}
        # The first visible sheet with data; hidden sheets only if no visible one has any.
        visible = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible]
        hidden = [name for name in names if name not in visible]
        failures = 0
        for name in visible + hidden:
            try:
                reply = _sheet_reply(workbook, name, names, request)
            except MemoryError:
                raise
            except Exception:
                failures += 1
                continue
            if reply["status"] != "ok" or reply["rows"]:
                return reply
        return {"status": "damaged" if failures == len(names) else "no_data"}


def _open_workbook(workbook_class: Any, path: str) -> Any:
    # from_path picks the format by extension and reports passwords; from_filelike
    # recognises the format by content (a misnamed file) but reports any failure as
    # "Cannot detect file format". So: by name first, then by content.
    try:
        return workbook_class.from_path(path)
    except Exception as by_name:
        if type(by_name).__name__ == "PasswordError":
            raise
        try:
            with open(path, "rb") as file:
                return workbook_class.from_filelike(file)
        except Exception:
            raise by_name from None


def _resolve(wanted: str, names: list[str]) -> str | None:
    if wanted in names:
        return wanted
    loose = [name for name in names if name.strip().casefold() == wanted.strip().casefold()]
    return loose[0] if len(loose) == 1 else None


def _sheet_reply(workbook: Any, name: str, names: list[str], request: dict[str, Any]) -> Reply:
    sheet = workbook.get_sheet_by_name(name)
    merged = [
        (first[0] + 1, last[0] + 1, first[1], last[1])
        for first, last in (sheet.merged_cell_ranges or ())
    ]
    start = sheet.start
    if start is None:
        return {"status": "ok", "sheet": name, "sheets": names, "rows": [], "merged": merged}
    first_row, first_column = start
    row_count = first_row + sheet.height
    width = sheet.width
    if row_count > int(request["max_rows"]):
        return {"status": "too_many_rows", "sheet": name, "limit": int(request["max_rows"])}
    # iter_rows yields the empty rows above the data too, `width` cells each.
    if row_count * width > int(request["max_cells"]):
        return {
            "status": "too_large_area",
            "sheet": name,
            "rows": row_count,
            "columns": first_column + width,
        }
    rows = _plain_rows(sheet.iter_rows(), first_column)
    while rows and not rows[-1]:
        rows.pop()
    return {"status": "ok", "sheet": name, "sheets": names, "rows": rows, "merged": merged}


def _plain_rows(cells_by_row: Iterable[list[Any]], first_column: int) -> list[tuple[Any, ...]]:
    padding = (None,) * first_column
    rows: list[tuple[Any, ...]] = []
    for cells in cells_by_row:
        values = [_plain(value) for value in cells]
        while values and values[-1] is None:
            values.pop()
        rows.append(padding + tuple(values) if values else ())
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    # Excel stores every number as a float; 42.0 is the member number 42.
    if isinstance(value, float) and value.is_integer() and abs(value) < _MAX_SAFE_INTEGER:
        return int(value)
    return value


if __name__ == "__main__":
    sys.exit(main())
