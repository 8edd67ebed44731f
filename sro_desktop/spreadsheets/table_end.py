"""Deciding where a table's data rows end.

A table ends at a summary row: one whose first non-empty cell reads "Total", "Totals",
"Grand total", "Subtotal" or "Sum" (with or without a colon or more words after
"Total", as in "Total members: 52"). Formulas would be a better sign, but calamine
gives us only their results.

A table also ends at a blank row, unless the row right after it carries on the table.
People clear a member's row instead of deleting it, and stopping there would silently
drop everyone below; so a single blank row is skipped when the next row looks like one
more data row: it is not a summary, not the header again, and fills at least half as
many cells as the data rows before it usually do. Two blank rows in a row, or a blank
row followed by a note, a total or a second table, end the table. Blank rows at the
end of the sheet end nothing (`ended_by` stays None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from sro_desktop.spreadsheets.header_names import header_text
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetRow, is_blank

__all__ = ["summary_label", "take_data_rows"]

_SUMMARY = re.compile(r"^(?:(?:grand|sub)[\s-]*)?totals?\b|^sum\s*:?$", re.IGNORECASE)
_RECENT_ROWS = 20


def summary_label(values: tuple[CellValue, ...]) -> str | None:
    """The label of a summary row ("Total", "Grand total:"), or None for other rows."""
    first = next((value for value in values if value is not None), None)
    if isinstance(first, str) and _SUMMARY.match(first):
        return first
    return None


def take_data_rows(
    rows: Sequence[SheetRow], headers: Sequence[str]
) -> tuple[list[SheetRow], str | None]:
    """The data rows at the top of `rows` (blank ones left out) and why they stopped."""
    header_keys = [text.casefold() for text in headers if text]
    last_filled = max((i for i, row in enumerate(rows) if not is_blank(row.values)), default=-1)
    data: list[SheetRow] = []
    filled: list[int] = []
    for index, row in enumerate(rows):
        if is_blank(row.values):
            if not data:
                continue
            if index > last_filled:
                return data, None
            typical = median(filled[-_RECENT_ROWS:])
            if _continues(rows[index + 1].values, typical, header_keys):
                continue
            return data, f"blank row {row.row_number}"
        label = summary_label(row.values)
        if label is not None:
            return data, f'summary row {row.row_number} ("{label}")'
        data.append(row)
        filled.append(sum(value is not None for value in row.values))
    return data, None


def _continues(values: tuple[CellValue, ...], typical: float, header_keys: list[str]) -> bool:
    if is_blank(values) or summary_label(values) is not None:
        return False
    texts = [header_text(value).casefold() for value in values if value is not None]
    if header_keys and sum(text in header_keys for text in texts) * 2 > len(header_keys):
        return False  # the header again: a second table starts here
    return len(texts) * 2 >= typical
