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
holds a control character, and rows sent a column at a time, a column of text as one
string (see `worker_protocol`), which costs a fraction of pickling each cell.

Summary formulas and the date system of an .xlsx are found by the parent while this
process parses (see `workbooks`); it says which sheet it is about to parse for that.
"""

from __future__ import annotations

import gc
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sro_desktop.spreadsheets.worker_protocol import CHUNK_ROWS, FIRST_CHUNK_ROWS, write_message

Reply = dict[str, Any]
_MAX_SAFE_INTEGER = 2**53
# Control characters other than tab and line breaks, deleted from text (as cell_text does).
_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


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
            write_message(output, {"parsing": name})
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
            write_message(output, {"parsing": name})
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
    """One parsed sheet, checked against the limits, ready to be sent in chunks."""

    def __init__(self, workbook: Any, name: str, names: list[str], request: dict[str, Any]):
        self.name = name
        self.names = names
        self.sheet = workbook.get_sheet_by_name(name)
        self.merged = [
            (first[0] + 1, last[0] + 1, first[1], last[1])
            for first, last in (self.sheet.merged_cell_ranges or ())
        ]
        self.refusal: Reply | None = None
        self.has_data = False
        self.first_column = 0
        self._peeked: list[dict[str, Any]] = []
        start = self.sheet.start
        if start is None:
            return
        first_row, first_column = start
        self.first_column = first_column
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
        self._chunks = _chunks(self.sheet.iter_rows(), bool(request.get("keep_text", False)))
        for chunk in self._chunks:
            self._peeked.append(chunk)
            if chunk["filled"]:
                self.has_data = True
                break

    def send(self, output: IO[bytes]) -> None:
        if self.refusal is not None:
            write_message(output, self.refusal)
            return
        head = {
            "status": "ok",
            "sheet": self.name,
            "sheets": self.names,
            "merged": self.merged,
            "first_column": self.first_column,
        }
        write_message(output, head)
        if self.has_data:
            for chunk in itertools.chain(self._peeked, self._chunks):
                write_message(output, chunk)
        write_message(output, {"end": True})


def _chunks(cells_by_row: Iterable[list[Any]], keep_text: bool = False) -> Iterator[dict[str, Any]]:
    """The rows as messages of columns (see `worker_protocol`), a first small chunk (so
    the parent can begin) and then CHUNK_ROWS at a time.

    Text is cleaned as `cell_text` does, unless `keep_text` (a database workbook, whose
    text must come back exactly as written): then only empty text becomes None.
    """
    chunk: list[list[Any]] = []
    size = FIRST_CHUNK_ROWS
    for cells in cells_by_row:
        chunk.append(cells)
        if len(chunk) == size:
            yield _columns_message(chunk, keep_text)
            chunk = []
            size = CHUNK_ROWS
    if chunk:
        yield _columns_message(chunk, keep_text)


def _columns_message(chunk: list[list[Any]], keep_text: bool) -> dict[str, Any]:
    """One chunk of rows as cleaned columns; "filled" says whether any cell holds a value."""
    widths = set(map(len, chunk))
    width = max(widths)
    if len(widths) > 1:
        chunk = [cells + [""] * (width - len(cells)) for cells in chunk]
    columns = [_encoded(list(column), keep_text) for column in zip(*chunk, strict=True)]
    filled = any(
        column.strip("\x00") if type(column) is str else any(v is not None for v in column)
        for column in columns
    )
    return {"rows": len(chunk), "columns": columns, "filled": filled}


def _encoded(values: list[Any], keep_text: bool) -> str | list[Any]:
    """A cleaned column: text (or nothing) as one string joined by NUL, else a list.

    Cleaned text never holds a NUL (control characters are removed) and is never empty,
    so "" marks an empty cell; the parent splits the string again.
    """
    if not keep_text:
        try:
            joined = "\x00".join(values)  # TypeError: a cell is not text (or is empty)
        except TypeError:
            pass
        else:
            if _is_tidy(joined, len(values)):
                return joined
    cleaned = _clean_column(values, keep_text)
    if not keep_text and set(map(type, cleaned)) <= {str, type(None)}:
        return "\x00".join(["" if value is None else value for value in cleaned])
    return cleaned


def _is_tidy(joined: str, count: int) -> bool:
    """Whether `count` text cells joined by NUL need no cleaning: printable but for the
    joining NULs, no spaces at either end of any cell."""
    if joined.isascii():
        # Deleting the printable characters leaves the joining NULs and anything else
        # (a control character, a NUL of a cell's own): only the NULs, if it is tidy.
        # On bytes, at C speed: a fraction of the cost of str.isprintable.
        if len(joined.encode("ascii").translate(None, _PRINTABLE_ASCII)) != count - 1:
            return False
        return (
            " \x00" not in joined
            and "\x00 " not in joined
            and joined[:1] != " "
            and joined[-1:] != " "
        )
    return (
        joined.count("\x00") == count - 1
        and " \x00" not in joined
        and "\x00 " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
        and joined.replace("\x00", "").isprintable()
    )


def _clean_column(values: list[Any], keep_text: bool) -> list[Any]:
    """One column of a chunk as plain values: text cleaned, whole floats made int.

    A column of tidy text (printable, no spaces at either end, as almost every column
    is) is checked all at once on its cells joined; only other columns go cell by cell.
    """
    kinds = set(map(type, values))
    if str not in kinds and float not in kinds:
        return values  # dates, times, whole numbers, truth values: as they are
    if (  # a column of whole numbers (years, member numbers), as Excel stores them
        kinds == {float}
        and all(map(float.is_integer, values))
        and min(values) > -_MAX_SAFE_INTEGER
        and max(values) < _MAX_SAFE_INTEGER
    ):
        return list(map(int, values))
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
