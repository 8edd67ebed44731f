"""Rows cross from the reading process a column at a time (text as one joined string) and
come back exactly as the cells were cleaned: text stripped and never empty, control
characters gone, whole floats made int, rows ending at their last value."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import pytest

from sro_desktop.spreadsheets.calamine_worker import _columns_message
from sro_desktop.spreadsheets.worker_protocol import chunk_rows, decode


def _round_trip(cells: list[list[Any]], keep_text: bool = False, first_column: int = 0) -> Any:
    message = _columns_message([list(row) for row in cells], keep_text)
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return chunk_rows(decode(data), first_column), message


def test_tidy_text_travels_as_one_string_and_comes_back_as_cells() -> None:
    rows, message = _round_trip([["Ann", "ann@example.org", ""], ["Bo", "", "PA"]])

    assert rows == [("Ann", "ann@example.org"), ("Bo", None, "PA")]
    assert all(type(column) is str for column in message["columns"])
    assert message["filled"]


def test_untidy_text_is_cleaned_as_before() -> None:
    cells = [
        ["  Ann ", "a\x00b\x07c", "tab\there", "x"],
        ["\u00a0Bo\u00a0", " ", "line\nbreak", ""],
    ]

    rows, _message = _round_trip(cells)

    assert rows == [("Ann", "abc", "tab\there", "x"), ("Bo", None, "line\nbreak")]


def test_numbers_dates_and_blank_rows() -> None:
    day = date(2026, 3, 4)
    cells = [[1.0, 2.5, day, True], ["", "", "", ""], [3.0, "", None, ""]]

    rows, _message = _round_trip(cells, first_column=2)

    assert rows == [(None, None, 1, 2.5, day, True), (), (None, None, 3)]
    assert type(rows[0][2]) is int


def test_a_database_workbook_keeps_its_text_exactly() -> None:
    rows, message = _round_trip([["  spaced  ", "a\x00b"], ["", "x"]], keep_text=True)

    assert rows == [("  spaced  ", "a\x00b"), (None, "x")]
    assert all(type(column) is list for column in message["columns"])


def test_a_chunk_of_nothing_says_so() -> None:
    rows, message = _round_trip([["", " "], ["", ""]])

    assert rows == [(), ()]
    assert not message["filled"]


@pytest.mark.parametrize("count", [0, 3])
def test_columns_of_the_wrong_length_are_refused(count: int) -> None:
    with pytest.raises(pickle.UnpicklingError):
        chunk_rows({"rows": 2, "columns": ["a\x00b", ["x"] * count]}, 0)
