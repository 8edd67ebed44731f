"""Exported workbooks look finished, hold real dates and money, never carry a formula
from a text value, and read back with a second reader (python-calamine)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import Meeting, Member
from sro_desktop.errors import UnusableInput
from sro_desktop.services.members import MemberFilter
from sro_desktop.services.membership_status import MemberStatus
from sro_desktop.spreadsheets.exports import export_members, export_renewals, export_roster
from sro_desktop.spreadsheets.workbook_writer import (
    MONEY_FORMAT,
    Column,
    SheetSpec,
    write_workbook,
)

TODAY = date(2026, 11, 27)
RISKY = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1)", "\tTab", "\rReturn"]


def _calamine_rows(path: Path, sheet: int = 0) -> list[list[Any]]:
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(sheet).to_python()
    )
    return rows


def _table(path: Path) -> tuple[list[Any], list[list[Any]]]:
    """The header and data rows below the export's two title lines and blank line."""
    rows = _calamine_rows(path)
    return rows[3], rows[4:]


def test_the_member_list_exports_with_a_finished_look(
    demo_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "members.xlsx"
    with demo_database.session() as session:
        result = export_members(session, path, as_of=TODAY)

    header, rows = _table(path)
    assert result.rows == len(rows) == 300
    assert header[:4] == ["Last name", "First name", "Credentials", "Email"]
    since = header.index("Member since")
    assert all(isinstance(row[since], date) for row in rows if row[since] != "")

    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet.freeze_panes == "A5"  # everything above the first data row stays in view
    assert sheet.auto_filter.ref == f"A4:M{4 + len(rows)}"
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["I"].width
    assert sheet.cell(row=5, column=since + 1).number_format == "mm/dd/yyyy"


def test_the_member_list_keeps_the_screens_filter_and_columns(
    demo_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "current.xlsx"
    with demo_database.session() as session:
        export_members(
            session,
            path,
            as_of=TODAY,
            member_filter=MemberFilter(status=MemberStatus.CURRENT, state="PA"),
            columns=["email", "last_name", "status", "state"],
        )

    header, rows = _table(path)
    assert header == ["Email", "Last name", "Status", "State"]
    assert rows
    assert {row[2] for row in rows} == {"Current"}
    assert {row[3] for row in rows} == {"PA"}
    assert "status Current" in _calamine_rows(path)[1][0]


def test_text_that_looks_like_a_formula_is_written_as_text(
    database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        for number, risky in enumerate(RISKY):
            session.add(
                Member(first_name=risky, last_name=f"Risk{number}", email=f"r{number}@x.org")
            )
    path = tmp_path / "risky.xlsx"
    with database.session() as session:
        export_members(session, path, as_of=TODAY, columns=["last_name", "first_name"])

    _header, rows = _table(path)
    assert sorted(row[1] for row in rows) == sorted(RISKY)
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [sheet.cell(row=row, column=2) for row in range(5, 5 + len(RISKY))]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)
    assert "<f>" not in _sheet_xml(path)


def _sheet_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_a_meeting_roster_has_currency_cells(demo_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    with demo_database.session() as session:
        meeting = session.scalars(select(Meeting).order_by(Meeting.start_date)).first()
        assert meeting is not None
        result = export_roster(session, path, meeting.id)

    header, rows = _table(path)
    assert result.rows == len(rows) > 0
    fee = header.index("Fee")
    assert all(isinstance(row[fee], float) for row in rows)
    assert meeting.title in _calamine_rows(path)[0][0]
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet.cell(row=5, column=fee + 1).number_format == MONEY_FORMAT


def test_the_renewals_list(demo_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "renewals.xlsx"
    with demo_database.session() as session:
        result = export_renewals(session, path, as_of=TODAY, days=60)

    header, rows = _table(path)
    assert header == [
        "Last name",
        "First name",
        "Email",
        "Membership",
        "Status",
        "Paid through",
        "Lapses on",
    ]
    assert result.rows == len(rows) > 0
    assert all(isinstance(row[5], date) and row[6] > row[5] for row in rows)
    assert {row[4] for row in rows} <= {"Current", "Grace"}


def test_an_export_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    spec = SheetSpec("S", [Column("A")], [["a"]])

    with pytest.raises(UnusableInput, match="could not be written"):
        write_workbook(blocker / "inside.xlsx", [spec])


def test_a_failed_export_leaves_the_old_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [SheetSpec("S", [Column("A")], [["old"]])])

    def rows() -> Any:
        yield ["new"]
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        write_workbook(path, [SheetSpec("S", [Column("A")], rows())])

    assert _calamine_rows(path) == [["A"], ["old"]]
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
