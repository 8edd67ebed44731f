"""The header-row heuristic on layouts seen in real treasurers' files (no files needed)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.header_detection import find_header, is_label
from sro_desktop.spreadsheets.sheet_data import CellValue, MergedRange, SheetContent, SheetRow
from sro_desktop.spreadsheets.table_finding import find_table


def _rows(*rows: Sequence[CellValue]) -> list[SheetRow]:
    return [SheetRow(number, tuple(values)) for number, values in enumerate(rows, start=1)]


def _header_row(*rows: Sequence[CellValue]) -> int | None:
    found = find_header(_rows(*rows))
    return None if found is None else found + 1


@pytest.mark.parametrize("text", ["Email", "E-mail address", "Dues 2024", "Q1", "Zip", "ID #"])
def test_labels(text: str) -> None:
    assert is_label(text)


@pytest.mark.parametrize(
    "value", ["2024", "555-0101", "ann@example.org", "https://sro.org", "x" * 81, 42, None]
)
def test_not_labels(value: CellValue) -> None:
    assert not is_label(value)


def test_text_only_data_does_not_hide_the_header() -> None:
    assert (
        _header_row(
            ("Name", "Town", "Employer"),
            ("Ann Lee", "Dayton", "Mercy Hospital"),
            ("Bob Marsh", "Akron", "Summa Health"),
        )
        == 1
    )


def test_a_title_and_key_value_preamble_are_passed_over() -> None:
    assert (
        _header_row(
            ("Fall Workshop registrations",),
            ("Date:", "2024-10-04"),
            ("Venue:", "Columbus"),
            ("Name", "Email", "Fee", "Paid", "Member"),
            ("Ann", "ann@example.org", 40, True, "Yes"),
            ("Bob", "bob@example.org", 55, False, "No"),
        )
        == 4
    )


def test_a_title_above_a_narrow_table_is_passed_over() -> None:
    assert (
        _header_row(("Mailing list",), ("Name", "Email"), ("Ann", "a@x.org"), ("Bo", "b@x.org"))
        == 2
    )


def test_a_block_followed_by_a_blank_and_a_longer_table_is_passed_over() -> None:
    assert (
        _header_row(
            ("Meeting ID", "Topic", "Start time"),
            (81234567, "Webinar", "2024-05-01 10:00"),
            (),
            (),
            ("Name", "Email", "Join time", "Leave time"),
            ("Ann", "ann@example.org", "10:01", "11:00"),
            ("Bob", "bob@example.org", "10:05", "10:50"),
        )
        == 5
    )


def test_a_header_of_years_over_numbers_is_still_found() -> None:
    assert (
        _header_row(
            ("Summary",),
            (),
            ("Name", 2022, 2023, 2024),
            ("Ann", 95, 95, 100),
            ("Bob", 95, 0, 100),
        )
        == 3
    )


def test_a_header_with_a_single_data_row_at_the_end() -> None:
    assert _header_row(("Report",), (), ("Name", "Email"), ("Ann", "ann@example.org")) == 3


def test_nothing_but_blank_rows_has_no_header() -> None:
    assert _header_row((), (None, None)) is None


def test_a_header_row_with_no_data_makes_an_empty_table() -> None:
    content = SheetContent("f.xlsx", "S", ("S",), tuple(_rows((), ("Name", "Email"))))

    table = find_table(content)

    assert (table.header_row, table.headers, table.rows, table.ended_by) == (
        2,
        ("Name", "Email"),
        (),
        None,
    )


_cells = st.one_of(
    st.none(),
    st.sampled_from(["Name", "Email", "Total", "Dues 2024", "ann@example.org", "Column B"]),
    st.text(alphabet="ab 1\u200b", max_size=6).map(lambda text: text.strip() or None),
    st.integers(-5, 5000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)
_merges = st.builds(
    lambda row, height, column, width: MergedRange(row, row + height, column, column + width),
    st.integers(1, 12),
    st.integers(0, 3),
    st.integers(0, 5),
    st.integers(0, 2),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(_cells, max_size=6).map(tuple), max_size=14),
    merged=st.lists(_merges, max_size=4),
)
def test_any_sheet_gives_a_consistent_table_or_a_refusal(
    rows: list[tuple[CellValue, ...]], merged: list[MergedRange]
) -> None:
    content = SheetContent("f.xlsx", "S", ("S",), tuple(_rows(*rows)), tuple(merged))
    if all(value is None for row in rows for value in row):
        with pytest.raises(UnusableInput, match="is empty"):
            find_table(content)
        return
    table = find_table(content)
    assert len({name.casefold() for name in table.headers}) == len(table.headers)
    assert all(name and name == " ".join(name.split()) for name in table.headers)
    numbers = [row.row_number for row in table.rows]
    assert numbers == sorted(set(numbers))
    assert all(number > table.header_row for number in numbers)
    assert all(len(row.values) == len(table.headers) for row in table.rows)
    assert all(any(value is not None for value in row.values) for row in table.rows)
