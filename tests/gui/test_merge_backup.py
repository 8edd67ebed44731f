"""Merging two people from the duplicates window backs the database up first: undo lasts
only while the app is open, the "Before a merge" backup lasts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sro_desktop.db.backup import list_backups
from sro_desktop.gui.duplicates_view import DuplicatesView
from sro_desktop.gui.main_window import MainWindow


def test_merge_from_the_duplicates_window_takes_a_backup_first(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    window.members_page.duplicates_action.trigger()
    view = window.findChild(DuplicatesView)
    assert isinstance(view, DuplicatesView)
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20000)
    pairs = view.model.rowCount()
    assert [b for b in list_backups(demo_path) if b.reason == "before-merge"] == []

    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)

    assert view.model.rowCount() < pairs  # merged
    backups = [b for b in list_backups(demo_path) if b.reason == "before-merge"]
    assert [b.reason_label for b in backups] == ["Before a merge"]
    assert window.members_page.count_label.text() == "299 people"
    view.close()
