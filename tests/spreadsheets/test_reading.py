"""Reading tables out of real .xlsx files the way treasurers lay them out."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.reading import list_sheets, read_raw_rows, read_table
from tests.spreadsheets.workbook_files import Rows, write_xlsx

HEADER = ("First name", "Last name", "Email", "Dues")
ANN = ("Ann", "Lee", "ann@example.org", 95)
BOB = ("Bob", "Marsh", "bob@example.org", 120.5)
CY = ("Cy", "Okafor", "cy@example.org", 95)


def test_a_plain_table_reads_with_its_header_in_row_1(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "members.xlsx", [HEADER, ANN, BOB])

    table = read_table(path)

    assert table.file_name == "members.xlsx"
    assert table.sheet == "Sheet1"
    assert table.sheet_names == ("Sheet1",)
    assert table.header_row == 1
    assert table.headers == HEADER
    assert [row.row_number for row in table.rows] == [2, 3]
    assert table.rows[0].values == ANN
    assert table.rows[1].values == BOB
    assert table.ended_by is None


def test_the_header_is_found_below_titles_notes_and_blank_rows(tmp_path: Path) -> None:
    rows: Rows = [
        ["Ohio SRO membership list 2024"],
        ["Prepared by:", "J. Smith"],
        [],
        ["Please do not sort this sheet; the treasurer relies on the order of the rows."],
        [],
        [],
        list(HEADER),
        list(ANN),
        list(BOB),
    ]
    path = write_xlsx(tmp_path / "titled.xlsx", rows, merges=["A1:D1"])

    table = read_table(path)

    assert table.header_row == 7
    assert table.headers == HEADER
    assert [row.row_number for row in table.rows] == [8, 9]


def test_a_table_in_the_middle_of_a_sheet_keeps_only_its_own_columns(tmp_path: Path) -> None:
    rows: Rows = [[], [], [None, None, *HEADER], [None, None, *ANN]]
    path = write_xlsx(tmp_path / "middle.xlsx", rows)

    table = read_table(path)

    assert table.header_row == 3
    assert table.headers == HEADER
    assert table.rows[0].values == ANN


def test_a_summary_row_ends_the_table(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, BOB, ["Total", None, None, 215.5], ["Paid by cheque:", 2]]
    path = write_xlsx(tmp_path / "summed.xlsx", rows)

    table = read_table(path)

    assert len(table.rows) == 2
    assert table.ended_by == 'summary row 4 ("Total")'


@pytest.mark.parametrize("label", ["TOTAL", "Totals", "Grand total:", "Sum", "Total members: 2"])
def test_summary_labels_are_recognised(tmp_path: Path, label: str) -> None:
    path = write_xlsx(tmp_path / "summed.xlsx", [HEADER, ANN, [label, None, None, 95]])

    assert read_table(path).ended_by == f'summary row 3 ("{label}")'


def test_a_blank_row_followed_by_notes_ends_the_table(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, BOB, [], ["Notes: Bob paid late."]]
    path = write_xlsx(tmp_path / "notes.xlsx", rows)

    table = read_table(path)

    assert [row.values for row in table.rows] == [ANN, BOB]
    assert table.ended_by == "blank row 4"


def test_two_blank_rows_end_the_table(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, [], [], CY]
    path = write_xlsx(tmp_path / "two-blank.xlsx", rows)

    table = read_table(path)

    assert [row.values for row in table.rows] == [ANN]
    assert table.ended_by == "blank row 3"


def test_a_single_blank_row_inside_the_data_is_skipped(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, [], BOB, CY]
    path = write_xlsx(tmp_path / "cleared-row.xlsx", rows)

    table = read_table(path)

    assert [row.row_number for row in table.rows] == [2, 4, 5]
    assert table.ended_by is None


def test_a_second_table_after_a_blank_row_is_not_read(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, [], HEADER, CY]
    path = write_xlsx(tmp_path / "two-tables.xlsx", rows)

    table = read_table(path)

    assert [row.values for row in table.rows] == [ANN]
    assert table.ended_by == "blank row 3"


def test_blank_rows_at_the_end_end_nothing(tmp_path: Path) -> None:
    rows: Rows = [HEADER, ANN, [], [None, None, None, "   "]]
    path = write_xlsx(tmp_path / "trailing.xlsx", rows)

    table = read_table(path)

    assert [row.values for row in table.rows] == [ANN]
    assert table.ended_by is None


def test_headers_are_tidied_named_and_made_unique(tmp_path: Path) -> None:
    header = ["  First\n name ", "Email", None, "email", "Email (2)", "Dues\u00a02024\u200b", 2025]
    path = write_xlsx(tmp_path / "headers.xlsx", [header, ["Ann", "a@x.org", 1, 2, 3, 4, 5]])

    table = read_table(path)

    assert table.headers == (
        "First name",
        "Email",
        "Column C",
        "email (3)",
        "Email (2)",
        "Dues 2024",
        "2025",
    )


def test_cells_are_plain_python_values(tmp_path: Path) -> None:
    rows: Rows = [
        ["Name", "Joined", "Renewed at", "Dues", "Life member", "Member no", "Notes"],
        ["  Ann Lee  ", date(2019, 3, 1), datetime(2024, 5, 6, 7, 8), 95.5, True, 1042, "   "],
    ]
    path = write_xlsx(tmp_path / "values.xlsx", rows)

    (row,) = read_table(path).rows

    assert row.values == (
        "Ann Lee",
        date(2019, 3, 1),
        datetime(2024, 5, 6, 7, 8),
        95.5,
        True,
        1042,
        None,
    )
    assert type(row.values[5]) is int  # stored by Excel as 1042.0


def test_a_value_merged_down_belongs_to_every_row_it_covers(tmp_path: Path) -> None:
    rows: Rows = [
        ["Hospital", "Name", "Email"],
        ["St. Mary's", "Ann", "ann@example.org"],
        [None, "Bob", "bob@example.org"],
        [None, "Cy", "cy@example.org"],
        ["Mercy", "Dee", "dee@example.org"],
    ]
    path = write_xlsx(tmp_path / "merged-down.xlsx", rows, merges=["A2:A4"])

    table = read_table(path)

    assert [row.values[0] for row in table.rows] == ["St. Mary's"] * 3 + ["Mercy"]


def test_a_row_covered_by_a_merge_above_does_not_end_the_table(tmp_path: Path) -> None:
    rows: Rows = [
        ["Name", "Address", "Email"],
        ["Ann", "1 Long Street, Springfield", "ann@example.org"],
        [],
        ["Bob", "2 Short Road", "bob@example.org"],
    ]
    path = write_xlsx(tmp_path / "tall-row.xlsx", rows, merges=["A2:A3", "B2:B3", "C2:C3"])

    table = read_table(path)

    assert [row.values[0] for row in table.rows] == ["Ann", "Ann", "Bob"]
    assert table.ended_by is None


def test_a_two_row_header_with_merges_names_each_column(tmp_path: Path) -> None:
    rows: Rows = [
        ["Name", "Contact", None, "Dues"],
        [None, "Phone", "Email", None],
        ["Ann", "555-0101", "ann@example.org", 95],
    ]
    path = write_xlsx(tmp_path / "two-row-header.xlsx", rows, merges=["A1:A2", "B1:C1", "D1:D2"])

    table = read_table(path)

    assert table.header_row == 1
    assert table.headers == ("Name", "Contact Phone", "Contact Email", "Dues")
    assert [row.row_number for row in table.rows] == [3]


def test_a_merged_header_cell_in_a_one_row_header_names_its_first_column(tmp_path: Path) -> None:
    rows: Rows = [["Name", None, "Email"], ["Ann", "Lee", "ann@example.org"]]
    path = write_xlsx(tmp_path / "wide-header.xlsx", rows, merges=["A1:B1"])

    assert read_table(path).headers == ("Name", "Column B", "Email")


def test_the_first_sheet_with_data_is_read_by_default(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {
        "Cover": [],
        "Members": [HEADER, ANN],
        "Sponsors": [["Company"], ["Acme"]],
    }
    path = write_xlsx(tmp_path / "book.xlsx", sheets=sheets)

    table = read_table(path)

    assert table.sheet == "Members"
    assert table.sheet_names == ("Cover", "Members", "Sponsors")
    assert list_sheets(path) == ["Cover", "Members", "Sponsors"]


def test_hidden_sheets_come_after_visible_ones_in_the_default_choice(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {"Lookup": [["Code"], ["A"]], "Members": [HEADER, ANN]}
    path = write_xlsx(tmp_path / "hidden.xlsx", sheets=sheets, hidden=["Lookup"])

    assert read_table(path).sheet == "Members"


def test_a_sheet_is_chosen_by_name_ignoring_case_and_spaces(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {"Members": [HEADER, ANN], "Sponsors": [["Company"], ["Acme"]]}
    path = write_xlsx(tmp_path / "book.xlsx", sheets=sheets)

    assert read_table(path, "Sponsors").headers == ("Company",)
    assert read_table(path, " sponsors ").sheet == "Sponsors"


def test_a_missing_sheet_is_refused_listing_the_sheets(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {"Members": [HEADER, ANN], "Sponsors": [["Company"], ["Acme"]]}
    path = write_xlsx(tmp_path / "book.xlsx", sheets=sheets)

    with pytest.raises(UnusableInput) as refused:
        read_table(path, "Meetings")

    assert str(refused.value) == (
        "“book.xlsx” has no sheet named “Meetings”; "
        "choose one of its sheets: “Members”, “Sponsors”."
    )


def test_an_empty_sheet_asked_for_by_name_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", sheets={"Members": [HEADER, ANN], "Empty": []})

    with pytest.raises(UnusableInput, match=re.escape("Sheet “Empty” of “book.xlsx” is empty")):
        read_table(path, "Empty")
    assert read_raw_rows(path, "Empty") == ("Empty", [])


def test_a_workbook_without_data_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "blank.xlsx", sheets={"One": [], "Two": [[None, "  "]]})

    with pytest.raises(
        UnusableInput, match=re.escape("“blank.xlsx” has no data in any of its sheets")
    ):
        read_table(path)


def test_raw_rows_keep_every_row_and_column_as_it_stands(tmp_path: Path) -> None:
    rows: Rows = [["Meeting ID", "Topic"], [123456789, "Annual conference"], [], [None, "Name"]]
    path = write_xlsx(tmp_path / "zoom.xlsx", rows)

    sheet, raw = read_raw_rows(path)

    assert sheet == "Sheet1"
    assert [(row.row_number, row.values) for row in raw] == [
        (1, ("Meeting ID", "Topic")),
        (2, (123456789, "Annual conference")),
        (3, ()),
        (4, (None, "Name")),
    ]


def test_raw_rows_refuse_a_sheet_longer_than_asked_for(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "long.xlsx", [[n] for n in range(10)])

    assert len(read_raw_rows(path, max_rows=10)[1]) == 10
    with pytest.raises(UnusableInput, match="has more than 5 rows"):
        read_raw_rows(path, max_rows=5)


def test_a_workbook_saved_with_the_wrong_extension_still_reads(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "members.xlsx", [HEADER, ANN])
    misnamed = path.rename(tmp_path / "members.xls")

    assert read_table(misnamed).rows[0].values == ANN
