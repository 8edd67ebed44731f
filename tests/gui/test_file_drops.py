"""A spreadsheet dropped anywhere on the main window opens the import wizard, even on a
text box that would otherwise take the file's path as text."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from sro_desktop.gui.import_wizard import ImportWizard
from sro_desktop.gui.main_window import MainWindow
from tests.spreadsheets.import_files import write_messy_roster


def _files(*paths: Path) -> QMimeData:
    """What a file manager's drag carries: the files as links, and as text too (which
    is what a text box takes)."""
    data = QMimeData()
    urls = [QUrl.fromLocalFile(str(path)) for path in paths]
    data.setUrls(urls)
    data.setText("\n".join(url.toString() for url in urls))
    return data


def _drag_and_drop(target: QLineEdit, data: QMimeData) -> tuple[bool, bool]:
    """Enter and drop on `target` as Qt delivers them (application filters first);
    whether each was accepted."""
    centre = target.rect().center()
    with warnings.catch_warnings():
        # PySide marks Qt's only constructor of a drag-enter event (with a QPoint) as
        # deprecated; Qt itself still makes them so.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            centre,
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_a_spreadsheet_dropped_on_the_search_box_opens_the_wizard(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    roster = write_messy_roster(tmp_path / "Roster 2026.xlsx")
    search = window.members_page.search_edit
    assert search.acceptDrops()  # a text box takes drops of text and links

    entered, dropped = _drag_and_drop(search, _files(roster))

    assert entered and dropped
    assert search.text() == ""  # the path was not pasted into the search box
    wizards = window.findChildren(ImportWizard)
    assert len(wizards) == 1
    assert wizards[0].source_page.path_edit.text() == str(roster)
    wizards[0].reject()


def test_other_drops_on_a_text_box_are_left_to_it(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n")
    search = window.members_page.search_edit

    _drag_and_drop(search, _files(notes))
    text = QMimeData()
    text.setText("Smith")
    _drag_and_drop(search, text)

    assert window.findChildren(ImportWizard) == []
    assert "Smith" in search.text()  # plain text still drops into the box as before


def test_drops_on_other_windows_are_not_taken(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    roster = write_messy_roster(tmp_path / "Roster 2026.xlsx")
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()

    _drag_and_drop(other, _files(roster))

    assert window.findChildren(ImportWizard) == []
