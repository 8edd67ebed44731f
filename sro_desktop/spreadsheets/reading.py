"""Reading a spreadsheet file into plain rows, or into the table it holds.

The public entry points of the reading layer:

* `list_sheets(path)`: the sheet names, for a "which sheet?" choice;
* `read_table(path, sheet=None)`: the table in a sheet, its header found below any
  titles or notes, its data rows up to a blank or summary row (see `table_finding`);
* `read_raw_rows(path, sheet=None)`: every row as it stands, for readers of special
  layouts such as a Zoom participants report with a preamble.

Reads .xlsx, .xlsm, .xlsb, .xls and .ods (with python-calamine, see `workbooks`) and
.csv, .tsv and .txt (with the csv module, see `delimited`). What a file is, is judged
by its content, so an .xlsx saved as ".xls" still reads, and a tab-separated text file
exported as ".xls" by a web site is read as text, as Excel does. Cells arrive as plain
Python (`CellValue`): stripped text, never empty; int (a whole number, even if Excel
stored 42.0) or float; bool; date, datetime, time or timedelta as the workbook typed
them (1904-based workbooks included); None for an empty cell. Text files give text only.

Anything that cannot be read raises `UnusableInput`, one sentence naming the file and
saying what to do: unsupported, missing, empty, password-protected, damaged, not a
spreadsheet at all, or too large (see `limits`, checked before parsing wherever the
file allows it, see `safety`). Nothing here imports Qt; all of it may run off the GUI
thread.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sro_desktop.spreadsheets import refusals, safety
from sro_desktop.spreadsheets.delimited import read_delimited
from sro_desktop.spreadsheets.file_kinds import FileKind, sniff
from sro_desktop.spreadsheets.limits import MAX_FILE_BYTES, MAX_ROWS
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetContent, SheetRow, Table
from sro_desktop.spreadsheets.table_finding import find_table
from sro_desktop.spreadsheets.workbooks import (
    RowsListener,
    list_workbook_sheets,
    read_workbook_sheet,
)

__all__ = [
    "READABLE_SUFFIXES",
    "CellValue",
    "SheetRow",
    "Table",
    "list_sheets",
    "read_raw_rows",
    "read_table",
]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
READABLE_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
# Of these only .xls is ever really text (web sites export tab-separated text as .xls).
_NEVER_TEXT = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods"})


def list_sheets(path: Path) -> list[str]:
    """The names of the sheets of cells, in workbook order; a text file has one, its stem."""
    if _is_workbook(path):
        return list_workbook_sheets(path, path.name)
    return [path.stem]


def read_raw_rows(
    path: Path, sheet: str | None = None, max_rows: int = MAX_ROWS, *, keep_text: bool = False
) -> tuple[str, list[SheetRow]]:
    """The sheet's name and every row from row 1 to its last non-blank row.

    Blank rows are included (with empty `values`) and `values[0]` is always column A;
    trailing empty cells are left off. `sheet` defaults to the first sheet with data.
    A sheet with more than `max_rows` rows is refused, never cut short. `keep_text`
    keeps a workbook's text exactly as stored (spaces at the ends included).
    """
    content = _read(path, sheet, max_rows, keep_text)
    return content.sheet, list(content.rows)


def read_table(path: Path, sheet: str | None = None, listener: RowsListener | None = None) -> Table:
    """The table in `sheet` (default: the first sheet with data); see `table_finding`.

    `listener` is told of the sheet's rows chunk by chunk as they are read (all at once
    for a text file), before the table is found in them.
    """
    content = _read(path, sheet, MAX_ROWS, listener=listener)
    return find_table(content)


def _read(
    path: Path,
    sheet: str | None,
    max_rows: int,
    keep_text: bool = False,
    listener: RowsListener | None = None,
) -> SheetContent:
    name = path.name
    if _is_workbook(path):
        return read_workbook_sheet(path, name, sheet, max_rows, keep_text, listener)
    if sheet is not None and sheet.strip().casefold() != path.stem.casefold():
        raise refusals.sheet_not_found(name, sheet, [path.stem])
    rows = read_delimited(path, name, max_rows)
    if not rows:
        raise refusals.text_has_no_data(name)
    content = SheetContent(file_name=name, sheet=path.stem, sheet_names=(path.stem,), rows=rows)
    if listener is not None:
        listener(dataclasses.replace(content, rows=()), list(rows))
    return content


def _is_workbook(path: Path) -> bool:
    """Check that `path` is a file we can read; True for a workbook, False for text."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise refusals.unsupported_type(name)
    try:
        if not path.exists():
            raise refusals.file_not_found(name)
        if not path.is_file():
            raise refusals.not_a_file(name)
        size = path.stat().st_size
        if size == 0:
            raise refusals.empty_file(name)
        if size > MAX_FILE_BYTES:
            raise refusals.file_too_large(name, size, MAX_FILE_BYTES)
        content = sniff(path)
        if content.kind is FileKind.ZIP:
            safety.check_zip_workbook(path, name)
            return True
        if content.kind is FileKind.OLE:
            safety.check_ole_container(path, name)
            return True
    except OSError as exc:
        raise refusals.cannot_open(name) from exc
    if content.kind is FileKind.TEXT:
        if suffix in _NEVER_TEXT:
            raise refusals.text_with_workbook_name(name)
        return False
    if content.kind is FileKind.WEB_PAGE:
        raise refusals.web_page(name)
    if content.kind is FileKind.EXCEL_2003_XML:
        raise refusals.old_excel_xml(name)
    if content.kind is FileKind.EMPTY:
        raise refusals.empty_file(name)
    if content.description is not None:
        raise refusals.not_a_spreadsheet(name, content.description)
    if suffix in WORKBOOK_SUFFIXES:
        raise refusals.damaged(name)
    raise refusals.not_text(name)
