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

    if len(rows) > bottom and rows[bottom - 1].row_number == bottom:
        below = list(rows[bottom:])  # rows as read: one per row number from row 1
    else:
        below = [row for row in rows if row.row_number > bottom]
    formulas = dict(content.summary_formulas)
    data, ended_by = take_data_rows(fill_down(below, content.merged, bottom), texts, formulas)

    first, last = _span(headed, data)
    texts += [""] * (last + 1 - len(texts))
    return Table(
        file_name=content.file_name,
        sheet=content.sheet,
        sheet_names=content.sheet_names,
        header_row=top,
        headers=unique_names(texts[first : last + 1], first),
        rows=_cut_rows(data, first, last),
        ended_by=ended_by,
        date_system=content.date_system,
        first_column=first,
    )


def _span(headed: list[int], data: list[SheetRow]) -> tuple[int, int]:
    """The first and last column with a header or any data (a header row is never blank)."""
    first, last = min(headed), max(headed)
    all_values = [row.values for row in data]
    # Rows as read end at their last value, so the longest row reaches furthest right.
    longest = max(map(len, all_values), default=0)
    trimmed = all(values[-1] is not None for values in all_values if len(values) == longest)
    if trimmed and (not first or None not in [values[0] for values in all_values]):
        return (0 if all_values and first else first), max(last, longest - 1)
    for values in all_values:  # data rows are never blank
        end = len(values) - 1
        while values[end] is None:
            end -= 1
        if end > last:
            last = end
        if first and values[0] is None:
            start = 0
            while values[start] is None:
                start += 1
            first = min(first, start)
        elif first:
            first = 0
    return first, last


def _joined(cells: list[CellValue]) -> str:
    """One column's header text, its parts from top to bottom, repeats left out."""
    parts: list[str] = []
    for value in cells:
        text = header_text(value)
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def _cut_rows(data: list[SheetRow], first: int, last: int) -> tuple[SheetRow, ...]:
    """The rows with exactly the table's columns: cut on the left, padded on the right."""
    width = last + 1 - first
    paddings = [(None,) * missing for missing in range(width + 1)]
    if not first and set(map(len, (row.values for row in data))) <= {width}:
        return tuple(data)  # every row is exactly the table's width already
    make = tuple.__new__  # SheetRow(...) through its generated __new__ is four times slower
    cut: list[SheetRow] = []
    for row in data:
        values = row.values
        if not first and len(values) == width:
            cut.append(row)  # most rows are exactly the table's width already
            continue
        part = values[first : last + 1] if first or len(values) > width else values
        cut.append(make(SheetRow, (row.row_number, part + paddings[width - len(part)])))
    return tuple(cut)
