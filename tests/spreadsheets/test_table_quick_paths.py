"""The quick paths of finding a table give what looking at every row gives.

A sheet of 100,000 members is taken whole where it can be: the rows that could end the
table are found from the distinct first values, and only rows narrower than the table
are padded. Each is compared here, on generated rows, with the plain row-by-row rule.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sro_desktop.spreadsheets import table_end, table_finding
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetRow

_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["Sarah", "Tom", "Gail", "Total", "Totals:", "sum", "Sub-total", "Ann"]),
    st.integers(min_value=0, max_value=3),
    st.floats(min_value=0, max_value=500, allow_nan=False),
)


def _as_read(cells: list[CellValue]) -> tuple[CellValue, ...]:
    """A row as the readers give it: no empty cells after its last value."""
    while cells and cells[-1] is None:
        cells = cells[:-1]
    return tuple(cells)


_ROWS = st.lists(st.lists(_CELLS, max_size=6).map(_as_read), max_size=40).map(
    lambda rows: [SheetRow(number, values) for number, values in enumerate(rows, start=3)]
)
_HEADERS = ["Name", "Dues Paid", "Amount", "City", "Fee", "Notes"]


@given(_ROWS, st.sets(st.integers(min_value=3, max_value=45), max_size=3))
def test_the_rows_that_end_a_table_are_found_as_row_by_row(
    rows: list[SheetRow], formula_rows: set[int]
) -> None:
    formulas = {number: "SUM(B2:B9)" for number in formula_rows}
    last_filled = max(
        (i for i, row in enumerate(rows) if any(v is not None for v in row[1])), default=-1
    )
    keys = [header.casefold() for header in _HEADERS]
    every_row = table_end._take(rows, list(range(len(rows))), _HEADERS, keys, formulas, last_filled)
    assert table_end.take_data_rows(rows, _HEADERS, formulas) == every_row


def _plain_span(headed: list[int], data: list[SheetRow]) -> tuple[int, int]:
    filled = [i for _n, values in data for i, v in enumerate(values) if v is not None]
    return min([*headed, *filled]), max([*headed, *filled])


def _plain_cut(data: list[SheetRow], first: int, last: int) -> tuple[SheetRow, ...]:
    width = last + 1 - first
    return tuple(
        SheetRow(number, (values[first : last + 1] + (None,) * width)[:width])
        for number, values in data
    )


@given(_ROWS, st.sets(st.integers(min_value=0, max_value=5), min_size=1))
def test_the_columns_and_cut_rows_of_a_table_are_as_row_by_row(
    rows: list[SheetRow], headed: set[int]
) -> None:
    data = [row for row in rows if any(value is not None for value in row.values)]
    first, last = table_finding._span(sorted(headed), data)
    assert (first, last) == _plain_span(sorted(headed), data)
    cut = table_finding.cut_rows(data, first, last)
    assert cut == _plain_cut(data, first, last)
    assert all(type(row) is SheetRow for row in cut)
