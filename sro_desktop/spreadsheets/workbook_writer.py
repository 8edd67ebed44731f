"""Writing .xlsx workbooks that look finished and are safe to open.

Every sheet gets a bold header row that stays in view (frozen), an autofilter over the
table, columns as wide as their contents (within reason), and real cells for what they
hold: dates as dates, money as currency, numbers as numbers, yes/no as TRUE/FALSE, so
sorting, filtering and sums work in Excel.

Text is never written as a formula. A value that begins with =, +, -, @, a tab or a
carriage return is a classic spreadsheet injection (OWASP "CSV injection"): the cell is
written as text and marked with Excel's quote prefix, so neither opening the file nor
editing the cell later turns it into a formula. Characters XML cannot hold (control
characters other than tab and line breaks) are left out.

openpyxl's write-only mode streams rows to disk, so a 100,000-row export stays small in
memory. The file is written next to its destination and moved into place at the end,
so a failed export never leaves half a file where the old one was.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Final, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from sro_desktop.errors import UnusableInput

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "Column",
    "SheetSpec",
    "is_risky_text",
    "write_workbook",
]

Kind = Literal["text", "date", "datetime", "money", "integer", "number", "bool", "hours"]

DATE_FORMAT: Final = "mm/dd/yyyy"
DATETIME_FORMAT: Final = "mm/dd/yyyy hh:mm"
MONEY_FORMAT: Final = '"$"#,##0.00;[Red]-"$"#,##0.00'
HOURS_FORMAT: Final = "0.00"
_FORMATS: Final = {
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "money": MONEY_FORMAT,
    "hours": HOURS_FORMAT,
}
#: Excel's limit for the text of one cell.
MAX_CELL_TEXT: Final = 32_767
_RISKY_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPE_LIKE: Final = re.compile(r"_x[0-9A-Fa-f]{4}_")
_MIN_WIDTH: Final = 6
_MAX_WIDTH: Final = 60
_WIDTH_SAMPLE_ROWS: Final = 500
_HEADER_FONT: Final = Font(bold=True)
_TITLE_FONT: Final = Font(bold=True, size=13)
_NOTE_FONT: Final = Font(italic=True, color="555555")
_HEADER_FILL: Final = PatternFill("solid", fgColor="E8EEF4")


@dataclass(frozen=True)
class Column:
    """One column: its header, what it holds, and optionally a fixed width."""

    header: str
    kind: Kind = "text"
    width: float | None = None


@dataclass
class SheetSpec:
    """A sheet to write: its title, columns and rows (values in column order)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    #: Lines written above the table (a title, the date of the export); the header
    #: row then follows a blank line, and is still frozen and filtered.
    preamble: Sequence[str] = field(default_factory=tuple)


def is_risky_text(text: str) -> bool:
    """Whether Excel could take `text` for a formula."""
    return text.startswith(_RISKY_STARTS)


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if "_x" in value or "\r" in value:
        # XML turns a carriage return into a line feed; Excel writes it as _x000D_ (and
        # a literal "_x" that could be read as such an escape as _x005F_x).
        value = _ESCAPE_LIKE.sub(r"_x005F\g<0>", value).replace("\r", "_x000D_")
    return value


class _SheetWriter:
    """Turns plain values into cells of one sheet, styles made once."""

    def __init__(self, workbook: Workbook, spec: SheetSpec) -> None:
        self.spec = spec
        self.sheet = workbook.create_sheet(_sheet_title(spec.title))
        self.kinds = [column.kind for column in spec.columns]

    def _cell(self, value: Any, kind: Kind) -> Any:
        if value is None:
            return None
        if isinstance(value, Enum):
            value = getattr(value, "label", value.value)
        if isinstance(value, str):
            risky = is_risky_text(value)
            value = _text(value)
            if risky:
                cell = WriteOnlyCell(self.sheet, value)
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
                return cell
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        number_format = _FORMATS.get(kind)
        if isinstance(value, datetime) and kind == "date":
            number_format = DATETIME_FORMAT
        elif isinstance(value, date) and not isinstance(value, datetime):
            number_format = DATE_FORMAT
        elif isinstance(value, time | timedelta):
            return str(value)
        if number_format is None:
            return value
        cell = WriteOnlyCell(self.sheet, value)
        cell.number_format = number_format
        return cell

    def write(self) -> None:
        sheet = self.sheet
        spec = self.spec
        columns = spec.columns
        # A write-only sheet writes its column widths and frozen panes before its first
        # row, so they are worked out from a sample of the rows before anything is added.
        rows = iter(spec.rows)
        sample: list[Sequence[Any]] = []
        for row in rows:
            sample.append(row)
            if len(sample) >= _WIDTH_SAMPLE_ROWS:
                break
        widths = [len(column.header) + 2 for column in columns]
        for row in sample:
            for index, value in enumerate(row):
                widths[index] = max(widths[index], _shown_width(value, self.kinds[index]))
        if spec.preamble:
            widths[0] = max(widths[0], 12)
        for index, column in enumerate(columns):
            width = column.width or min(max(widths[index], _MIN_WIDTH), _MAX_WIDTH)
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        header_row = len(spec.preamble) + 2 if spec.preamble else 1
        sheet.freeze_panes = f"A{header_row + 1}"
        for number, line in enumerate(spec.preamble):
            title = WriteOnlyCell(sheet, _text(line))
            title.font = _TITLE_FONT if number == 0 else _NOTE_FONT
            sheet.append([title])
        if spec.preamble:
            sheet.append([])
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, _text(column.header))
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            header.append(cell)
        sheet.append(header)
        count = 0
        kinds = self.kinds
        cell = self._cell
        for row in _chain(sample, rows):
            sheet.append([cell(value, kinds[i]) for i, value in enumerate(row)])
            count += 1
        last_column = get_column_letter(max(len(columns), 1))
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(count, 1)}"


def _chain(first: list[Sequence[Any]], rest: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield from first
    yield from rest


def _shown_width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "money" or isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 3
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    if isinstance(value, bool):
        return 6
    text = value.label if isinstance(value, Enum) and hasattr(value, "label") else str(value)
    longest = max((len(line) for line in text.splitlines()), default=0)
    return longest + 2


def _sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'") or "Sheet"
    return cleaned[:31]


def _save(workbook: Workbook, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_workbook(path: Path, sheets: Sequence[SheetSpec]) -> Path:
    """Write `sheets` to `path` (replacing it); refusals say which file and what to do."""
    folder = path.parent
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for spec in sheets:
            title = _sheet_title(spec.title)
            number = 2
            while title.casefold() in taken:
                suffix = f" ({number})"
                title = _sheet_title(spec.title)[: 31 - len(suffix)] + suffix
                number += 1
            taken.add(title.casefold())
            spec.title = title
            _SheetWriter(workbook, spec).write()
        _save(workbook, path)
    except BaseException as error:
        for sheet in workbook.worksheets:  # let go of the sheets' temporary files
            with contextlib.suppress(Exception):
                sheet.close()
        if isinstance(error, PermissionError):
            raise UnusableInput(
                f"{path.name} could not be written ({error.strerror}); if it is open in "
                "Excel, close it there, or choose another name or folder."
            ) from error
        if isinstance(error, OSError):
            raise UnusableInput(
                f"{path.name} could not be written ({error.strerror or error}); "
                "choose another folder and try again."
            ) from error
        raise
    return path
