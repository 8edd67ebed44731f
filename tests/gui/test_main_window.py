"""The main window as a user meets it: open a database, search, load demo data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sro_desktop.gui.application import starting_database
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.members_model import MembersTableModel
from sro_desktop.gui.recent_files import recent_databases


def _shown_names(window: MainWindow) -> list[str]:
    model = window.members_page.model
    return [
        f"{model.index(r, 1).data()} {model.index(r, 0).data()}" for r in range(model.rowCount())
    ]


def test_typing_in_the_search_box_filters_the_table(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    page = window.members_page
    everyone = page.model.rowCount()
    assert everyone == 300
    assert str(demo_path) in window.database_label.text()
    assert not page.empty_panel.isVisibleTo(window)

    qtbot.keyClicks(page.search_edit, "penn valley")
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < everyone)
    organization_column = 5
    assert all(
        page.model.index(r, organization_column).data() == "Penn Valley Health System"
        for r in range(page.model.rowCount())
    )
    assert page.count_label.text() == f"{page.model.rowCount()} people"

    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == everyone)


def test_status_filter_combines_with_search(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    page.status_filter.setCurrentIndex(page.status_filter.findText("Honorary"))
    assert page.model.rowCount() == 4
    status_column = 8
    assert {page.model.index(r, status_column).data() for r in range(4)} == {"Honorary"}


def test_empty_database_offers_demo_data(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    window.open_database_file(db_path)
    page = window.members_page
    assert page.model.rowCount() == 0
    assert page.empty_panel.isVisibleTo(window)
    qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 300, timeout=20000)
    assert not page.empty_panel.isVisibleTo(window)
    assert "Loaded demo data" in window.statusBar().currentMessage()


def test_sorting_by_a_column(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    window.open_database_file(demo_path)
    table = window.members_page.table
    table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # State
    model = window.members_page.model
    states = [model.index(r, 7).data() for r in range(model.rowCount())]
    assert states == sorted(states, key=str.casefold, reverse=True)


def test_a_bad_file_keeps_the_open_database(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.open_database_file(demo_path)
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("hello")
    shown: list[str] = []
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "warning", lambda _parent, _title, text: shown.append(text)
    )
    assert not window.open_database_file(bogus)
    assert shown and "bogus.sqlite3 is not an SRO Desktop database" in shown[0]
    assert window.database is not None and window.database.path == demo_path
    assert window.members_page.model.rowCount() == 300


def test_window_remembers_geometry_and_last_database(
    qtbot: QtBot, settings: QSettings, demo_path: Path
) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.open_database_file(demo_path)
    first.resize(720, 530)
    first.close()

    assert starting_database(None, settings) == demo_path
    assert recent_databases(settings) == [demo_path]
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 530)


def test_back_up_now_writes_a_readable_copy(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    import sqlite3

    window.open_database_file(demo_path)
    destination = tmp_path / "chosen" / "backup.sqlite3"
    window.back_up_to(destination)
    connection = sqlite3.connect(destination)
    try:
        assert connection.execute("SELECT count(*) FROM members").fetchone() == (300,)
    finally:
        connection.close()
    assert str(destination) in window.statusBar().currentMessage()


def test_members_model_passes_qtmodeltester(
    qtmodeltester: ModelTester, demo_database: object
) -> None:
    from datetime import date

    from sro_desktop.db.database import Database
    from sro_desktop.services.members import member_rows

    assert isinstance(demo_database, Database)
    model = MembersTableModel()
    with demo_database.session() as session:
        model.set_rows(member_rows(session, date(2026, 11, 27))[:50])
    qtmodeltester.check(model, force_py=True)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_a_built_page_replaces_its_placeholder(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    page = QLabel("Meetings for real")
    window.set_page("Meetings", page)
    assert list(window.pages) == ["Members", "Meetings", "Certificates", "Finances"]
    window.show_page("Meetings")
    assert window.stack.currentWidget() is page
    assert window.navigation.count() == 4
