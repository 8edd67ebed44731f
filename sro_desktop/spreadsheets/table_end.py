"""Deciding where a table's data rows end.

A table ends at a summary row: one whose first non-empty cell reads "Total", "Totals",
"Grand total", "Subtotal" or "Sum" (with or without a colon or more words after
"Total", as in "Total members: 52").

A row holding a summary formula such as =SUM(F2:F99) ends it as well (.xlsx and .ods;
see `xlsx_extras`), when it fills fewer cells than data rows usually do. Where the
formulas cannot be seen (.xls, or totals typed in), a row is known by its content: a
row without a label whose only values are numbers, each under a money header ("Dues
Paid", "Amount", "Fee"), filling fewer cells than data rows do, with no data row after
it, is a totals row too.

A table also ends at a blank row, unless the row right after it carries on the table.
People clear a member's row instead of deleting it, and stopping there would silently
drop everyone below; so a single blank row is skipped when the next row looks like one
more data row: it is not a summary, not the header again, and fills at least half as
many cells as the data rows before it usually do. Two blank rows in a row, or a blank
row followed by a note, a total or a second table, end the table. Blank rows at the
end of the sheet end nothing (`ended_by` stays None).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from statistics import median

from sro_desktop.spreadsheets.header_names import header_text
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetRow, is_blank

__all__ = ["summary_label", "take_data_rows"]

_SUMMARY = re.compile(r"^(?:(?:grand|sub)[\s-]*)?totals?\b|^sum\s*:?$", re.IGNORECASE)
_SUMMARY_INITIALS = frozenset("GgSsTt")
_RECENT_ROWS = 20
_FIRST = itemgetter(0)
_VALUES = itemgetter(1)


def summary_label(values: tuple[CellValue, ...]) -> str | None:
    """The label of a summary row ("Total", "Grand total:"), or None for other rows."""
    first = values[0] if values and values[0] is not None else None
    if first is None:
        first = next((value for value in values if value is not None), None)
    if type(first) is str and first[:1] in _SUMMARY_INITIALS and _SUMMARY.match(first):
        return first
    return None


def take_data_rows(
    rows: Sequence[SheetRow],
    headers: Sequence[str],
    formulas: Mapping[int, str] | None = None,
) -> tuple[list[SheetRow], str | None]:
    """The data rows at the top of `rows` (blank ones left out) and why they stopped.

    `formulas` maps row numbers to summary formulas found in them (`xlsx_extras`): such
    a row ends the table too, unless it is as full as a data row (a column of running
    totals, say, rather than a totals row).

    Only the few rows that could end the table (blank rows, rows starting with a summary
    word, rows with a summary formula) are looked at one by one; a sheet of 100,000
    members is otherwise taken whole.
    """
    header_keys = [text.casefold() for text in headers if text]
    formulas = formulas or {}
    last_filled = len(rows) - 1
    while last_filled >= 0 and is_blank(rows[last_filled].values):
        last_filled -= 1
    ending = set(_blank_or_summary(rows))
    if formulas:
        ending |= {index for index, row in enumerate(rows) if row.row_number in formulas}
    return _take(rows, sorted(ending), headers, header_keys, formulas, last_filled)


def _blank_or_summary(rows: Sequence[SheetRow]) -> list[int]:
    """Where the rows start with an empty cell (or are blank) or a summary word.

    Each distinct first value is judged once, and its rows found with list.index, at C
    speed: a column of first names holds a few hundred names, not 100,000.
    """
    try:
        firsts = list(map(_FIRST, map(_VALUES, rows)))
    except IndexError:  # a blank row (no values at all) among them
        firsts = [values[0] if values else None for _number, values in rows]
    wanted = [
        first
        for first in set(firsts)
        if first is None
        or (type(first) is str and first[:1] in _SUMMARY_INITIALS and _SUMMARY.match(first))
    ]
    found: list[int] = []
    for value in wanted:  # None, or text: equal to nothing but itself
        start = 0
        with contextlib.suppress(ValueError):
            while True:
                start = firsts.index(value, start)
                found.append(start)
                start += 1
    return found


def _take(
    rows: Sequence[SheetRow],
    events: list[int],
    headers: Sequence[str],
    header_keys: list[str],
    formulas: Mapping[int, str],
    last_filled: int,
) -> tuple[list[SheetRow], str | None]:
    """take_data_rows, given the rows that could end the table (in order)."""
    data: list[SheetRow] = []
    start = 0
    # A row between two events has a first cell, so it is not blank: taken whole.
    for index in events:
        data.extend(rows[start:index])
        start = index + 1
        row = rows[index]
        values = row.values
        if is_blank(values):
            if not data:
                continue
            if index > last_filled:
                return data, None
            if _continues(rows[index + 1].values, _typical(data), header_keys):
                continue
            return data, f"blank row {row.row_number}"
        label = summary_label(values)
        if label is not None:
            return data, f'summary row {row.row_number} ("{label}")'
        formula = formulas.get(row.row_number)
        if formula is not None:
            count = len(values) - values.count(None)
            if not data or count < _typical(data):
                return data, f"summary row {row.row_number} (the formula ={formula})"
        if data and values[0] is None:
            money = _amounts_only(values, headers)
            if money is not None and _last_of_its_kind(rows, index, data):
                return data, f'summary row {row.row_number} (amounts only, under "{money}")'
        data.append(row)
    data.extend(rows[start:])
    return data, None


_MONEY_HEADER = re.compile(
    r"\b(?:dues|paid|amounts?|fees?|price|totals?|costs?|payments?|balance|owed|donations?)\b"
    r"|\$",
    re.IGNORECASE,
)


def _amounts_only(values: tuple[CellValue, ...], headers: Sequence[str]) -> str | None:
    """The first money header, if the row's only values are numbers under money headers."""
    found: str | None = None
    for position, value in enumerate(values):
        if value is None:
            continue
        if type(value) not in (int, float) or position >= len(headers):
            return None
        header = headers[position]
        if not _MONEY_HEADER.search(header):
            return None
        found = found or header
    return found


def _last_of_its_kind(rows: Sequence[SheetRow], index: int, data: list[SheetRow]) -> bool:
    """Whether the row fills fewer cells than data rows do and no data row follows it."""
    typical = _typical(data)
    values = rows[index].values
    if (len(values) - values.count(None)) >= typical:
        return False
    return not any(
        (len(row.values) - row.values.count(None)) * 2 >= typical for row in rows[index + 1 :]
    )


def _typical(data: list[SheetRow]) -> float:
    """How many cells the recent data rows fill, as a rule."""
    return median(len(row.values) - row.values.count(None) for row in data[-_RECENT_ROWS:])


def _continues(values: tuple[CellValue, ...], typical: float, header_keys: list[str]) -> bool:
    if is_blank(values) or summary_label(values) is not None:
        return False
    texts = [header_text(value).casefold() for value in values if value is not None]
    if header_keys and sum(text in header_keys for text in texts) * 2 > len(header_keys):
        return False  # the header again: a second table starts here
    return len(texts) * 2 >= typical
