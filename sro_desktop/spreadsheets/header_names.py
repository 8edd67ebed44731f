"""Turning header cells into clean, unique column names.

Headers are matched against field names later, so stray spaces, line breaks and
invisible characters are removed here ("  E-mail\\n address " -> "E-mail address"). An
empty header cell is named after its column ("Column C"), and repeated names are told
apart by a number ("Email", "Email (2)"), comparing without regard to case because
the matching does not regard it either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sro_desktop.spreadsheets.sheet_data import CellValue, column_letter

__all__ = ["header_text", "unique_names"]

# Zero-width spaces and joiners, the BOM and the soft hyphen: invisible, yet not whitespace.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def header_text(value: CellValue) -> str:
    """The text a header cell shows, tidied; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    elif isinstance(value, timedelta):
        text = str(value)
    else:
        text = str(value)
    return " ".join(text.translate(_INVISIBLE).split())


def unique_names(texts: Sequence[str], first_column: int) -> tuple[str, ...]:
    """Names for columns first_column, first_column + 1, ...: empty ones filled, all unique."""
    filled = [
        text or f"Column {column_letter(first_column + offset)}"
        for offset, text in enumerate(texts)
    ]
    taken = {name.casefold() for name in filled}
    seen: set[str] = set()
    names: list[str] = []
    for name in filled:
        key = name.casefold()
        if key in seen:
            number = 2
            while f"{name} ({number})".casefold() in taken:
                number += 1
            name = f"{name} ({number})"
            key = name.casefold()
            taken.add(key)
        seen.add(key)
        names.append(name)
    return tuple(names)
