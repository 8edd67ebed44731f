"""Finding the header row of a table that may sit below titles, notes and blank rows.

Treasurers' sheets often start with a title ("Membership 2024"), a note or two, a date,
blank rows, and only then the column headings. We look at the first HEADER_SEARCH_ROWS
non-blank rows and take the FIRST one that looks like a header of what follows it:

* mostly labels: at least half of its non-empty cells are labels, i.e. text with at
  least as many letters as digits that is not an e-mail address or web link and is at
  most 80 characters (so "Email", "Dues 2024" and "Q1" are labels; "2024", "555-1234",
  "ann@example.org" and a long note are not);
* spans the table: its cells sit in more than half of the columns used by the rows
  below it (a title in A1 over an eight-column table does not);
* is followed by data: at least two non-blank rows below it, or one if that row is the
  sheet's last (single blank rows are passed over, as in `table_end`; two end the look).

The first such row wins over later ones, because data rows of pure text (names, towns)
look just like headers and come after them. When no row qualifies (say "Name" over
columns headed 2022, 2023, 2024), the first row with at least one label that passes
the other two tests is taken; failing that, the row with the best score:
2 x labels - other cells + up to 5 for following rows + 2 x the share of columns spanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sro_desktop.spreadsheets.limits import HEADER_SEARCH_ROWS
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetRow, is_blank

__all__ = ["find_header", "is_label"]

_MAX_LABEL_CHARS = 80
_ROWS_LOOKED_AT_BELOW = 10
_LINK_PREFIXES = ("http://", "https://", "www.")


def is_label(value: CellValue) -> bool:
    """Whether a cell reads like a column heading rather than a data value."""
    if not isinstance(value, str) or len(value) > _MAX_LABEL_CHARS or "@" in value:
        return False
    if value.lower().startswith(_LINK_PREFIXES):
        return False
    letters = sum(character.isalpha() for character in value)
    digits = sum(character.isdigit() for character in value)
    return letters > 0 and letters >= digits


@dataclass(frozen=True)
class _Candidate:
    index: int
    qualifies: bool  # passes all three tests
    nearly: bool  # spans the table and is followed by data, with at least one label
    score: float


def find_header(rows: Sequence[SheetRow]) -> int | None:
    """The index in `rows` of the header row, or None when every row is blank."""
    # Only the first non-blank rows can hold the header; the last one is found from the end
    # (a sheet may have a million rows).
    filled: list[int] = []
    for index, row in enumerate(rows):
        if not is_blank(row.values):
            filled.append(index)
            if len(filled) == HEADER_SEARCH_ROWS:
                break
    last_filled = len(rows) - 1
    while last_filled >= 0 and is_blank(rows[last_filled].values):
        last_filled -= 1
    candidates: list[_Candidate] = []
    for index in filled:
        candidate = _judge(rows, index, last_filled)
        if candidate.qualifies:
            return candidate.index
        candidates.append(candidate)
    if not candidates:
        return None
    nearly = [candidate for candidate in candidates if candidate.nearly]
    if nearly:
        return nearly[0].index
    return max(candidates, key=lambda c: (c.score, -c.index)).index


def _columns(values: tuple[CellValue, ...]) -> set[int]:
    return {column for column, value in enumerate(values) if value is not None}


def _following(rows: Sequence[SheetRow], index: int) -> tuple[list[SheetRow], int]:
    """Up to _ROWS_LOOKED_AT_BELOW rows below `index` until two blank rows, and the last index."""
    following: list[SheetRow] = []
    last = index
    for below in range(index + 1, len(rows)):
        if is_blank(rows[below].values):
            if below - last > 1:
                break
            continue
        following.append(rows[below])
        last = below
        if len(following) == _ROWS_LOOKED_AT_BELOW:
            break
    return following, last


def _judge(rows: Sequence[SheetRow], index: int, last_filled: int) -> _Candidate:
    values = rows[index].values
    columns = _columns(values)
    labels = sum(is_label(value) for value in values)
    others = len(columns) - labels

    following, last = _following(rows, index)
    used_below: set[int] = set()
    for row in following:
        used_below |= _columns(row.values)
    spanned = len(columns & used_below) / len(used_below) if used_below else 0.0

    followed_by_data = len(following) >= 2 or (len(following) == 1 and last == last_filled)
    nearly = labels >= 1 and spanned > 0.5 and followed_by_data
    qualifies = nearly and 2 * labels >= len(columns)
    score = 2 * labels - others + min(len(following), 5) + 2 * spanned
    return _Candidate(index, qualifies, nearly, score)
