"""Files that must be refused: quickly, safely, with one sentence naming the file."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.reading import list_sheets, read_table
from tests.spreadsheets.workbook_files import (
    SHEET_END,
    SHEET_START,
    inline_cell,
    write_raw_xlsx,
    write_xlsx,
)

MEGABYTE = 1024 * 1024


def _refusal(path: Path) -> str:
    with pytest.raises(UnusableInput) as refused:
        read_table(path)
    message = str(refused.value)
    assert f"“{path.name}”" in message
    assert message.endswith(".")
    assert message.count(". ") == 0, "one sentence"
    return message


def _timed_refusal(path: Path, seconds: float) -> str:
    started = time.perf_counter()
    message = _refusal(path)
    assert time.perf_counter() - started < seconds
    return message


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid .xlsx of about 5 MB whose sheet XML unpacks to 1 GB of spaces."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.xlsx"
    spaces = b" " * MEGABYTE
    parts = [SHEET_START, *([spaces] * 1024), SHEET_END]
    return write_raw_xlsx(path, parts, compresslevel=1)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(gigabyte_bomb: Path) -> None:
    with zipfile.ZipFile(gigabyte_bomb) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1024 * MEGABYTE
    assert gigabyte_bomb.stat().st_size < 10 * MEGABYTE

    message = _timed_refusal(gigabyte_bomb, seconds=1.0)

    assert "would unpack to far more data" in message


def test_a_tightly_packed_part_under_the_size_cap_is_refused(tmp_path: Path) -> None:
    parts = [SHEET_START, *([b" " * MEGABYTE] * 150), SHEET_END]
    path = write_raw_xlsx(tmp_path / "dense.xlsx", parts, compresslevel=9)

    assert "would unpack to far more data" in _timed_refusal(path, seconds=1.0)


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "parts.xlsx", [["Name"], ["Ann"]])
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_001):
            archive.writestr(f"customXml/item{number}.xml", b"")

    assert "would unpack to far more data" in _refusal(path)


def test_a_sheet_spread_over_the_whole_grid_is_refused_not_crashing(tmp_path: Path) -> None:
    # Two cells, A1 and XFD1048576: calamine would lay out 17 billion cells (512 GB)
    # and abort the process; the reading process dies instead of the app.
    parts = [
        SHEET_START,
        b'<row r="1">' + inline_cell("A1", "Name") + b"</row>",
        b'<row r="1048576">' + inline_cell("XFD1048576", "x") + b"</row>",
        SHEET_END,
    ]
    path = write_raw_xlsx(tmp_path / "stray.xlsx", parts)

    assert "could not be read safely" in _timed_refusal(path, seconds=5.0)


def test_a_sheet_with_a_too_large_used_area_is_refused(tmp_path: Path) -> None:
    parts = [
        SHEET_START,
        b'<row r="1">' + inline_cell("A1", "Name") + b"</row>",
        b'<row r="1000000">' + inline_cell("K1000000", "x") + b"</row>",
        SHEET_END,
    ]
    path = write_raw_xlsx(tmp_path / "far.xlsx", parts)

    message = _timed_refusal(path, seconds=5.0)

    assert message.startswith("Sheet “Sheet1” of “far.xlsx” uses 1,000,000 rows by 11 columns")


def test_a_truncated_workbook_is_refused_as_damaged(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [["Name"], ["Ann"]]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])

    assert "is damaged or incomplete" in _refusal(path)


def test_a_workbook_with_a_broken_sheet_is_refused_as_damaged(tmp_path: Path) -> None:
    parts = [SHEET_START, b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is>']
    path = write_raw_xlsx(tmp_path / "broken.xlsx", parts)

    message = _refusal(path)

    assert "damaged" in message


def test_a_renamed_pdf_is_refused_as_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")

    assert "is a PDF document, not a spreadsheet" in _refusal(path)


def test_a_renamed_word_document_is_refused_as_one(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    assert "is a Word document, not a spreadsheet" in _refusal(path)


def test_a_zip_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")

    assert "is a zip archive, not a spreadsheet" in _refusal(path)


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.xls"
    path.write_bytes(bytes(range(256)) * 40)

    assert "is damaged" in _refusal(path)


def test_binary_junk_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(b"Name,Email\n\x00\x01\x02\x00")

    assert "is not a text (CSV) file" in _refusal(path)


def test_a_web_page_named_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Name</td></tr></table></body></html>")

    assert "is a web page" in _refusal(path)


def test_an_excel_2003_xml_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
    )

    assert "XML Spreadsheet 2003" in _refusal(path)


def test_plain_text_named_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_text("Name,Email\nAnn,ann@example.org\n")

    assert "rename it to end in .csv" in _refusal(path)


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.xls", "empty.ods"])
def test_an_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")

    assert _refusal(path) == f"“{name}” is empty (0 bytes); choose the file that holds the data."


@pytest.mark.parametrize("name", ["members.pdf", "members.docx", "members", "members.numbers"])
def test_an_unsupported_extension_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")

    assert "is not a type of file this program reads" in _refusal(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "was not found" in _refusal(tmp_path / "gone.xlsx")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()

    assert "is a folder" in _refusal(folder)


def test_list_sheets_refuses_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "members.ods"
    path.write_bytes(b"%PDF-1.4")

    with pytest.raises(UnusableInput, match=re.escape("“members.ods” is a PDF document")):
        list_sheets(path)
