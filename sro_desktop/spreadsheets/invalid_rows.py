"""The rows an import left out, as a workbook to correct and import again.

The rows keep their original columns and headers, values as they were read (dates as
dates, numbers as numbers), so the corrected file maps the same way as the original.
Two columns are added on the right: "What to fix" (each problem of the row: the column,
the value and what is wrong) and "Row in original file". Neither header matches a field,
so they are left out when the file is imported again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from sro_desktop.spreadsheets.row_problems import RowProblem, problems_by_row
from sro_desktop.spreadsheets.sheet_data import Table
from sro_desktop.spreadsheets.workbook_writer import Column, SheetSpec, write_workbook

__all__ = ["FIX_HEADER", "ROW_HEADER", "write_invalid_rows"]

FIX_HEADER: Final = "What to fix"
ROW_HEADER: Final = "Row in original file"


def write_invalid_rows(table: Table, problems: Sequence[RowProblem], path: Path) -> int:
    """Write the rows with problems to `path`; returns how many rows were written."""
    by_row = problems_by_row(problems)
    rows = []
    for row in table.rows:
        found = by_row.get(row.row_number)
        if not found:
            continue
        fixes = "; ".join(
            f"{p.column}: “{p.value}” — {p.message}" if p.value else f"{p.column}: {p.message}"
            for p in found
        )
        rows.append([*row.values, fixes, row.row_number])
    columns = [
        *(Column(header) for header in table.headers),
        Column(FIX_HEADER, width=70),
        Column(ROW_HEADER, "integer"),
    ]
    spec = SheetSpec(
        title=f"To fix - {table.sheet}"[:31],
        columns=columns,
        rows=rows,
        preamble=(
            f"Rows of {table.file_name} that were not imported",
            "Correct each row as “What to fix” says, save, and import this file again.",
        ),
    )
    write_workbook(path, [spec])
    return len(rows)
