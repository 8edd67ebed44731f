"""Merging two people from the duplicates window backs the database up first: undo lasts
only while the app is open, the "Before a merge" backup lasts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sro_desktop.db.backup import list_backups
from sro_desktop.gui.duplicates_view import DuplicatesView
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.services.duplicates import merge_members


def _pairs_found(qtbot: QtBot, window: MainWindow, demo_path: Path) -> DuplicatesView:
    """The duplicates window on the demo database, its search done."""
    window.open_database_file(demo_path)
    window.members_page.duplicates_action.trigger()
    view = window.findChild(DuplicatesView)
    assert isinstance(view, DuplicatesView)
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20000)
    return view


def test_merge_from_the_duplicates_window_takes_a_backup_first(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    view = _pairs_found(qtbot, window, demo_path)
    pairs = view.model.rowCount()
    assert [b for b in list_backups(demo_path) if b.reason == "before-merge"] == []

    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)

    assert view.model.rowCount() < pairs  # merged
    backups = [b for b in list_backups(demo_path) if b.reason == "before-merge"]
    assert [b.reason_label for b in backups] == ["Before a merge"]
    assert window.members_page.count_label.text() == "299 people"
    view.close()


def test_a_merge_refused_in_the_window_takes_no_backup(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _pairs_found(qtbot, window, demo_path)
    # The other person of the pair is merged into someone else meanwhile (from the
    # command line, say): the pair on screen is out of date.
    keep, other, _choices = view.comparison.choices()
    third = next(n for n in range(1, 10) if n not in (keep, other))
    assert window.database is not None
    with window.database.transaction(action="Merge members") as session:
        merge_members(session, third, other)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))

    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)

    assert len(shown) == 1 and str(other) in shown[0]
    assert [b for b in list_backups(demo_path) if b.reason == "before-merge"] == []
    view.close()
