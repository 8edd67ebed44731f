"""What a file really is, judged by its first bytes rather than by its name.

People rename files, web sites export HTML as ".xls", and e-mail programs save PDFs
with whatever name was typed. Looking at the content lets us read a workbook saved
under the wrong extension and refuse a PDF with a message that says it is a PDF.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Content", "FileKind", "sniff"]

_SNIFF_BYTES = 8192
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Formats people mistake for spreadsheets, by leading bytes, with what to call them.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "a database file"),
)


class FileKind(enum.Enum):
    ZIP = "zip"  # xlsx, xlsm, xlsb, ods - or a Word document, or any zip
    OLE = "ole"  # xls - or an encrypted xlsx, or a Word .doc
    TEXT = "text"  # csv, tsv, txt
    WEB_PAGE = "web page"
    EXCEL_2003_XML = "excel 2003 xml"
    OTHER = "other"
    EMPTY = "empty"


@dataclass(frozen=True)
class Content:
    kind: FileKind
    description: str | None = None  # for OTHER when we recognise it, e.g. "a PDF document"


def sniff(path: Path) -> Content:
    """Look at the first few kilobytes of `path` (which must exist and be readable)."""
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    if not head:
        return Content(FileKind.EMPTY)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Content(FileKind.ZIP)
    if head.startswith(_OLE_SIGNATURE):
        return Content(FileKind.OLE)
    for signature, description in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return Content(FileKind.OTHER, description)
    if head.startswith(_UTF16_BOMS):
        return Content(FileKind.TEXT)
    if b"\x00" in head:
        return Content(FileKind.OTHER)
    return _text_kind(head)


def _text_kind(head: bytes) -> Content:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
            return Content(FileKind.EXCEL_2003_XML)
        if any(tag in start for tag in (b"<html", b"<!doctype html", b"<table", b"<body")):
            return Content(FileKind.WEB_PAGE)
    return Content(FileKind.TEXT)
