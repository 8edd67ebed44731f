"""The sentences we show when a spreadsheet cannot be read.

Every refusal is one sentence for a non-technical user: it names the file, says what is
wrong in their words, and says what to do. Keeping them together keeps them consistent.
"""

from __future__ import annotations

from collections.abc import Sequence

from sro_desktop.errors import UnusableInput

READABLE_TYPES = ".xlsx, .xlsm, .xlsb, .xls, .ods, .csv or .txt"
_RESAVE = "open it in Excel or LibreOffice, save a new copy as .xlsx, and try that copy"


def quoted(name: str) -> str:
    return f"“{name}”"


def _number(value: int) -> str:
    return f"{value:,}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def file_not_found(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} was not found; check that the file is still where it was and try again."
    )


def not_a_file(name: str) -> UnusableInput:
    return UnusableInput(f"{quoted(name)} is a folder, not a file; choose a spreadsheet file.")


def cannot_open(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} could not be opened; close it in any other program that has it open, "
        "check that you may read it, and try again."
    )


def unsupported_type(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is not a type of file this program reads; save it as {READABLE_TYPES} "
        "and try again."
    )


def empty_file(name: str) -> UnusableInput:
    return UnusableInput(f"{quoted(name)} is empty (0 bytes); choose the file that holds the data.")


def file_too_large(name: str, size: int, limit: int) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is {_megabytes(size)}, more than the {_megabytes(limit)} this program "
        "reads; delete unused sheets or split it into smaller files and try again."
    )


def unpacks_too_large(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} would unpack to far more data than a spreadsheet of its size holds, "
        f"so it was not opened; if you trust it, {_RESAVE}."
    )


def not_a_spreadsheet(name: str, what: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is {what}, not a spreadsheet; choose the spreadsheet itself, "
        f"saved as {READABLE_TYPES}."
    )


def web_page(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is a web page that only carries a spreadsheet's name; "
        "open it in Excel, save it as .xlsx, and try again."
    )


def old_excel_xml(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is an “XML Spreadsheet 2003” file, which this program does not read; "
        "open it in Excel, save it as .xlsx, and try again."
    )


def password_protected(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is protected with a password; open it in Excel or LibreOffice, "
        "save a copy without the password, and try that copy."
    )


def damaged(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is damaged or incomplete and could not be read; {_RESAVE}."
    )


def unsafe_to_read(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} could not be read safely (it is damaged or built in an unusual way); "
        f"{_RESAVE}."
    )


def took_too_long(name: str, seconds: float) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} took longer than {seconds:.0f} seconds to read and was given up; "
        "delete unused sheets or save the sheet you need as .csv and try again."
    )


def not_text(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is not a text (CSV) file; choose the spreadsheet itself, "
        f"saved as {READABLE_TYPES}."
    )


def text_with_workbook_name(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} is a plain text file with a spreadsheet's name; if it holds "
        "comma- or tab-separated data, rename it to end in .csv and try again."
    )


def text_has_no_data(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} holds only blank lines; choose the file that holds the data."
    )


def bad_csv(name: str, row: int) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} could not be read as CSV near row {_number(row)}; open it in Excel, "
        "save it again as CSV (or .xlsx), and try again."
    )


def no_sheets(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} has no sheets of cells (only charts or macros); "
        "choose the file that holds the data."
    )


def no_data(name: str) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} has no data in any of its sheets; choose the file that holds the data."
    )


def sheet_has_no_data(name: str, sheet: str) -> UnusableInput:
    return UnusableInput(
        f"Sheet “{sheet}” of {quoted(name)} is empty; choose the sheet that holds the data."
    )


def sheet_not_found(name: str, sheet: str, sheets: Sequence[str]) -> UnusableInput:
    listed = ", ".join(f"“{s}”" for s in sheets)
    return UnusableInput(
        f"{quoted(name)} has no sheet named “{sheet}”; choose one of its sheets: {listed}."
    )


def sheet_unreadable(name: str, sheet: str) -> UnusableInput:
    return UnusableInput(
        f"Sheet “{sheet}” of {quoted(name)} could not be read (it may be damaged or hold a "
        "chart rather than cells); choose another sheet, or open the file in Excel and save "
        "a new copy."
    )


def too_many_rows(name: str, sheet: str, limit: int) -> UnusableInput:
    return UnusableInput(
        f"Sheet “{sheet}” of {quoted(name)} has more than {_number(limit)} rows, more than "
        "this program reads; split it into smaller files and try again."
    )


def too_many_cells(name: str, limit: int) -> UnusableInput:
    return UnusableInput(
        f"{quoted(name)} has more than {_number(limit)} cells, more than this program reads; "
        "split it into smaller files and try again."
    )


def used_area_too_large(name: str, sheet: str, rows: int, columns: int) -> UnusableInput:
    return UnusableInput(
        f"Sheet “{sheet}” of {quoted(name)} uses {_number(rows)} rows by {_number(columns)} "
        "columns, more than this program reads; delete stray cells far below or to the right "
        "of your data (or split the sheet), save, and try again."
    )
