"""What calamine does not tell about an .xlsx: its summary formulas and its date system.

Summary formulas: calamine hands over a formula's result, not the formula, so a totals row without a
"Total" label would otherwise read as one more member. This reads the sheet's XML
straight from the zip (streamed, a megabyte at a time) and looks for cells whose formula
aggregates a range of several rows that ends above the cell: SUM, SUBTOTAL, COUNT,
AVERAGE, MIN, MAX and their -IF/-IFS forms. Most rosters hold no formulas at all, so a
chunk without "<f" costs one byte search. The workbook's size was checked before
(`safety`); the small parts read whole here are capped again anyway.

An .ods keeps its formulas in content.xml (``table:formula="of:=SUM([.F2:.F99])"``),
its rows counted as they come (see `ods_formulas`). An .xls keeps them compiled in its
binary records, which are not read here: for it, as for any format, `table_end` also
knows a totals row by its content (amounts only, under money headers).

The date system: workbooks made on old Macs count days from 1904 (`date1904` in
workbook.xml). calamine turns date cells into dates correctly either way, but a date
column formatted as a plain number arrives as a serial, which must be read in the
workbook's own system.
"""

from __future__ import annotations

import html
import re
import zipfile
from posixpath import join, normpath

from sro_desktop.spreadsheets.ods_formulas import formula_cells

__all__ = ["date_system", "is_summary_formula", "summary_formulas"]

_SMALL_PART_BYTES = 5 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_OVERLAP_BYTES = 4096
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="\$?[A-Z]{1,3}\$?(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>/]*>([^<]*)<'
)
_AGGREGATE = re.compile(
    r"\b(?:SUM|SUBTOTAL|AGGREGATE|COUNTA?|COUNTIFS?|SUMIFS?|AVERAGEA?|AVERAGEIFS?|MIN|MAX)"
    r"\s*\([^()]*?\$?[A-Z]{1,3}\$?(\d+)\s*:\s*\.?\$?[A-Z]{1,3}\$?(\d+)",
    re.IGNORECASE,
)


def is_summary_formula(formula: str, row: int) -> bool:
    """Whether `formula`, in a cell of `row`, sums up (counts, averages) rows above it."""
    for match in _AGGREGATE.finditer(formula):
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        if first < last < row:
            return True
    return False


def summary_formulas(path: str, sheet_name: str) -> list[tuple[int, str]]:
    """(row number, formula) of each row of the sheet holding a summary formula."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as archive:
        if "content.xml" in archive.namelist() and "xl/workbook.xml" not in archive.namelist():
            found: dict[int, str] = {}
            for row, formula in formula_cells(archive, sheet_name):
                if row not in found and is_summary_formula(formula, row):
                    found[row] = formula
            return sorted(found.items())
        part = _sheet_part(archive, sheet_name)
        if part is None:
            return []
        return _scan(archive, part)


_WORKBOOK_PROPERTIES = re.compile(rb"<(?:\w+:)?workbookPr\b([^>]*)/?>")


def date_system(path: str) -> int:
    """1904 for a workbook that counts days from 1904, else 1900."""
    if not zipfile.is_zipfile(path):
        return 1900
    with zipfile.ZipFile(path) as archive:
        workbook = _small_part(archive, "xl/workbook.xml")
    if workbook is None:
        return 1900
    match = _WORKBOOK_PROPERTIES.search(workbook)
    if match is None:
        return 1900
    flag = _attributes(match.group(1)).get("date1904", "").strip().lower()
    return 1904 if flag in ("1", "true") else 1900


def _attributes(text: bytes) -> dict[str, str]:
    return {
        key.decode("utf-8", "replace").rsplit(":", 1)[-1]: html.unescape(
            value.decode("utf-8", "replace")
        )
        for key, value in _ATTRIBUTE.findall(text)
    }


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _SMALL_PART_BYTES:
        return None
    return archive.read(info)


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = _small_part(archive, "xl/workbook.xml")
    relationships = _small_part(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or relationships is None:
        return None
    relation = None
    for match in _SHEET.finditer(workbook):
        attributes = _attributes(match.group(1))
        if attributes.get("name") == sheet_name:
            relation = attributes.get("id")
            break
    if relation is None:
        return None
    for match in _RELATIONSHIP.finditer(relationships):
        attributes = _attributes(match.group(1))
        if attributes.get("Id") == relation:
            target = attributes.get("Target", "")
            if target.startswith("/"):
                return normpath(target.lstrip("/"))
            return normpath(join("xl", target))
    return None


def _scan(archive: zipfile.ZipFile, part: str) -> list[tuple[int, str]]:
    found: dict[int, str] = {}
    try:
        stream = archive.open(part)
    except KeyError:
        return []
    with stream:
        tail = b""
        while chunk := stream.read(_CHUNK_BYTES):
            window = tail + chunk
            if b"<f" in window or b":f>" in window or b":f " in window:
                for match in _FORMULA_CELL.finditer(window):
                    row = int(match.group(1))
                    formula = html.unescape(match.group(2).decode("utf-8", "replace"))
                    if row not in found and is_summary_formula(formula, row):
                        found[row] = formula
            tail = window[-_OVERLAP_BYTES:]
    return sorted(found.items())
