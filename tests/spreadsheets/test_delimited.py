"""Reading CSV and tab-separated files as Excel, Google Sheets and web forms write them."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.delimited import choose_delimiter
from sro_desktop.spreadsheets.reading import list_sheets, read_raw_rows, read_table

NAMES = (
    "First name,Last name,Email\r\nZoë,Müller,zoe@example.org\r\nJosé,Núñez,jose@example.org\r\n"
)
EXPECTED = (("Zoë", "Müller", "zoe@example.org"), ("José", "Núñez", "jose@example.org"))


def _values(path: Path) -> tuple[tuple[object, ...], ...]:
    return tuple(row.values for row in read_table(path).rows)


@pytest.mark.parametrize(
    ("encoding", "description"),
    [
        ("utf-8", "UTF-8 without BOM"),
        ("utf-8-sig", "UTF-8 with BOM, as Excel's 'CSV UTF-8' writes"),
        ("cp1252", "Windows-1252, as Excel's plain 'CSV' writes"),
        ("utf-16", "UTF-16 with BOM, as Excel's 'Unicode Text' writes"),
    ],
)
def test_encodings_excel_writes_are_read(tmp_path: Path, encoding: str, description: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(NAMES.encode(encoding))

    table = read_table(path)

    assert table.headers == ("First name", "Last name", "Email"), description
    assert _values(path) == EXPECTED


def test_windows_1252_bytes_become_the_right_letters(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"Name,Town\r\nZo\xeb M\xfcller,K\xf6ln \x80 5\r\n")

    assert _values(path) == (("Zoë Müller", "Köln € 5"),)


def test_the_utf8_bom_does_not_stick_to_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfEmail,Name\nann@example.org,Ann\n")

    assert read_table(path).headers == ("Email", "Name")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "members.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(["Name", "Address", "Dues"])
        writer.writerow(["Lee, Ann", "1 Main St; Apt 2", "95,50"])
        writer.writerow(["Marsh, Bob", "2 Elm St\tRear", "120,00"])

    table = read_table(path)

    assert table.headers == ("Name", "Address", "Dues")
    assert _values(path) == (
        ("Lee, Ann", "1 Main St; Apt 2", "95,50"),
        ("Marsh, Bob", "2 Elm St\tRear", "120,00"),
    )


def test_semicolons_win_over_decimal_commas(tmp_path: Path) -> None:
    sample = "Name;Dues;Paid\nAnn;95,50;12,00\nBob;120;0\nCy;1,5;2,25\n"

    assert choose_delimiter(sample) == ";"


def test_quoted_fields_keep_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'Name,Address,Note\n"Lee, Ann","1 Main St\nSpringfield","She said ""hi"""\nBob,x,y\n',
        encoding="utf-8",
    )

    table = read_table(path)

    assert table.rows[0].values == ("Lee, Ann", "1 Main St\nSpringfield", 'She said "hi"')
    assert [row.row_number for row in table.rows] == [2, 3]  # a record is one row, as in Excel


def test_excels_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nName;Town\nAnn, Jr.;Dayton\n", encoding="utf-8")

    sheet, rows = read_raw_rows(path)

    assert sheet == "sep"
    assert [row.values for row in rows] == [("Name", "Town"), ("Ann, Jr.", "Dayton")]


def test_a_title_line_above_the_header_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Registrations for Fall Workshop\n\nName,Email,Fee\nAnn,ann@example.org,40\n"
        "Bob,bob@example.org,55\n",
        encoding="utf-8",
    )

    table = read_table(path)

    assert table.header_row == 3
    assert table.headers == ("Name", "Email", "Fee")
    assert _values(path) == (("Ann", "ann@example.org", "40"), ("Bob", "bob@example.org", "55"))


def test_raw_rows_of_a_text_file_keep_blank_lines_and_drop_trailing_ones(tmp_path: Path) -> None:
    path = tmp_path / "raw.txt"
    path.write_text("a\tb\n\n\tc\n\n\n", encoding="utf-8")

    sheet, rows = read_raw_rows(path)

    assert sheet == "raw"
    assert [(row.row_number, row.values) for row in rows] == [
        (1, ("a", "b")),
        (2, ()),
        (3, (None, "c")),
    ]


def test_a_text_file_has_one_sheet_named_after_it(tmp_path: Path) -> None:
    path = tmp_path / "Members 2024.csv"
    path.write_text("Name\nAnn\n", encoding="utf-8")

    assert list_sheets(path) == ["Members 2024"]
    assert read_table(path, "members 2024").sheet == "Members 2024"
    with pytest.raises(UnusableInput, match=re.escape("has no sheet named “Sheet1”")):
        read_table(path, "Sheet1")


def test_a_text_file_of_blank_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n , \n\n", encoding="utf-8")

    with pytest.raises(UnusableInput, match=re.escape("“blank.csv” holds only blank lines")):
        read_table(path)


def test_tab_separated_text_saved_as_xls_reads_as_excel_does(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("Name\tEmail\nAnn\tann@example.org\n", encoding="utf-8")

    assert _values(path) == (("Ann", "ann@example.org"),)


_field = st.text(alphabet='aZé 1"\n', max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    header=st.lists(st.sampled_from(["Name", "Email", "Town", "Dues"]), min_size=2, max_size=4),
    body=st.lists(st.lists(_field, min_size=4, max_size=4), min_size=2, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_what_the_csv_module_writes_reads_back(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    body: list[list[str]],
    delimiter: str,
    encoding: str,
) -> None:
    width = len(header)
    records = [header] + [[*fields[: width - 1], "x"] for fields in body]  # no blank records
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL).writerows(records)
    path = tmp_path_factory.mktemp("csv") / "round-trip.csv"
    path.write_bytes(text.getvalue().encode(encoding))

    _, rows = read_raw_rows(path)

    expected = [tuple(field.strip() or None for field in record) for record in records]
    assert [row.values + (None,) * (width - len(row.values)) for row in rows] == expected
