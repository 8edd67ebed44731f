"""Making merged cells read the way they look.

A merged cell keeps its value in the top-left cell only; the other cells it covers are
empty in the file. Left alone, a name merged down over three rows would belong to the
first of them only, and a row covered entirely by merges above would look blank and end
the table. So, below the header, a value merged down over several rows is given to
each of those rows (in the merge's first column: a value merged across columns belongs
to its first column, not to the neighbouring fields).

In the header, merges that reach down (a "Name" cell two rows tall beside "Contact"
over "Phone" and "Email") make the header several rows tall; each column's name is then
built from top to bottom ("Name", "Contact Phone", "Contact Email"). In a one-row
header a value merged across columns names only the first of them.
Only .xlsx and .xls files report their merges; in other formats nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sro_desktop.spreadsheets.limits import MAX_CELLS
from sro_desktop.spreadsheets.sheet_data import CellValue, MergedRange, SheetRow

__all__ = ["fill_down", "header_block", "header_cells"]

# A header is at most this many rows above or below the row that was detected.
_MAX_EXTRA_HEADER_ROWS = 3


def header_block(merged: Sequence[MergedRange], header_row: int) -> tuple[int, int]:
    """The first and last row of the header, grown over merges that reach down through it."""
    top = bottom = header_row
    grown = True
    while grown:
        grown = False
        for merge in merged:
            reaches_down = merge.last_row > merge.first_row
            if reaches_down and merge.first_row <= bottom and merge.last_row >= top:
                new_top = max(min(top, merge.first_row), header_row - _MAX_EXTRA_HEADER_ROWS)
                new_bottom = min(max(bottom, merge.last_row), header_row + _MAX_EXTRA_HEADER_ROWS)
                if (new_top, new_bottom) != (top, bottom):
                    top, bottom, grown = new_top, new_bottom, True
    return top, bottom


def header_cells(
    rows: Mapping[int, tuple[CellValue, ...]],
    merged: Sequence[MergedRange],
    top: int,
    bottom: int,
) -> list[list[CellValue]]:
    """For each column, the header's values from top to bottom, merges spread out."""
    grid = {number: list(rows.get(number, ())) for number in range(top, bottom + 1)}
    for merge in merged:
        if not top <= merge.first_row <= bottom:
            continue
        value = _value_at(grid[merge.first_row], merge.first_column)
        if value is None:
            continue
        # Across columns only over sub-headings; a one-row header keeps it in the first.
        last_column = merge.last_column if bottom > top else merge.first_column
        for number in range(merge.first_row, min(merge.last_row, bottom) + 1):
            for column in range(merge.first_column, last_column + 1):
                _put(grid[number], column, value)
    width = max((len(values) for values in grid.values()), default=0)
    return [[_value_at(grid[number], column) for number in grid] for column in range(width)]


def fill_down(
    rows: Sequence[SheetRow], merged: Sequence[MergedRange], below_row: int
) -> list[SheetRow]:
    """`rows` with values merged down over rows after `below_row` repeated in each row."""
    if not any(m.first_row > below_row and m.last_row > m.first_row for m in merged):
        return list(rows)  # nothing merged down there (as a rule): no row to look at
    by_number = {row.row_number: index for index, row in enumerate(rows)}
    patches: dict[int, dict[int, CellValue]] = {}
    budget = MAX_CELLS
    for merge in merged:
        if merge.first_row <= below_row or merge.last_row == merge.first_row:
            continue
        source = by_number.get(merge.first_row)
        value = None if source is None else _value_at(rows[source].values, merge.first_column)
        if value is None:
            continue
        for number in range(merge.first_row + 1, merge.last_row + 1):
            if number not in by_number or budget <= 0:
                break
            patches.setdefault(number, {})[merge.first_column] = value
            budget -= 1
    if not patches:
        return list(rows)
    patched = list(rows)
    for number, cells in patches.items():
        index = by_number[number]
        values = list(rows[index].values)
        for column, value in cells.items():
            if _value_at(values, column) is None:
                _put(values, column, value)
        patched[index] = SheetRow(number, tuple(values))
    return patched


def _value_at(values: Sequence[CellValue], column: int) -> CellValue:
    return values[column] if column < len(values) else None


def _put(values: list[CellValue], column: int, value: CellValue) -> None:
    if column >= len(values):
        values.extend([None] * (column + 1 - len(values)))
    values[column] = value
