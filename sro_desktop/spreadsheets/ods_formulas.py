"""The formulas of an OpenDocument spreadsheet's sheet, with the row each stands in.

calamine hands over an .ods cell's value, not its formula, so a totals row such as
=SUM(D2:D99) without a "Total" label would read as one more row of data. The formulas
are in content.xml, as ``table:formula="of:=SUM([.D2:.D99])"`` on the cells; rows carry
no numbers there, so they are counted as they come (``table:number-rows-repeated``
included). The part is parsed as a stream with defusedxml (no entities, no DTD), its
elements dropped as soon as they are read. The archive's sizes were checked before
(`safety`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml.ElementTree import iterparse

__all__ = ["formula_cells", "shown_formula"]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_SHEET = f"{_TABLE}table"
_ROW = f"{_TABLE}table-row"
_CELL = f"{_TABLE}table-cell"
_NAME = f"{_TABLE}name"
_FORMULA = f"{_TABLE}formula"
_REPEATED = f"{_TABLE}number-rows-repeated"
#: A repeated row this long is the empty rest of the sheet, not rows with formulas.
_MAX_REPEAT = 1_048_576


def formula_cells(archive: zipfile.ZipFile, sheet_name: str) -> Iterator[tuple[int, str]]:
    """(row number, formula as Excel writes it) of each formula cell of the sheet."""
    try:
        stream = archive.open("content.xml")
    except KeyError:
        return
    with stream:
        depth = 0  # tables open inside the one wanted (a sub-table's rows are not ours)
        inside = False
        row = 0
        parents: list[Any] = []
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                parents.append(element)
                if tag == _SHEET:
                    if inside:
                        depth += 1
                    elif element.get(_NAME) == sheet_name:
                        inside, row = True, 0
                elif inside and not depth and tag == _ROW:
                    row += 1
                elif inside and not depth and tag == _CELL:
                    formula = element.get(_FORMULA)
                    if formula:
                        yield row, shown_formula(formula)
                continue
            parents.pop()
            if tag == _SHEET and inside:
                if depth:
                    depth -= 1
                else:
                    return  # the sheet is done
            elif tag == _ROW:
                if inside and not depth:
                    repeated = element.get(_REPEATED)
                    if repeated and repeated.isdigit():
                        row += min(int(repeated), _MAX_REPEAT) - 1
                element.clear()
                if parents:  # read: let it go, so a long sheet is never held whole
                    parents[-1].remove(element)


def shown_formula(formula: str) -> str:
    """An OpenDocument formula as a spreadsheet shows it: "of:=SUM([.D2:.D4])" -> "SUM(D2:D4)"."""
    prefix, found, rest = formula.partition(":=")  # the namespace: "of:=", "oooc:="
    text = rest if found and prefix.isalpha() else formula.lstrip("=")
    return text.replace("[.", "").replace(":.", ":").replace("[$", "").replace("]", "")
