"""The child process that runs python-calamine on one workbook (see workbooks.py for why).

Run as ``python -m sro_desktop.spreadsheets.calamine_worker``: it reads one JSON request
on stdin, limits its own memory and CPU time, parses the workbook, and writes its reply
on stdout as a stream of framed messages (see `worker_protocol`), so the parent can take
in the first rows while later ones are still being converted. Whatever goes wrong
becomes a message with a status; a crash inside calamine simply ends the process, which
the parent reports. Apart from python-calamine it imports only the standard library and
small modules of its own package, so the child starts in about 50 ms.

The conversion of cells is the hot loop of every import (a million cells for a large
roster), so it is written for speed: type checks by identity, text cleaned only when it
holds a control character, rows sent as tuples the parent can use as they are.
"""

from __future__ import annotations

import gc
import itertools
import json
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sro_desktop.spreadsheets.worker_protocol import CHUNK_ROWS, write_message
from sro_desktop.spreadsheets.xlsx_extras import date_system, summary_formulas

Reply = dict[str, Any]
_MAX_SAFE_INTEGER = 2**53
# Control characters other than tab and line breaks, deleted from text (as cell_text does).
_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def main() -> int:
    # A short-lived process making a million tuples and strings: the cycle collector
    # would only walk them again and again (they hold no cycles).
    gc.disable()
    request: dict[str, Any] = json.loads(sys.stdin.buffer.read())
    output = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the reply may reach the parent's pipe
    _limit_resources(int(request["memory_bytes"]), int(request["cpu_seconds"]))
    try:
        _answer(request, output)
    except MemoryError:
        write_message(output, {"status": "too_large"})
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


def _answer(request: dict[str, Any], output: IO[bytes]) -> None:
    try:
        _read(request, output)
    except MemoryError:
        raise
    except BaseException as exc:
        # A Rust panic arrives as pyo3_runtime.PanicException, a BaseException.
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        write_message(output, _failure(exc))


def _failure(exc: BaseException) -> Reply:
    if type(exc).__name__ == "PasswordError":
        return {"status": "password"}
    if "limit exceeded" in str(exc).lower():  # calamine's own guard against huge sheets
        return {"status": "too_large"}
    return {"status": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:500]}


def _read(request: dict[str, Any], output: IO[bytes]) -> None:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    workbook = _open_workbook(CalamineWorkbook, request["path"])
    with workbook:
        worksheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        names = [m.name for m in worksheets]
        if not names:
            write_message(output, {"status": "no_sheets"})
            return
        if request["op"] == "sheets":
            write_message(output, {"status": "ok", "sheets": names})
            return
        wanted: str | None = request["sheet"]
        if wanted is not None:
            name = _resolve(wanted, names)
            if name is None:
                write_message(
                    output, {"status": "no_such_sheet", "sheets": names, "wanted": wanted}
                )
                return
            try:
                sheet = _SheetReader(workbook, name, names, request)
            except MemoryError:
                raise
            except Exception as exc:
                failure = {"status": "sheet_unreadable", "sheet": name, "detail": str(exc)[:500]}
                write_message(output, failure)
                return
            sheet.send(output)
            return
        # The first visible sheet with data; hidden sheets only if no visible one has any.
        visible = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible]
        hidden = [name for name in names if name not in visible]
        failures = 0
        for name in visible + hidden:
            try:
                sheet = _SheetReader(workbook, name, names, request)
            except MemoryError:
                raise
            except Exception:
                failures += 1
                continue
            if sheet.refusal is not None or sheet.has_data:
                sheet.send(output)
                return
        write_message(output, {"status": "damaged" if failures == len(names) else "no_data"})


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


class _SheetReader:
    """One parsed sheet, checked against the limits, ready to be sent in chunks.

    While calamine parses the sheet (in Rust, without holding the GIL), a thread looks
    through an .xlsx sheet's XML for summary formulas such as =SUM(F2:F99), which
    calamine does not report; `xlsx_extras` explains the rule.
    """

    def __init__(self, workbook: Any, name: str, names: list[str], request: dict[str, Any]):
        self.name = name
        self.names = names
        self.formulas: list[tuple[int, str]] = []
        self.date_system = 1900
        scan = threading.Thread(target=self._scan_formulas, args=(request["path"], name))
        scan.start()
        try:
            self.sheet = workbook.get_sheet_by_name(name)
        finally:
            scan.join()
        self.merged = [
            (first[0] + 1, last[0] + 1, first[1], last[1])
            for first, last in (self.sheet.merged_cell_ranges or ())
        ]
        self.refusal: Reply | None = None
        self.has_data = False
        self._peeked: list[list[tuple[Any, ...]]] = []
        start = self.sheet.start
        if start is None:
            return
        first_row, first_column = start
        row_count = first_row + self.sheet.height
        width = self.sheet.width
        if row_count > int(request["max_rows"]):
            self.refusal = {"status": "too_many_rows", "sheet": name, "limit": request["max_rows"]}
        elif row_count * width > int(request["max_cells"]):
            # iter_rows yields the empty rows above the data too, `width` cells each.
            self.refusal = {
                "status": "too_large_area",
                "sheet": name,
                "rows": row_count,
                "columns": first_column + width,
            }
            return
        # A sheet whose cells hold only spaces has no data: look as far as the first
        # chunk with a filled row (the first one, as a rule) and keep what was looked at.
        self._chunks = _chunks(
            self.sheet.iter_rows(), first_column, bool(request.get("keep_text", False))
        )
        for chunk in self._chunks:
            self._peeked.append(chunk)
            if any(chunk):
                self.has_data = True
                break

    def _scan_formulas(self, path: str, name: str) -> None:
        try:
            self.formulas = summary_formulas(path, name)
            self.date_system = date_system(path)
        except Exception:  # a damaged part: calamine will say so, or read it anyway
            self.formulas = []

    def send(self, output: IO[bytes]) -> None:
        if self.refusal is not None:
            write_message(output, self.refusal)
            return
        head = {
            "status": "ok",
            "sheet": self.name,
            "sheets": self.names,
            "merged": self.merged,
            "date_system": self.date_system,
            "formulas": self.formulas,
        }
        write_message(output, head)
        if self.has_data:
            for rows in itertools.chain(self._peeked, self._chunks):
                write_message(output, {"rows": rows})
        write_message(output, {"end": True})


def _chunks(
    cells_by_row: Iterable[list[Any]], first_column: int, keep_text: bool = False
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of plain values from column A, CHUNK_ROWS at a time, trailing empty cells off.

    Text is cleaned as `cell_text` does, unless `keep_text` (a database workbook, whose
    text must come back exactly as written): then only empty text becomes None.
    Each chunk is cleaned a column at a time (see `_clean_column`), then made rows again.
    """
    padding = (None,) * first_column
    chunk: list[list[Any]] = []
    for cells in cells_by_row:
        chunk.append(cells)
        if len(chunk) == CHUNK_ROWS:
            yield _clean_rows(chunk, padding, keep_text)
            chunk = []
    if chunk:
        yield _clean_rows(chunk, padding, keep_text)


def _clean_rows(
    chunk: list[list[Any]], padding: tuple[None, ...], keep_text: bool
) -> list[tuple[Any, ...]]:
    widths = set(map(len, chunk))
    width = max(widths)
    if len(widths) > 1:
        chunk = [cells + [""] * (width - len(cells)) for cells in chunk]
    columns = [_clean_column(list(column), keep_text) for column in zip(*chunk, strict=True)]
    rows = list(zip(*columns, strict=True)) if columns else [() for _ in chunk]
    if padding:
        rows = [padding + row for row in rows]
    # Rows end at their last value: most rows are full, the others are cut here.
    return [row if row and row[-1] is not None else _trimmed(row) for row in rows]


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _clean_column(values: list[Any], keep_text: bool) -> list[Any]:
    """One column of a chunk as plain values: text cleaned, whole floats made int.

    A column of tidy text (printable, no spaces at either end, as almost every column
    is) is checked all at once on its cells joined; only other columns go cell by cell.
    """
    kinds = set(map(type, values))
    if str not in kinds and float not in kinds:
        return values  # dates, times, whole numbers, truth values: as they are
    if kinds == {str}:
        if keep_text:
            return [value or None for value in values]
        joined = "|".join(values)
        if (
            joined.isprintable()
            and "| " not in joined
            and " |" not in joined
            and joined[:1] != " "
            and joined[-1:] != " "
        ):
            return [value or None for value in values]
    for index, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if keep_text:
                if not value:
                    values[index] = None
            elif value.isprintable():
                values[index] = value.strip() or None
            else:
                values[index] = value.translate(_CONTROL_CHARACTERS).strip() or None
        # Excel stores every number as a float; 42.0 is the member number 42.
        elif kind is float and value.is_integer() and abs(value) < _MAX_SAFE_INTEGER:
            values[index] = int(value)
    return values


if __name__ == "__main__":
    sys.exit(main())
