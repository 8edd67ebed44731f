"""Reading CSV and other delimited text files (.csv, .tsv, .txt) with the standard library.

Encoding: a BOM decides (UTF-8 or UTF-16, as Excel's "Unicode Text" writes); otherwise
the whole file must be valid UTF-8, failing which it is read as Windows-1252, what
Excel's plain "CSV" save writes on a Western Windows PC. The delimiter (comma,
semicolon, tab or bar) is the one that splits the first records into the same number
of fields most consistently; csv.Sniffer guesses wrong too often on short files or
files with a title line. Excel's own ``sep=;`` first line is honoured.

Cells are returned as text, cleaned as a workbook's are (None when empty): whether
"00123" is a number is for the code that knows what the column means to decide.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from sro_desktop.spreadsheets import refusals
from sro_desktop.spreadsheets.cell_text import clean_text
from sro_desktop.spreadsheets.limits import MAX_CELLS, MAX_ROWS
from sro_desktop.spreadsheets.sheet_data import CellValue, SheetRow

__all__ = ["choose_delimiter", "detect_encoding", "read_delimited"]

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_RECORDS = 50
_CHUNK_BYTES = 1024 * 1024
_SEP_LINE = re.compile(r"^sep=(.)$")


def read_delimited(path: Path, name: str, max_rows: int = MAX_ROWS) -> tuple[SheetRow, ...]:
    """Every record of the file as a row, blank ones included, trailing blank ones dropped."""
    encoding = detect_encoding(path)
    # Undecodable bytes can only remain in the Windows-1252 case (5 unused byte values).
    with path.open(encoding=encoding, errors="replace", newline="") as file:
        sample = file.read(_SAMPLE_CHARS)
        first_line = sample.split("\n", 1)[0].strip()
        sep_line = _SEP_LINE.match(first_line)
        delimiter = sep_line.group(1) if sep_line else choose_delimiter(sample)
        file.seek(0)
        if sep_line:
            file.readline()
        rows = list(_rows(csv.reader(file, delimiter=delimiter), name, path.stem, max_rows))
    while rows and not rows[-1].values:
        rows.pop()
    return tuple(rows)


def _rows(records: Iterator[list[str]], name: str, sheet: str, max_rows: int) -> Iterator[SheetRow]:
    cells = 0
    number = 0
    try:
        for number, record in enumerate(records, start=1):
            if number > max_rows:
                raise refusals.too_many_rows(name, sheet, max_rows)
            values: list[CellValue] = [clean_text(field) for field in record]
            while values and values[-1] is None:
                values.pop()
            cells += len(values)
            if cells > MAX_CELLS:
                raise refusals.too_many_cells(name, MAX_CELLS)
            yield SheetRow(number, tuple(values))
    except csv.Error as exc:
        raise refusals.bad_csv(name, number + 1) from exc


def detect_encoding(path: Path) -> str:
    """The codec to read `path` with: its BOM's, else UTF-8 if valid, else Windows-1252."""
    with path.open("rb") as file:
        head = file.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := file.read(_CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def choose_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's records into equal field counts most often.

    Each candidate gets the number of records having its most common field count (of
    two or more fields); ties go to the one giving more fields, then to the order of
    _DELIMITERS. A file of one column gets a comma, which then splits nothing.
    """
    if len(sample) == _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # drop the cut-off last line
    best = (0, 0)
    chosen = _DELIMITERS[0]
    for delimiter in _DELIMITERS:
        records = islice(csv.reader(io.StringIO(sample), delimiter=delimiter), _SAMPLE_RECORDS)
        try:
            counts = Counter(len(record) for record in records if len(record) > 1)
        except csv.Error:
            continue
        if not counts:
            continue
        fields, agreeing = max(counts.items(), key=lambda item: (item[1], item[0]))
        if (agreeing, fields) > best:
            best = (agreeing, fields)
            chosen = delimiter
    return chosen
