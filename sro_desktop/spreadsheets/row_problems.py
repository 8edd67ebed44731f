"""A problem with one cell of an imported spreadsheet, told the way the user can find it.

Every importer reports problems the same way: the spreadsheet's own row number, the
column's header as it appears in the file, the value as the cell shows it, and what is
wrong with it and how to write it instead. The Zoom reader defined this shape first;
it is shared from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sro_desktop.services.values import show_value
from sro_desktop.spreadsheets.zoom_report import RowProblem

__all__ = ["RowProblem", "problem", "problems_by_row", "problems_json"]


def problem(row: int, column: str, value: object, message: str) -> RowProblem:
    """A RowProblem with the value shown as a message shows it (short, never raising)."""
    shown = "" if value is None else show_value(value)
    return RowProblem(row=row, column=column, value=shown, message=message)


def problems_by_row(problems: Iterable[RowProblem]) -> dict[int, list[RowProblem]]:
    grouped: dict[int, list[RowProblem]] = {}
    for item in problems:
        grouped.setdefault(item.row, []).append(item)
    return grouped


def problems_json(problems: Iterable[RowProblem]) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
        for p in sorted(problems, key=lambda p: (p.row, p.column))
    ]
