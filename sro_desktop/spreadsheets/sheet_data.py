"""The plain values a spreadsheet is read into, before anything knows about members.

Everything here is immutable Python data, so it can cross threads and processes and be
compared in tests. Row numbers are the spreadsheet's own (1-based, as Excel shows them);
column positions are 0-based indexes into `values` (0 is column A).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple, TypeAlias

__all__ = [
    "CellValue",
    "MergedRange",
    "SheetContent",
    "SheetRow",
    "Table",
    "column_letter",
    "is_blank",
]

CellValue: TypeAlias = str | int | float | bool | date | datetime | time | timedelta | None
"""One cell: text (stripped, never empty), a number, a truth value, a date or time, or None."""


class SheetRow(NamedTuple):
    """One row as it stands in the sheet (a named tuple: a large sheet has many)."""

    row_number: int
    values: tuple[CellValue, ...]


@dataclass(frozen=True)
class Table:
    """The table found in a sheet: its header and the data rows beneath it.

    `rows` holds only non-blank data rows, each with exactly one value per header.
    `ended_by` says why the table stopped before the sheet did, e.g. ``"blank row 57"``
    or ``'summary row 58 ("Total")'``; it is None when the table runs to the last row.
    """

    file_name: str
    sheet: str
    sheet_names: tuple[str, ...]
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    ended_by: str | None
    #: 1904 for a workbook counting days from 1904 (old Macs): how to read serial numbers.
    date_system: int = 1900
    #: The sheet column (0 is A) of the first header.
    first_column: int = 0


class MergedRange(NamedTuple):
    """Cells merged into one; the value sits in the top-left cell only."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int


@dataclass(frozen=True)
class SheetContent:
    """Every row of one sheet as read, before a table is looked for.

    `rows` is dense: one entry per row from row 1 to the last non-blank row, blank rows
    included (with empty `values`); trailing empty cells of a row are left off.
    """

    file_name: str
    sheet: str
    sheet_names: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    merged: tuple[MergedRange, ...] = ()
    #: (row number, formula) of rows holding a formula that sums up the rows above it
    #: (.xlsx and .ods, see `xlsx_extras`).
    summary_formulas: tuple[tuple[int, str], ...] = ()
    date_system: int = 1900


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column index: 0 -> "A", 26 -> "AA"."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def is_blank(values: tuple[CellValue, ...]) -> bool:
    # Rows as read have no trailing empty cells, so the last cell usually decides.
    return not values or (values[-1] is None and all(value is None for value in values))
