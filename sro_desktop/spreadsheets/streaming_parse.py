"""Checking an import's rows while the rest of the file is still being read.

A large workbook reaches us in chunks of rows from the reading process (see
`workbooks`). Rather than wait for the last chunk, an import finds the header in the
first chunk, chooses the mapping, and reads each chunk's cells (`member_records`) as it
arrives, so the two processes work at the same time. Once the whole sheet is in, the
table is found properly (`table_finding`); if it is the table the first chunk promised
(the same headers and columns, its data rows a prefix of the rows checked), the checked
rows are used, cut at the table's end. Anything unusual (values merged down over rows,
a column that only appears later, a sheet shorter than one chunk) simply falls back to
checking the table once it is read, so the result is always the same as that.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sro_desktop.errors import UserError
from sro_desktop.spreadsheets.column_mapping import ColumnMap
from sro_desktop.spreadsheets.member_records import ParsedRows
from sro_desktop.spreadsheets.sheet_data import SheetContent, SheetRow, Table, is_blank
from sro_desktop.spreadsheets.table_finding import cut_rows, find_table

__all__ = ["ParseWhileReading"]

#: Non-blank rows the first chunks must hold before the header is looked for.
_ROWS_FOR_THE_HEADER = 200
_VALUES = itemgetter(1)

Parse = Callable[[Table, ColumnMap], ParsedRows]


class ParseWhileReading:
    """A `read_table` listener that checks the rows chunk by chunk; see the module."""

    def __init__(self, parse: Parse, choose: Callable[[Sequence[str]], ColumnMap]) -> None:
        self._parse = parse
        self._choose = choose
        self._rows: list[SheetRow] = []
        self._table: Table | None = None
        self.mapping: ColumnMap | None = None
        self._parts: list[ParsedRows] = []
        self._next = 0
        self._given_up = False

    def __call__(self, head: SheetContent, new_rows: list[SheetRow]) -> None:
        if self._given_up:
            return
        self._rows.extend(new_rows)
        if self._table is None and not self._begin(head):
            return
        table = self._table
        assert table is not None and self.mapping is not None
        width = len(table.headers)
        first = table.first_column
        new = self._rows[self._next :]
        self._next = len(self._rows)
        lengths = list(map(len, map(_VALUES, new)))
        if max(lengths, default=0) > first + width:
            self._given_up = True  # data beyond the headers: the table is wider
            return
        if 0 in lengths:  # rows as read end at their last value: a blank one is empty
            new = [row for row in new if not is_blank(row.values)]
        if new:
            rows = cut_rows(new, first, first + width - 1)
            self._parts.append(self._parse(dataclasses.replace(table, rows=rows), self.mapping))

    def _begin(self, head: SheetContent) -> bool:
        """Find the header once enough rows are in; False while waiting (or given up)."""
        if sum(1 for row in self._rows if row.values) < _ROWS_FOR_THE_HEADER:
            return False
        try:
            table = find_table(dataclasses.replace(head, rows=tuple(self._rows)))
        except UserError:
            self._given_up = True
            return False
        if not table.rows or any(
            merge.first_row > table.header_row and merge.last_row > merge.first_row
            for merge in head.merged
        ):
            self._given_up = True  # values merged down change rows: check the real table
            return False
        self._table = table
        self.mapping = self._choose(table.headers)
        self._next = next(
            index
            for index, row in enumerate(self._rows)
            if row.row_number == table.rows[0].row_number
        )
        return True

    def result(self, table: Table) -> ParsedRows | None:
        """The checked rows of `table`, or None when they must be checked afresh."""
        promised = self._table
        if self._given_up or promised is None or self.mapping is None:
            return None
        if (promised.headers, promised.first_column, promised.header_row) != (
            table.headers,
            table.first_column,
            table.header_row,
        ):
            return None
        numbers = [number for part in self._parts for number in part.row_numbers]
        wanted = [row.row_number for row in table.rows]
        if numbers[: len(wanted)] != wanted:
            return None
        return _joined(self._parts, table, self.mapping, len(wanted))


def _joined(parts: list[ParsedRows], table: Table, mapping: ColumnMap, count: int) -> ParsedRows:
    values: dict[str, list[Any]] = {}
    numbers: list[int] = []
    invalid: set[int] = set()
    problems = []
    for part in parts:
        offset = len(numbers)
        numbers.extend(part.row_numbers)
        for key, column in part.values.items():
            values.setdefault(key, []).extend(column)
        invalid.update(offset + index for index in part.invalid)
        problems.extend(part.problems)
    last = numbers[count - 1] if count else 0
    return ParsedRows(
        table=table,
        mapping=mapping,
        row_numbers=numbers[:count],
        # The checked rows run past the table only when it ended early (a totals row).
        values={
            key: column if len(column) == count else column[:count]
            for key, column in values.items()
        },
        problems=sorted((p for p in problems if p.row <= last), key=lambda p: (p.row, p.column)),
        invalid={index for index in invalid if index < count},
    )
