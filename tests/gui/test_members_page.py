"""The Members page as a user meets it: filters that combine with the search box, rows
fetched as the table scrolls, copying emails, and the Members menu."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sro_desktop.db.database import Database, open_database
from sro_desktop.db.models import EmployerType
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.member_list_reader import MemberListReader
from sro_desktop.gui.members_model import BATCH, MembersTableModel
from sro_desktop.services.members import MemberFilter, member_rows
from tests.conftest import TODAY

STATUS, STATE, ORG_TYPE, MEMBERSHIP = 8, 7, 6, 9


@pytest.fixture(autouse=True)
def demo_day(window: MainWindow) -> None:
    """The app reckons statuses on the day the demo data was made for, not the real today."""
    assert window.members_page.member_actions is not None
    window.members_page.member_actions.today = lambda: TODAY


def _column(window: MainWindow, column: int) -> list[str]:
    model = window.members_page.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _choose(combo: object, text: str) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_filters_combine_with_the_search_box(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    page = window.members_page
    _choose(page.status_filter, "Current")
    current = page.model.rowCount()
    assert 100 < current < 300 and set(_column(window, STATUS)) == {"Current"}
    _choose(page.state_filter, "NJ")
    assert set(_column(window, STATE)) == {"NJ"}
    _choose(page.organization_filter, EmployerType.HOSPITAL.label)
    assert set(_column(window, ORG_TYPE)) == {"Hospital / health system"}
    _choose(page.type_filter, "Individual")
    assert set(_column(window, MEMBERSHIP)) == {"Individual"}
    narrowed = page.model.rowCount()
    assert 0 < narrowed < current
    assert page.count_label.text() == f"{narrowed} {'person' if narrowed == 1 else 'people'}"

    first_name = page.model.index(0, 1).data()
    qtbot.keyClicks(page.search_edit, first_name)
    qtbot.waitUntil(lambda: page.model.rowCount() < narrowed or narrowed == 1)
    assert all(page.model.index(r, 1).data() == first_name for r in range(page.model.rowCount()))

    # What is shown is what a direct listing with the same filter gives.
    with window.database.session() as session:  # type: ignore[union-attr]
        expected = [r.id for r in member_rows(session, TODAY, member_filter=page.current_filter())]
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == expected

    for combo in (
        page.status_filter,
        page.state_filter,
        page.organization_filter,
        page.type_filter,
    ):
        combo.setCurrentIndex(0)
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 300)


def test_show_archived(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    from sro_desktop.gui.member_removal import archive_member

    window.open_database_file(demo_path)
    page = window.members_page
    actions = page.member_actions
    assert actions is not None
    member_id = page.model.row_at(0).id
    assert archive_member(actions, member_id, True)
    assert page.model.rowCount() == 299 and page.count_label.text() == "299 people"
    page.archived_check.setChecked(True)
    assert page.model.rowCount() == 300
    window.undo_stack.undo()
    page.archived_check.setChecked(False)
    assert page.model.rowCount() == 300


def test_copy_emails_of_everyone_shown(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    _choose(page.status_filter, "Honorary")
    page.copy_action.trigger()
    emails = QGuiApplication.clipboard().text().split(", ")
    assert len(emails) == 4 and all("@" in e for e in emails)
    assert "Copied 4 email addresses" in window.statusBar().currentMessage()


def test_members_menu_is_in_the_menu_bar(window: MainWindow, demo_path: Path) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Members") == titles.index("&Help") - 1
    page = window.members_page
    assert not page.new_action.isEnabled()  # no database yet
    window.open_database_file(demo_path)
    assert page.new_action.isEnabled() and not page.edit_action.isEnabled()
    page.table.selectRow(0)
    assert page.edit_action.isEnabled() and page.renew_action.isEnabled()
    assert page.new_action.shortcut().toString() == "Ctrl+Shift+N"


@pytest.fixture
def large_path(tmp_path: Path) -> Path:
    """A database with more people than one page of the table."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_members_view import make_large_database

    path = tmp_path / "large.sqlite3"
    make_large_database(path, members=BATCH * 2 + 150, today=date(2026, 11, 27))
    return path


def test_rows_are_fetched_as_the_table_scrolls(
    qtbot: QtBot, window: MainWindow, large_path: Path
) -> None:
    window.open_database_file(large_path)
    page = window.members_page
    total = BATCH * 2 + 150
    assert page.count_label.text() == f"{total:,} people"
    assert page.model.rowCount() == BATCH
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == BATCH * 2)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    assert not page.model.canFetchMore()
    ids = [page.model.row_at(r).id for r in range(total)]
    assert len(set(ids)) == total
    # Sorting by a column starts again from the first page, in that order.
    page.table.sortByColumn(STATE, Qt.SortOrder.DescendingOrder)
    assert page.model.rowCount() == BATCH
    states = _column(window, STATE)
    assert states == sorted(states, reverse=True)


def test_lazy_model_passes_qtmodeltester(qtmodeltester: ModelTester, large_path: Path) -> None:
    database: Database = open_database(large_path)
    reader = MemberListReader(database)
    try:
        reader.ensure_ready(date(2026, 11, 27))
        model = MembersTableModel()
        model.set_fetcher(lambda *args: reader.page(MemberFilter(), *args))
        qtmodeltester.check(model, force_py=True)
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == BATCH * 2 + 150
        # Sorted by email, descending, fetched from the start (a fresh model: the tester
        # itself fetches more while it checks a reset, which it then counts as a fault).
        by_email = MembersTableModel()
        by_email.sort(3, Qt.SortOrder.DescendingOrder)
        by_email.set_fetcher(lambda *args: reader.page(MemberFilter(), *args))
        emails = [by_email.index(r, 3).data() for r in range(by_email.rowCount())]
        assert emails == sorted(emails, reverse=True)
        qtmodeltester.check(by_email, force_py=True)
    finally:
        reader.close()
        database.close()
