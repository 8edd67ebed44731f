"""Shared pieces of the finance workbooks: currency number formats, safe text cells and
saving whole or not at all.

Every number is written as a plain value (never a formula), so any reader shows the same
figures without recalculating; amounts carry a currency number format so Excel shows
"$1,250.00" while the cell holds 1250.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from sro_desktop.errors import UnusableInput
from sro_desktop.services.currency import currency_symbol

DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TOTAL_FILL = PatternFill("solid", fgColor="EEF2F7")
LEFT = Alignment(horizontal="left")
RIGHT = Alignment(horizontal="right")
# Column widths (in characters) that fit across a portrait Letter/A4 page.
PORTRAIT_WIDTH = 95
# Text starting with these would be read as a formula (or DDE) by a spreadsheet program.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def money_format(currency: str) -> str:
    """An Excel number format for the currency, negatives in red with a minus sign."""
    symbol = currency_symbol(currency).replace('"', "")
    return f'"{symbol}"#,##0.00;[Red]-"{symbol}"#,##0.00'


class SheetWriter:
    """Appends rows to a write-only worksheet (fast for a year of 60,000 payments), giving
    each value its proper cell type and format. Column widths and the frozen header row
    are set first, as a write-only sheet requires."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        currency: str,
        widths: Sequence[float],
        *,
        freeze_header: bool = False,
    ) -> None:
        self.sheet = workbook.create_sheet(title)
        self.money = money_format(currency)
        self.row = 0
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze_header:
            self.sheet.freeze_panes = "A2"
        # Printed, every sheet is as wide as the page (as many pages tall as it needs), in
        # landscape when its columns are wider than a portrait page.
        self.sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        if sum(widths) > PORTRAIT_WIDTH:
            self.sheet.page_setup.orientation = "landscape"

    def _cell(
        self, value: object, bold: bool, fill: PatternFill | None, font: Font | None
    ) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        if isinstance(value, Decimal):
            cell.value = value
            cell.number_format = self.money
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
            cell.alignment = LEFT
        elif isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
        else:
            cell.value = value
        if font is not None:
            cell.font = font
        elif bold:
            cell.font = BOLD
        if fill is not None:
            cell.fill = fill
        return cell

    def add(
        self,
        values: Sequence[object],
        *,
        bold: bool = False,
        fill: PatternFill | None = None,
        font: Font | None = None,
    ) -> int:
        """Write one row; Decimals are money, dates are dates, text is never a formula."""
        self.sheet.append([self._cell(value, bold, fill, font) for value in values])
        self.row += 1
        return self.row

    def header(self, values: Sequence[str], *, numbers: Collection[str] = ()) -> int:
        """The headings of a table; those in `numbers` head columns of amounts or other
        numbers, and sit to the right, over their figures."""
        cells = [self._cell(value, True, HEADER_FILL, None) for value in values]
        for cell, value in zip(cells, values, strict=True):
            if value in numbers:
                cell.alignment = RIGHT
        self.sheet.append(cells)
        self.row += 1
        return self.row

    def total(self, values: Sequence[object]) -> int:
        return self.add(values, bold=True, fill=TOTAL_FILL)

    def skip(self, rows: int = 1) -> None:
        for _ in range(rows):
            self.sheet.append([])
            self.row += 1

    def filter(self, columns: int) -> None:
        """An auto-filter over the header and the rows written so far."""
        if self.row > 1:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{self.row}"


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def save_workbook(workbook: Workbook, out: Path, what: str) -> None:
    """Save beside the target and move into place, so a failed save leaves no half file."""
    temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        workbook.save(temporary)
        os.replace(temporary, out)
    except OSError as error:
        raise UnusableInput(
            f"The {what} could not be saved as “{out}”: {error.strerror or error}. If the "
            "file is open in Excel, close it; otherwise choose another folder."
        ) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
