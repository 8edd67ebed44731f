"""The standard shortcuts of the main window: each triggers its action, none clashes with
another, and Ctrl+F puts the cursor in the search box of the page shown."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from sro_desktop.gui.help_window import HelpWindow
from sro_desktop.gui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
STANDARD = {
    "New": QKeySequence.StandardKey.New,
    "Open": QKeySequence.StandardKey.Open,
    "Find": QKeySequence.StandardKey.Find,
    "Undo": QKeySequence.StandardKey.Undo,
    "Print": QKeySequence.StandardKey.Print,
    "HelpContents": QKeySequence.StandardKey.HelpContents,
}


def _active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _window_shortcuts(window: MainWindow) -> list[tuple[str, QKeySequence]]:
    """Every key sequence live anywhere in the main window (not just in one widget)."""
    found: list[tuple[str, QKeySequence]] = []
    window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    for action in window.findChildren(QAction):
        if action.shortcutContext() in window_wide:
            found += [(action.text(), keys) for keys in action.shortcuts() if not keys.isEmpty()]
    for shortcut in window.findChildren(QShortcut):
        if shortcut.context() in window_wide:
            keys = shortcut.key()
            if not keys.isEmpty():
                found.append(("shortcut", keys))
    return found


def test_no_two_actions_share_a_key(window: MainWindow) -> None:
    shortcuts = _window_shortcuts(window)
    counts = Counter(keys.toString() for _text, keys in shortcuts)
    clashes = {
        keys: [t for t, k in shortcuts if k.toString() == keys]
        for keys, n in counts.items()
        if n > 1
    }
    assert not clashes
    for name, standard in STANDARD.items():
        wanted = QKeySequence(standard).toString()
        owners = [text for text, keys in shortcuts if keys.toString() == wanted]
        assert len(owners) == 1, f"{name} ({wanted}) belongs to {owners}"


def test_ctrl_n_and_ctrl_o_ask_for_a_database_and_open_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = tmp_path / "New Society.sqlite3"
    asked: list[str] = []

    def save_name(_parent: object, title: str, *_args: object) -> tuple[str, str]:
        asked.append(title)
        return str(created), ""

    def open_name(_parent: object, title: str, *_args: object) -> tuple[str, str]:
        asked.append(title)
        return str(created), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    _active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert asked == ["New database"]
    assert window.database is not None
    assert window.database.path == created
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert asked == ["New database", "Open database"]
    assert window.database is not None
    assert window.database.path == created
    assert window.statusBar().currentMessage() == f"Opened {created}"


class _Mark(QUndoCommand):
    def __init__(self, marks: list[str]) -> None:
        super().__init__("Mark")
        self.marks = marks

    def redo(self) -> None:
        self.marks.append("done")

    def undo(self) -> None:
        self.marks.append("undone")


def test_ctrl_z_undoes_ctrl_p_prints_and_f1_opens_the_guide(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    marks: list[str] = []
    window.undo_stack.push(_Mark(marks))
    _active(qtbot, window)
    window.members_page.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert marks == ["done", "undone"]

    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)  # the member list has no preview to print
    assert window.statusBar().currentMessage().startswith("Nothing to print here")

    qtbot.keyClick(window, Qt.Key.Key_F1)
    guides = window.findChildren(HelpWindow)
    assert len(guides) == 1
    assert guides[0].isVisible()
    guides[0].close()


def _focused() -> QLineEdit | None:
    widget = QApplication.focusWidget()
    return widget if isinstance(widget, QLineEdit) else None


def test_ctrl_f_puts_the_cursor_in_the_search_box_of_each_page(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    _active(qtbot, window)

    window.show_page("Members")
    page = window.members_page
    page.table.setFocus()
    page.search_edit.setText("baker")
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is page.search_edit)
    assert page.search_edit.selectedText() == "baker"  # typing replaces the old search

    window.show_page("Meetings")
    meetings = window.meetings_page
    meetings.tabs.setCurrentWidget(meetings.agenda_tab)
    meetings.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is meetings.registrations_tab.filter_edit)
    assert meetings.tabs.currentWidget() is meetings.registrations_tab

    window.show_page("Certificates")
    certificates = window.certificates_page
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is certificates.search_edit)
    assert certificates.tabs.tabText(certificates.tabs.currentIndex()) == "Register"

    window.show_page("Finances")
    finances = window.finances_page
    finances.tabs.setCurrentWidget(finances.expenses_tab)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is finances.expenses_tab.search)
    finances.tabs.setCurrentIndex(0)  # the dashboard has no search: the income has one
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is finances.income_tab.search)


def test_ctrl_f_says_so_when_there_is_nothing_to_search(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("Meetings")  # no database, so no meeting chosen
    _active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert window.statusBar().currentMessage() == "There is nothing to search here."


def test_the_check_in_screen_keeps_its_own_ctrl_f(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    """The check-in screen is a window of its own: its Ctrl+F does not clash with the main
    window's (a clash would log an "ambiguous shortcut" warning and fail this test)."""
    assert window.open_database_file(demo_path)
    window.show_page("Meetings")
    screen = window.meetings_page.open_checkin()
    assert screen is not None
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.session_combo.setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _focused() is screen.search_edit)
    assert _focused() is not window.members_page.search_edit
    screen.close()
