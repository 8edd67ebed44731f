"""A totals row without a "Total" label is not one more row of data, in .xlsx, .ods and
.xls alike: by its formula where the file keeps one we can read, else by its content.

The roster-with-totals files were made by LibreOffice from one workbook (header, three
people, then =SUM(E2:E4) under "Dues Paid" with no label), so each holds the formula and
its value as a spreadsheet program writes them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind
from sro_desktop.spreadsheets.import_runner import import_members, read_and_prepare
from sro_desktop.spreadsheets.ods_formulas import formula_cells
from sro_desktop.spreadsheets.reading import read_table
from tests.spreadsheets.import_files import write_rows

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("roster-with-totals.xlsx", "the formula =SUM(E2:E4)"),
        ("roster-with-totals.ods", "the formula =SUM(E2:E4)"),
        ("roster-with-totals.xls", 'amounts only, under "Dues Paid"'),
    ],
)
def test_a_totals_row_without_a_label_ends_the_table(name: str, why: str) -> None:
    table = read_table(FILES / name)

    assert [row.values[0] for row in table.rows] == ["Ann", "Bo", "Cy"]
    assert table.ended_by == f"summary row 5 ({why})"


def test_typed_in_totals_under_money_columns_end_the_table(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "typed.xlsx",
        [
            ["Name", "Email", "Dues Paid", "Donation ($)"],
            ["Ann Ames", "ann@example.org", 150, 25.5],
            ["Bo Chen", "bo@example.org", 95, None],
            [None, None, 245, 25.5],
        ],
    )

    table = read_table(path)

    assert len(table.rows) == 2
    assert table.ended_by == 'summary row 4 (amounts only, under "Dues Paid")'


@pytest.mark.parametrize(
    "row",
    [
        [None, "carol@example.org", 150, None],  # text: a person without a name
        [None, None, None, None, 2026],  # a number under a header that is not money
    ],
)
def test_rows_that_are_not_totals_stay(tmp_path: Path, row: list[Any]) -> None:
    headers = ["Name", "Email", "Dues Paid", "Donation ($)", "Notes"]
    path = write_rows(
        tmp_path / "roster.xlsx",
        [headers, ["Ann Ames", "ann@example.org", 150], row, ["Bo Chen", "bo@example.org", 95]],
    )

    table = read_table(path)

    assert table.ended_by is None
    assert len(table.rows) == 3


def test_an_amount_only_row_with_people_after_it_is_not_a_total(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "roster.xlsx",
        [
            ["Name", "Email", "Dues Paid"],
            ["Ann Ames", "ann@example.org", 150],
            [None, None, 150],  # someone's name and e-mail not typed in yet
            ["Bo Chen", "bo@example.org", 95],
        ],
    )

    table = read_table(path)

    assert table.ended_by is None
    assert [row.values[2] for row in table.rows] == [150, 150, 95]


def test_rows_of_an_ods_sheet_are_counted_with_repeated_rows(tmp_path: Path) -> None:
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    total = '<table:table-cell table:formula="of:=SUM([.A2:.A4])"/>'
    sheets = (
        f'<table:table table:name="Other"><table:table-row>{total}</table:table-row></table:table>'
        '<table:table table:name="Members">'
        f"<table:table-row>{cell}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="3">{cell}</table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f"<table:table-row><table:table-cell/>{total}</table:table-row>"
        "</table:table>"
    )
    path = tmp_path / "rows.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0"?><office:document-content {namespaces}><office:body>'
            f"<office:spreadsheet>{sheets}</office:spreadsheet></office:body>"
            "</office:document-content>",
        )

    with zipfile.ZipFile(path) as archive:
        assert list(formula_cells(archive, "Members")) == [(7, "SUM(A2:A4)")]
        assert list(formula_cells(archive, "Other")) == [(1, "SUM(A2:A4)")]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_the_import_skips_the_totals_row_and_says_so(database: Database, suffix: str) -> None:
    path = FILES / f"roster-with-totals{suffix}"
    parsed = read_and_prepare(database, path, None, ImportKind.MEMBERS)

    report = import_members(database, parsed)

    assert (report.created, report.skipped, report.errors) == (3, 0, [])
    assert report.to_json()["table_ended_by"].startswith("summary row 5 (")
    assert "The table ends at its summary row 5" in report.summary()
