"""Help > About SRO Desktop: versions, folders and licences, and "Copy details"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from sro_desktop import __version__
from sro_desktop.gui.about_dialog import AboutDialog
from sro_desktop.gui.main_window import MainWindow


def test_about_lists_versions_folders_and_licences_and_copies_them(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    assert window.open_database_file(db_path)
    window.about_action.trigger()
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.isVisible()
    facts = dict(dialog.facts)
    assert facts["Version"] == __version__
    assert facts["Database"] == str(db_path)
    assert "PySide6" in facts["Qt"]
    rows = {
        dialog.table.item(row, 0).text(): dialog.table.item(row, 2).text()
        for row in range(dialog.table.rowCount())
    }
    assert rows["sro-desktop"] == "MIT"
    assert rows["Qt"] == "LGPL-3.0-only"
    assert rows["Noto Serif and Noto Sans fonts"] == "OFL-1.1"
    assert "SQLAlchemy" in rows

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"SRO Desktop {__version__}")
    assert f"Database: {db_path}" in copied
    assert "Qt " in copied
    assert "OFL-1.1" in copied
    assert dialog.status.isVisible()
    dialog.close()
