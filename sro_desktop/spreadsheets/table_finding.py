"""Finding the table in a sheet's rows: its header, its columns and its data rows.

The steps, each in its own module: find the header row (`header_detection`), let
merges make it taller if they reach down (`merged_cells`), name the columns
(`header_names`), repeat merged values down the data rows (`merged_cells`), and stop
at the table's end (`table_end`). The table's columns run from the leftmost to the
rightmost column that has a header or any data, so a table in the middle of a
sheet does not drag along the empty columns to its left.
"""

from __future__ import annotations

from sro_desktop.spreadsheets import refusals
from sro_desktop.spreadsheets.header_detection import find_header
from sro_desktop.spreadsheets.header_names import header_text, unique_names
from sro_desktop.spreadsheets.merged_cells import fill_down, header_block, header_cells
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetContent, SheetRow, Table
from sro_desktop.spreadsheets.table_end import take_data_rows

__all__ = ["find_table"]


def find_table(content: SheetContent) -> Table:
    rows = content.rows
    header_index = find_header(rows)
    if header_index is None:
        raise refusals.sheet_has_no_data(content.file_name, content.sheet)
    top, bottom = header_block(content.merged, rows[header_index].row_number)
    header_rows = {row.row_number: row.values for row in rows if top <= row.row_number <= bottom}
    columns = header_cells(header_rows, content.merged, top, bottom)
    texts = [_joined(cells) for cells in columns]
    headed = [column for column, cells in enumerate(columns) if any(v is not None for v in cells)]

    below = [row for row in rows if row.row_number > bottom]
    data, ended_by = take_data_rows(fill_down(below, content.merged, bottom), texts)

    first, last = _span(headed, data)
    texts += [""] * (last + 1 - len(texts))
    return Table(
        file_name=content.file_name,
        sheet=content.sheet,
        sheet_names=content.sheet_names,
        header_row=top,
        headers=unique_names(texts[first : last + 1], first),
        rows=tuple(SheetRow(row.row_number, _cut(row.values, first, last)) for row in data),
        ended_by=ended_by,
    )


def _span(headed: list[int], data: list[SheetRow]) -> tuple[int, int]:
    """The first and last column with a header or any data (a header row is never blank)."""
    first, last = min(headed), max(headed)
    for row in data:  # data rows are never blank
        filled = [column for column, value in enumerate(row.values) if value is not None]
        first, last = min(first, filled[0]), max(last, filled[-1])
    return first, last


def _joined(cells: list[CellValue]) -> str:
    """One column's header text, its parts from top to bottom, repeats left out."""
    parts: list[str] = []
    for value in cells:
        text = header_text(value)
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def _cut(values: tuple[CellValue, ...], first: int, last: int) -> tuple[CellValue, ...]:
    width = last + 1 - first
    part = values[first : last + 1]
    return part + (None,) * (width - len(part))
