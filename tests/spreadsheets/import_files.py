"""Rosters as treasurers really send them, written as real files for the import tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

MESSY_HEADER_ROWS = 5  # title, note, blank, two header rows


def write_messy_roster(path: Path, extra_rows: Sequence[Sequence[Any]] = ()) -> Path:
    """A roster with a title, a note, a blank row, a two-row header with merged cells,
    a bad email, the same person twice (different case of email, one more detail), an
    Excel serial date, a blank row and a totals row with a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Roster 2026"
    sheet["A1"] = "Tri-State Alliance for CME — Membership Roster 2026"
    sheet["A2"] = "From the old treasurer's workbook; dues as of March"
    sheet.append([])
    sheet.append(["Name", None, "E-mail Address ", "ST", "Degree(s)", "Member Since", "Dues Paid"])
    sheet.append(["First", "Last"])
    for cells in ("A4:B4", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:G5"):
        sheet.merge_cells(cells)
    rows: list[Sequence[Any]] = [
        ["Jane", "Doe", "jane.doe@example.org", "PA", "md, phd", "3/4/2021", "$150.00"],
        ["John", "Smith ", " John.Smith@Example.ORG ", "new jersey", "MEd", date(2019, 5, 1), 150],
        ["Ann", "Lee", "ann.lee@@example", "DE", "RN", "March 4, 2021", "150.00"],
        ["JANE", "Doe", "JANE.DOE@EXAMPLE.ORG", "Pennsylvania", None, None, None],
        ["Raj", "Patel", "raj.patel@example.org", "ny", "PharmD", 44256, "$1,234.50"],
        *extra_rows,
    ]
    for row in rows:
        sheet.append(list(row))
    last = sheet.max_row
    sheet.append([])
    sheet.append(["Total", None, None, None, None, None, f"=SUM(G6:G{last})"])
    workbook.save(path)
    return path


def write_rows(path: Path, rows: Sequence[Sequence[Any]], title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
