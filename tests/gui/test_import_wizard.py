"""The import wizard and the File menu's spreadsheet actions, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from sro_desktop.db.models import ImportBatch, Member
from sro_desktop.gui import file_transfer
from sro_desktop.gui.import_wizard import ImportWizard, What
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.task_runner import Cancelled, Progress
from tests.spreadsheets.import_files import write_messy_roster

TIMEOUT = 20_000


def _people(window: MainWindow) -> int:
    assert window.database is not None
    with window.database.session() as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def _wizard_at(qtbot: QtBot, wizard: ImportWizard, page: int) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=TIMEOUT)


def _open(qtbot: QtBot, window: MainWindow, roster: Path) -> ImportWizard:
    wizard = file_transfer.open_import_wizard(window, roster)
    assert wizard is not None
    qtbot.waitUntil(wizard.source_page.isComplete, timeout=TIMEOUT)
    return wizard


def _to_review(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.MAPPING)
    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.REVIEW)
    qtbot.waitUntil(lambda: wizard.state.review is not None, timeout=TIMEOUT)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_messy_roster(tmp_path / "Roster 2026.xlsx")


def test_a_messy_roster_goes_through_the_wizard_and_undo_takes_it_back(
    qtbot: QtBot, window: MainWindow, demo_path: Path, roster: Path
) -> None:
    assert window.open_database_file(demo_path)
    before = _people(window)
    wizard = _open(qtbot, window, roster)

    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.MAPPING)
    mapping = wizard.mapping_page.model.chosen()
    assert mapping["E-mail Address"] == "email"
    assert mapping["Name First"] == "first_name"
    assert "4" in wizard.mapping_page.subTitle()  # the header row
    preview = wizard.mapping_page.preview
    assert preview.rowCount() == 5
    assert "with problems" in wizard.mapping_page.preview_label.text()
    # Unmapping a column takes it out of the preview at once.
    columns = preview.columnCount()
    wizard.mapping_page.model.choose(4, None)  # Degree(s)
    assert preview.columnCount() == columns - 1
    wizard.mapping_page.model.choose(4, "credentials")

    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.REVIEW)
    page = wizard.review_page
    qtbot.waitUntil(lambda: wizard.state.review is not None, timeout=TIMEOUT)
    assert page.summary.text().startswith("3 new people")
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "New (3)",
        "Updates (0)",
        "Unchanged (0)",
        "Duplicates (1)",
        "Problems (1 row)",
    ]
    assert not page.isComplete()  # problems must be skipped knowingly
    page.skip_check.setChecked(True)
    assert page.isComplete()

    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.DONE)
    assert "Imported Roster 2026.xlsx: 3 new people" in wizard.done_page.text.text()
    assert _people(window) == before + 3
    assert window.undo_stack.count() == 1

    window.undo_stack.undo()
    assert _people(window) == before
    assert "removed 3 people" in window.statusBar().currentMessage()
    window.undo_stack.redo()
    assert _people(window) == before + 3
    assert window.database is not None
    with window.database.session() as session:
        batches = session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
    assert [b.undone_at is not None for b in batches] == [True, False]


def test_cancelling_the_import_changes_nothing(
    qtbot: QtBot, window: MainWindow, demo_path: Path, roster: Path
) -> None:
    assert window.open_database_file(demo_path)
    before = _people(window)
    wizard = _open(qtbot, window, roster)
    _to_review(qtbot, wizard)

    progress = Progress(lambda *_args: None)
    progress.cancel()
    with pytest.raises(Cancelled):
        wizard.import_function(skip_invalid=True)(progress)

    assert _people(window) == before


def test_a_file_dropped_on_the_window_opens_the_wizard(
    qtbot: QtBot, window: MainWindow, demo_path: Path, roster: Path
) -> None:
    assert window.open_database_file(demo_path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(roster))])
    drop = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )

    # Qt delivers a drop only during a real drag, so the window's drop handler is
    # handed the event directly, as Qt would.
    handled = window.file_drops.eventFilter(window, drop)  # type: ignore[attr-defined]

    assert handled
    wizards = window.findChildren(ImportWizard)
    assert len(wizards) == 1
    assert wizards[0].source_page.path_edit.text() == str(roster)
    assert wizards[0].state.what is What.MEMBERS
    wizards[0].reject()


def test_the_member_list_is_exported_as_shown(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert window.open_database_file(demo_path)
    page = window.members_page
    page.status_filter.setCurrentIndex(page.status_filter.findText("Lapsed"))
    page.table.horizontalHeader().hideSection(4)  # Phone
    target = tmp_path / "lapsed.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(target), ""))

    file_transfer.export_members_shown(window)
    qtbot.waitUntil(lambda: target.exists() and not window.tasks.busy, timeout=TIMEOUT)

    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    header = rows[3]
    assert "Phone" not in header
    assert header[:2] == ["Last name", "First name"]
    status = header.index("Status")
    assert rows[4:] and {row[status] for row in rows[4:]} == {"Lapsed"}
    assert "Exported" in window.statusBar().currentMessage()


def test_the_import_history_undoes_an_earlier_import(
    qtbot: QtBot, window: MainWindow, demo_path: Path, roster: Path
) -> None:
    assert window.open_database_file(demo_path)
    before = _people(window)
    wizard = _open(qtbot, window, roster)
    _to_review(qtbot, wizard)
    wizard.review_page.skip_check.setChecked(True)
    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.DONE)
    wizard.accept()
    window.undo_stack.clear()  # as after reopening the app: only the history can undo it

    dialog = file_transfer.ImportHistoryDialog(window)
    dialog.view.selectRow(0)
    assert dialog.undo_button.isEnabled()
    from PySide6.QtWidgets import QMessageBox

    original = QMessageBox.question
    QMessageBox.question = lambda *_a, **_k: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    try:
        dialog.undo_button.click()
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]

    assert _people(window) == before
    dialog.view.selectRow(0)
    assert not dialog.undo_button.isEnabled()  # already undone
    dialog.close()


def test_the_mapping_needs_a_name_or_an_email_column(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    path = tmp_path / "codes.csv"
    path.write_text("Code,Amount,Notes\nA1,150,ada@example.org\nB2,75,bob@example.org\n")
    wizard = _open(qtbot, window, path)
    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.MAPPING)
    page = wizard.mapping_page
    assert not page.isComplete()
    assert "No column is taken as a name or an email address" in page.preview_label.text()
    page.model.choose(2, "email")  # Notes holds the addresses
    assert page.isComplete()
    assert "No column" not in page.preview_label.text()
    wizard.reject()


def test_going_back_from_the_review_and_on_again_shows_it_again(
    qtbot: QtBot, window: MainWindow, demo_path: Path, roster: Path
) -> None:
    assert window.open_database_file(demo_path)
    wizard = _open(qtbot, window, roster)
    wizard.next()
    _wizard_at(qtbot, wizard, ImportWizard.MAPPING)
    tabs = wizard.review_page.tabs
    for _round in range(3):
        wizard.next()
        _wizard_at(qtbot, wizard, ImportWizard.REVIEW)
        qtbot.waitUntil(lambda: tabs.count() > 0, timeout=TIMEOUT)
        assert [tabs.tabText(i) for i in range(tabs.count())] == [
            "New (3)",
            "Updates (0)",
            "Unchanged (0)",
            "Duplicates (1)",
            "Problems (1 row)",
        ]
        wizard.back()
        _wizard_at(qtbot, wizard, ImportWizard.MAPPING)
    wizard.reject()
