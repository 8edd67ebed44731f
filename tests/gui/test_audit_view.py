"""The audit trail on screen: a member's history, filters, field detail and export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import Member
from sro_desktop.gui.audit_view import AuditDialog, show_audit_trail, show_member_history
from sro_desktop.gui.main_window import MainWindow


def _edit_member(database: Database, member_id: int, **values: object) -> None:
    with database.transaction(action="Edit member") as session:
        member = session.get(Member, member_id)
        assert member is not None
        for key, value in values.items():
            setattr(member, key, value)


def _first_member(database: Database) -> Member:
    with database.session() as session:
        return session.scalars(select(Member).order_by(Member.id).limit(1)).one()


def test_member_history_lists_only_that_member_newest_first(
    qtbot: QtBot, demo_database: Database
) -> None:
    member = _first_member(demo_database)
    _edit_member(demo_database, member.id, city="Dover", notes="moved")
    dialog = show_member_history(None, demo_database, member.id)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() > 1
    assert {row.member_id for row in model.rows} == {member.id}
    newest = [model.index(0, c).data() for c in range(6)]
    assert newest[1] == f"{member.full_name} ({member.id})"
    assert newest[2] == f"Member {member.id}"
    assert newest[3] == "Changed"
    assert "City:" in newest[4] and "→ Dover" in newest[4]
    assert newest[5] == "Edit member"
    assert dialog.title_label.text() == f"History of {member.full_name} (member {member.id})"
    # The selected change shows field by field.
    lines = dialog.changes_model.lines
    assert ("City", member.city, "Dover") in lines and ("Notes", member.notes, "moved") in lines


def test_filters_narrow_the_list(qtbot: QtBot, demo_database: Database) -> None:
    member = _first_member(demo_database)
    _edit_member(demo_database, member.id, job_title="Quartermaster")
    dialog = AuditDialog(demo_database)
    qtbot.addWidget(dialog)
    everything = dialog.model.rowCount()
    assert "Showing the newest 2,000 of" in dialog.count_label.text()

    dialog.search_edit.setText("quartermaster")
    qtbot.waitUntil(lambda: dialog.model.rowCount() < everything)
    assert dialog.model.rowCount() == 1
    assert dialog.count_label.text() == "1 change"

    dialog.search_edit.clear()
    dialog.change_filter.setCurrentIndex(dialog.change_filter.findText("Changed"))
    qtbot.waitUntil(lambda: all(r.action == "update" for r in dialog.model.rows))
    dialog.record_filter.setCurrentIndex(dialog.record_filter.findText("Members"))
    assert {r.table for r in dialog.model.rows} == {"members"}


def test_audit_models_pass_qtmodeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_database: Database
) -> None:
    dialog = AuditDialog(demo_database, member_id=_first_member(demo_database).id)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model, force_py=True)
    qtmodeltester.check(dialog.changes_model, force_py=True)


def test_export_writes_every_matching_change(
    qtbot: QtBot, demo_database: Database, tmp_path: Path
) -> None:
    member = _first_member(demo_database)
    dialog = AuditDialog(demo_database, member_id=member.id)
    qtbot.addWidget(dialog)
    target = tmp_path / "history.xlsx"
    written = dialog.export_to(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert sheet.max_row == written + 1
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {member.id}
    assert str(target) in dialog.count_label.text()


def test_the_window_opens_the_whole_audit_trail(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    assert window.database is not None
    dialog = show_audit_trail(window, window.database, window.settings)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.model.rowCount() == 2000
    window.audit_action.trigger()
    assert window.database is not None
