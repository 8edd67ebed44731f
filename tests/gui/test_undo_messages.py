"""Edit > Undo and Redo say in the status bar what they undid or redid."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sro_desktop.gui.main_window import MainWindow
from tests.conftest import TODAY


def _edit_action(window: MainWindow, prefix: str) -> object:
    for action in window.edit_menu.actions():
        if action.text().startswith(prefix):
            return action
    raise AssertionError(f"no {prefix} in the Edit menu")


def test_undo_and_redo_say_what_they_did(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    assert window.open_database_file(demo_path)
    page = window.members_page
    assert page.member_actions is not None
    page.member_actions.today = lambda: TODAY
    page.table.selectRow(0)
    member_id = page.selected_member_id()
    assert member_id is not None
    page.archive_action.trigger()
    step = window.undo_stack.undoText()
    assert step.startswith("Archive ")
    assert page.count_label.text() == "299 people"

    # Ctrl+Z (Edit > Undo) brings the member back and says so.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.count_label.text() == "300 people"
    assert window.statusBar().currentMessage() == f"Undone: {step}"

    # Edit > Redo archives them again.
    redo = _edit_action(window, "&Redo")
    redo.trigger()  # type: ignore[attr-defined]
    assert page.count_label.text() == "299 people"
    assert window.statusBar().currentMessage() == f"Redone: {step}"

    # With nothing left to redo, the menu item is off and triggering it says nothing new.
    window.statusBar().clearMessage()
    assert not redo.isEnabled()  # type: ignore[attr-defined]
    window.step_history(undo=False)
    assert window.statusBar().currentMessage() == ""
