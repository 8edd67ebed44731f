"""The whole database as one workbook: export -> import into an empty database -> export
gives the same data and the same workbook, cell for cell."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from sro_desktop.db.database import Database, open_database
from sro_desktop.db.models import Base, ImportBatch, ImportKind, Member
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.organization import organization_settings
from sro_desktop.spreadsheets.database_workbook import export_database, import_database
from tests.spreadsheets.import_files import write_rows


def _everything(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.session() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(select(table).order_by(*table.primary_key.columns)).all()
            ]
            for table in Base.metadata.sorted_tables
        }


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


@pytest.fixture
def full_database(demo_database: Database) -> Database:
    """The demo data plus what is awkward to carry in a spreadsheet."""
    with demo_database.transaction() as session:
        settings = organization_settings(session)
        settings.logo = os.urandom(40_000)  # longer than one cell can hold as text
        member = session.scalars(select(Member).order_by(Member.id)).first()
        assert member is not None
        member.notes = "Line one\r\nLine two  \n=not a formula\t_x000D_ literal"
        member.job_title = "  spaced  "
        session.add(
            ImportBatch(
                kind=ImportKind.MEMBERS,
                file_name="old roster.xlsx",
                mapping={"E-mail": "email", "Nom": "last_name"},
                created=3,
                created_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            )
        )
    return demo_database


def test_export_then_import_into_an_empty_database_loses_nothing(
    full_database: Database, tmp_path: Path
) -> None:
    first = tmp_path / "first.xlsx"
    with full_database.session() as session:
        counts = export_database(session, first)
    assert counts["members"] == 300

    restored = open_database(tmp_path / "restored" / "new.sqlite3")
    try:
        with restored.transaction() as session:
            result = import_database(session, first)
        assert result.rows == counts
        assert _everything(restored) == _everything(full_database)

        second = tmp_path / "second.xlsx"
        with restored.session() as session:
            export_database(session, second)
        assert _cells(second) == _cells(first)
    finally:
        restored.close()


def test_the_workbook_is_finished_and_readable(full_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "everything.xlsx"
    with full_database.session() as session:
        export_database(session, path)

    cells = _cells(path)
    assert next(iter(cells)) == "About"
    assert cells["About"][1] == ["Format", "SRO Desktop database workbook"]
    assert cells["members"][0][:3] == ["id", "first_name", "last_name"]
    assert cells["Long values"][1][:3] == ["organization_settings", 1, "logo"]
    members = load_workbook(path, read_only=False)["members"]
    assert members.freeze_panes == "A2"
    assert members["A1"].font.bold
    assert members.auto_filter.ref.startswith("A1:")


def test_only_an_empty_database_takes_a_workbook(full_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "everything.xlsx"
    with full_database.session() as session:
        export_database(session, path)

    with full_database.transaction() as session, pytest.raises(DataRefused, match="not empty"):
        import_database(session, path)


def test_a_member_list_is_not_a_database_workbook(database: Database, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "roster.xlsx", [["Name", "Email"], ["A B", "a@b.org"]])

    with (
        database.transaction() as session,
        pytest.raises(UnusableInput, match="not an SRO Desktop database workbook"),
    ):
        import_database(session, path)


def test_a_wrong_value_is_refused_with_its_sheet_row_and_column(
    demo_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "edited.xlsx"
    with demo_database.session() as session:
        export_database(session, path)
    workbook = load_workbook(path)
    workbook["members"]["Q3"] = "soon"  # member_since of the second person
    workbook.save(path)

    empty = open_database(tmp_path / "empty.sqlite3")
    try:
        with empty.transaction() as session, pytest.raises(DataRefused) as refused:
            import_database(session, path)
        assert "sheet “members”, row 3, column member_since (Q) (“soon”)" in str(refused.value)
        with empty.session() as session:
            assert session.scalars(select(Member)).first() is None
    finally:
        empty.close()
