"""Finding the table in a sheet's rows: its header, its columns and its data rows.

The steps, each in its own module: find the header row (`header_detection`), let
merges make it taller if they reach down (`merged_cells`), name the columns
(`header_names`), repeat merged values down the data rows (`merged_cells`), and stop
at the table's end (`table_end`). The table's columns run from the leftmost to the
rightmost column that has a header or any data, so a table in the middle of a
sheet does not drag along the empty columns to its left.
"""

from __future__ import annotations

from itertools import compress
from operator import itemgetter

from sro_desktop.spreadsheets import refusals
from sro_desktop.spreadsheets.header_detection import find_header
from sro_desktop.spreadsheets.header_names import header_text, unique_names
from sro_desktop.spreadsheets.merged_cells import fill_down, header_block, header_cells
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetContent, SheetRow, Table
from sro_desktop.spreadsheets.table_end import take_data_rows

__all__ = ["cut_rows", "find_table"]

_FIRST = itemgetter(0)
_LAST = itemgetter(-1)
_VALUES = itemgetter(1)


def find_table(content: SheetContent) -> Table:
    rows = content.rows
    header_index = find_header(rows)
    if header_index is None:
        raise refusals.sheet_has_no_data(content.file_name, content.sheet)
    top, bottom = header_block(content.merged, rows[header_index].row_number)
    # Rows come in order: the header block's rows sit around the header row.
    start = header_index
    while start > 0 and rows[start - 1].row_number >= top:
        start -= 1
    end = header_index
    while end + 1 < len(rows) and rows[end + 1].row_number <= bottom:
        end += 1
    header_rows = {row.row_number: row.values for row in rows[start : end + 1]}
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
        rows=cut_rows(data, first, last),
        ended_by=ended_by,
        date_system=content.date_system,
        first_column=first,
    )


def _span(headed: list[int], data: list[SheetRow]) -> tuple[int, int]:
    """The first and last column with a header or any data (a header row is never blank)."""
    first, last = min(headed), max(headed)
    all_values = list(map(_VALUES, data))
    # Rows as read end at their last value, so the longest row reaches furthest right.
    lengths = list(map(len, all_values))
    longest = max(lengths, default=0)
    longest_rows = compress(all_values, map(longest.__eq__, lengths))
    trimmed = None not in map(_LAST, longest_rows)
    if trimmed and (not first or None not in map(_FIRST, all_values)):
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


def cut_rows(data: list[SheetRow], first: int, last: int) -> tuple[SheetRow, ...]:
    """The rows with exactly the table's columns: cut on the left, padded on the right."""
    width = last + 1 - first
    paddings = [(None,) * missing for missing in range(width + 1)]
    make = tuple.__new__  # SheetRow(...) through its generated __new__ is four times slower
    if first:
        cut: list[SheetRow] = []
        for number, values in data:
            part = values[first : last + 1]
            cut.append(make(SheetRow, (number, part + paddings[width - len(part)])))
        return tuple(cut)
    # Most rows are exactly the table's width already: only the others are visited.
    lengths = list(map(len, map(_VALUES, data)))
    other = list(compress(range(len(data)), map(width.__ne__, lengths)))
    if not other:
        return tuple(data)
    cut = list(data)
    for index in other:
        number, values = data[index]
        part = values[:width]
        cut[index] = make(SheetRow, (number, part + paddings[width - len(part)]))
    return tuple(cut)
