"""Every file of the real-world corpus is read or refused in words, in bounded time and memory.

The corpus (../shared/corpus/spreadsheets beside the repository) holds the calamine
project's test files: corrupt, password-protected, 1904-dated, merged, legacy and
files built to crash readers or exhaust their memory. Without it these tests skip,
except on CI, where a missing corpus is a failure.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.reading import list_sheets, read_raw_rows, read_table
from sro_desktop.spreadsheets.sheet_data import Table
from tests.spreadsheets.clean_process import run_measured

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "spreadsheets"
FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.suffix != ".md")
SECONDS_PER_FILE = 5.0
# The parser runs in a child process; both it and this process stay far below this.
MEGABYTES_PER_FILE = 300
CELL_TYPES = (str, int, float, bool, date, datetime, time_of_day, timedelta, type(None))


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not FILES:
        if os.environ.get("CI"):
            pytest.fail(f"the spreadsheet corpus is missing from {CORPUS.resolve()}")
        pytest.skip(f"the spreadsheet corpus is not at {CORPUS.resolve()}")
    return CORPUS


def test_the_corpus_is_there(corpus: Path) -> None:
    assert len(FILES) >= 130


def _peak_megabytes() -> tuple[float, float]:
    """Peak resident memory so far of this process and of its largest finished child."""
    if sys.platform == "win32":
        return 0.0, 0.0
    import resource

    per_megabyte = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss unit
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_megabyte
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / per_megabyte
    return own, children


def _check_table(table: Table) -> None:
    assert len({name.casefold() for name in table.headers}) == len(table.headers)
    assert all(name and name == name.strip() for name in table.headers)
    numbers = [row.row_number for row in table.rows]
    assert numbers == sorted(set(numbers))
    assert all(number > table.header_row for number in numbers)
    for row in table.rows:
        assert len(row.values) == len(table.headers)
        assert any(value is not None for value in row.values)
        for value in row.values:
            assert isinstance(value, CELL_TYPES)
            assert not isinstance(value, str) or (value and value == value.strip())


Result = TypeVar("Result")


def _read_or_refuse(path: Path, read: Callable[[], Result]) -> Result | None:
    """What `read` returns, or None after checking that its refusal names the file."""
    try:
        return read()
    except UnusableInput as refusal:
        message = str(refusal)
    assert f"“{path.name}”" in message
    return None


def _read_everything(path: Path) -> None:
    """Read the default table and every sheet's raw rows; only refusals may stop it."""
    table = _read_or_refuse(path, lambda: read_table(path))
    if table is not None:
        _check_table(table)
    for sheet in _read_or_refuse(path, lambda: list_sheets(path)) or []:
        raw = _read_or_refuse(path, partial(read_raw_rows, path, sheet))
        if raw is not None:
            name, rows = raw
            assert name == sheet
            assert [row.row_number for row in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_reads_or_is_refused_in_words(corpus: Path, path: Path) -> None:
    own_before, _children = _peak_megabytes()
    started = time.perf_counter()

    _read_everything(path)

    assert time.perf_counter() - started < SECONDS_PER_FILE
    own_after, _children = _peak_megabytes()
    assert own_after - own_before < MEGABYTES_PER_FILE


_WALK = """
import sys, resource, time
from pathlib import Path
from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.reading import list_sheets, read_raw_rows, read_table
per_megabyte = 1024 * 1024 if sys.platform == "darwin" else 1024
worst = (0.0, "")
for name in sys.argv[1:]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for read in (lambda: read_table(Path(name)), lambda: list_sheets(Path(name))):
        try:
            read()
        except UnusableInput:
            pass
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if after > before and after / per_megabyte > worst[0]:
        worst = (after / per_megabyte, Path(name).name)
print(f"{worst[0]:.0f} {worst[1]}")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX")
def test_no_corpus_file_makes_the_reader_large(corpus: Path) -> None:
    """The peak memory of any reading process stays bounded, measured from a small
    parent so the figure is the reader's own (see clean_process.py)."""
    output, _seconds, whole_walk = run_measured(_WALK, *(str(p) for p in FILES))
    worst_megabytes, worst_file = output.split(" ", 1)
    assert float(worst_megabytes) < MEGABYTES_PER_FILE, worst_file
    assert whole_walk < MEGABYTES_PER_FILE


@pytest.mark.parametrize("suffix", [".xls", ".xlsx", ".xlsb"])
def test_1904_dates_are_the_same_days_as_1900_dates(corpus: Path, suffix: str) -> None:
    dates_1900 = read_raw_rows(corpus / f"date{suffix}")[1]
    dates_1904 = read_raw_rows(corpus / f"date_1904{suffix}")[1]

    assert [row.values[0] for row in dates_1904] == [
        date(2021, 1, 1),
        date(2021, 1, 2),
        timedelta(days=10, hours=15, minutes=10, seconds=10),
    ]
    assert dates_1904 == dates_1900


@pytest.mark.parametrize(
    "name", ["pass_protected.xlsx", "pass_protected.xlsb", "pass_protected.ods", "issue_385.xls"]
)
def test_password_protected_files_are_refused_as_such(corpus: Path, name: str) -> None:
    with pytest.raises(UnusableInput) as refused:
        read_table(corpus / name)

    assert str(refused.value) == (
        f"“{name}” is protected with a password; open it in Excel or LibreOffice, "
        "save a copy without the password, and try that copy."
    )


@pytest.mark.parametrize(
    "name", ["issue_594_dos.ods", "OOM_alloc3.xls", "issue252.xlsx", "issue_666_panic.xlsb"]
)
def test_files_built_to_break_readers_are_refused(corpus: Path, name: str) -> None:
    with pytest.raises(UnusableInput, match=f"“{name}”"):
        read_table(corpus / name)


def test_merged_cells_from_the_corpus(corpus: Path) -> None:
    table = read_table(corpus / "merged_range.xlsx")

    assert table.headers == ("A1", "B1", "C1", "C1 (2)", "E1", "F1", "G1", "H1")
    assert [row.row_number for row in table.rows] == [3, 4]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsb", ".xls"])
def test_chart_sheets_are_not_offered_and_hidden_ones_come_last(corpus: Path, suffix: str) -> None:
    path = corpus / f"any_sheets{suffix}"

    assert list_sheets(path) == ["Visible", "Hidden", "VeryHidden"]
    assert read_table(path).sheet == "Visible"
